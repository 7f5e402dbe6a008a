package fi.kelmu.gateway.xroad;

import fi.kelmu.gateway.fault.FaultCode;
import fi.kelmu.gateway.fault.GatewayException;
import fi.kelmu.gateway.identifier.BusinessId;
import fi.kelmu.gateway.identifier.PersonalIdentityCode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.xml.namespace.QName;
import fi.kelmu.gateway.security.AuthenticatedCaller;
import org.apache.cxf.binding.soap.SoapMessage;
import org.apache.cxf.headers.Header;
import org.apache.cxf.interceptor.Fault;
import org.apache.cxf.phase.AbstractPhaseInterceptor;
import org.apache.cxf.phase.Phase;
import org.apache.cxf.service.model.BindingOperationInfo;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * Requires and validates the X-Road 4.0 headers of every request: all six present exactly once (CXF has
 * validated each against xsd/xroad.xsd, as the WSDL binds them), protocol version 4.0, a valid Y-tunnus as the client's member code, a valid
 * henkilötunnus as the user, and a service header that addresses this gateway and names the operation
 * in the body. A missing or inconsistent header gets a fault, never a guess.
 */
public final class XRoadHeaderInterceptor extends AbstractPhaseInterceptor<SoapMessage> {

    static final String HEADERS_KEY = XRoadHeaders.class.getName();
    private static final List<String> REQUIRED = List.of("client", "service", "id", "userId", "issue",
            "protocolVersion");
    private static final Set<String> EXCLUDED_FROM_ECHO = Set.of(
            "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd");

    private final ServiceIdentity serviceIdentity;

    public XRoadHeaderInterceptor(ServiceIdentity serviceIdentity) {
        super(Phase.PRE_LOGICAL);
        this.serviceIdentity = serviceIdentity;
    }

    /** The validated headers of the exchange {@code message} belongs to, or null before validation. */
    public static XRoadHeaders of(org.apache.cxf.message.Message message) {
        return (XRoadHeaders) message.getExchange().get(HEADERS_KEY);
    }

    @Override
    public void handleMessage(SoapMessage message) throws Fault {
        Map<String, Element> xroad = new LinkedHashMap<>();
        List<Element> echo = new ArrayList<>();
        for (Header header : message.getHeaders()) {
            QName name = header.getName();
            if (!(header.getObject() instanceof Element element)) {
                continue;
            }
            if (XRoadHeaders.NS.equals(name.getNamespaceURI())) {
                if (!REQUIRED.contains(name.getLocalPart())) {
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
            if (!EXCLUDED_FROM_ECHO.contains(name.getNamespaceURI())) {
                echo.add(element);
            }
        }
        for (String required : REQUIRED) {
            if (!xroad.containsKey(required)) {
                throw new GatewayException(FaultCode.MISSING_HEADER, "Missing header: '" + required + "'.",
                        "X-Road header " + required + " missing");
            }
        }
        AuthenticatedCaller caller = AuthenticatedCaller.of(message);
        if (caller == null) {
            throw new IllegalStateException("X-Road headers reached before message security");
        }
        xroad.forEach((name, element) -> {
            // business logic reads only what the signature verified, element by element
            if (!caller.message().covers(element)) {
                throw new GatewayException(FaultCode.INVALID_SIGNATURE, null, "X-Road header " + name + " not signed");
            }
        });

        String protocolVersion = text(xroad.get("protocolVersion"));
        if (!XRoadHeaders.PROTOCOL_VERSION.equals(protocolVersion)) {
            throw new GatewayException(FaultCode.INVALID_PROTOCOL_VERSION, null,
                    "protocolVersion '" + protocolVersion + "'");
        }
        XRoadIdentifier client = identifier(xroad.get("client"));
        XRoadIdentifier service = identifier(xroad.get("service"));
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
        String userId = text(xroad.get("userId"));
        if (!userId.startsWith(XRoadHeaders.USER_ID_PREFIX) || !PersonalIdentityCode.isValid(XRoadHeaders.hetuOf(userId))) {
            throw new GatewayException(FaultCode.INVALID_PERSONAL_IDENTITY_CODE,
                    "The userId must be FI followed by a valid henkilötunnus.", "userId fails the henkilötunnus check");
        }
        checkServiceAddressed(message, service);

        message.getExchange().put(HEADERS_KEY, new XRoadHeaders(client, service, text(xroad.get("id")), userId,
                text(xroad.get("issue")), protocolVersion, List.copyOf(echo)));
    }

    private void checkServiceAddressed(SoapMessage message, XRoadIdentifier service) {
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
        BindingOperationInfo operation = message.getExchange().getBindingOperationInfo();
        String operationName = operation == null ? null : operation.getName().getLocalPart();
        if (operationName == null || !operationName.equals(service.serviceCode())) {
            throw new GatewayException(FaultCode.INCONSISTENT_HEADERS,
                    "The serviceCode does not match the operation in the body.",
                    "serviceCode " + service.serviceCode() + " but body operation " + operationName);
        }
    }

    private static XRoadIdentifier identifier(Element element) {
        return new XRoadIdentifier(element.getAttributeNS(XRoadHeaders.ID_NS, "objectType"),
                child(element, "xRoadInstance"), child(element, "memberClass"), child(element, "memberCode"),
                child(element, "subsystemCode"), child(element, "serviceCode"), child(element, "serviceVersion"));
    }

    private static String child(Element parent, String localName) {
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && XRoadHeaders.ID_NS.equals(e.getNamespaceURI())
                    && localName.equals(e.getLocalName())) {
                return e.getTextContent().strip();
            }
        }
        return null;
    }

    private static String text(Element element) {
        return element.getTextContent().strip();
    }
}
