package fi.kelmu.gateway.xml;

import javax.xml.XMLConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;
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
 */
public final class DomStreamWriter {

    private DomStreamWriter() {
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
}
