package fi.kelmu.gateway.transport;

import fi.kelmu.gateway.xml.Pool;
import java.io.IOException;
import java.util.List;
import java.util.ResourceBundle;
import javax.xml.transform.dom.DOMSource;
import javax.xml.validation.Schema;
import javax.xml.validation.Validator;
import org.apache.cxf.annotations.SchemaValidation.SchemaValidationType;
import org.apache.cxf.binding.soap.SoapMessage;
import org.apache.cxf.binding.soap.SoapVersion;
import org.apache.cxf.binding.soap.interceptor.RPCInInterceptor;
import org.apache.cxf.binding.soap.interceptor.SoapHeaderInterceptor;
import org.apache.cxf.binding.soap.model.SoapHeaderInfo;
import org.apache.cxf.common.i18n.BundleUtils;
import org.apache.cxf.headers.Header;
import org.apache.cxf.helpers.ServiceUtils;
import org.apache.cxf.interceptor.Fault;
import org.apache.cxf.message.Message;
import org.apache.cxf.phase.AbstractPhaseInterceptor;
import org.apache.cxf.phase.Phase;
import org.apache.cxf.service.Service;
import org.apache.cxf.service.model.BindingMessageInfo;
import org.apache.cxf.service.model.BindingOperationInfo;
import org.apache.cxf.service.model.ServiceModelUtil;
import org.apache.cxf.ws.addressing.EndpointReferenceUtils;
import org.apache.cxf.wsdl.interceptors.BareInInterceptor;
import org.apache.cxf.wsdl.interceptors.DocLiteralInInterceptor;
import org.w3c.dom.Element;
import org.xml.sax.ErrorHandler;
import org.xml.sax.SAXException;
import org.xml.sax.SAXParseException;

/**
 * Schema validation of the SOAP headers the WSDL binding declares, as CXF's {@link SoapHeaderInterceptor} does it
 * when schema validation is on, but with {@link Validator}s reused from a pool instead of one built per header and
 * request (building one costs more than validating a header). Same schema (CXF's, of the service), same headers (the
 * binding's header parts found in the message, as DOM elements), same errors ignored (a complaint about the header's
 * own {@code mustUnderstand} or {@code actor} attribute), the first error ends validation, and the same fault: a
 * client fault "Could not validate soapheader caused by: ..." from CXF's own message bundle, which
 * {@link FaultTranslator} turns into {@code Client.InvalidHeader}.
 *
 * <p>It runs where CXF would (after the body is read, before the headers are bound) and turns CXF's header
 * validation off for that one step only ({@link #restore()} puts the setting back once the headers are bound), so
 * that each header is validated once.
 */
public final class HeaderSchemaValidation extends AbstractPhaseInterceptor<SoapMessage> {

    /** CXF's messages of the SOAP binding's interceptors: the fault text is CXF's, word for word. */
    private static final ResourceBundle CXF_BUNDLE = BundleUtils.getBundle(SoapHeaderInterceptor.class);
    /** Set on the message while CXF binds the headers: what this interceptor turned off, to be put back. */
    private static final String SUSPENDED = HeaderSchemaValidation.class.getName() + ".suspended";
    private static final Object NOTHING = new Object();

    private volatile Validators validators;
    private final Restore restore = new Restore();

    public HeaderSchemaValidation() {
        super(Phase.UNMARSHAL);
        addAfter(BareInInterceptor.class.getName());
        addAfter(RPCInInterceptor.class.getName());
        addAfter(DocLiteralInInterceptor.class.getName());
        addBefore(SoapHeaderInterceptor.class.getName());
    }

    /** The interceptor that puts CXF's setting back after CXF has bound the headers; add it with this one. */
    public AbstractPhaseInterceptor<SoapMessage> restore() {
        return restore;
    }

    @Override
    public void handleMessage(SoapMessage message) throws Fault {
        BindingOperationInfo bop = message.getExchange().getBindingOperationInfo();
        if (bop == null || isRequestor(message)
                || !ServiceUtils.isSchemaValidationEnabled(SchemaValidationType.IN, message)) {
            return;
        }
        if (bop.isUnwrapped()) {
            bop = bop.getWrappedOperation();
        }
        BindingMessageInfo input = bop.getInput();
        List<SoapHeaderInfo> headers = input == null ? null : input.getExtensors(SoapHeaderInfo.class);
        if (headers == null || headers.isEmpty()) {
            return;
        }
        Service service = ServiceModelUtil.getService(message.getExchange());
        Schema schema = EndpointReferenceUtils.getSchema(service.getServiceInfos().get(0),
                message.getExchange().getBus());
        if (schema != null) {
            Validators pool = validators(schema);
            for (SoapHeaderInfo header : headers) {
                Header sent = message.getHeader(header.getPart().getConcreteName());
                if (sent != null && sent.getDataBinding() == null && sent.getObject() instanceof Element element) {
                    validate(pool.pool, element, message.getVersion());
                }
            }
        }
        // validated once, here: CXF binds the headers without validating them again
        Object before = message.get(Message.SCHEMA_VALIDATION_ENABLED);
        message.put(SUSPENDED, before == null ? NOTHING : before);
        message.put(Message.SCHEMA_VALIDATION_ENABLED, SchemaValidationType.NONE);
    }

    private Validators validators(Schema schema) {
        Validators current = validators;
        if (current == null || current.schema != schema) {
            current = new Validators(schema);
            validators = current;
        }
        return current;
    }

    /** Validates one header element with a pooled validator; the first error is the fault. */
    static void validate(Pool<Validator> pool, Element header, SoapVersion version) {
        Validator validator = pool.borrow();
        try {
            validator.setErrorHandler(new HeaderErrors(header, version));
            validator.validate(new DOMSource(header));
        } catch (SAXException | IOException e) {
            Fault fault = new Fault(new org.apache.cxf.common.i18n.Message("COULD_NOT_VALIDATE_SOAP_HEADER_CAUSED_BY",
                    CXF_BUNDLE, e.getClass().getCanonicalName(), e.getMessage()), e);
            fault.setFaultCode(Fault.FAULT_CODE_CLIENT);
            throw fault;
        } finally {
            // a validator stopped by an error is reset like any other (reset() returns it to its initial state)
            pool.release(validator);
        }
    }

    /** A pool of validators of one schema: CXF keeps one schema per service, so one pool per endpoint. */
    static Pool<Validator> pool(Schema schema) {
        return new Pool<>(schema::newValidator, v -> {
            v.reset();
            v.setErrorHandler(null);
        }, Pool.defaultSize());
    }

    private static final class Validators {
        final Schema schema;
        final Pool<Validator> pool;

        Validators(Schema schema) {
            this.schema = schema;
            this.pool = pool(schema);
        }
    }

    /**
     * Errors as CXF's header validation takes them: warnings pass, an error about the header element's own
     * {@code mustUnderstand} or {@code actor}/{@code role} attribute passes (the schema of a header does not
     * declare the SOAP attributes every header may carry), any other error or fatal error ends validation.
     */
    private static final class HeaderErrors implements ErrorHandler {
        private final Element header;
        private final SoapVersion version;

        HeaderErrors(Element header, SoapVersion version) {
            this.header = header;
            this.version = version;
        }

        @Override
        public void warning(SAXParseException exception) {
            // not a reason to refuse
        }

        @Override
        public void error(SAXParseException exception) throws SAXException {
            String text = exception.getMessage();
            if (text.contains(header.getLocalName()) && (text.contains(":" + version.getAttrNameRole())
                    || text.contains(":" + version.getAttrNameMustUnderstand()))) {
                return;
            }
            throw exception;
        }

        @Override
        public void fatalError(SAXParseException exception) throws SAXException {
            throw exception;
        }
    }

    /**
     * Puts CXF's schema-validation setting back on the message once CXF has bound the headers. When binding a header
     * fails the request ends in a fault and the setting stays off on that request message, which nothing reads again.
     */
    private static final class Restore extends AbstractPhaseInterceptor<SoapMessage> {

        Restore() {
            super(HeaderSchemaValidation.class.getName() + ".restore", Phase.UNMARSHAL);
            addAfter(SoapHeaderInterceptor.class.getName());
        }

        @Override
        public void handleMessage(SoapMessage message) {
            Object before = message.remove(SUSPENDED);
            if (before == null) {
                return;
            }
            if (before == NOTHING) {
                message.remove(Message.SCHEMA_VALIDATION_ENABLED);
            } else {
                message.put(Message.SCHEMA_VALIDATION_ENABLED, before);
            }
        }
    }
}
