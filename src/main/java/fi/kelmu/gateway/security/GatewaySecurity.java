package fi.kelmu.gateway.security;

import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.KeyStoreException;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.List;
import java.util.Set;
import javax.xml.namespace.QName;
import org.apache.wss4j.common.crypto.Merlin;

/**
 * Message security built from its settings: the request signature verifier with its trust store, CRLs and
 * timestamp window, and the keys responses are signed with. Production refuses to start with any sandbox
 * certificate in its trust material or as a signing key.
 */
public final class GatewaySecurity {

    /** The gateway's own signing key, loaded: its store, alias and password. */
    public record SigningKeyStore(KeyStore keyStore, String alias, char[] password) {

        /** The private key under the alias. */
        public PrivateKey privateKey() {
            try {
                if (keyStore.getKey(alias, password) instanceof PrivateKey key) {
                    return key;
                }
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("the key " + alias + " cannot be read: " + e.getMessage(), e);
            }
            throw new IllegalStateException("no private key under alias " + alias);
        }

        /** The certificate of the key under the alias. */
        public X509Certificate certificate() {
            try {
                if (keyStore.getCertificate(alias) instanceof X509Certificate certificate) {
                    return certificate;
                }
            } catch (KeyStoreException e) {
                throw new IllegalStateException("key store unreadable", e);
            }
            throw new IllegalStateException("no certificate under alias " + alias);
        }
    }

    private final MessageSignatureVerifier verifier;
    private final List<SigningKeyStore> responseKeys;

    private GatewaySecurity(MessageSignatureVerifier verifier, List<SigningKeyStore> responseKeys) {
        this.verifier = verifier;
        this.responseKeys = List.copyOf(responseKeys);
    }

    /**
     * @param requiredHeaders header elements a request signature must cover when present
     * @param optionalHeaders header elements it may also cover
     */
    public static GatewaySecurity configure(SecuritySettings settings, boolean production, List<QName> requiredHeaders,
            Set<QName> optionalHeaders, Clock clock) {
        KeyStore trustStore = keyStore(settings.trustStore(), settings.trustStorePassword(), production,
                "kelmu.security.truststore.file");
        CrlSource crls = new CrlSource(settings.crlFiles(), settings.crlRefresh(), clock);
        CertificateTrust trust = new CertificateTrust(trustStore, crls::current, settings.revocationCheck(),
                settings.trustCache(), clock);
        Merlin tokenCrypto = new Merlin();
        tokenCrypto.setTrustStore(trustStore);
        MessageSignatureVerifier verifier = new MessageSignatureVerifier(tokenCrypto, trust,
                settings.timestampTtlSeconds(), settings.clockSkewSeconds(), requiredHeaders, optionalHeaders);

        List<SigningKeyStore> keys = new java.util.ArrayList<>();
        settings.responseSigning().ifPresent(key -> keys.add(load(key, production, "kelmu.security.gateway-keystore.file")));
        if (!keys.isEmpty()) {
            settings.secondResponseSigning().ifPresent(key -> keys.add(load(key, production,
                    "kelmu.security.gateway-second-keystore.file")));
        }
        return new GatewaySecurity(verifier, keys);
    }

    /**
     * One of the gateway's own keys, loaded; production refuses a sandbox key ({@code property} names the store).
     * Response signing and the access log's checkpoints are signed with these.
     */
    public static SigningKeyStore load(SecuritySettings.SigningKey key, boolean production, String property) {
        return new SigningKeyStore(keyStore(key.keyStore(), key.password(), production, property), key.alias(),
                key.password());
    }

    /** A PKCS#12 store of trust or key material; production refuses one holding sandbox keys ({@code property}). */
    public static KeyStore keyStore(Path file, char[] password, boolean production, String property) {
        KeyStore store = SecurityMaterial.keyStore(file, password);
        if (production) {
            SandboxKeys.refuseIn(property, SecurityMaterial.certificates(store));
        }
        return store;
    }

    public MessageSignatureVerifier verifier() {
        return verifier;
    }

    /** The keys responses are signed with, the default first; none when response signing is off. */
    public List<SigningKeyStore> responseKeys() {
        return responseKeys;
    }

    /** Trusted certificates of a PKCS#12 store; production refuses sandbox ones ({@code property} names it). */
    public static List<X509Certificate> trustedCertificates(Path store, char[] password,
            boolean production, String property) {
        return SecurityMaterial.certificates(keyStore(store, password, production, property));
    }
}
