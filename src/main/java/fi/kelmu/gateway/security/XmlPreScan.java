package fi.kelmu.gateway.security;

import fi.kelmu.gateway.fault.FaultCode;
import fi.kelmu.gateway.fault.GatewayException;
import java.io.ByteArrayInputStream;
import java.util.ArrayDeque;
import java.util.Deque;
import javax.xml.XMLConstants;
import javax.xml.namespace.QName;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/**
 * A streaming pass over the raw request before anything parses it for real. Refuses DTDs, entity
 * references and XInclude (XXE, SSRF, billion laughs), enforces the structure limits (depth, element and
 * child counts, attributes, text length) so parser and signature code only see bounded documents, and
 * refuses a SOAP structure other than one Envelope with at most one Header followed by exactly one Body:
 * a Body hidden elsewhere is how signature-wrapping attacks try to get a different body processed than
 * the one signed. Returns the body's first element, which is the operation that will be dispatched.
 */
public final class XmlPreScan {

    public static final String SOAP_NS = "http://schemas.xmlsoap.org/soap/envelope/";
    private static final String XINCLUDE_NS = "http://www.w3.org/2001/XInclude";

    /** The limits; see the {@code kelmu.xml.*} properties. */
    public record Limits(int maxDepth, int maxChildren, int maxElements, int maxAttributes, int maxAttributeSize,
            int maxTextLength) {
    }

    private final Limits limits;
    private final XMLInputFactory factory;

    public XmlPreScan(Limits limits) {
        this.limits = limits;
        this.factory = XMLInputFactory.newInstance();
        factory.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        factory.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        factory.setProperty(XMLInputFactory.IS_REPLACING_ENTITY_REFERENCES, false);
        factory.setProperty(XMLInputFactory.IS_COALESCING, false);
        factory.setProperty(XMLInputFactory.IS_NAMESPACE_AWARE, true);
    }

    /** Scans {@code raw} (decoded as {@code encoding}); returns the QName of the Body's first element, or null. */
    public QName scan(byte[] raw, String encoding) {
        XMLStreamReader reader = null;
        try {
            reader = factory.createXMLStreamReader(new ByteArrayInputStream(raw), encoding);
            return walk(reader);
        } catch (XMLStreamException e) {
            throw new GatewayException(FaultCode.INVALID_REQUEST, "The request is not well-formed XML.",
                    "not well-formed: " + e.getMessage(), e);
        } finally {
            if (reader != null) {
                try {
                    reader.close();
                } catch (XMLStreamException ignored) {
                    // nothing was held open beyond the byte array
                }
            }
        }
    }

    private QName walk(XMLStreamReader reader) throws XMLStreamException {
        Deque<int[]> children = new ArrayDeque<>();
        int elements = 0;
        int text = 0;
        boolean header = false;
        boolean body = false;
        QName operation = null;
        while (reader.hasNext()) {
            int event = reader.next();
            switch (event) {
                case XMLStreamConstants.DTD -> throw forbidden("DTD");
                case XMLStreamConstants.ENTITY_REFERENCE -> throw forbidden("entity reference &" + reader.getLocalName() + ";");
                case XMLStreamConstants.START_ELEMENT -> {
                    text = 0;
                    int depth = children.size() + 1;
                    if (depth > limits.maxDepth()) {
                        throw limit("element depth " + depth + " over " + limits.maxDepth());
                    }
                    if (++elements > limits.maxElements()) {
                        throw limit("more than " + limits.maxElements() + " elements");
                    }
                    if (!children.isEmpty() && ++children.peek()[0] > limits.maxChildren()) {
                        throw limit("more than " + limits.maxChildren() + " children of one element");
                    }
                    checkAttributes(reader);
                    String ns = reader.getNamespaceURI();
                    if (XINCLUDE_NS.equals(ns)) {
                        throw forbidden("XInclude");
                    }
                    String name = reader.getLocalName();
                    if (depth == 1 && !(SOAP_NS.equals(ns) && "Envelope".equals(name))) {
                        throw structure("the document element is not a SOAP 1.1 Envelope");
                    }
                    if (depth == 2) {
                        if (!SOAP_NS.equals(ns) || body || (header && "Header".equals(name))) {
                            throw structure("the Envelope holds " + name + " where only Header then Body may stand");
                        }
                        header |= "Header".equals(name);
                        body |= "Body".equals(name);
                    } else if (depth > 2 && SOAP_NS.equals(ns)
                            && ("Envelope".equals(name) || "Header".equals(name) || "Body".equals(name))) {
                        throw structure("a SOAP " + name + " element nested inside the message");
                    }
                    if (depth == 3 && body && operation == null) {
                        operation = new QName(ns, name);
                    }
                    children.push(new int[] {0});
                }
                case XMLStreamConstants.END_ELEMENT -> {
                    children.pop();
                    text = 0;
                }
                case XMLStreamConstants.CHARACTERS, XMLStreamConstants.CDATA, XMLStreamConstants.SPACE -> {
                    text += reader.getTextLength();
                    if (text > limits.maxTextLength()) {
                        throw limit("a text node longer than " + limits.maxTextLength() + " characters");
                    }
                }
                default -> {
                    // comments and processing instructions carry no data the gateway reads
                }
            }
        }
        if (!body) {
            throw structure("the Envelope has no Body");
        }
        return operation;
    }

    private void checkAttributes(XMLStreamReader reader) {
        int count = reader.getAttributeCount() + reader.getNamespaceCount();
        if (count > limits.maxAttributes()) {
            throw limit(count + " attributes on one element, over " + limits.maxAttributes());
        }
        for (int i = 0; i < reader.getAttributeCount(); i++) {
            if (reader.getAttributeValue(i).length() > limits.maxAttributeSize()) {
                throw limit("an attribute value longer than " + limits.maxAttributeSize());
            }
            if (XMLConstants.XML_NS_URI.equals(reader.getAttributeNamespace(i))
                    && "base".equals(reader.getAttributeLocalName(i))) {
                throw forbidden("xml:base");
            }
        }
    }

    private static GatewayException forbidden(String what) {
        return new GatewayException(FaultCode.FORBIDDEN_XML, null, what + " in the request");
    }

    private static GatewayException limit(String what) {
        return new GatewayException(FaultCode.XML_LIMIT_EXCEEDED, null, "XML limit: " + what);
    }

    private static GatewayException structure(String what) {
        return new GatewayException(FaultCode.INVALID_REQUEST, "The SOAP envelope is malformed.", "SOAP structure: " + what);
    }
}
