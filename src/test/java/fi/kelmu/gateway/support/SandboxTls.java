package fi.kelmu.gateway.support;

import fi.kelmu.gateway.sandbox.PkiBuilder;
import fi.kelmu.gateway.sandbox.SandboxPki;
import fi.kelmu.gateway.security.SecurityMaterial;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import javax.net.ssl.TrustManagerFactory;

/** TLS material of the tests' sandbox PKI: a server certificate for localhost and the trust in its CA. */
public final class SandboxTls {

    /** The alias of the server key in {@link #localhostKeyStore}; its password is the sandbox's. */
    public static final String ALIAS = "tls";

    private SandboxTls() {
    }

    /** A PKCS#12 file under {@code dir} with an RSA key and a certificate for CN=localhost issued by the sandbox CA. */
    public static Path localhostKeyStore(Path dir, String fileName) throws GeneralSecurityException {
        SandboxPki pki = TestGateway.pki();
        KeyStore ca = SecurityMaterial.keyStore(pki.caKeyStore(), SandboxPki.PASSWORD);
        X509Certificate caCert = (X509Certificate) ca.getCertificate(SandboxPki.CA_ALIAS);
        var keys = PkiBuilder.rsa(2048);
        X509Certificate server = PkiBuilder.issue("CN=localhost, OU=KELMU SANDBOX, O=kelmu-gateway, C=FI",
                keys.getPublic(), caCert, (PrivateKey) ca.getKey(SandboxPki.CA_ALIAS, SandboxPki.PASSWORD),
                Instant.now().minusSeconds(60), Instant.now().plus(Duration.ofDays(1)), null, null);
        Path file = dir.resolve(fileName);
        PkiBuilder.writePkcs12(file, ALIAS, keys.getPrivate(), new X509Certificate[] {server, caCert},
                SandboxPki.PASSWORD);
        return file;
    }

    /** Trust managers that trust the sandbox CA. */
    public static TrustManagerFactory trustingTheSandboxCa() throws GeneralSecurityException {
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(SecurityMaterial.keyStore(TestGateway.pki().trustStore(), SandboxPki.PASSWORD));
        return tmf;
    }
}
