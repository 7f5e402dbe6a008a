package fi.kelmu.gateway.transport;

import fi.kelmu.gateway.security.GatewaySecurity;
import fi.kelmu.gateway.security.SecurityMaterial;
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

    /** Configures TLS for the listener's host and port; production refuses sandbox keys. */
    public static void configure(ListenerSettings listener, ListenerSettings.Tls settings, boolean production) {
        KeyStore keys = GatewaySecurity.keyStore(settings.keyStore(), settings.keyStorePassword(), production,
                "kelmu.tls.keystore.file");
        try {
            TLSServerParameters tls = new TLSServerParameters();
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(keys, settings.keyStorePassword());
            tls.setKeyManagers(kmf.getKeyManagers());
            if (!settings.clientAuth().equals("none")) {
                KeyStore trust = SecurityMaterial.keyStore(settings.trustStore(), settings.trustStorePassword());
                TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                tmf.init(trust);
                tls.setTrustManagers(tmf.getTrustManagers());
                ClientAuthentication authentication = new ClientAuthentication();
                authentication.setWant(true);
                authentication.setRequired(settings.clientAuth().equals("need"));
                tls.setClientAuthentication(authentication);
            }
            JettyHTTPServerEngineFactory factory = BusFactory.getDefaultBus()
                    .getExtension(JettyHTTPServerEngineFactory.class);
            factory.setTLSServerParametersForPort(listener.host(), listener.port(), tls);
        } catch (GeneralSecurityException | java.io.IOException e) {
            throw new IllegalStateException("TLS listener cannot be configured: " + e.getMessage(), e);
        }
    }
}
