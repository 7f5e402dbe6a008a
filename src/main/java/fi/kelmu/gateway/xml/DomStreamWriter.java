package fi.kelmu.gateway.xml;

import java.util.Arrays;
import javax.xml.XMLConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;
import org.codehaus.stax2.XMLStreamWriter2;
import org.w3c.dom.Document;
import org.w3c.dom.Attr;
import org.w3c.dom.Element;
import org.w3c.dom.NamedNodeMap;
import org.w3c.dom.Node;
import org.w3c.dom.ProcessingInstruction;

/**
 * Writes a DOM tree to a StAX writer as it stands: every element with its prefix, every namespace declaration
 * attribute as a namespace declaration, then the other attributes, text, CDATA, comments and processing
 * instructions. A prefix an element or attribute uses without a declaration in scope is declared on that element,
 * so the output is well-formed whatever built the tree. No XML declaration is written.
 *
 * <p>It replaces CXF's {@code StaxUtils.copy(new W3CDOMStreamReader(document), writer)} for the signed answer:
 * the same bytes (a signature over the tree verifies over the output), without a DOM stream reader's frames and
 * namespace contexts in between (docs/benchmark.md).
 *
 * <p>{@link #writeDocument} writes a whole document faster when the writer is Woodstox's (CXF's) in UTF-8: the
 * markup is built here, with the namespace declarations the StAX calls would have made in the same places, and
 * handed to the writer as one raw write. It parses back to the same tree as the call-by-call output (a signature
 * over the tree verifies over either); only escapes may be spelt differently. A document with anything this
 * builder does not spell itself (a character XML cannot carry, a comment with {@code --}, a CDATA section with
 * {@code ]]>}, a processing instruction with {@code ?>}) is written call by call instead, as before.
 */
public final class DomStreamWriter {

    private DomStreamWriter() {
    }

    /**
     * Writes {@code document} to a writer that has written nothing yet: as one raw write of the same markup when the
     * writer is a Woodstox {@link XMLStreamWriter2}, else call by call ({@link #writeChildren}).
     */
    public static void writeDocument(Document document, XMLStreamWriter writer) throws XMLStreamException {
        if (writer instanceof XMLStreamWriter2 raw && raw.getClass().getName().startsWith("com.ctc.wstx.")
                && "UTF-8".equalsIgnoreCase(raw.getEncoding())) {
            String markup = markup(document);
            if (markup != null) {
                raw.writeRaw(markup);
                return;
            }
        }
        writeChildren(document, writer);
    }

    /** The markup of the children of {@code node}, or null if it has something only the StAX path spells. */
    static String markup(Node node) {
        Markup markup = new Markup();
        try {
            markup.children(node);
        } catch (Unspelt e) {
            return null;
        }
        return markup.out.toString();
    }

    /** Content the markup builder leaves to the StAX writer; thrown without a stack trace, caught at once. */
    private static final class Unspelt extends RuntimeException {

        private static final long serialVersionUID = 1L;

        Unspelt() {
            super(null, null, false, false);
        }
    }

    /** Writes the children of {@code node} (a document: its root element and what surrounds it). */
    public static void writeChildren(Node node, XMLStreamWriter writer) throws XMLStreamException {
        for (Node child = node.getFirstChild(); child != null; child = child.getNextSibling()) {
            write(child, writer);
        }
    }

    private static void write(Node node, XMLStreamWriter writer) throws XMLStreamException {
        switch (node.getNodeType()) {
            case Node.ELEMENT_NODE -> writeElement((Element) node, writer);
            case Node.TEXT_NODE -> writer.writeCharacters(node.getNodeValue());
            case Node.CDATA_SECTION_NODE -> writer.writeCData(node.getNodeValue());
            case Node.COMMENT_NODE -> writer.writeComment(node.getNodeValue());
            case Node.PROCESSING_INSTRUCTION_NODE -> {
                ProcessingInstruction pi = (ProcessingInstruction) node;
                writer.writeProcessingInstruction(pi.getTarget(), pi.getData());
            }
            case Node.ENTITY_REFERENCE_NODE -> writeChildren(node, writer);
            default -> {
                // document types and the like: not part of a SOAP message
            }
        }
    }

    private static void writeElement(Element element, XMLStreamWriter writer) throws XMLStreamException {
        String prefix = orEmpty(element.getPrefix());
        String namespace = orEmpty(element.getNamespaceURI());
        String local = element.getLocalName() != null ? element.getLocalName() : element.getNodeName();
        writer.writeStartElement(prefix, local, namespace);
        NamedNodeMap attributes = element.getAttributes();
        int count = attributes.getLength();
        for (int i = 0; i < count; i++) {
            Attr attribute = (Attr) attributes.item(i);
            if (XMLConstants.XMLNS_ATTRIBUTE_NS_URI.equals(attribute.getNamespaceURI())) {
                if (XMLConstants.XMLNS_ATTRIBUTE.equals(attribute.getPrefix())) {
                    writer.writeNamespace(attribute.getLocalName(), attribute.getValue());
                } else {
                    writer.writeDefaultNamespace(attribute.getValue());
                }
            }
        }
        declareIfUnbound(prefix, namespace, writer);
        for (int i = 0; i < count; i++) {
            Attr attribute = (Attr) attributes.item(i);
            String attributeNamespace = attribute.getNamespaceURI();
            if (XMLConstants.XMLNS_ATTRIBUTE_NS_URI.equals(attributeNamespace)) {
                continue;
            }
            if (attributeNamespace == null || attributeNamespace.isEmpty()) {
                String name = attribute.getLocalName() != null ? attribute.getLocalName() : attribute.getName();
                writer.writeAttribute(name, attribute.getValue());
            } else {
                String attributePrefix = orEmpty(attribute.getPrefix());
                if (attributePrefix.isEmpty()) {
                    // a namespaced attribute needs a prefix (the default namespace is for elements only)
                    String inScope = writer.getNamespaceContext().getPrefix(attributeNamespace);
                    attributePrefix = inScope != null && !inScope.isEmpty() ? inScope : "ns" + i;
                }
                if (!XMLConstants.XML_NS_URI.equals(attributeNamespace)) {
                    declareIfUnbound(attributePrefix, attributeNamespace, writer);
                }
                writer.writeAttribute(attributePrefix, attributeNamespace, attribute.getLocalName(), attribute.getValue());
            }
        }
        writeChildren(element, writer);
        writer.writeEndElement();
    }

    private static void declareIfUnbound(String prefix, String namespace, XMLStreamWriter writer)
            throws XMLStreamException {
        String bound = writer.getNamespaceContext().getNamespaceURI(prefix);
        if (namespace.equals(bound == null ? "" : bound)) {
            return;
        }
        if (prefix.isEmpty()) {
            writer.writeDefaultNamespace(namespace);
        } else {
            writer.writeNamespace(prefix, namespace);
        }
    }

    private static String orEmpty(String value) {
        return value == null ? "" : value;
    }

    /**
     * Builds the markup of {@link #writeChildren}'s calls, in their order: the element's own declarations, then its
     * prefix declared if unbound, then each attribute (its prefix declared first if unbound). An element without
     * children is written as an empty-element tag.
     */
    private static final class Markup {

        private final StringBuilder out = new StringBuilder(16_384);
        /** In-scope bindings, innermost last: prefixes[i] is bound to uris[i]; "" is the default namespace. */
        private String[] prefixes = new String[32];
        private String[] uris = new String[32];
        private int bound;

        void children(Node node) {
            for (Node child = node.getFirstChild(); child != null; child = child.getNextSibling()) {
                node(child);
            }
        }

        private void node(Node node) {
            switch (node.getNodeType()) {
                case Node.ELEMENT_NODE -> element((Element) node);
                case Node.TEXT_NODE -> text(node.getNodeValue(), false);
                case Node.CDATA_SECTION_NODE -> out.append("<![CDATA[").append(verbatim(node.getNodeValue(), "]]>"))
                        .append("]]>");
                case Node.COMMENT_NODE -> {
                    String comment = verbatim(node.getNodeValue(), "--");
                    if (comment.endsWith("-")) {
                        throw new Unspelt();
                    }
                    out.append("<!--").append(comment).append("-->");
                }
                case Node.PROCESSING_INSTRUCTION_NODE -> {
                    ProcessingInstruction pi = (ProcessingInstruction) node;
                    out.append("<?").append(pi.getTarget());
                    String data = pi.getData();
                    if (data != null && !data.isEmpty()) {
                        out.append(' ').append(verbatim(data, "?>"));
                    }
                    out.append("?>");
                }
                case Node.ENTITY_REFERENCE_NODE -> children(node);
                default -> {
                    // document types and the like: not part of a SOAP message
                }
            }
        }

        private void element(Element element) {
            String prefix = orEmpty(element.getPrefix());
            String namespace = orEmpty(element.getNamespaceURI());
            String local = element.getLocalName() != null ? element.getLocalName() : element.getNodeName();
            int scope = bound;
            out.append('<');
            qname(prefix, local);
            NamedNodeMap attributes = element.getAttributes();
            int count = attributes.getLength();
            for (int i = 0; i < count; i++) {
                Attr attribute = (Attr) attributes.item(i);
                if (XMLConstants.XMLNS_ATTRIBUTE_NS_URI.equals(attribute.getNamespaceURI())) {
                    declare(XMLConstants.XMLNS_ATTRIBUTE.equals(attribute.getPrefix()) ? attribute.getLocalName() : "",
                            attribute.getValue());
                }
            }
            declareIfUnbound(prefix, namespace);
            for (int i = 0; i < count; i++) {
                Attr attribute = (Attr) attributes.item(i);
                String attributeNamespace = attribute.getNamespaceURI();
                if (XMLConstants.XMLNS_ATTRIBUTE_NS_URI.equals(attributeNamespace)) {
                    continue;
                }
                out.append(' ');
                if (attributeNamespace == null || attributeNamespace.isEmpty()) {
                    out.append(attribute.getLocalName() != null ? attribute.getLocalName() : attribute.getName());
                } else {
                    String attributePrefix = orEmpty(attribute.getPrefix());
                    if (attributePrefix.isEmpty()) {
                        String inScope = prefixOf(attributeNamespace);
                        attributePrefix = inScope != null ? inScope : "ns" + i;
                    }
                    if (!XMLConstants.XML_NS_URI.equals(attributeNamespace)
                            && !attributeNamespace.equals(uriOf(attributePrefix))) {
                        out.setLength(out.length() - 1); // the declaration goes before the attribute
                        declare(attributePrefix, attributeNamespace);
                        out.append(' ');
                    }
                    qname(attributePrefix, attribute.getLocalName());
                }
                out.append("=\"");
                text(attribute.getValue(), true);
                out.append('"');
            }
            if (element.getFirstChild() == null) {
                out.append("/>");
            } else {
                out.append('>');
                children(element);
                out.append("</");
                qname(prefix, local);
                out.append('>');
            }
            bound = scope;
        }

        private void qname(String prefix, String local) {
            if (!prefix.isEmpty()) {
                out.append(prefix).append(':');
            }
            out.append(local);
        }

        private void declareIfUnbound(String prefix, String namespace) {
            if (!namespace.equals(uriOf(prefix))) {
                declare(prefix, namespace);
            }
        }

        /** Writes the declaration and binds it until the element ends. */
        private void declare(String prefix, String namespace) {
            out.append(prefix.isEmpty() ? " xmlns" : " xmlns:").append(prefix).append("=\"");
            text(namespace, true);
            out.append('"');
            if (bound == prefixes.length) {
                prefixes = Arrays.copyOf(prefixes, bound * 2);
                uris = Arrays.copyOf(uris, bound * 2);
            }
            prefixes[bound] = prefix;
            uris[bound] = namespace;
            bound++;
        }

        /** The namespace {@code prefix} is bound to ("" for an unbound default namespace), or null. */
        private String uriOf(String prefix) {
            for (int i = bound - 1; i >= 0; i--) {
                if (prefixes[i].equals(prefix)) {
                    return uris[i];
                }
            }
            if (prefix.isEmpty()) {
                return "";
            }
            return XMLConstants.XML_NS_PREFIX.equals(prefix) ? XMLConstants.XML_NS_URI : null;
        }

        /** A non-empty prefix bound to {@code namespace} and not hidden by an inner binding, or null. */
        private String prefixOf(String namespace) {
            if (XMLConstants.XML_NS_URI.equals(namespace)) {
                return XMLConstants.XML_NS_PREFIX;
            }
            for (int i = bound - 1; i >= 0; i--) {
                if (!prefixes[i].isEmpty() && uris[i].equals(namespace) && uris[i].equals(uriOf(prefixes[i]))) {
                    return prefixes[i];
                }
            }
            return null;
        }

        /**
         * Appends character data escaped: {@code & < >} and a carriage return in text; {@code & < "} and the line
         * breaks and tabs a parser would normalise in an attribute value.
         */
        private void text(String value, boolean attribute) {
            int start = 0;
            int length = value.length();
            for (int i = 0; i < length; i++) {
                char c = value.charAt(i);
                if (c > '>' && c < Character.MIN_SURROGATE) {
                    continue;
                }
                String escape = switch (c) {
                    case '&' -> "&amp;";
                    case '<' -> "&lt;";
                    case '>' -> attribute ? null : "&gt;";
                    case '"' -> attribute ? "&quot;" : null;
                    case '\r' -> "&#xd;";
                    case '\n' -> attribute ? "&#xa;" : null;
                    case '\t' -> attribute ? "&#x9;" : null;
                    default -> {
                        representable(value, i);
                        yield null;
                    }
                };
                if (escape != null) {
                    out.append(value, start, i).append(escape);
                    start = i + 1;
                }
            }
            out.append(value, start, length);
        }

        /** {@code value} for a construct without escapes, unless it holds {@code end} or an unrepresentable char. */
        private static String verbatim(String value, String end) {
            if (value.contains(end)) {
                throw new Unspelt();
            }
            for (int i = 0; i < value.length(); i++) {
                representable(value, i);
            }
            return value;
        }

        /** Throws {@link Unspelt} for a character XML 1.0 cannot carry, or half a surrogate pair, at {@code i}. */
        private static void representable(String value, int i) {
            char c = value.charAt(i);
            if (c < ' ' ? c != '\t' && c != '\n' && c != '\r' : c == '\uFFFE' || c == '\uFFFF') {
                throw new Unspelt();
            }
            if (Character.isHighSurrogate(c)) {
                if (i + 1 >= value.length() || !Character.isLowSurrogate(value.charAt(i + 1))) {
                    throw new Unspelt();
                }
            } else if (Character.isLowSurrogate(c)
                    && (i == 0 || !Character.isHighSurrogate(value.charAt(i - 1)))) {
                throw new Unspelt();
            }
        }
    }
}
