package fi.kelmu.gateway.config;

import fi.kelmu.gateway.xml.Pool;
import fi.kelmu.gateway.xml.ReusingSchema;
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

/**
 * A JAXB context and the schema its documents are validated against, with what reading and writing them needs built
 * once and reused: JAXB's {@link Unmarshaller}s and {@link Marshaller}s are not thread-safe, so they are pooled, and
 * an unmarshaller given a schema builds a new {@code ValidatorHandler} on every call, so the unmarshallers are given
 * the schema as a {@link ReusingSchema}. A document is read as before: parsed once (StAX, no DTD, no entities),
 * validated by JAXB's validating unmarshaller on the way, the first schema error refuses it. Thread-safe; keep one per
 * context and schema (an adapter holds one for its life).
 */
public final class XmlBinding {

    private final JAXBContext context;
    private final Schema schema;
    private final Pool<Unmarshaller> unmarshallers;
    private final Pool<Marshaller> marshallers;

    public XmlBinding(JAXBContext context, Schema schema) {
        this.context = context;
        this.schema = ReusingSchema.of(schema);
        int size = Pool.defaultSize();
        this.unmarshallers = new Pool<>(this::newUnmarshaller, u -> { }, size);
        this.marshallers = new Pool<>(this::newMarshaller, m -> { }, size);
    }

    public JAXBContext context() {
        return context;
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
        XMLStreamReader reader = XmlConfigLoader.newReader(in);
        try {
            T result = read.apply(unmarshaller, reader);
            // only after a clean read: one stopped halfway is dropped rather than trusted to reset
            unmarshallers.release(unmarshaller);
            return result;
        } finally {
            reader.close();
        }
    }

    private Unmarshaller newUnmarshaller() {
        try {
            Unmarshaller unmarshaller = context.createUnmarshaller();
            unmarshaller.setSchema(schema);
            return unmarshaller;
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
}
