package fi.kelmu.gateway.audit;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Objects;

/**
 * A signed checkpoint of the access log's chain head (docs/access-log.md, "Checkpoints"): at {@code time} the
 * chain ended at record {@code sequence} with hash {@code chainHash}, says the holder of the key of
 * {@code certificate}. Kept apart from the records (table {@code access_log_checkpoint} and one line of the
 * application log), it makes a log cut back below it, or rewritten consistently, evident.
 *
 * <p>What is signed, version 1: the UTF-8 bytes of {@value #FORMAT}{@code :<sequence>:<chainHash>:<time>}, the
 * sequence in decimal, the hash as 64 lowercase hex digits, the time in UTC as
 * {@code uuuu-MM-dd'T'HH:mm:ss.SSSSSS'Z'} (microseconds, as the databases keep it); e.g.
 * {@code kelmu-access-log-checkpoint:v1:42:3f5a…:2023-01-02T08:00:00.123456Z}. Every field has a fixed
 * shape without colons, so no two checkpoints sign the same bytes. Signed SHA256withRSA with an RSA key,
 * SHA256withECDSA with an EC key (the signature in the DER form Java's JCA gives it).
 *
 * @param signature   the signature over {@link #signedText()}
 * @param certificate the signer's certificate as the row keeps it: it says who claims to have signed, never
 *                    by itself that the claim is to be trusted ({@link #verifiedBy})
 */
public record Checkpoint(long sequence, String chainHash, Instant time, byte[] signature,
        X509Certificate certificate) {

    /** The format and version of the signed text. */
    public static final String FORMAT = "kelmu-access-log-checkpoint:v1";

    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSS'Z'").withZone(ZoneOffset.UTC);

    public Checkpoint {
        if (sequence < 1) {
            throw new IllegalArgumentException("a checkpoint names record 1 or later: " + sequence);
        }
        Objects.requireNonNull(chainHash, "chainHash");
        time = Objects.requireNonNull(time, "time").truncatedTo(ChronoUnit.MICROS);
        signature = signature.clone();
        Objects.requireNonNull(certificate, "certificate");
    }

    /** Signs the chain head {@code sequence}/{@code chainHash} as of {@code time}. */
    public static Checkpoint sign(long sequence, String chainHash, Instant time, PrivateKey key,
            X509Certificate certificate) {
        Instant micros = time.truncatedTo(ChronoUnit.MICROS);
        try {
            Signature signer = Signature.getInstance(algorithm(certificate.getPublicKey()));
            signer.initSign(key);
            signer.update(signedText(sequence, chainHash, micros).getBytes(StandardCharsets.UTF_8));
            return new Checkpoint(sequence, chainHash, micros, signer.sign(), certificate);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot sign an access-log checkpoint: " + e.getMessage(), e);
        }
    }

    /** SHA256withRSA for an RSA key, SHA256withECDSA for an EC key. */
    static String algorithm(PublicKey key) {
        return switch (key.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            default -> throw new IllegalArgumentException("checkpoints are signed with an RSA or EC key, not "
                    + key.getAlgorithm());
        };
    }

    static String signedText(long sequence, String chainHash, Instant time) {
        return FORMAT + ":" + sequence + ":" + chainHash + ":" + TIME.format(time);
    }

    /** The text the signature is over. */
    public String signedText() {
        return signedText(sequence, chainHash, time);
    }

    @Override
    public byte[] signature() {
        return signature.clone();
    }

    /** Whether the signature is valid under {@code trusted}'s key (not the row's certificate's, unless the same). */
    public boolean verifiedBy(X509Certificate trusted) {
        try {
            Signature verifier = Signature.getInstance(algorithm(trusted.getPublicKey()));
            verifier.initVerify(trusted.getPublicKey());
            verifier.update(signedText().getBytes(StandardCharsets.UTF_8));
            return verifier.verify(signature);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return false; // a malformed signature or a key of another family does not verify
        }
    }

    /** SHA-256 fingerprint of a certificate, lowercase hex: how the log line and the command name a signer. */
    public static String fingerprint(X509Certificate certificate) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded()));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot encode certificate " + certificate.getSubjectX500Principal(), e);
        }
    }

    /** The line the application log carries: the signed text, the signature and the signer's fingerprint. */
    public String logLine() {
        return signedText() + " signature=" + Base64.getEncoder().encodeToString(signature) + " signer-sha256="
                + fingerprint(certificate);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Checkpoint c && sequence == c.sequence && chainHash.equals(c.chainHash)
                && time.equals(c.time) && Arrays.equals(signature, c.signature) && certificate.equals(c.certificate);
    }

    @Override
    public int hashCode() {
        return Objects.hash(sequence, chainHash, time, Arrays.hashCode(signature), certificate);
    }

    @Override
    public String toString() {
        return "Checkpoint[" + signedText() + ", signer " + certificate.getSubjectX500Principal() + "]";
    }
}
