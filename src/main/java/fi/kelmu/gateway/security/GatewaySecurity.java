package fi.kelmu.gateway.security;

import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import javax.xml.namespace.QName;
import org.apache.wss4j.common.crypto.Merlin;

/**
 * Message security built from its settings: the request signature verifier with its trust store, CRLs and
 * timestamp window, and the key responses are signed with. Production refuses to start with any sandbox certificate in its
 * trust material or as its signing key.
 */
public final class GatewaySecurity {

    /** The gateway's own signing key, loaded: its store, alias and password. */
    public record SigningKeyStore(KeyStore keyStore, String alias, char[] password) {
    }

    private final MessageSignatureVerifier verifier;
    private final SigningKeyStore responseSigning;

    private GatewaySecurity(MessageSignatureVerifier verifier, SigningKeyStore responseSigning) {
        this.verifier = verifier;
        this.responseSigning = responseSigning;
    }

    /**
     * @param requiredHeaders header elements a request signature must cover when present
     * @param optionalHeaders header elements it may also cover
     */
    public static GatewaySecurity configure(SecuritySettings settings, boolean production, List<QName> requiredHeaders,
            Set<QName> optionalHeaders, Clock clock) {
        KeyStore trustStore = SecurityMaterial.keyStore(settings.trustStore(), settings.trustStorePassword());
        if (production) {
            SandboxKeys.refuseIn("kelmu.security.truststore.file", SecurityMaterial.certificates(trustStore));
        }
        CrlSource crls = new CrlSource(settings.crlFiles(), settings.crlRefresh(), clock);
        CertificateTrust trust = new CertificateTrust(trustStore, crls::current, settings.revocationCheck(),
                settings.trustCache(), clock);
        Merlin tokenCrypto = new Merlin();
        tokenCrypto.setTrustStore(trustStore);
        MessageSignatureVerifier verifier = new MessageSignatureVerifier(tokenCrypto, trust,
                settings.timestampTtlSeconds(), settings.clockSkewSeconds(), requiredHeaders, optionalHeaders);

        SigningKeyStore signing = null;
        if (settings.responseSigning().isPresent()) {
            SecuritySettings.SigningKey key = settings.responseSigning().get();
            KeyStore gatewayKeys = SecurityMaterial.keyStore(key.keyStore(), key.password());
            if (production) {
                SandboxKeys.refuseIn("kelmu.security.gateway-keystore.file", SecurityMaterial.certificates(gatewayKeys));
            }
            signing = new SigningKeyStore(gatewayKeys, key.alias(), key.password());
        }
        return new GatewaySecurity(verifier, signing);
    }

    public MessageSignatureVerifier verifier() {
        return verifier;
    }

    /** The key responses are signed with, or empty when response signing is off. */
    public Optional<SigningKeyStore> responseSigning() {
        return Optional.ofNullable(responseSigning);
    }

    /** Trusted certificates of a PKCS#12 store; production refuses sandbox ones ({@code property} names it). */
    public static List<java.security.cert.X509Certificate> trustedCertificates(Path store, char[] password,
            boolean production, String property) {
        List<java.security.cert.X509Certificate> certificates = SecurityMaterial.certificates(
                SecurityMaterial.keyStore(store, password));
        if (production) {
            SandboxKeys.refuseIn(property, certificates);
        }
        return certificates;
    }
}
