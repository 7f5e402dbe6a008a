package fi.kelmu.gateway.transport;

import fi.kelmu.gateway.config.GatewayConfig;
import fi.kelmu.gateway.security.GatewaySecurity;
import fi.kelmu.gateway.security.SecurityMaterial;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.TrustManagerFactory;
import org.apache.cxf.BusFactory;
import org.apache.cxf.configuration.jsse.TLSServerParameters;
import org.apache.cxf.configuration.security.ClientAuthentication;
import org.apache.cxf.transport.http_jetty.JettyHTTPServerEngineFactory;

/** Optional TLS on the SOAP listener, with optional client-certificate authentication (want or need). */
public final class TlsListener {

    private TlsListener() {
    }

    public static void configure(GatewayConfig config) {
        char[] keyPassword = chars(config.get("kelmu.tls.keystore.password"));
        KeyStore keys = SecurityMaterial.keyStore(Path.of(config.required("kelmu.tls.keystore.file")), keyPassword);
        if (!config.isSandbox()) {
            GatewaySecurity.refuseSandboxCertificates("kelmu.tls.keystore.file", SecurityMaterial.certificates(keys));
        }
        try {
            TLSServerParameters tls = new TLSServerParameters();
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(keys, keyPassword);
            tls.setKeyManagers(kmf.getKeyManagers());
            String clientAuth = config.required("kelmu.tls.client-auth");
            if (!clientAuth.equals("none")) {
                KeyStore trust = SecurityMaterial.keyStore(Path.of(config.required("kelmu.tls.truststore.file")),
                        chars(config.get("kelmu.tls.truststore.password")));
                TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                tmf.init(trust);
                tls.setTrustManagers(tmf.getTrustManagers());
                ClientAuthentication authentication = new ClientAuthentication();
                authentication.setWant(true);
                authentication.setRequired(clientAuth.equals("need"));
                tls.setClientAuthentication(authentication);
            }
            JettyHTTPServerEngineFactory factory = BusFactory.getDefaultBus()
                    .getExtension(JettyHTTPServerEngineFactory.class);
            factory.setTLSServerParametersForPort(config.required("kelmu.http.host"), config.integer("kelmu.http.port"),
                    tls);
        } catch (GeneralSecurityException | java.io.IOException e) {
            throw new IllegalStateException("TLS listener cannot be configured: " + e.getMessage(), e);
        }
    }

    private static char[] chars(String s) {
        return s == null ? new char[0] : s.toCharArray();
    }
}
