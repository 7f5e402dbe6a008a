package fi.kelmu.gateway.support;

import fi.kelmu.gateway.xroad.XRoadHeaders;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import javax.xml.namespace.QName;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.apache.cxf.headers.Header;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/** The X-Road request headers a JAX-WS client sends (CXF {@code Header.HEADER_LIST}), as an integrator builds them. */
public final class XRoadClientHeaders {

    private XRoadClientHeaders() {
    }

    /** client {@code SUBSYSTEM:FI/MUN/<memberCode>/sote}, service Kela's kelmu {@code serviceCode} v1, a fresh id. */
    public static List<Header> of(String memberCode, String serviceCode, String user) {
        Document doc = newDocument();
        List<Header> headers = new ArrayList<>();
        Element client = identifier(doc, "client", "SUBSYSTEM", "MUN", memberCode, "sote");
        Element service = identifier(doc, "service", "SERVICE", "GOV", TestData.KELA, "kelmu");
        append(doc, service, "id:serviceCode", serviceCode);
        append(doc, service, "id:serviceVersion", "v1");
        headers.add(new Header(new QName(XRoadHeaders.NS, "client"), client));
        headers.add(new Header(new QName(XRoadHeaders.NS, "service"), service));
        headers.add(simple(doc, "id", UUID.randomUUID().toString()));
        headers.add(simple(doc, "userId", "FI" + user));
        headers.add(simple(doc, "issue", "contract-test"));
        headers.add(simple(doc, "protocolVersion", "4.0"));
        return headers;
    }

    private static Document newDocument() {
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setNamespaceAware(true);
            return factory.newDocumentBuilder().newDocument();
        } catch (ParserConfigurationException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Element identifier(Document doc, String name, String type, String memberClass, String code,
            String subsystem) {
        Element e = doc.createElementNS(XRoadHeaders.NS, "xrd:" + name);
        e.setAttributeNS(XRoadHeaders.ID_NS, "id:objectType", type);
        append(doc, e, "id:xRoadInstance", "FI");
        append(doc, e, "id:memberClass", memberClass);
        append(doc, e, "id:memberCode", code);
        append(doc, e, "id:subsystemCode", subsystem);
        return e;
    }

    private static Header simple(Document doc, String name, String value) {
        Element e = doc.createElementNS(XRoadHeaders.NS, "xrd:" + name);
        e.setTextContent(value);
        return new Header(new QName(XRoadHeaders.NS, name), e);
    }

    private static void append(Document doc, Element parent, String name, String value) {
        Element child = doc.createElementNS(XRoadHeaders.ID_NS, name);
        child.setTextContent(value);
        parent.appendChild(child);
    }

    /** {@code request} with a securityServer header (objectType SERVER) right after its service header. */
    public static Document withSecurityServer(Document request, String instance, String memberClass, String memberCode,
            String serverCode) {
        Element server = request.createElementNS(XRoadHeaders.NS, "xrd:securityServer");
        server.setAttributeNS(XRoadHeaders.ID_NS, "id:objectType", "SERVER");
        append(request, server, "id:xRoadInstance", instance);
        append(request, server, "id:memberClass", memberClass);
        append(request, server, "id:memberCode", memberCode);
        append(request, server, "id:serverCode", serverCode);
        Element service = (Element) request.getElementsByTagNameNS(XRoadHeaders.NS, "service").item(0);
        service.getParentNode().insertBefore(server, service.getNextSibling());
        return request;
    }

    /** Removes the X-Road header {@code header} from {@code request}. */
    public static void remove(Document request, String header) {
        Element element = (Element) request.getElementsByTagNameNS(XRoadHeaders.NS, header).item(0);
        element.getParentNode().removeChild(element);
    }
}
