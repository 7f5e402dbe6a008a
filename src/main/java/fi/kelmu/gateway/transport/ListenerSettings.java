package fi.kelmu.gateway.transport;

import fi.kelmu.gateway.security.XmlPreScan;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * Settings of the SOAP listener (properties {@code kelmu.http.*}, {@code kelmu.request.*}, {@code kelmu.xml.*},
 * {@code kelmu.tls.*}, docs/configuration.md).
 *
 * @param host            interface to listen on
 * @param port            its port
 * @param maxRequestBytes largest request accepted
 * @param xmlLimits       structure limits of a request
 * @param tls             TLS on the listener, or empty for plain HTTP
 */
public record ListenerSettings(String host, int port, long maxRequestBytes, XmlPreScan.Limits xmlLimits,
        Optional<Tls> tls) {

    /**
     * TLS of the listener: its key store, and client certificates {@code none}, {@code want} (checked when sent)
     * or {@code need} (required), trusted by the trust store.
     */
    public record Tls(Path keyStore, char[] keyStorePassword, String clientAuth, Path trustStore,
            char[] trustStorePassword) {

        /** Never the passwords. */
        @Override
        public String toString() {
            return "Tls[keyStore=" + keyStore + ", clientAuth=" + clientAuth + ", trustStore=" + trustStore + "]";
        }
    }

    /** The listener's base address, e.g. {@code http://0.0.0.0:8080}. */
    public String address() {
        return (tls.isPresent() ? "https" : "http") + "://" + host + ":" + port;
    }

    /** CXF's StAX reader limits, checked while parsing, before any element is kept. */
    public Map<String, Object> cxfXmlLimits() {
        return Map.of(
                "org.apache.cxf.stax.maxElementDepth", xmlLimits.maxDepth(),
                "org.apache.cxf.stax.maxChildElements", xmlLimits.maxChildren(),
                "org.apache.cxf.stax.maxElementCount", (long) xmlLimits.maxElements(),
                "org.apache.cxf.stax.maxAttributeCount", xmlLimits.maxAttributes(),
                "org.apache.cxf.stax.maxAttributeSize", xmlLimits.maxAttributeSize(),
                "org.apache.cxf.stax.maxTextLength", xmlLimits.maxTextLength(),
                "org.apache.cxf.stax.maxXMLCharacters", maxRequestBytes);
    }
}
