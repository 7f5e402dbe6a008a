package fi.kelmu.gateway.config;

import fi.kelmu.gateway.xml.Pool;
import jakarta.xml.bind.JAXBContext;
import jakarta.xml.bind.JAXBException;
import jakarta.xml.bind.JAXBIntrospector;
import jakarta.xml.bind.Marshaller;
import jakarta.xml.bind.Unmarshaller;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Writer;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;
import javax.xml.validation.Schema;
import javax.xml.validation.ValidatorHandler;
import org.xml.sax.ErrorHandler;
import org.xml.sax.SAXParseException;

/**
 * A JAXB context and the schema its documents are validated against, with what reading and writing them needs built
 * once and reused: JAXB's {@link Unmarshaller} and {@link Marshaller} and the schema's {@link ValidatorHandler} are
 * not thread-safe and costly to build (an unmarshaller given a schema builds a new validator on every call), so they
 * are pooled. A document is parsed once (StAX, no DTD, no entities), validated on the way
 * ({@link ValidatingStreamReader}) and bound; the first schema error refuses it, as JAXB's validating unmarshaller
 * does. Thread-safe; keep one per context and schema (an adapter holds one for its life).
 */
public final class XmlBinding {

    /** Warnings pass; an error or fatal error ends validation with it (JAXB's default for a validating read). */
    private static final ErrorHandler FIRST_ERROR = new ErrorHandler() {
        @Override
        public void warning(SAXParseException exception) {
            // not a reason to refuse
        }

        @Override
        public void error(SAXParseException exception) throws SAXParseException {
            throw exception;
        }

        @Override
        public void fatalError(SAXParseException exception) throws SAXParseException {
            throw exception;
        }
    };

    private final JAXBContext context;
    private final Schema schema;
    private final Pool<Unmarshaller> unmarshallers;
    private final Pool<ValidatorHandler> validators;
    private final Pool<Marshaller> marshallers;

    public XmlBinding(JAXBContext context, Schema schema) {
        this.context = context;
        this.schema = schema;
        int size = Pool.defaultSize();
        this.unmarshallers = new Pool<>(this::newUnmarshaller, u -> { }, size);
        this.validators = new Pool<>(this::newValidatorHandler, v -> { }, size);
        this.marshallers = new Pool<>(this::newMarshaller, m -> { }, size);
    }

    public JAXBContext context() {
        return context;
    }

    public Schema schema() {
        return schema;
    }

    /** Binds the document's root element, whatever its name, to {@code type}, once it is valid against the schema. */
    public <T> T unmarshal(InputStream in, Class<T> type) throws JAXBException, XMLStreamException {
        return read(in, (unmarshaller, reader) -> unmarshaller.unmarshal(reader, type).getValue());
    }

    /**
     * Unmarshals a whole valid document whose root element must be the one bound to {@code rootType}: another valid
     * element of the schema (an error body instead of an answer) is refused.
     */
    public <T> T unmarshalDocument(InputStream in, Class<T> rootType) throws JAXBException, XMLStreamException {
        Object root = read(in, (unmarshaller, reader) -> JAXBIntrospector.getValue(unmarshaller.unmarshal(reader)));
        if (!rootType.isInstance(root)) {
            throw new JAXBException("root element is " + (root == null ? "nothing" : root.getClass().getSimpleName())
                    + ", not " + rootType.getSimpleName());
        }
        return rootType.cast(root);
    }

    /** Marshals {@code body} (not validated: what the gateway builds from its own typed data). */
    public void marshal(Object body, Writer out) throws JAXBException {
        Marshaller marshaller = marshallers.borrow();
        marshaller.marshal(body, out);
        marshallers.release(marshaller); // not after a failure: one that failed halfway is not used again
    }

    /** Marshals {@code body} (not validated: what the gateway builds from its own typed data). */
    public void marshal(Object body, OutputStream out) throws JAXBException {
        Marshaller marshaller = marshallers.borrow();
        marshaller.marshal(body, out);
        marshallers.release(marshaller);
    }

    private interface Read<T> {
        T apply(Unmarshaller unmarshaller, XMLStreamReader reader) throws JAXBException;
    }

    private <T> T read(InputStream in, Read<T> read) throws JAXBException, XMLStreamException {
        Unmarshaller unmarshaller = unmarshallers.borrow();
        ValidatorHandler validator = validators.borrow();
        XMLStreamReader parser = XmlConfigLoader.newReader(in);
        try {
            ValidatingStreamReader reader = new ValidatingStreamReader(parser, validator);
            T result = read.apply(unmarshaller, reader);
            reader.finish();
            // only after a clean read: one stopped halfway is dropped rather than trusted to reset
            validators.release(validator);
            unmarshallers.release(unmarshaller);
            return result;
        } finally {
            parser.close();
        }
    }

    private Unmarshaller newUnmarshaller() {
        try {
            return context.createUnmarshaller(); // no schema: validation is the pooled handler's
        } catch (JAXBException e) {
            throw new IllegalStateException("no unmarshaller for " + context, e);
        }
    }

    private Marshaller newMarshaller() {
        try {
            return context.createMarshaller();
        } catch (JAXBException e) {
            throw new IllegalStateException("no marshaller for " + context, e);
        }
    }

    private ValidatorHandler newValidatorHandler() {
        ValidatorHandler handler = schema.newValidatorHandler();
        handler.setErrorHandler(FIRST_ERROR);
        return handler;
    }
}
