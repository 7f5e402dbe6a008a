package fi.kelmu.gateway.transport;

import fi.kelmu.gateway.security.GatewaySecurity;
import fi.kelmu.gateway.security.SecurityMaterial;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.apache.cxf.configuration.jsse.TLSServerParameters;
import org.apache.cxf.configuration.security.ClientAuthentication;
import org.eclipse.jetty.util.ssl.SslContextFactory;

/**
 * Optional TLS on the SOAP listener, with optional client-certificate authentication (want or need): the key and
 * trust material, read once, for the listener's TLS ({@link HttpListener}) and for CXF, which knows the port as
 * https by it.
 *
 * @param context    the listener's TLS context: its key and, with client certificates, the trust store
 * @param clientAuth {@code none}, {@code want} or {@code need}
 */
record TlsListener(SSLContext context, String clientAuth, TLSServerParameters cxfParameters) {

    /** Reads the key store (and the trust store, with client certificates); production refuses sandbox keys. */
    static TlsListener of(ListenerSettings.Tls settings, boolean production) {
        KeyStore keys = GatewaySecurity.keyStore(settings.keyStore(), settings.keyStorePassword(), production,
                "kelmu.tls.keystore.file");
        try {
            TLSServerParameters tls = new TLSServerParameters();
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(keys, settings.keyStorePassword());
            tls.setKeyManagers(kmf.getKeyManagers());
            TrustManagerFactory tmf = null;
            if (!settings.clientAuth().equals("none")) {
                KeyStore trust = SecurityMaterial.keyStore(settings.trustStore(), settings.trustStorePassword());
                tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                tmf.init(trust);
                tls.setTrustManagers(tmf.getTrustManagers());
                ClientAuthentication authentication = new ClientAuthentication();
                authentication.setWant(true);
                authentication.setRequired(settings.clientAuth().equals("need"));
                tls.setClientAuthentication(authentication);
            }
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(kmf.getKeyManagers(), tmf == null ? null : tmf.getTrustManagers(), null);
            return new TlsListener(context, settings.clientAuth(), tls);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("TLS listener cannot be configured: " + e.getMessage(), e);
        }
    }

    /** Jetty's TLS for the listener's connector. */
    SslContextFactory.Server sslContextFactory() {
        SslContextFactory.Server ssl = new SslContextFactory.Server();
        ssl.setSslContext(context);
        ssl.setWantClientAuth(!clientAuth.equals("none"));
        ssl.setNeedClientAuth(clientAuth.equals("need"));
        return ssl;
    }
}
