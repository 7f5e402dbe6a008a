package fi.kelmu.gateway.xroad;

import java.util.List;
import javax.xml.namespace.QName;
import org.w3c.dom.Element;

/**
 * The validated X-Road 4.0 headers of one request, and every request header to echo into the response
 * in the order received.
 *
 * @param securityServer the {@code securityServer} header (PR-TARGETSS), or null when the request has none
 * @param issue          the {@code issue} header, or null when the request has none
 */
public record XRoadHeaders(XRoadIdentifier client, XRoadIdentifier service, SecurityServerIdentifier securityServer,
        String id, String userId, String issue, String protocolVersion, List<Element> headersToEcho) {

    public static final String NS = "http://x-road.eu/xsd/xroad.xsd";
    public static final String ID_NS = "http://x-road.eu/xsd/identifiers";
    public static final String PROTOCOL_VERSION = "4.0";

    public static final QName CLIENT = header("client");
    public static final QName SERVICE = header("service");
    public static final QName SECURITY_SERVER = header("securityServer");
    public static final QName ID = header("id");
    public static final QName USER_ID = header("userId");
    public static final QName ISSUE = header("issue");
    public static final QName PROTOCOL_VERSION_HEADER = header("protocolVersion");

    /**
     * The X-Road headers every request must carry, each exactly once and covered by the request signature.
     * X-Road makes {@code userId} optional; this service requires it: the end user's mandate is checked.
     */
    public static final List<QName> REQUIRED_HEADERS = List.of(CLIENT, SERVICE, ID, USER_ID, PROTOCOL_VERSION_HEADER);
    /**
     * The X-Road headers a request may carry (X-Road: optional): at most once each and, when present, covered by
     * the request signature and echoed like the others.
     */
    public static final List<QName> OPTIONAL_HEADERS = List.of(SECURITY_SERVER, ISSUE);
    /**
     * Every X-Road header a request may carry, in the protocol's order: the required and the optional ones. A
     * request signature must cover each that is present, so signers sign these and the verifier requires them.
     */
    public static final List<QName> REQUEST_HEADERS = List.of(CLIENT, SERVICE, SECURITY_SERVER, ID, USER_ID, ISSUE,
            PROTOCOL_VERSION_HEADER);
    /** The response header that carries the hash of the request (X-Road message protocol 4.0). */
    public static final QName REQUEST_HASH = header("requestHash");
    /** userId is this prefix followed by the user's henkilötunnus. */
    public static final String USER_ID_PREFIX = "FI";

    /** Headers without a {@code securityServer} header. */
    public XRoadHeaders(XRoadIdentifier client, XRoadIdentifier service, String id, String userId, String issue,
            String protocolVersion, List<Element> headersToEcho) {
        this(client, service, null, id, userId, issue, protocolVersion, headersToEcho);
    }

    /** The acting user's henkilötunnus: {@code userId} without its {@code FI} prefix. */
    public String userHetu() {
        return hetuOf(userId);
    }

    /** The henkilötunnus of a userId ({@code FI} + henkilötunnus); a bare henkilötunnus is returned as is. */
    public static String hetuOf(String userId) {
        return userId.startsWith(USER_ID_PREFIX) ? userId.substring(USER_ID_PREFIX.length()) : userId;
    }

    private static QName header(String localPart) {
        return new QName(NS, localPart);
    }
}
