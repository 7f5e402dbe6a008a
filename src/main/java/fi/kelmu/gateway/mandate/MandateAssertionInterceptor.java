package fi.kelmu.gateway.mandate;

import fi.kelmu.gateway.fault.FaultCode;
import fi.kelmu.gateway.fault.GatewayException;
import fi.kelmu.gateway.security.AuthenticatedCaller;
import fi.kelmu.gateway.security.MessageSecurityInterceptor;
import fi.kelmu.gateway.security.MessageSignatureVerifier;
import jakarta.xml.soap.SOAPMessage;
import java.util.List;
import org.apache.cxf.binding.soap.SoapMessage;
import org.apache.cxf.interceptor.Fault;
import org.apache.cxf.phase.AbstractPhaseInterceptor;
import org.apache.cxf.phase.Phase;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/**
 * The mandate-assertion stage (ARCHITECTURE.md step 4), right after message security: a request may carry
 * one MandateAssertion, as a direct child of the SOAP Header and covered by the caller's message
 * signature (so it cannot be lifted into another message); its issuer signature is verified by
 * {@link MandateAssertionVerifier}. An assertion anywhere else in the message is refused as a wrapping
 * attempt. Whether it fits the request's user and organisation is decided in the route.
 */
public final class MandateAssertionInterceptor extends AbstractPhaseInterceptor<SoapMessage> {

    private static final String FAILURE_KEY = MandateAssertionInterceptor.class.getName() + ".failure";
    private static final String SOAP_NS = "http://schemas.xmlsoap.org/soap/envelope/";
    private final MandateAssertionVerifier verifier;

    public MandateAssertionInterceptor(MandateAssertionVerifier verifier) {
        super(Phase.PRE_PROTOCOL);
        addAfter(MessageSecurityInterceptor.class.getName());
        this.verifier = verifier;
    }

    /**
     * A message with an assertion out of place is refused here, as a malformed message. A well-placed
     * assertion that is refused does not stop the request here: the failure is kept and thrown by the
     * route's mandate step, so that the refusal of an authenticated caller's data request reaches the access
     * log like every other refusal (issue 4 item 7).
     */
    @Override
    public void handleMessage(SoapMessage message) throws Fault {
        Element assertion = locate(message);
        if (assertion == null) {
            return;
        }
        try {
            if (!AuthenticatedCaller.of(message).message().covers(assertion)) {
                throw invalid("the MandateAssertion is not covered by the message signature");
            }
            verifier.verify(assertion).attachTo(message);
        } catch (GatewayException e) {
            message.getExchange().put(FAILURE_KEY, e);
        }
    }

    /** The refusal of the request's assertion, or null when it had none or it verified. */
    public static GatewayException failureOf(org.apache.cxf.message.Message cxfMessage) {
        return cxfMessage.getExchange() == null ? null : (GatewayException) cxfMessage.getExchange().get(FAILURE_KEY);
    }

    /** The request's one MandateAssertion, a direct child of the SOAP Header, or null when it has none. */
    private static Element locate(SoapMessage message) {
        SOAPMessage saaj = message.getContent(SOAPMessage.class);
        AuthenticatedCaller caller = AuthenticatedCaller.of(message);
        if (saaj == null || caller == null) {
            throw new IllegalStateException("message security must run before the mandate assertion stage");
        }
        Document document = saaj.getSOAPPart();
        int anywhere = document.getElementsByTagNameNS(MandateAssertion.NS, MandateAssertion.QNAME.getLocalPart())
                .getLength();
        if (anywhere == 0) {
            return null;
        }
        // found by walking Envelope/Header, the way the signature verifier walked it: SAAJ may hand out
        // different wrapper objects for the same node through other lookups, and coverage is by identity
        Element assertion = null;
        Element header = MessageSignatureVerifier.firstChild(document.getDocumentElement(), SOAP_NS, "Header");
        for (Element e : header == null ? List.<Element>of() : MessageSignatureVerifier.children(header)) {
            if (MandateAssertion.NS.equals(e.getNamespaceURI())
                    && MandateAssertion.QNAME.getLocalPart().equals(e.getLocalName())) {
                if (assertion != null) {
                    throw invalid("more than one MandateAssertion in the SOAP Header");
                }
                assertion = e;
            }
        }
        if (assertion == null || anywhere > 1) {
            throw invalid("a MandateAssertion outside the SOAP Header (" + anywhere + " in the message)");
        }
        return assertion;
    }

    private static GatewayException invalid(String reason) {
        return new GatewayException(FaultCode.INVALID_MANDATE_ASSERTION, null, reason);
    }
}
