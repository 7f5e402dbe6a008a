package fi.kelmu.gateway.xml;

import java.util.ArrayList;
import java.util.List;
import javax.xml.namespace.QName;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.w3c.dom.DOMImplementation;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * The one DOM helper of the gateway and the namespaces of the SOAP envelope. Elements are found by walking
 * direct children, never by a document-wide search or by Id: what a signature covers is decided by element
 * identity, and a lookup elsewhere in the document could return an element an attacker placed there.
 */
public final class Dom {

    public static final String SOAP_NS = "http://schemas.xmlsoap.org/soap/envelope/";
    public static final String WSSE_NS = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd";
    public static final String WSU_NS = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd";
    public static final String DS_NS = "http://www.w3.org/2000/09/xmldsig#";

    /**
     * Makes empty documents. Kept, not a DocumentBuilder made per document: building one sets up a whole parser,
     * where an empty document is all that is needed (a DOMImplementation is thread-safe).
     */
    private static final DOMImplementation IMPLEMENTATION = implementation();

    private Dom() {
    }

    /** A new empty, namespace-aware document, to build elements in. */
    public static Document newDocument() {
        return IMPLEMENTATION.createDocument(null, null, null);
    }

    private static DOMImplementation implementation() {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(true);
        try {
            return factory.newDocumentBuilder().getDOMImplementation();
        } catch (ParserConfigurationException e) {
            throw new IllegalStateException("no DOM implementation", e);
        }
    }

    /** The direct child elements of {@code parent}, in document order. */
    public static List<Element> children(Element parent) {
        List<Element> result = new ArrayList<>();
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e) {
                result.add(e);
            }
        }
        return result;
    }

    /** The first direct child element {@code ns}:{@code localName} of {@code parent}, or null. */
    public static Element firstChild(Element parent, String ns, String localName) {
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && is(e, ns, localName)) {
                return e;
            }
        }
        return null;
    }

    /** The trimmed text of the first direct child {@code ns}:{@code localName}, or null when there is none. */
    public static String childText(Element parent, String ns, String localName) {
        Element child = firstChild(parent, ns, localName);
        return child == null ? null : child.getTextContent().strip();
    }

    /** The SOAP 1.1 Header of an envelope, or null. */
    public static Element soapHeader(Element envelope) {
        return firstChild(envelope, SOAP_NS, "Header");
    }

    public static boolean is(Element element, String ns, String localName) {
        return ns.equals(element.getNamespaceURI()) && localName.equals(element.getLocalName());
    }

    public static boolean is(Element element, QName name) {
        return is(element, name.getNamespaceURI(), name.getLocalPart());
    }

    public static QName name(Element element) {
        return new QName(element.getNamespaceURI(), element.getLocalName());
    }
}
