package fi.kelmu.gateway.mandate;

import fi.kelmu.gateway.fault.FaultCode;
import fi.kelmu.gateway.fault.GatewayException;
import fi.kelmu.gateway.security.VerifiedMessage;
import fi.kelmu.gateway.xml.Dom;
import java.util.Optional;
import org.w3c.dom.Element;

/**
 * A request's MandateAssertion (docs/architecture.md step 4): at most one, a direct child of the SOAP Header,
 * covered by the caller's message signature so it cannot be lifted into another message, and signed by a
 * trusted issuer ({@link MandateAssertionVerifier}). An assertion anywhere else in the message is refused as a
 * wrapping attempt. Whether it fits the request's user and organisation is {@link MandateResolution}'s call.
 */
public final class MandateAssertions {

    private final MandateAssertionVerifier verifier;

    public MandateAssertions(MandateAssertionVerifier verifier) {
        this.verifier = verifier;
    }

    /**
     * The request's one MandateAssertion, a direct child of the SOAP Header, or empty when it has none. An
     * assertion out of place, or more than one, is refused: the inbound chain calls this before the body is
     * parsed, so such a message is refused as malformed whatever else it holds.
     */
    public static Optional<Element> locate(VerifiedMessage message) {
        Element envelope = message.envelope();
        int anywhere = envelope.getOwnerDocument()
                .getElementsByTagNameNS(MandateAssertion.NS, MandateAssertion.QNAME.getLocalPart()).getLength();
        if (anywhere == 0) {
            return Optional.empty();
        }
        // found by walking Envelope/Header as the signature verifier walked it: coverage is by identity
        Element assertion = null;
        for (Element e : message.headerElements()) {
            if (Dom.is(e, MandateAssertion.QNAME)) {
                if (assertion != null) {
                    throw invalid("more than one MandateAssertion in the SOAP Header");
                }
                assertion = e;
            }
        }
        if (assertion == null || anywhere > 1) {
            throw invalid("a MandateAssertion outside the SOAP Header (" + anywhere + " in the message)");
        }
        return Optional.of(assertion);
    }

    /**
     * The verified assertion of the request, or empty when it carries none; a refused one is the fault of its
     * refusal, thrown in the route so that it reaches the access log like every other refusal.
     */
    public Optional<MandateAssertion> verify(VerifiedMessage message) {
        Optional<Element> located = locate(message);
        if (located.isEmpty()) {
            return Optional.empty();
        }
        if (!message.covers(located.get())) {
            throw invalid("the MandateAssertion is not covered by the message signature");
        }
        return Optional.of(verifier.verify(located.get()));
    }

    private static GatewayException invalid(String reason) {
        return new GatewayException(FaultCode.INVALID_MANDATE_ASSERTION, null, reason);
    }
}
