package fi.kelmu.gateway.config;

import javax.xml.XMLConstants;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;
import javax.xml.stream.util.StreamReaderDelegate;
import javax.xml.validation.ValidatorHandler;
import org.xml.sax.SAXException;
import org.xml.sax.helpers.AttributesImpl;

/**
 * A StAX reader that shows every event it moves to a schema's {@link ValidatorHandler} before the reader's consumer
 * (JAXB) sees it: one parse, validated on the way, as JAXB's own validating unmarshaller does with a handler it
 * builds for each call. The first validation error ends reading with an {@link XMLStreamException} whose message is
 * the validator's and whose cause is its {@link org.xml.sax.SAXParseException}.
 *
 * <p>The consumer must move only with {@link #next()} (or {@link #nextTag()} and {@link #getElementText()}, which are
 * built on it); {@link #finish()} ends the document for the validator when the consumer stopped at the root's end.
 */
final class ValidatingStreamReader extends StreamReaderDelegate {

    private final ValidatorHandler validator;
    private boolean ended;

    ValidatingStreamReader(XMLStreamReader reader, ValidatorHandler validator) throws XMLStreamException {
        super(reader);
        this.validator = validator;
        if (reader.getEventType() != XMLStreamConstants.START_DOCUMENT) {
            throw new IllegalStateException("a document is validated from its start");
        }
        try {
            validator.startDocument();
        } catch (SAXException e) {
            throw invalid(e);
        }
    }

    @Override
    public int next() throws XMLStreamException {
        int event = super.next();
        try {
            report(event);
        } catch (SAXException e) {
            throw invalid(e);
        }
        return event;
    }

    @Override
    public int nextTag() throws XMLStreamException {
        int event = next();
        while (event == CHARACTERS && isWhiteSpace() || event == CDATA && isWhiteSpace() || event == SPACE
                || event == PROCESSING_INSTRUCTION || event == COMMENT) {
            event = next();
        }
        if (event != START_ELEMENT && event != END_ELEMENT) {
            throw new XMLStreamException("expected a start or end tag", getLocation());
        }
        return event;
    }

    @Override
    public String getElementText() throws XMLStreamException {
        if (getEventType() != START_ELEMENT) {
            throw new XMLStreamException("not at a start tag", getLocation());
        }
        StringBuilder text = new StringBuilder();
        int event = next();
        while (event != END_ELEMENT) {
            if (event == CHARACTERS || event == CDATA || event == SPACE || event == ENTITY_REFERENCE) {
                text.append(getText());
            } else if (event != PROCESSING_INSTRUCTION && event != COMMENT) {
                throw new XMLStreamException("element text expected", getLocation());
            }
            event = next();
        }
        return text.toString();
    }

    /** Ends the document for the validator if the consumer did not read to its end (identity constraints). */
    void finish() throws XMLStreamException {
        if (!ended) {
            ended = true;
            try {
                validator.endDocument();
            } catch (SAXException e) {
                throw invalid(e);
            }
        }
    }

    private void report(int event) throws SAXException {
        switch (event) {
            case START_ELEMENT -> {
                for (int i = 0; i < getNamespaceCount(); i++) {
                    validator.startPrefixMapping(orEmpty(getNamespacePrefix(i)), orEmpty(getNamespaceURI(i)));
                }
                AttributesImpl attributes = new AttributesImpl();
                for (int i = 0; i < getAttributeCount(); i++) {
                    String prefix = getAttributePrefix(i);
                    String local = getAttributeLocalName(i);
                    attributes.addAttribute(orEmpty(getAttributeNamespace(i)), local, qualified(prefix, local),
                            orCdata(getAttributeType(i)), getAttributeValue(i));
                }
                validator.startElement(orEmpty(getNamespaceURI()), getLocalName(), qualified(getPrefix(), getLocalName()),
                        attributes);
            }
            case END_ELEMENT -> {
                validator.endElement(orEmpty(getNamespaceURI()), getLocalName(), qualified(getPrefix(), getLocalName()));
                for (int i = 0; i < getNamespaceCount(); i++) {
                    validator.endPrefixMapping(orEmpty(getNamespacePrefix(i)));
                }
            }
            case CHARACTERS, CDATA, SPACE -> validator.characters(getTextCharacters(), getTextStart(), getTextLength());
            case PROCESSING_INSTRUCTION -> validator.processingInstruction(getPITarget(), orEmpty(getPIData()));
            case END_DOCUMENT -> {
                if (!ended) {
                    ended = true;
                    validator.endDocument();
                }
            }
            default -> {
                // comments, the DTD event (never processed: see XmlConfigLoader's input factory), entity events
            }
        }
    }

    private static XMLStreamException invalid(SAXException e) {
        return new XMLStreamException(e.getMessage(), e); // the SAX failure is its cause
    }

    private static String qualified(String prefix, String local) {
        return prefix == null || prefix.isEmpty() ? local : prefix + ":" + local;
    }

    private static String orEmpty(String value) {
        return value == null ? XMLConstants.NULL_NS_URI : value;
    }

    private static String orCdata(String type) {
        return type == null || type.isEmpty() ? "CDATA" : type;
    }
}
