package fi.kelmu.gateway.transport;

import fi.kelmu.gateway.security.XmlPreScan;
import java.nio.file.Path;
import java.time.Duration;
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
 * @param publicUrl       the base URL callers reach the listener at (scheme, host, port, optional path, no trailing
 *                        slash): the address the served WSDLs give, never taken from a request's Host header
 * @param limits          what a connection may cost the listener
 */
public record ListenerSettings(String host, int port, long maxRequestBytes, XmlPreScan.Limits xmlLimits,
        Optional<Tls> tls, String publicUrl, Limits limits) {

    public ListenerSettings {
        publicUrl = checkedPublicUrl(publicUrl);
        java.util.Objects.requireNonNull(limits, "limits");
    }

    /**
     * Limits against slow and abusive connections (docs/operations.md, "Listener limits").
     *
     * @param idleTimeout          a connection that sends and receives nothing this long is closed
     * @param requestReadTimeout   a request's body must have arrived whole this long after its headers
     * @param minRequestDataRate   bytes per second a request's body must arrive at, on average from its headers on
     *                             (checked from the first second); 0 checks no rate
     * @param maxConnections       most connections open at once; beyond it new ones wait to be accepted
     * @param maxBufferedBytes     most bytes of request bodies held, across all requests, while they arrive
     */
    public record Limits(Duration idleTimeout, Duration requestReadTimeout, long minRequestDataRate,
            int maxConnections, long maxBufferedBytes) {

        public Limits {
            if (idleTimeout.isNegative() || idleTimeout.isZero() || requestReadTimeout.isNegative()
                    || requestReadTimeout.isZero()) {
                throw new IllegalStateException("kelmu.http.idle-timeout-ms and kelmu.http.request-read-timeout-ms"
                        + " must be positive");
            }
            if (minRequestDataRate < 0) {
                throw new IllegalStateException("kelmu.http.min-request-data-rate must be 0 or more: "
                        + minRequestDataRate);
            }
            if (maxConnections < 1 || maxBufferedBytes < 1) {
                throw new IllegalStateException("kelmu.http.max-connections and kelmu.http.max-buffered-bytes must"
                        + " be positive");
            }
        }
    }

    /**
     * The public URL when one is configured, else the listener's own address, with {@code localhost} for a listener
     * on every interface.
     */
    public static String publicUrl(String configured, String host, int port, boolean tls) {
        if (configured != null && !configured.isBlank()) {
            return configured.strip();
        }
        String shown = host.equals("0.0.0.0") || host.equals("::") || host.equals("[::]") ? "localhost" : host;
        if (shown.contains(":") && !shown.startsWith("[")) {
            shown = "[" + shown + "]";
        }
        return (tls ? "https" : "http") + "://" + shown + ":" + port;
    }

    private static String checkedPublicUrl(String url) {
        java.net.URI uri;
        try {
            uri = new java.net.URI(url);
        } catch (java.net.URISyntaxException | NullPointerException e) {
            throw new IllegalStateException("kelmu.http.public-url is not a URL: " + url);
        }
        if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null
                || uri.getRawQuery() != null || uri.getRawFragment() != null || uri.getRawUserInfo() != null) {
            throw new IllegalStateException("kelmu.http.public-url must be an http or https URL with a host and no"
                    + " query, fragment or user: " + url);
        }
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

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
