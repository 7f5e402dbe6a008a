package fi.kelmu.gateway.security;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Settings of message security (properties {@code kelmu.security.*}, docs/configuration.md).
 *
 * @param trustStore          PKCS#12 trust store of the CAs callers sign with
 * @param trustStorePassword  its password (empty for none)
 * @param crlFiles            CRL files (PEM or DER) of those CAs
 * @param crlRefresh          how often the CRL files are checked for changes
 * @param revocationCheck     whether revocation is checked (an undeterminable status is then refused)
 * @param timestampTtlSeconds oldest accepted message, seconds since its Timestamp's Created
 * @param clockSkewSeconds    how far in the future Created may be
 * @param trustCache          how long a validated certificate chain is remembered (zero: not at all)
 * @param responseSigning     the gateway's signing key, or empty when responses are not signed
 * @param secondResponseSigning a second key of the other family (RSA or EC): an answer to a request signed in
 *                            that family is signed with it
 */
public record SecuritySettings(Path trustStore, char[] trustStorePassword, List<Path> crlFiles, Duration crlRefresh,
        boolean revocationCheck, int timestampTtlSeconds, int clockSkewSeconds, Duration trustCache,
        Optional<SigningKey> responseSigning, Optional<SigningKey> secondResponseSigning) {

    public SecuritySettings {
        crlFiles = List.copyOf(crlFiles);
    }

    /** A PKCS#12 key store, the password of store and key, and the key's alias. */
    public record SigningKey(Path keyStore, char[] password, String alias) {
    }

    /** How long message identities are remembered against replay: as long as a timestamp can be accepted. */
    public Duration replayWindow() {
        return Duration.ofSeconds((long) timestampTtlSeconds + 2L * clockSkewSeconds);
    }

    /** Never the passwords. */
    @Override
    public String toString() {
        return "SecuritySettings[trustStore=" + trustStore + ", crlFiles=" + crlFiles + ", revocationCheck="
                + revocationCheck + ", timestampTtlSeconds=" + timestampTtlSeconds + ", clockSkewSeconds="
                + clockSkewSeconds + "]";
    }
}
