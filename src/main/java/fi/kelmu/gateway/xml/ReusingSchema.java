package fi.kelmu.gateway.xml;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.xml.transform.Result;
import javax.xml.transform.Source;
import javax.xml.validation.Schema;
import javax.xml.validation.TypeInfoProvider;
import javax.xml.validation.Validator;
import javax.xml.validation.ValidatorHandler;
import org.w3c.dom.TypeInfo;
import org.w3c.dom.ls.LSInput;
import org.w3c.dom.ls.LSResourceResolver;
import org.xml.sax.Attributes;
import org.xml.sax.ContentHandler;
import org.xml.sax.ErrorHandler;
import org.xml.sax.Locator;
import org.xml.sax.SAXException;
import org.xml.sax.SAXNotRecognizedException;
import org.xml.sax.SAXNotSupportedException;
import org.xml.sax.SAXParseException;

/**
 * A {@link Schema} whose validators are reused. The same schema, the same validation, the same errors: only the
 * building of a {@link Validator} or {@link ValidatorHandler} for each use, which costs more than validating a small
 * document, is saved. Code that asks a schema for a new validator for every document (CXF's validation of each SOAP
 * header, JAXB's unmarshaller given a schema, which builds a {@code ValidatorHandler} on every call) gets a light
 * stand-in that takes a real validator from a pool for one document and gives it back when the document ends.
 *
 * <p>A stand-in is used as a validator of the schema is: by one thread at a time, for documents one after the other.
 * It takes a real one at the start of a document and gives it back at its end ({@code validate} returning or
 * throwing, {@code endDocument} completing); a document abandoned halfway (an error that ends a JAXB read) leaves its
 * handler out of the pool, to be garbage collected. A stand-in given a feature or property of its own uses a real
 * validator of its own, never pooled, so that nothing it was given reaches another user.
 *
 * <p>A pooled validator's error handler and resource resolver are set once, to a {@link Relay} that passes on to
 * the borrower's. Setting them on the JDK's validator for each document would mark its configuration changed, and its
 * next document would then start with a full reset of the validator, its entity manager and its schema loader
 * instead of the short one (about a twentieth of a request's CPU with three validated documents a request,
 * docs/benchmark.md). For the same reason a validator is not {@code reset()} when given back: every document starts
 * with the JDK's own reset of the document state, which also follows a document that failed halfway.
 */
public final class ReusingSchema extends Schema {

    /** The JDK's (Xerces') feature that tells its components whether their settings changed since the last reset. */
    private static final String PARSER_SETTINGS = "http://apache.org/xml/features/internal/parser-settings";

    private final Schema schema;
    private final Pool<Relayed<Validator>> validators;
    private final Pool<Relayed<ValidatorHandler>> handlers;

    private ReusingSchema(Schema schema) {
        this.schema = schema;
        int size = Pool.defaultSize();
        this.validators = new Pool<>(() -> {
            Validator v = schema.newValidator();
            Relay relay = new Relay();
            v.setErrorHandler(relay);
            v.setResourceResolver(relay);
            return new Relayed<>(v, relay);
        }, v -> v.relay().point(null, null), size);
        this.handlers = new Pool<>(() -> relayed(schema.newValidatorHandler()), h -> {
            h.target().setContentHandler(null);
            h.relay().point(null, null);
        }, size);
    }

    /** A validator or handler and the relay it has as its error handler and resource resolver. */
    private record Relayed<T>(T target, Relay relay) {
    }

    /** {@code handler} with a relay of its own as its error handler and resource resolver. */
    private static Relayed<ValidatorHandler> relayed(ValidatorHandler handler) {
        Relay relay = new Relay();
        handler.setErrorHandler(relay);
        handler.setResourceResolver(relay);
        return new Relayed<>(handler, relay);
    }

    /**
     * The error handler and resource resolver of a pooled validator, passing on to those of its borrower. With none
     * it does what the JDK's validator does without one: warnings pass, errors throw, and resources resolve the
     * default way.
     */
    private static final class Relay implements ErrorHandler, LSResourceResolver {
        private ErrorHandler errorHandler;
        private LSResourceResolver resolver;

        void point(ErrorHandler errorHandler, LSResourceResolver resolver) {
            this.errorHandler = errorHandler;
            this.resolver = resolver;
        }

        @Override
        public void warning(SAXParseException e) throws SAXException {
            if (errorHandler != null) {
                errorHandler.warning(e);
            }
        }

        @Override
        public void error(SAXParseException e) throws SAXException {
            if (errorHandler == null) {
                throw e;
            }
            errorHandler.error(e);
        }

        @Override
        public void fatalError(SAXParseException e) throws SAXException {
            if (errorHandler == null) {
                throw e;
            }
            errorHandler.fatalError(e);
        }

        @Override
        public LSInput resolveResource(String type, String namespaceURI, String publicId, String systemId,
                String baseURI) {
            return resolver == null ? null : resolver.resolveResource(type, namespaceURI, publicId, systemId, baseURI);
        }
    }

    /** {@code schema} with its validators reused; a schema that reuses them already is returned as it is. */
    public static Schema of(Schema schema) {
        return schema instanceof ReusingSchema ? schema : new ReusingSchema(schema);
    }

    /** The schema validators are built from. */
    public Schema schema() {
        return schema;
    }

    @Override
    public Validator newValidator() {
        return new LeasedValidator();
    }

    @Override
    public ValidatorHandler newValidatorHandler() {
        return new LeasedHandler();
    }

    /**
     * Whether every idle validator and handler has its configuration unchanged since its last document (the JDK's
     * internal {@code parser-settings} feature false), so that its next document starts with the short reset (for
     * tests).
     */
    boolean idleOnesStartShort() throws SAXNotRecognizedException, SAXNotSupportedException {
        for (Relayed<Validator> v : validators.idleSnapshot()) {
            if (v.target().getFeature(PARSER_SETTINGS)) {
                return false;
            }
        }
        for (Relayed<ValidatorHandler> h : handlers.idleSnapshot()) {
            if (h.target().getFeature(PARSER_SETTINGS)) {
                return false;
            }
        }
        return true;
    }

    /** How many real validators and handlers are idle in the pools (for tests). */
    public int idle() {
        return validators.idleCount() + handlers.idleCount();
    }

    /** Features and properties given to a stand-in: applied to a real validator of its own. */
    private static final class Settings {
        final Map<String, Boolean> features = new LinkedHashMap<>();
        final Map<String, Object> properties = new LinkedHashMap<>();
    }

    private final class LeasedValidator extends Validator {
        private ErrorHandler errorHandler;
        private LSResourceResolver resolver;
        /** A real validator of this stand-in's own, once it was given a feature or property; never pooled. */
        private Validator own;

        @Override
        public void validate(Source source, Result result) throws SAXException, IOException {
            if (own != null) {
                own.setErrorHandler(errorHandler);
                own.setResourceResolver(resolver);
                own.validate(source, result);
                return;
            }
            Relayed<Validator> validator = validators.borrow();
            try {
                validator.relay().point(errorHandler, resolver);
                validator.target().validate(source, result);
            } finally {
                validators.release(validator); // also after an error: the next validate starts with a reset of its own
            }
        }

        @Override
        public void reset() {
            errorHandler = null;
            resolver = null;
            own = null;
        }

        @Override
        public void setErrorHandler(ErrorHandler errorHandler) {
            this.errorHandler = errorHandler;
        }

        @Override
        public ErrorHandler getErrorHandler() {
            return errorHandler;
        }

        @Override
        public void setResourceResolver(LSResourceResolver resourceResolver) {
            this.resolver = resourceResolver;
        }

        @Override
        public LSResourceResolver getResourceResolver() {
            return resolver;
        }

        @Override
        public boolean getFeature(String name) throws SAXNotRecognizedException, SAXNotSupportedException {
            return own().getFeature(name);
        }

        @Override
        public void setFeature(String name, boolean value) throws SAXNotRecognizedException, SAXNotSupportedException {
            own().setFeature(name, value);
        }

        @Override
        public Object getProperty(String name) throws SAXNotRecognizedException, SAXNotSupportedException {
            return own().getProperty(name);
        }

        @Override
        public void setProperty(String name, Object object) throws SAXNotRecognizedException, SAXNotSupportedException {
            own().setProperty(name, object);
        }

        private Validator own() {
            if (own == null) {
                own = schema.newValidator();
            }
            return own;
        }
    }

    private final class LeasedHandler extends ValidatorHandler {
        private ContentHandler contentHandler;
        private ErrorHandler errorHandler;
        private LSResourceResolver resolver;
        private Locator locator;
        private Settings settings;
        /**
         * The real handler of the document under way with its relay, or null between documents: from the pool while
         * this stand-in has no settings of its own, else built with them.
         */
        private Relayed<ValidatorHandler> current;

        private final TypeInfoProvider typeInfo = new TypeInfoProvider() {
            @Override
            public TypeInfo getElementTypeInfo() {
                return handler().getTypeInfoProvider().getElementTypeInfo();
            }

            @Override
            public TypeInfo getAttributeTypeInfo(int index) {
                return handler().getTypeInfoProvider().getAttributeTypeInfo(index);
            }

            @Override
            public boolean isIdAttribute(int index) {
                return handler().getTypeInfoProvider().isIdAttribute(index);
            }

            @Override
            public boolean isSpecified(int index) {
                return handler().getTypeInfoProvider().isSpecified(index);
            }
        };

        /** The real handler, taken for this document when none is yet. */
        private ValidatorHandler handler() {
            if (current == null) {
                current = settings == null ? handlers.borrow() : relayed(withSettings());
                current.target().setContentHandler(contentHandler);
                current.relay().point(errorHandler, resolver);
                if (locator != null) {
                    current.target().setDocumentLocator(locator);
                }
            }
            return current.target();
        }

        private ValidatorHandler withSettings() {
            ValidatorHandler own = schema.newValidatorHandler();
            try {
                for (Map.Entry<String, Boolean> feature : settings.features.entrySet()) {
                    own.setFeature(feature.getKey(), feature.getValue());
                }
                for (Map.Entry<String, Object> property : settings.properties.entrySet()) {
                    own.setProperty(property.getKey(), property.getValue());
                }
            } catch (SAXNotRecognizedException | SAXNotSupportedException e) {
                throw new IllegalStateException("accepted before, refused now: " + e.getMessage(), e);
            }
            return own;
        }

        @Override
        public void setDocumentLocator(Locator locator) {
            this.locator = locator;
            if (current != null) {
                current.target().setDocumentLocator(locator);
            }
        }

        @Override
        public void startDocument() throws SAXException {
            // a document left halfway before: its handler is not trusted with this one
            current = null;
            handler().startDocument();
        }

        @Override
        public void endDocument() throws SAXException {
            handler().endDocument();
            Relayed<ValidatorHandler> done = current;
            current = null;
            locator = null;
            if (settings == null) {
                handlers.release(done);
            }
        }

        @Override
        public void startPrefixMapping(String prefix, String uri) throws SAXException {
            handler().startPrefixMapping(prefix, uri);
        }

        @Override
        public void endPrefixMapping(String prefix) throws SAXException {
            handler().endPrefixMapping(prefix);
        }

        @Override
        public void startElement(String uri, String localName, String qName, Attributes atts) throws SAXException {
            handler().startElement(uri, localName, qName, atts);
        }

        @Override
        public void endElement(String uri, String localName, String qName) throws SAXException {
            handler().endElement(uri, localName, qName);
        }

        @Override
        public void characters(char[] ch, int start, int length) throws SAXException {
            handler().characters(ch, start, length);
        }

        @Override
        public void ignorableWhitespace(char[] ch, int start, int length) throws SAXException {
            handler().ignorableWhitespace(ch, start, length);
        }

        @Override
        public void processingInstruction(String target, String data) throws SAXException {
            handler().processingInstruction(target, data);
        }

        @Override
        public void skippedEntity(String name) throws SAXException {
            handler().skippedEntity(name);
        }

        @Override
        public void setContentHandler(ContentHandler receiver) {
            this.contentHandler = receiver;
            if (current != null) {
                current.target().setContentHandler(receiver);
            }
        }

        @Override
        public ContentHandler getContentHandler() {
            return contentHandler;
        }

        @Override
        public void setErrorHandler(ErrorHandler errorHandler) {
            this.errorHandler = errorHandler;
            if (current != null) {
                current.relay().point(errorHandler, resolver);
            }
        }

        @Override
        public ErrorHandler getErrorHandler() {
            return errorHandler;
        }

        @Override
        public void setResourceResolver(LSResourceResolver resourceResolver) {
            this.resolver = resourceResolver;
            if (current != null) {
                current.relay().point(errorHandler, resolver);
            }
        }

        @Override
        public LSResourceResolver getResourceResolver() {
            return resolver;
        }

        @Override
        public TypeInfoProvider getTypeInfoProvider() {
            return typeInfo;
        }

        @Override
        public boolean getFeature(String name) throws SAXNotRecognizedException, SAXNotSupportedException {
            if (settings != null && settings.features.containsKey(name)) {
                return settings.features.get(name);
            }
            ValidatorHandler probe = schema.newValidatorHandler();
            return probe.getFeature(name);
        }

        @Override
        public void setFeature(String name, boolean value) throws SAXNotRecognizedException, SAXNotSupportedException {
            schema.newValidatorHandler().setFeature(name, value); // refused here as a real handler would refuse it
            settings().features.put(name, value);
            dropCurrent();
        }

        @Override
        public Object getProperty(String name) throws SAXNotRecognizedException, SAXNotSupportedException {
            if (settings != null && settings.properties.containsKey(name)) {
                return settings.properties.get(name);
            }
            return schema.newValidatorHandler().getProperty(name);
        }

        @Override
        public void setProperty(String name, Object object) throws SAXNotRecognizedException, SAXNotSupportedException {
            schema.newValidatorHandler().setProperty(name, object);
            settings().properties.put(name, object);
            dropCurrent();
        }

        private Settings settings() {
            if (settings == null) {
                settings = new Settings();
            }
            return settings;
        }

        /** A setting changed between documents applies from the next document on a handler of its own. */
        private void dropCurrent() {
            current = null;
        }
    }
}
