package fi.kelmu.gateway.transport;

import fi.kelmu.gateway.identity.CallerAuthentication;
import fi.kelmu.gateway.mandate.MandateAssertions;
import fi.kelmu.gateway.registry.Organisation;
import fi.kelmu.gateway.request.GatewayRequest;
import fi.kelmu.gateway.security.MessageSignatureVerifier;
import fi.kelmu.gateway.security.SecurityServerDelivery;
import fi.kelmu.gateway.security.VerifiedMessage;
import fi.kelmu.gateway.xroad.XRoadHeaderReader;
import fi.kelmu.gateway.xroad.XRoadHeaders;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.Set;
import javax.xml.namespace.QName;
import fi.kelmu.gateway.xml.Dom;
import org.apache.cxf.binding.soap.SoapMessage;
import org.apache.cxf.binding.soap.interceptor.AbstractSoapInterceptor;
import org.apache.cxf.interceptor.Fault;
import org.apache.cxf.phase.Phase;
import org.apache.cxf.security.transport.TLSSessionInfo;
import org.w3c.dom.Document;

/**
 * The message-security part of the inbound chain (docs/architecture.md step 3), before any header is believed,
 * the body is parsed or a route runs, in this order: the message is proven ({@link MessageProof}: its WS-Security
 * signature is verified by {@link MessageSignatureVerifier}, or in X-Road mode {@link SecurityServerDelivery}
 * checks that a configured security server delivered it); the X-Road headers are read from the verified message
 * ({@link XRoadHeaderReader#read}); the caller is authenticated from the certificate and replays are refused
 * ({@link CallerAuthentication}); a MandateAssertion out of its place is refused ({@link MandateAssertions}).
 * What this establishes goes into the request's {@link GatewayRequest}.
 */
public final class MessageSecurityInterceptor extends AbstractSoapInterceptor {

    /**
     * The header this interceptor processes: a {@code wsse:Security} marked {@code mustUnderstand} (the default
     * of WSS4J, .NET and Metro clients) is understood here, and CXF must not refuse it as not understood.
     */
    private static final Set<QName> UNDERSTOOD = Set.of(new QName(Dom.WSSE_NS, "Security"));

    /** What proves a request, given the parsed message and the connection's TLS client certificate (or null). */
    @FunctionalInterface
    public interface MessageProof {
        VerifiedMessage verify(Document document, X509Certificate tlsPeer);
    }

    private final MessageProof proof;
    private final XRoadHeaderReader headerReader;
    private final CallerAuthentication authentication;

    public MessageSecurityInterceptor(MessageProof proof, XRoadHeaderReader headerReader,
            CallerAuthentication authentication) {
        super(Phase.PRE_PROTOCOL);
        addAfter(RequestDocument.ReadBody.class.getName());
        this.proof = proof;
        this.headerReader = headerReader;
        this.authentication = authentication;
    }

    @Override
    public Set<QName> getUnderstoodHeaders() {
        return UNDERSTOOD;
    }

    @Override
    public void handleMessage(SoapMessage message) throws Fault {
        Document document = RequestDocument.of(message);
        if (document == null) {
            throw new IllegalStateException("RequestDocument must read the request before message security");
        }
        X509Certificate tlsPeer = tlsPeer(message);
        VerifiedMessage verified = proof.verify(document, tlsPeer);
        XRoadHeaders headers = headerReader.read(verified);
        Organisation caller = authentication.identify(verified, headers, tlsPeer);
        GatewayRequest request = CorrelationId.request(message);
        request.authenticated(verified, headers, caller);
        // what is refused from here on has a known caller, and its refusal is recorded (PreRouteRefusalInterceptor)
        request.soapActionMismatch().ifPresent(refusal -> {
            throw refusal;
        });
        authentication.refuseReplay(verified, headers, caller);
        MandateAssertions.locate(verified);
    }

    /** The TLS client certificate of the connection, or null when the caller sent none. */
    private static X509Certificate tlsPeer(SoapMessage message) {
        TLSSessionInfo tls = message.get(TLSSessionInfo.class);
        if (tls == null || tls.getPeerCertificates() == null || tls.getPeerCertificates().length == 0) {
            return null;
        }
        Certificate peer = tls.getPeerCertificates()[0];
        if (!(peer instanceof X509Certificate x509)) {
            throw new IllegalStateException("TLS client certificate of type " + peer.getType());
        }
        return x509;
    }
}
