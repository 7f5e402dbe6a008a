package fi.kelmu.gateway.bench;

import jakarta.xml.ws.Provider;
import jakarta.xml.ws.Service;
import jakarta.xml.ws.ServiceMode;
import jakarta.xml.ws.WebServiceProvider;
import java.io.FileInputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import javax.security.auth.callback.Callback;
import javax.security.auth.callback.CallbackHandler;
import javax.xml.transform.Source;
import org.apache.cxf.Bus;
import org.apache.cxf.BusFactory;
import org.apache.cxf.endpoint.Server;
import org.apache.cxf.jaxws.JaxWsServerFactoryBean;
import org.apache.cxf.ws.security.wss4j.WSS4JInInterceptor;
import org.apache.cxf.ws.security.wss4j.WSS4JOutInterceptor;
import org.apache.wss4j.common.ConfigurationConstants;
import org.apache.wss4j.common.crypto.Merlin;
import org.apache.wss4j.common.ext.WSPasswordCallback;
import org.apache.wss4j.dom.WSConstants;

/**
 * What an integrator would build instead of the gateway, for the benchmark's comparison; never part of the
 * product. A plain Apache CXF JAX-WS echo endpoint on CXF's Jetty transport (no Camel, no gateway code), in one
 * of two modes:
 * <ul>
 * <li>{@code peer}: CXF's own {@link WSS4JInInterceptor} checks the request's Timestamp and its RSA X.509
 * signature (the sandbox truststore; WSS4J's default replay caches on), and {@link WSS4JOutInterceptor} signs
 * the echoed body and a Timestamp with the gateway's sandbox ECDSA P-256 key, default JDK providers;</li>
 * <li>{@code bare}: the same echo without any security.</li>
 * </ul>
 * Arguments: mode, port, the sandbox PKI folder (peer only). Prints {@code @@ ready URL} once it serves.
 */
public final class PeerEndpoint {

    static final String PATH = "/bench/echo";

    private PeerEndpoint() {
    }

    /** Echoes the SOAP Body's payload. */
    @WebServiceProvider(serviceName = "EchoService", portName = "EchoPort", targetNamespace = "urn:kelmu:bench:echo")
    @ServiceMode(Service.Mode.PAYLOAD)
    public static class Echo implements Provider<Source> {
        @Override
        public Source invoke(Source request) {
            return request;
        }
    }

    public static void main(String[] args) throws Exception {
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        String mode = args[0];
        int port = Integer.parseInt(args[1]);
        String address = "http://127.0.0.1:" + port + PATH;
        Bus bus = BusFactory.newInstance().createBus();
        JaxWsServerFactoryBean factory = new JaxWsServerFactoryBean();
        factory.setBus(bus);
        factory.setServiceClass(Echo.class);
        factory.setServiceBean(new Echo());
        factory.setAddress(address);
        if ("peer".equals(mode)) {
            Path pki = Path.of(args[2]);
            factory.getInInterceptors().add(new WSS4JInInterceptor(inProperties(pki)));
            factory.getOutInterceptors().add(new WSS4JOutInterceptor(outProperties(pki)));
        } else if (!"bare".equals(mode)) {
            throw new IllegalArgumentException("mode peer or bare, not " + mode);
        }
        Server server = factory.create();
        out.println("@@ ready " + address);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.stop();
            bus.shutdown(false);
        }));
        new CountDownLatch(1).await();
    }

    /** Timestamp and X.509 signature required; trust anchors from the sandbox truststore. */
    static Map<String, Object> inProperties(Path pki) throws Exception {
        Merlin trust = new Merlin();
        trust.setTrustStore(load(pki.resolve("truststore.p12")));
        Map<String, Object> props = new HashMap<>();
        props.put(ConfigurationConstants.ACTION, ConfigurationConstants.TIMESTAMP + " "
                + ConfigurationConstants.SIGNATURE);
        props.put(ConfigurationConstants.SIG_VER_PROP_REF_ID, "peerTrust");
        props.put("peerTrust", trust);
        props.put(ConfigurationConstants.TTL_TIMESTAMP, "300");
        // any subject the sandbox CA issued: without a constraint WSS4J logs a warning for every request, which
        // would put a logging cost on the peer that an integrator configuring it would not have
        props.put(ConfigurationConstants.SIG_SUBJECT_CERT_CONSTRAINTS, ".*");
        return props;
    }

    /** Timestamp and an ECDSA P-256 signature over it and the Body, the key by direct reference. */
    static Map<String, Object> outProperties(Path pki) throws Exception {
        Merlin keys = new Merlin();
        keys.setKeyStore(load(pki.resolve("gateway.p12")));
        Map<String, Object> props = new HashMap<>();
        props.put(ConfigurationConstants.ACTION, ConfigurationConstants.TIMESTAMP + " "
                + ConfigurationConstants.SIGNATURE);
        props.put(ConfigurationConstants.USER, "gateway");
        props.put(ConfigurationConstants.SIG_PROP_REF_ID, "peerKeys");
        props.put("peerKeys", keys);
        props.put(ConfigurationConstants.PW_CALLBACK_REF, (CallbackHandler) PeerEndpoint::password);
        props.put(ConfigurationConstants.SIG_ALGO, WSConstants.ECDSA_SHA256);
        props.put(ConfigurationConstants.SIG_DIGEST_ALGO, WSConstants.SHA256);
        props.put(ConfigurationConstants.SIG_C14N_ALGO, WSConstants.C14N_EXCL_OMIT_COMMENTS);
        props.put(ConfigurationConstants.SIG_KEY_ID, "DirectReference");
        props.put(ConfigurationConstants.SIGNATURE_PARTS, "{Element}{" + WSConstants.WSU_NS + "}Timestamp;"
                + "{Element}{http://schemas.xmlsoap.org/soap/envelope/}Body");
        props.put(ConfigurationConstants.TTL_TIMESTAMP, "300");
        return props;
    }

    private static void password(Callback[] callbacks) {
        for (Callback callback : callbacks) {
            if (callback instanceof WSPasswordCallback pc) {
                pc.setPassword("sandbox");
            }
        }
    }

    private static KeyStore load(Path file) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = new FileInputStream(file.toFile())) {
            store.load(in, "sandbox".toCharArray());
        }
        return store;
    }
}
