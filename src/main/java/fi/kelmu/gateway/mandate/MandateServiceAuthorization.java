package fi.kelmu.gateway.mandate;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The Suomi.fi-valtuudet Web API request signature, header {@value #HEADER}:
 * {@code <clientId> <ISO-8601 timestamp> <base64(HMAC-SHA256(apiKey, path + " " + timestamp))>}, where
 * {@code path} is the request URL after the host, query included, exactly as sent (raw, percent-encoded).
 * The service refuses (HTTP 401) a missing or wrong signature and a timestamp more than
 * {@link #ALLOWED_SKEW} away from its own clock. Shared by the client and the sandbox simulator so both
 * sides compute it the same way.
 */
public final class MandateServiceAuthorization {

    public static final String HEADER = "X-AsiointivaltuudetAuthorization";
    public static final Duration ALLOWED_SKEW = Duration.ofMinutes(5);

    private MandateServiceAuthorization() {
    }

    /** The header value for a call to {@code pathAndQuery} at {@code now}. */
    public static String header(String clientId, String apiKey, String pathAndQuery, Instant now) {
        String timestamp = DateTimeFormatter.ISO_INSTANT.format(now.truncatedTo(ChronoUnit.MILLIS));
        return clientId + " " + timestamp + " " + signature(apiKey, pathAndQuery, timestamp);
    }

    /** base64(HMAC-SHA256(apiKey, pathAndQuery + " " + timestamp)). */
    public static String signature(String apiKey, String pathAndQuery, String timestamp) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(apiKey.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            byte[] digest = mac.doFinal((pathAndQuery + " " + timestamp).getBytes(StandardCharsets.UTF_8));
            return Base64.getEncoder().encodeToString(digest);
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }

    /**
     * Whether {@code header} is a valid signature of {@code pathAndQuery} by {@code clientId}, made within
     * {@link #ALLOWED_SKEW} of {@code now}. The signature is compared in constant time.
     */
    public static boolean verify(String header, String clientId, String apiKey, String pathAndQuery, Instant now) {
        if (header == null) {
            return false;
        }
        String[] parts = header.strip().split(" ");
        if (parts.length != 3 || !parts[0].equals(clientId)) {
            return false;
        }
        Instant sent;
        try {
            sent = OffsetDateTime.parse(parts[1]).toInstant();
        } catch (DateTimeParseException e) {
            return false;
        }
        if (Duration.between(sent, now).abs().compareTo(ALLOWED_SKEW) > 0) {
            return false;
        }
        byte[] expected = signature(apiKey, pathAndQuery, parts[1]).getBytes(StandardCharsets.US_ASCII);
        return MessageDigest.isEqual(expected, parts[2].getBytes(StandardCharsets.US_ASCII));
    }
}
