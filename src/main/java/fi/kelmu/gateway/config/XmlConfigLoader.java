package fi.kelmu.gateway.config;

import fi.kelmu.gateway.xml.ReusingSchema;
import jakarta.xml.bind.JAXBContext;
import jakarta.xml.bind.JAXBException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import javax.xml.XMLConstants;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;
import javax.xml.validation.Schema;
import javax.xml.validation.SchemaFactory;
import org.xml.sax.SAXException;

/** Loads schema-validated XML configuration (registry, policy, demo data) through JAXB; no DTDs, no entities. */
public final class XmlConfigLoader {

    private static final XMLInputFactory INPUT_FACTORY = safeInputFactory();

    private XmlConfigLoader() {
    }

    /**
     * A schema from the classpath (the committed {@code xsd/} folder is packaged at the classpath root), as a
     * {@link ReusingSchema}: its validators are pooled, not built for each document.
     */
    public static Schema schema(String classpathLocation) {
        URL url = XmlConfigLoader.class.getClassLoader().getResource(classpathLocation);
        if (url == null) {
            throw new IllegalStateException("schema not on the classpath: " + classpathLocation);
        }
        try {
            SchemaFactory factory = SchemaFactory.newInstance(XMLConstants.W3C_XML_SCHEMA_NS_URI);
            factory.setProperty(XMLConstants.ACCESS_EXTERNAL_DTD, "");
            factory.setProperty(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "file,jar:file");
            // validators reused: whoever validates against it (JAXB given the schema, a verifier) builds none per document
            return ReusingSchema.of(factory.newSchema(url));
        } catch (SAXException e) {
            throw new IllegalStateException("schema " + classpathLocation + " does not load: " + e.getMessage(), e);
        }
    }

    public static <T> T load(ResourceLocation location, Class<T> type, Schema schema) {
        try (InputStream in = location.open()) {
            return unmarshal(in, type, schema);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + location + ": " + e.getMessage(), e);
        } catch (JAXBException | XMLStreamException e) {
            String detail = e.getCause() != null ? e.getCause().getMessage() : e.getMessage();
            throw new IllegalStateException(location + " is not valid: " + detail, e);
        }
    }

    public static <T> T unmarshal(InputStream in, Class<T> type, Schema schema) throws JAXBException, XMLStreamException {
        return unmarshal(JAXBContext.newInstance(type), in, type, schema);
    }

    /**
     * Unmarshals with a context made once by the caller (creating a JAXBContext is costly). For one document; what
     * reads many holds an {@link XmlBinding}, which reuses its unmarshallers and validators.
     */
    public static <T> T unmarshal(JAXBContext context, InputStream in, Class<T> type, Schema schema)
            throws JAXBException, XMLStreamException {
        return new XmlBinding(context, schema).unmarshal(in, type);
    }

    /**
     * Unmarshals a whole document whose root element must be the one bound to {@code rootType}. Unlike
     * {@link #unmarshal(JAXBContext, InputStream, Class, Schema)}, which binds whatever root it meets to the type
     * asked, another valid element of the schema (an error body instead of an answer) is refused here.
     */
    public static <T> T unmarshalDocument(JAXBContext context, InputStream in, Class<T> rootType, Schema schema)
            throws JAXBException, XMLStreamException {
        return new XmlBinding(context, schema).unmarshalDocument(in, rootType);
    }

    /** A StAX reader of {@code in}: no DTD processed, no external entities. */
    static XMLStreamReader newReader(InputStream in) throws XMLStreamException {
        return INPUT_FACTORY.createXMLStreamReader(in);
    }

    private static XMLInputFactory safeInputFactory() {
        XMLInputFactory factory = XMLInputFactory.newInstance();
        factory.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        factory.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        return factory;
    }
}
