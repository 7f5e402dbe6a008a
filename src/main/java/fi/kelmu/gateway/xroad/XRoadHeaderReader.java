package fi.kelmu.gateway.xroad;

import fi.kelmu.gateway.fault.FaultCode;
import fi.kelmu.gateway.fault.GatewayException;
import fi.kelmu.gateway.identifier.BusinessId;
import fi.kelmu.gateway.identifier.PersonalIdentityCode;
import fi.kelmu.gateway.security.VerifiedMessage;
import fi.kelmu.gateway.xml.Dom;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.xml.namespace.QName;
import org.w3c.dom.Element;

/**
 * Reads the X-Road 4.0 headers of a request once, from the verified message and from nothing else, in two
 * stages. {@link #read} right after the signature is verified: all six present exactly once, no other X-Road
 * header, each covered by the signature. {@link #validate} once the body's operation is known: protocol
 * version 4.0, a valid Y-tunnus as the client's member code, a valid henkilötunnus as the user, and a service
 * header that addresses this gateway and names the operation in the body. A missing or inconsistent header
 * gets a fault, never a guess.
 */
public final class XRoadHeaderReader {

    private final ServiceIdentity serviceIdentity;

    public XRoadHeaderReader(ServiceIdentity serviceIdentity) {
        this.serviceIdentity = serviceIdentity;
    }

    /** The request's X-Road headers, each signed; the values are not yet checked ({@link #validate}). */
    public XRoadHeaders read(VerifiedMessage message) {
        Map<String, Element> xroad = new LinkedHashMap<>();
        List<Element> echo = new ArrayList<>();
        for (Element element : message.headerElements()) {
            QName name = Dom.name(element);
            if (XRoadHeaders.NS.equals(name.getNamespaceURI())) {
                if (!XRoadHeaders.REQUEST_HEADERS.contains(name)) {
                    throw new GatewayException(FaultCode.INVALID_HEADER,
                            "Header '" + name.getLocalPart() + "' is not allowed in a request.",
                            "unexpected X-Road header " + name);
                }
                if (xroad.put(name.getLocalPart(), element) != null) {
                    throw new GatewayException(FaultCode.INCONSISTENT_HEADERS,
                            "Header '" + name.getLocalPart() + "' appears more than once.",
                            "duplicate X-Road header " + name);
                }
            }
            if (!Dom.WSSE_NS.equals(name.getNamespaceURI())) {
                echo.add(element);
            }
        }
        for (QName required : XRoadHeaders.REQUEST_HEADERS) {
            Element element = xroad.get(required.getLocalPart());
            if (element == null) {
                throw new GatewayException(FaultCode.MISSING_HEADER, "Missing header: '" + required.getLocalPart() + "'.",
                        "X-Road header " + required.getLocalPart() + " missing");
            }
            // business logic reads only what the signature verified, element by element
            message.requireCovered(element, "X-Road header " + required.getLocalPart());
        }
        return new XRoadHeaders(identifier(xroad.get("client")), identifier(xroad.get("service")),
                text(xroad.get("id")), text(xroad.get("userId")), text(xroad.get("issue")),
                text(xroad.get("protocolVersion")), List.copyOf(echo));
    }

    /** Checks the values of headers {@link #read} returned, against the body's {@code operation}. */
    public void validate(XRoadHeaders headers, String operation) {
        if (!XRoadHeaders.PROTOCOL_VERSION.equals(headers.protocolVersion())) {
            throw new GatewayException(FaultCode.INVALID_PROTOCOL_VERSION, null,
                    "protocolVersion '" + headers.protocolVersion() + "'");
        }
        XRoadIdentifier client = headers.client();
        XRoadIdentifier service = headers.service();
        if ("SERVICE".equals(client.objectType())) {
            throw new GatewayException(FaultCode.INVALID_HEADER, "The client header must be a MEMBER or SUBSYSTEM.",
                    "client objectType SERVICE");
        }
        if (!"SERVICE".equals(service.objectType())) {
            throw new GatewayException(FaultCode.INVALID_HEADER, "The service header must be of objectType SERVICE.",
                    "service objectType " + service.objectType());
        }
        if (!BusinessId.isValid(client.memberCode())) {
            throw new GatewayException(FaultCode.INVALID_BUSINESS_ID, "The client memberCode is not a valid Y-tunnus.",
                    "client memberCode '" + client.memberCode() + "' fails the Y-tunnus check");
        }
        String userId = headers.userId();
        if (!userId.startsWith(XRoadHeaders.USER_ID_PREFIX) || !PersonalIdentityCode.isValid(XRoadHeaders.hetuOf(userId))) {
            throw new GatewayException(FaultCode.INVALID_PERSONAL_IDENTITY_CODE,
                    "The userId must be FI followed by a valid henkilötunnus.", "userId fails the henkilötunnus check");
        }
        checkServiceAddressed(service, operation);
    }

    private void checkServiceAddressed(XRoadIdentifier service, String operation) {
        if (!serviceIdentity.addresses(service)) {
            throw new GatewayException(FaultCode.INCONSISTENT_HEADERS, "The service header does not address this service.",
                    "service header " + service + " is not this gateway");
        }
        String version = serviceIdentity.serviceVersion();
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

    private static XRoadIdentifier identifier(Element element) {
        return new XRoadIdentifier(element.getAttributeNS(XRoadHeaders.ID_NS, "objectType"),
                child(element, "xRoadInstance"), child(element, "memberClass"), child(element, "memberCode"),
                child(element, "subsystemCode"), child(element, "serviceCode"), child(element, "serviceVersion"));
    }

    private static String child(Element parent, String localName) {
        return Dom.childText(parent, XRoadHeaders.ID_NS, localName);
    }

    private static String text(Element element) {
        return element.getTextContent().strip();
    }
}
