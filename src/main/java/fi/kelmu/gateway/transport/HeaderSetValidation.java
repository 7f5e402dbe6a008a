package fi.kelmu.gateway.transport;

import fi.kelmu.gateway.config.XmlConfigLoader;
import fi.kelmu.gateway.xml.Dom;
import fi.kelmu.gateway.xroad.XRoadHeaders;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Logger;
import javax.xml.XMLConstants;
import javax.xml.namespace.QName;
import javax.xml.transform.dom.DOMSource;
import javax.xml.validation.Schema;
import javax.xml.validation.Validator;
import org.apache.cxf.annotations.SchemaValidation.SchemaValidationType;
import org.apache.cxf.binding.soap.SoapMessage;
import org.apache.cxf.binding.soap.SoapVersion;
import org.apache.cxf.binding.soap.interceptor.AbstractSoapInterceptor;
import org.apache.cxf.binding.soap.interceptor.SoapHeaderInterceptor;
import org.apache.cxf.binding.soap.model.SoapHeaderInfo;
import org.apache.cxf.common.logging.LogUtils;
import org.apache.cxf.headers.Header;
import org.apache.cxf.helpers.ServiceUtils;
import org.apache.cxf.interceptor.Fault;
import org.apache.cxf.interceptor.Interceptor;
import org.apache.cxf.message.Message;
import org.apache.cxf.phase.Phase;
import org.apache.cxf.service.model.BindingMessageInfo;
import org.apache.cxf.service.model.BindingOperationInfo;
import org.apache.cxf.wsdl.interceptors.DocLiteralInInterceptor;
import org.w3c.dom.Attr;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NamedNodeMap;
import org.w3c.dom.Node;
import org.xml.sax.ErrorHandler;
import org.xml.sax.SAXException;
import org.xml.sax.SAXParseException;

/**
 * CXF's schema validation of a request's SOAP headers, in one pass (docs/benchmark.md, "One validation pass for the
 * X-Road headers"). CXF's {@link SoapHeaderInterceptor} validates each header bound in the WSDL as a document of its
 * own, and the validator resets itself for every document: for the six X-Road headers of a request that reset was
 * more than half of all schema validation. Here the same headers are validated, against the same declarations
 * (xroad.xsd, through the strict wildcard of {@code xsd/x-road-header-set.xsd}), as children of one wrapper: one
 * reset. The rest is CXF's: the same headers (bound parts, first of each name, DOM ones), in binding order, the same
 * errors ignored (a role or mustUnderstand attribute on the header), the same fault from the first error
 * ("Could not validate soapheader ...", a client fault, which {@link FaultTranslator} makes INVALID_HEADER). Only
 * then is CXF's own pass over the same headers switched off, for this message and for its header interceptor only.
 *
 * <p>An operation with a bound header outside X-Road's namespace is left to CXF entirely, as before.
 */
public final class HeaderSetValidation extends AbstractSoapInterceptor {

    static final String WRAPPER_NS = "urn:fi:kelmu:gateway:x-road-header-set";
    private static final Schema SCHEMA = XmlConfigLoader.schema("xsd/x-road-header-set.xsd");
    /** CXF's messages, so that the fault reads as CXF's own did. */
    private static final Logger CXF_MESSAGES = LogUtils.getL7dLogger(SoapHeaderInterceptor.class);
    /** The message's own schema-validation setting before this interceptor switched CXF's header pass off. */
    private static final String SAVED = HeaderSetValidation.class.getName() + ".saved";
    private static final Object NOTHING_SAVED = new Object();

    private final Restore restore = new Restore();

    private HeaderSetValidation() {
        super(Phase.UNMARSHAL);
        addAfter(DocLiteralInInterceptor.class.getName());
        addBefore(SoapHeaderInterceptor.class.getName());
    }

    /** This interceptor and the one that gives the message its setting back after CXF's header interceptor. */
    public static List<Interceptor<? extends Message>> interceptors() {
        HeaderSetValidation validation = new HeaderSetValidation();
        return List.of(validation, validation.restore);
    }

    @Override
    public void handleMessage(SoapMessage message) throws Fault {
        if (!ServiceUtils.isSchemaValidationEnabled(SchemaValidationType.IN, message)) {
            return;
        }
        List<Element> headers = boundHeaders(message);
        if (headers == null) {
            return;
        }
        validate(headers, message.getVersion());
        Object saved = message.get(Message.SCHEMA_VALIDATION_ENABLED);
        message.put(SAVED, saved == null ? NOTHING_SAVED : saved);
        message.put(Message.SCHEMA_VALIDATION_ENABLED, SchemaValidationType.NONE);
    }

    /**
     * The headers CXF would validate, in its order: for each header part bound to the operation's input, the
     * message's first header of that name when it is a DOM element; null when a part is outside X-Road's namespace.
     */
    private static List<Element> boundHeaders(SoapMessage message) {
        BindingOperationInfo operation = message.getExchange().getBindingOperationInfo();
        if (operation == null) {
            return null;
        }
        if (operation.isUnwrapped()) {
            operation = operation.getWrappedOperation();
        }
        BindingMessageInfo input = operation.getInput();
        List<SoapHeaderInfo> parts = input == null ? null : input.getExtensors(SoapHeaderInfo.class);
        if (parts == null || parts.isEmpty()) {
            return null;
        }
        List<Element> headers = new ArrayList<>(parts.size());
        for (SoapHeaderInfo part : parts) {
            QName name = part.getPart().getConcreteName();
            if (!XRoadHeaders.NS.equals(name.getNamespaceURI())) {
                return null;
            }
            Header header = message.getHeader(name);
            if (header != null && header.getDataBinding() == null && header.getObject() instanceof Element element) {
                headers.add(element);
            }
        }
        return headers;
    }

    /** Validates copies of {@code headers} as children of one wrapper; throws CXF's fault on the first error. */
    static void validate(List<Element> headers, SoapVersion version) {
        if (headers.isEmpty()) {
            return;
        }
        Document document = Dom.newDocument();
        Element wrapper = document.createElementNS(WRAPPER_NS, "headers");
        document.appendChild(wrapper);
        for (Element header : headers) {
            Element copy = (Element) document.importNode(header, true);
            declareInherited(header, copy);
            wrapper.appendChild(copy);
        }
        Validator validator = SCHEMA.newValidator();
        validator.setErrorHandler(new IgnoringSoapAttributes(headers, version));
        try {
            validator.validate(new DOMSource(document));
        } catch (SAXException | IOException e) {
            Fault fault = new Fault("COULD_NOT_VALIDATE_SOAP_HEADER_CAUSED_BY", CXF_MESSAGES, e,
                    e.getClass().getCanonicalName(), e.getMessage());
            fault.setFaultCode(Fault.FAULT_CODE_CLIENT);
            throw fault;
        }
    }

    /**
     * Gives {@code copy} the namespace declarations {@code header} inherits from its ancestors (the envelope's, the
     * Header's), as a header validated where it stands sees them: a QName value may use one of those prefixes.
     */
    private static void declareInherited(Element header, Element copy) {
        for (Node ancestor = header.getParentNode(); ancestor instanceof Element element;
                ancestor = ancestor.getParentNode()) {
            NamedNodeMap attributes = element.getAttributes();
            for (int i = 0; i < attributes.getLength(); i++) {
                Attr attribute = (Attr) attributes.item(i);
                if (XMLConstants.XMLNS_ATTRIBUTE_NS_URI.equals(attribute.getNamespaceURI())
                        && !copy.hasAttributeNS(XMLConstants.XMLNS_ATTRIBUTE_NS_URI, attribute.getLocalName())) {
                    copy.setAttributeNS(XMLConstants.XMLNS_ATTRIBUTE_NS_URI, attribute.getName(), attribute.getValue());
                }
            }
        }
    }

    /**
     * CXF's error handler for a header, over all of them: an error about a role or mustUnderstand attribute of a
     * header (its message names the header and the attribute) is not the header's content and is ignored; any
     * other error is thrown; warnings are ignored.
     */
    private record IgnoringSoapAttributes(List<Element> headers, SoapVersion version) implements ErrorHandler {

        @Override
        public void warning(SAXParseException exception) {
            // as CXF: a warning does not refuse a header
        }

        @Override
        public void error(SAXParseException exception) throws SAXException {
            String text = exception.getMessage();
            if (text.contains(":" + version.getAttrNameRole()) || text.contains(":" + version.getAttrNameMustUnderstand())) {
                for (Element header : headers) {
                    if (text.contains(header.getLocalName())) {
                        return;
                    }
                }
            }
            throw exception;
        }

        @Override
        public void fatalError(SAXParseException exception) throws SAXException {
            throw exception;
        }
    }

    /** After CXF's header interceptor: the message's schema-validation setting as it was. */
    private static final class Restore extends AbstractSoapInterceptor {

        Restore() {
            super(HeaderSetValidation.class.getName() + ".restore", Phase.UNMARSHAL);
            addAfter(SoapHeaderInterceptor.class.getName());
        }

        @Override
        public void handleMessage(SoapMessage message) {
            Object saved = message.remove(SAVED);
            if (saved == NOTHING_SAVED) {
                message.remove(Message.SCHEMA_VALIDATION_ENABLED);
            } else if (saved != null) {
                message.put(Message.SCHEMA_VALIDATION_ENABLED, saved);
            }
        }
    }
}
