package fi.kelmu.gateway.identity;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;

/**
 * A message identity the gateway accepted, as stored: the hex SHA-256 of the key ({@link #hashOf}) and when it may be
 * accepted again.
 */
public record ReplayClaim(String keyHash, Instant expiresAt) {

    public ReplayClaim {
        if (keyHash == null || keyHash.length() != 64) {
            throw new IllegalArgumentException("a replay claim is stored as 64 hex characters");
        }
        if (expiresAt == null) {
            throw new IllegalArgumentException("a replay claim needs its expiry");
        }
    }

    /** The replay key of an X-Road message id: ids are unique per client organisation (docs/security.md). */
    public static String messageIdKey(String businessId, String xroadId) {
        return "id:" + businessId + ":" + xroadId;
    }

    /** Whether {@code key} is a {@link #messageIdKey}. */
    public static boolean isMessageIdKey(String key) {
        return key.startsWith("id:");
    }

    /** The stored form of a key: hex SHA-256 of its UTF-8 text (a fixed 64 characters, whatever the key's length). */
    public static String hashOf(String key) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(
                    key.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by the Java platform", e);
        }
    }
}
