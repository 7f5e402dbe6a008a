package fi.kelmu.gateway.xroad;

import java.util.List;
import javax.xml.namespace.QName;
import org.w3c.dom.Element;

/**
 * The validated X-Road 4.0 headers of one request, and every request header to echo into the response
 * in the order received.
 */
public record XRoadHeaders(XRoadIdentifier client, XRoadIdentifier service, String id, String userId,
        String issue, String protocolVersion, List<Element> headersToEcho) {

    public static final String NS = "http://x-road.eu/xsd/xroad.xsd";
    public static final String ID_NS = "http://x-road.eu/xsd/identifiers";
    public static final String PROTOCOL_VERSION = "4.0";
    /** The X-Road headers of a request, each required once and covered by the request signature. */
    public static final List<QName> REQUEST_HEADERS = List.of("client", "service", "id", "userId", "issue",
            "protocolVersion").stream().map(h -> new QName(NS, h)).toList();
    /** The response header that carries the hash of the request (X-Road message protocol 4.0). */
    public static final QName REQUEST_HASH = new QName(NS, "requestHash");
    /** userId is this prefix followed by the user's henkilötunnus. */
    public static final String USER_ID_PREFIX = "FI";

    /** The acting user's henkilötunnus: {@code userId} without its {@code FI} prefix. */
    public String userHetu() {
        return hetuOf(userId);
    }

    /** The henkilötunnus of a userId ({@code FI} + henkilötunnus); a bare henkilötunnus is returned as is. */
    public static String hetuOf(String userId) {
        return userId.startsWith(USER_ID_PREFIX) ? userId.substring(USER_ID_PREFIX.length()) : userId;
    }
}
