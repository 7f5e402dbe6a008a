package fi.kelmu.gateway.xroad;

import fi.kelmu.gateway.fault.FaultCode;
import fi.kelmu.gateway.fault.GatewayException;
import fi.kelmu.gateway.identifier.BusinessId;
import fi.kelmu.gateway.identifier.PersonalIdentityCode;
import fi.kelmu.gateway.security.VerifiedMessage;
import fi.kelmu.gateway.xml.Dom;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import javax.xml.namespace.QName;
import org.w3c.dom.Element;

/**
 * Reads the X-Road 4.0 headers of a request once, from the verified message and from nothing else, in two
 * stages. {@link #read} right after the signature is verified: the required headers
 * ({@link XRoadHeaders#REQUIRED_HEADERS}) present exactly once, the optional ones
 * ({@link XRoadHeaders#OPTIONAL_HEADERS}) at most once, no other X-Road header, and each one present covered by the
 * signature. {@link #validate} once the body's operation is known: the values, which X-Road's schemas leave as
 * strings (docs/contract.md, "X-Road headers"): protocol version 4.0; identifiers of the object type their header
 * needs, with the parts that object type has and only X-Road identifier characters; a SUBSYSTEM client, or a MEMBER
 * one when {@link MemberClients#ACCEPTED}; a valid Y-tunnus as the client's member code and a valid henkilötunnus as
 * the user; a well-formed id and issue; a securityServer of this gateway's X-Road instance; and a service header
 * that addresses this gateway and names the operation in the body. A missing or inconsistent header gets a fault,
 * never a guess.
 */
public final class XRoadHeaderReader {

    /** The characters X-Road identifiers may use (PR-MESS 2.7). */
    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z0-9'()+,\\-.=?]+");
    private static final String IDENTIFIER_CHARACTERS = "A-Z a-z 0-9 ' ( ) + , - . = ?";
    private static final int MAX_IDENTIFIER_PART = 255;
    /** The longest X-Road message id accepted: the access log records it (its xroad_id column holds as many). */
    public static final int MAX_ID = 255;
    private static final int MAX_ISSUE = 1024;
    private static final int MAX_LOGGED_VALUE = 64;
    private static final Pattern WHITE_SPACE = Pattern.compile("\\s");

    private final ServiceIdentity serviceIdentity;
    private final MemberClients memberClients;

    public XRoadHeaderReader(ServiceIdentity serviceIdentity, MemberClients memberClients) {
        this.serviceIdentity = serviceIdentity;
        this.memberClients = memberClients;
    }

    /** The request's X-Road headers, each signed; the values are not yet checked ({@link #validate}). */
    public XRoadHeaders read(VerifiedMessage message) {
        Map<QName, Element> xroad = new HashMap<>();
        List<Element> echo = new ArrayList<>();
        for (Element element : message.headerElements()) {
            QName name = Dom.name(element);
            if (XRoadHeaders.NS.equals(name.getNamespaceURI())) {
                if (!XRoadHeaders.REQUEST_HEADERS.contains(name)) {
                    throw new GatewayException(FaultCode.INVALID_HEADER,
                            "Header '" + name.getLocalPart() + "' is not allowed in a request.",
                            "unexpected X-Road header " + name);
                }
                if (xroad.put(name, element) != null) {
                    throw new GatewayException(FaultCode.INCONSISTENT_HEADERS,
                            "Header '" + name.getLocalPart() + "' appears more than once.",
                            "duplicate X-Road header " + name);
                }
            }
            if (!Dom.WSSE_NS.equals(name.getNamespaceURI())) {
                echo.add(element);
            }
        }
        for (QName name : XRoadHeaders.REQUEST_HEADERS) {
            Element element = xroad.get(name);
            if (element == null) {
                if (XRoadHeaders.REQUIRED_HEADERS.contains(name)) {
                    throw new GatewayException(FaultCode.MISSING_HEADER, "Missing header: '" + name.getLocalPart() + "'.",
                            "X-Road header " + name.getLocalPart() + " missing");
                }
                continue;
            }
            // business logic reads only what the signature verified, element by element, optional headers too
            message.requireCovered(element, "X-Road header " + name.getLocalPart());
        }
        Element securityServer = xroad.get(XRoadHeaders.SECURITY_SERVER);
        Element issue = xroad.get(XRoadHeaders.ISSUE);
        return new XRoadHeaders(identifier(xroad.get(XRoadHeaders.CLIENT)), identifier(xroad.get(XRoadHeaders.SERVICE)),
                securityServer == null ? null : server(securityServer), text(xroad.get(XRoadHeaders.ID)),
                text(xroad.get(XRoadHeaders.USER_ID)), issue == null ? null : text(issue),
                text(xroad.get(XRoadHeaders.PROTOCOL_VERSION_HEADER)), List.copyOf(echo));
    }

    /** Checks the values of headers {@link #read} returned, against the body's {@code operation}. */
    public void validate(XRoadHeaders headers, String operation) {
        if (!XRoadHeaders.PROTOCOL_VERSION.equals(headers.protocolVersion())) {
            throw new GatewayException(FaultCode.INVALID_PROTOCOL_VERSION, null,
                    "protocolVersion '" + shown(headers.protocolVersion()) + "'");
        }
        checkClient(headers.client());
        checkService(headers.service());
        if (headers.securityServer() != null) {
            checkSecurityServer(headers.securityServer());
        }
        checkId(headers.id());
        if (headers.issue() != null) {
            checkIssue(headers.issue());
        }
        XRoadIdentifier client = headers.client();
        if (!BusinessId.isValid(client.memberCode())) {
            throw new GatewayException(FaultCode.INVALID_BUSINESS_ID, "The client memberCode is not a valid Y-tunnus.",
                    "client memberCode '" + client.memberCode() + "' fails the Y-tunnus check");
        }
        String userId = headers.userId();
        if (!userId.startsWith(XRoadHeaders.USER_ID_PREFIX) || !PersonalIdentityCode.isValid(XRoadHeaders.hetuOf(userId))) {
            throw new GatewayException(FaultCode.INVALID_PERSONAL_IDENTITY_CODE,
                    "The userId must be FI followed by a valid henkilötunnus.", "userId fails the henkilötunnus check");
        }
        checkServiceAddressed(headers.service(), operation);
    }

    /** A MEMBER or SUBSYSTEM with the parts of its object type; a MEMBER only when member clients are accepted. */
    private void checkClient(XRoadIdentifier client) {
        String type = client.objectType();
        if (!"MEMBER".equals(type) && !"SUBSYSTEM".equals(type)) {
            throw new GatewayException(FaultCode.INVALID_HEADER, "The client header must be a MEMBER or SUBSYSTEM.",
                    "client objectType " + shown(type));
        }
        part("client", "xRoadInstance", client.xRoadInstance());
        part("client", "memberClass", client.memberClass());
        part("client", "memberCode", client.memberCode());
        if ("SUBSYSTEM".equals(type)) {
            if (client.subsystemCode() == null) {
                throw new GatewayException(FaultCode.INVALID_HEADER,
                        "A client of objectType SUBSYSTEM must name its subsystemCode.",
                        "client objectType SUBSYSTEM without subsystemCode: " + client);
            }
            part("client", "subsystemCode", client.subsystemCode());
        } else {
            if (client.subsystemCode() != null) {
                throw new GatewayException(FaultCode.INVALID_HEADER,
                        "A client with a subsystemCode must be of objectType SUBSYSTEM, not MEMBER.",
                        "client objectType MEMBER with subsystemCode '" + shown(client.subsystemCode()) + "'");
            }
            if (memberClients == MemberClients.REFUSED) {
                throw new GatewayException(FaultCode.INVALID_HEADER,
                        "This service is called by X-Road subsystems: send a client of objectType SUBSYSTEM with the"
                                + " subsystemCode of your information system.",
                        "client " + client + " is a member, and member clients are not accepted");
            }
        }
    }

    private static void checkService(XRoadIdentifier service) {
        if (!"SERVICE".equals(service.objectType())) {
            throw new GatewayException(FaultCode.INVALID_HEADER, "The service header must be of objectType SERVICE.",
                    "service objectType " + shown(service.objectType()));
        }
        part("service", "xRoadInstance", service.xRoadInstance());
        part("service", "memberClass", service.memberClass());
        part("service", "memberCode", service.memberCode());
        if (service.subsystemCode() != null) {
            part("service", "subsystemCode", service.subsystemCode());
        }
        part("service", "serviceCode", service.serviceCode());
        if (service.serviceVersion() != null) {
            part("service", "serviceVersion", service.serviceVersion());
        }
    }

    /**
     * A well-formed SERVER of this gateway's X-Road instance. Which member owns the security server, and its
     * server code, are the security servers' business (a provider may be served by another member's servers):
     * the header is otherwise taken as the signed routing information it is, and echoed.
     */
    private void checkSecurityServer(SecurityServerIdentifier server) {
        part("securityServer", "xRoadInstance", server.xRoadInstance());
        part("securityServer", "memberClass", server.memberClass());
        part("securityServer", "memberCode", server.memberCode());
        part("securityServer", "serverCode", server.serverCode());
        if (!serviceIdentity.xRoadInstance().equals(server.xRoadInstance())) {
            throw new GatewayException(FaultCode.INCONSISTENT_HEADERS,
                    "The securityServer header names a security server of another X-Road instance; this service is"
                            + " in instance " + serviceIdentity.xRoadInstance() + ".",
                    "securityServer " + server + " is not of this gateway's X-Road instance "
                            + serviceIdentity.xRoadInstance());
        }
    }

    private static void checkId(String id) {
        if (id.isEmpty() || id.length() > MAX_ID || WHITE_SPACE.matcher(id).find()) {
            throw new GatewayException(FaultCode.INVALID_HEADER,
                    "The id must be 1 to " + MAX_ID + " characters without white space (a UUID is recommended).",
                    "id of " + id.length() + " characters" + (WHITE_SPACE.matcher(id).find() ? " with white space" : "")
                            + ": '" + shown(id) + "'");
        }
    }

    private static void checkIssue(String issue) {
        if (issue.isEmpty() || issue.length() > MAX_ISSUE) {
            throw new GatewayException(FaultCode.INVALID_HEADER,
                    "The issue, when sent, must be 1 to " + MAX_ISSUE + " characters.",
                    "issue of " + issue.length() + " characters");
        }
    }

    /** One part of an identifier header: present, and 1 to 255 X-Road identifier characters. */
    private static void part(String header, String part, String value) {
        if (value == null) {
            throw new GatewayException(FaultCode.INVALID_HEADER, "The " + header + " header lacks its " + part + ".",
                    header + " " + part + " missing");
        }
        if (value.length() > MAX_IDENTIFIER_PART || !IDENTIFIER.matcher(value).matches()) {
            throw new GatewayException(FaultCode.INVALID_HEADER,
                    "The " + header + " " + part + " must be 1 to " + MAX_IDENTIFIER_PART
                            + " of the X-Road identifier characters " + IDENTIFIER_CHARACTERS + ".",
                    header + " " + part + " '" + shown(value) + "' is not an X-Road identifier (" + value.length()
                            + " characters)");
        }
    }

    private void checkServiceAddressed(XRoadIdentifier service, String operation) {
        if (!serviceIdentity.addresses(service)) {
            throw new GatewayException(FaultCode.INCONSISTENT_HEADERS, "The service header does not address this service.",
                    "service header " + service + " is not this gateway");
        }
        String version = serviceIdentity.serviceVersion();
        if (service.serviceVersion() == null && serviceIdentity.serviceVersionRequired()) {
            throw new GatewayException(FaultCode.INVALID_HEADER,
                    "The service header must name its serviceVersion; this service is version " + version + ".",
                    "service header without serviceVersion");
        }
        if (service.serviceVersion() != null && version != null && !version.equals(service.serviceVersion())) {
            throw new GatewayException(FaultCode.INCONSISTENT_HEADERS,
                    "Unknown serviceVersion; this service is version " + version + ".",
                    "serviceVersion " + service.serviceVersion());
        }
        if (operation == null || !operation.equals(service.serviceCode())) {
            throw new GatewayException(FaultCode.INCONSISTENT_HEADERS,
                    "The serviceCode does not match the operation in the body.",
                    "serviceCode " + service.serviceCode() + " but body operation " + operation);
        }
    }

    /** A value for the log, cut short: a header may be long, and the log is not the place for all of it. */
    private static String shown(String value) {
        if (value == null) {
            return "(none)";
        }
        return value.length() <= MAX_LOGGED_VALUE ? value : value.substring(0, MAX_LOGGED_VALUE) + "...";
    }

    private static XRoadIdentifier identifier(Element element) {
        return new XRoadIdentifier(objectType(element), child(element, "xRoadInstance"), child(element, "memberClass"),
                child(element, "memberCode"), child(element, "subsystemCode"), child(element, "serviceCode"),
                child(element, "serviceVersion"));
    }

    /**
     * The securityServer header. Its object type, SERVER, is fixed by the schema and refused otherwise here, at
     * once: the record has no place for another.
     */
    private static SecurityServerIdentifier server(Element element) {
        if (!"SERVER".equals(objectType(element))) {
            throw new GatewayException(FaultCode.INVALID_HEADER, "The securityServer header must be of objectType SERVER.",
                    "securityServer objectType " + shown(objectType(element)));
        }
        return new SecurityServerIdentifier(child(element, "xRoadInstance"), child(element, "memberClass"),
                child(element, "memberCode"), child(element, "serverCode"));
    }

    /** The objectType attribute, or null when there is none. */
    private static String objectType(Element element) {
        return element.hasAttributeNS(XRoadHeaders.ID_NS, "objectType")
                ? element.getAttributeNS(XRoadHeaders.ID_NS, "objectType") : null;
    }

    private static String child(Element parent, String localName) {
        return Dom.childText(parent, XRoadHeaders.ID_NS, localName);
    }

    private static String text(Element element) {
        return element.getTextContent().strip();
    }
}
