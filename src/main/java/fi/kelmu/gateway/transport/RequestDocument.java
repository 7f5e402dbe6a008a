package fi.kelmu.gateway.transport;

import fi.kelmu.gateway.xml.Dom;
import java.util.List;
import javax.xml.XMLConstants;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;
import javax.xml.transform.dom.DOMSource;
import org.apache.cxf.binding.soap.SoapFault;
import org.apache.cxf.binding.soap.SoapMessage;
import org.apache.cxf.binding.soap.interceptor.AbstractSoapInterceptor;
import org.apache.cxf.binding.soap.interceptor.ReadHeadersInterceptor;
import org.apache.cxf.interceptor.Interceptor;
import org.apache.cxf.message.Message;
import org.apache.cxf.phase.Phase;
import org.apache.cxf.staxutils.StaxUtils;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.Text;

/**
 * The request as one DOM document, the document its signature is verified in (docs/architecture.md, the inbound
 * chain). CXF's {@link ReadHeadersInterceptor} reads the Envelope and the Header into the document given here, as it
 * does into a SAAJ message; {@link ReadBody} then reads the Body into it from the same stream (where CXF's
 * {@code StartBodyInterceptor} left it, past the Body's start tag), every node as received, and gives the rest of the
 * chain a reader over the Body, as CXF's {@code SAAJInInterceptor} does.
 *
 * <p>A plain DOM instead of SAAJ (docs/benchmark.md, "The request in a plain DOM"): SAAJ builds a new
 * {@code DocumentBuilder} for every message, and wraps every node, so each step through the tree (the signature's
 * references, its canonicalisation, the header reader) looks its wrapper up in a user-data map. Nothing of the
 * gateway needs SAAJ's API; the signature, the X-Road headers and the body are read through the DOM.
 */
public final class RequestDocument {

    private RequestDocument() {
    }

    /** The two interceptors: one before CXF reads the headers, one where the Body is read. */
    public static List<Interceptor<? extends Message>> interceptors() {
        return List.of(new Prepare(), new ReadBody());
    }

    /**
     * The request's document as read so far, from the exchange's in-message (as it is when an out or fault chain
     * asks); null when the request was not read that far.
     */
    static Document of(Message message) {
        Message in = message.getExchange() == null ? null : message.getExchange().getInMessage();
        Object node = (in == null ? message : in).getContent(Node.class);
        return node instanceof Document document ? document : null;
    }

    /** The request's SOAP Header element, or null. */
    static Element header(Message message) {
        return envelopeChild(message, "Header");
    }

    /** The request's SOAP Body element, or null. */
    static Element body(Message message) {
        return envelopeChild(message, "Body");
    }

    private static Element envelopeChild(Message message, String name) {
        Document document = of(message);
        Element envelope = document == null ? null : document.getDocumentElement();
        return envelope == null ? null : Dom.firstChild(envelope, Dom.SOAP_NS, name);
    }

    /** Gives CXF's header reader a plain document to read the Envelope and the Header into. */
    static final class Prepare extends AbstractSoapInterceptor {

        Prepare() {
            super(Phase.READ);
            addBefore(ReadHeadersInterceptor.class.getName());
        }

        @Override
        public void handleMessage(SoapMessage message) {
            if (isGET(message) || message.getContent(XMLStreamReader.class) == null) {
                return;
            }
            message.setContent(Node.class, Dom.newDocument());
        }
    }

    /**
     * Reads the Body's content from the stream into the Body element CXF's header reader made; then the chain reads
     * on from a reader over that element, past its start tag.
     */
    static final class ReadBody extends AbstractSoapInterceptor {

        ReadBody() {
            super(Phase.PRE_PROTOCOL);
        }

        @Override
        public void handleMessage(SoapMessage message) {
            XMLStreamReader reader = message.getContent(XMLStreamReader.class);
            if (isGET(message) || reader == null) {
                return;
            }
            Element body = body(message);
            try {
                if (body == null) {
                    throw new SoapFault("the request has no SOAP Body", message.getVersion().getSender());
                }
                if (reader.getEventType() == XMLStreamConstants.START_ELEMENT
                        && message.getVersion().getBody().equals(reader.getName())) {
                    reader.next(); // CXF's StartBodyInterceptor, which reads past the Body's start tag, did not run
                }
                readChildren(body.getOwnerDocument(), body, reader);
                XMLStreamReader bodyReader = StaxUtils.createXMLStreamReader(new DOMSource(body));
                bodyReader.nextTag();
                bodyReader.nextTag(); // past the Body's start tag, where CXF's body reader begins
                message.setContent(XMLStreamReader.class, bodyReader);
            } catch (XMLStreamException e) {
                throw new SoapFault("the request's SOAP Body cannot be read: " + e.getMessage(), e,
                        message.getVersion().getSender());
            }
        }

        /**
         * Appends to {@code parent} everything from the reader's event up to the end tag that closes the element the
         * reader is in, node by node as received (text, comments and namespace declarations included: the
         * signature's digest is of these), and leaves the reader at that end tag.
         */
        static void readChildren(Document document, Element parent, XMLStreamReader reader)
                throws XMLStreamException {
            Node current = parent;
            int depth = 0;
            for (int event = reader.getEventType(); ; event = reader.next()) {
                switch (event) {
                    case XMLStreamConstants.START_ELEMENT -> {
                        Element element = element(document, reader);
                        current.appendChild(element);
                        current = element;
                        depth++;
                    }
                    case XMLStreamConstants.END_ELEMENT -> {
                        if (depth == 0) {
                            return;
                        }
                        current = current.getParentNode();
                        depth--;
                    }
                    case XMLStreamConstants.CHARACTERS, XMLStreamConstants.SPACE -> text(document, current,
                            reader.getText());
                    case XMLStreamConstants.CDATA -> current.appendChild(document.createCDATASection(reader.getText()));
                    case XMLStreamConstants.COMMENT -> current.appendChild(document.createComment(reader.getText()));
                    case XMLStreamConstants.PROCESSING_INSTRUCTION -> current.appendChild(
                            document.createProcessingInstruction(reader.getPITarget(), reader.getPIData()));
                    case XMLStreamConstants.END_DOCUMENT -> throw new XMLStreamException(
                            "the document ends inside the Body");
                    default -> {
                        // entity references and DTD events: the pre-scan refuses a DOCTYPE, so none come
                    }
                }
            }
        }

        /** Text as one node, however the parser split it. */
        private static void text(Document document, Node parent, String text) {
            if (parent.getLastChild() instanceof Text last && last.getNodeType() == Node.TEXT_NODE) {
                last.appendData(text);
            } else {
                parent.appendChild(document.createTextNode(text));
            }
        }

        private static Element element(Document document, XMLStreamReader reader) {
            Element element = document.createElementNS(emptyToNull(reader.getNamespaceURI()),
                    qualified(reader.getPrefix(), reader.getLocalName()));
            for (int i = 0; i < reader.getNamespaceCount(); i++) {
                String prefix = reader.getNamespacePrefix(i);
                String uri = reader.getNamespaceURI(i);
                element.setAttributeNS(XMLConstants.XMLNS_ATTRIBUTE_NS_URI,
                        prefix == null || prefix.isEmpty() ? XMLConstants.XMLNS_ATTRIBUTE : "xmlns:" + prefix,
                        uri == null ? "" : uri);
            }
            for (int i = 0; i < reader.getAttributeCount(); i++) {
                element.setAttributeNS(emptyToNull(reader.getAttributeNamespace(i)),
                        qualified(reader.getAttributePrefix(i), reader.getAttributeLocalName(i)),
                        reader.getAttributeValue(i));
            }
            return element;
        }

        private static String qualified(String prefix, String localName) {
            return prefix == null || prefix.isEmpty() ? localName : prefix + ":" + localName;
        }

        private static String emptyToNull(String namespace) {
            return namespace == null || namespace.isEmpty() ? null : namespace;
        }
    }
}
