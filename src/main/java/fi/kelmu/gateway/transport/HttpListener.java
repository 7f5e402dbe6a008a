package fi.kelmu.gateway.transport;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.List;
import org.apache.cxf.BusFactory;
import org.apache.cxf.transport.http_jetty.JettyHTTPServerEngine;
import org.apache.cxf.transport.http_jetty.JettyHTTPServerEngineFactory;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.server.ConnectionFactory;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.NetworkConnectionLimit;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * The Jetty listener both services are served on (docs/operations.md, "Listener limits"), built by the gateway and
 * given to CXF's Jetty engine for the port before the endpoints start, so that CXF serves its endpoints on it:
 * <ul>
 * <li>a request reaches the endpoints only once its body has arrived whole ({@link WholeRequestDispatch}): a slow
 * upload holds a connection, never a thread, and must arrive within the request-read timeout and at the minimum data
 * rate;</li>
 * <li>an idle connection is closed after the idle timeout;</li>
 * <li>at most {@code kelmu.http.max-connections} connections are open; at the limit Jetty stops accepting and closes
 * idle connections sooner ({@link #IDLE_TIMEOUT_AT_LIMIT_MS});</li>
 * <li>HTTP/1.1 only, no server version sent; TLS, when configured, with want or need client certificates, whose
 * certificates reach CXF as the request's TLS session.</li>
 * </ul>
 * CXF's own connector would take none of these limits; it is given this one through
 * {@link JettyHTTPServerEngine#setConnector}, and takes the server's handler, a collection, to add its contexts to.
 */
public final class HttpListener {

    /** The idle timeout of connections while the connection limit is reached, milliseconds. */
    static final long IDLE_TIMEOUT_AT_LIMIT_MS = 5000;

    private HttpListener() {
    }

    /**
     * Prepares the listener on {@link ListenerSettings#port()}; the endpoints created afterwards on that port are
     * served on it. Production refuses sandbox TLS keys.
     */
    public static void configure(ListenerSettings listener, boolean production) {
        JettyHTTPServerEngineFactory factory = BusFactory.getDefaultBus().getExtension(JettyHTTPServerEngineFactory.class);
        TlsListener tls = listener.tls().map(settings -> TlsListener.of(settings, production)).orElse(null);
        JettyHTTPServerEngine engine;
        try {
            if (tls != null) {
                // CXF knows the port as https by its TLS parameters; the connector below does the TLS
                factory.setTLSServerParametersForPort(listener.host(), listener.port(), tls.cxfParameters());
            }
            engine = factory.createJettyHTTPServerEngine(listener.host(), listener.port(),
                    tls != null ? "https" : "http");
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("the listener on port " + listener.port() + " cannot be configured: "
                    + e.getMessage(), e);
        }
        if (engine.getServer() != null || engine.getConnector() != null) {
            throw new IllegalStateException("port " + listener.port() + " is served already in this JVM");
        }
        engine.setConnector(connector(listener, tls));
    }

    private static ServerConnector connector(ListenerSettings listener, TlsListener tls) {
        ListenerSettings.Limits limits = listener.limits();
        QueuedThreadPool threads = new QueuedThreadPool();
        threads.setName("kelmu-http");
        Server server = new Server(threads);
        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        http.setSendXPoweredBy(false);
        List<ConnectionFactory> factories = new ArrayList<>();
        if (tls != null) {
            // the TLS session and client certificate as request attributes, where CXF's TLSSessionInfo comes from
            http.addCustomizer(new SecureRequestCustomizer(false));
            factories.add(new SslConnectionFactory(tls.sslContextFactory(), HttpVersion.HTTP_1_1.asString()));
        }
        factories.add(new HttpConnectionFactory(http));
        ServerConnector connector = new ServerConnector(server, factories.toArray(new ConnectionFactory[0]));
        connector.setHost(listener.host());
        connector.setPort(listener.port());
        connector.setReuseAddress(true);
        connector.setIdleTimeout(limits.idleTimeout().toMillis());
        server.setHandler(new WholeRequestDispatch(listener.maxRequestBytes(), limits));
        NetworkConnectionLimit limit = new NetworkConnectionLimit(limits.maxConnections(), connector);
        limit.setEndPointIdleTimeout(Math.min(IDLE_TIMEOUT_AT_LIMIT_MS, limits.idleTimeout().toMillis()));
        server.addBean(limit);
        return connector;
    }
}
