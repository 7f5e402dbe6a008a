package fi.kelmu.gateway.security;

import fi.kelmu.gateway.fault.FaultCode;
import fi.kelmu.gateway.fault.GatewayException;
import fi.kelmu.gateway.registry.Organisation;
import fi.kelmu.gateway.registry.OrganisationRegistry;
import fi.kelmu.gateway.security.pki.OrganisationIdentity;
import fi.kelmu.gateway.xroad.XRoadHeaders;
import jakarta.xml.soap.SOAPMessage;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import org.apache.cxf.binding.soap.SoapMessage;
import org.apache.cxf.binding.soap.saaj.SAAJInInterceptor;
import org.apache.cxf.interceptor.Fault;
import org.apache.cxf.phase.AbstractPhaseInterceptor;
import org.apache.cxf.phase.Phase;
import org.apache.cxf.security.transport.TLSSessionInfo;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/**
 * The message-security stage of every request, before any header is believed or any route runs: verifies
 * the WS-Security signature ({@link MessageSignatureVerifier}), then establishes who is calling from the
 * certificate alone: its Y-tunnus must equal the signed {@code client/memberCode}, be registered, and equal
 * the TLS client certificate's when there is one. Finally refuses replays by X-Road message id and by
 * signature value.
 */
public final class MessageSecurityInterceptor extends AbstractPhaseInterceptor<SoapMessage> {

    private final MessageSignatureVerifier verifier;
    private final OrganisationRegistry registry;
    private final ReplayCache replayCache;
    private final Duration replayWindow;

    public MessageSecurityInterceptor(MessageSignatureVerifier verifier, OrganisationRegistry registry,
            ReplayCache replayCache, Duration replayWindow) {
        super(Phase.PRE_PROTOCOL);
        addAfter(SAAJInInterceptor.class.getName());
        this.verifier = verifier;
        this.registry = registry;
        this.replayCache = replayCache;
        this.replayWindow = replayWindow;
    }

    @Override
    public void handleMessage(SoapMessage message) throws Fault {
        SOAPMessage saaj = message.getContent(SOAPMessage.class);
        if (saaj == null) {
            throw new IllegalStateException("SAAJInInterceptor must run before message security");
        }
        Document document = saaj.getSOAPPart();
        VerifiedMessage verified = verifier.verify(document);

        Element client = signedHeader(document, verified, "client");
        Element id = signedHeader(document, verified, "id");
        String claimed = childText(client, "memberCode");
        String proven = OrganisationIdentity.businessIdOf(verified.certificate()).orElseThrow(() ->
                new GatewayException(FaultCode.ORGANISATION_MISMATCH, null, "certificate "
                        + CertificateTrust.describe(verified.certificate()) + " names no organisation (Y-tunnus)"));
        if (!proven.equals(claimed)) {
            throw new GatewayException(FaultCode.ORGANISATION_MISMATCH, null,
                    "certificate proves " + proven + " but client/memberCode is " + claimed);
        }
        checkTlsPeer(message, proven);
        Organisation organisation = registry.require(proven);

        Instant expiry = verified.created().plus(replayWindow);
        String messageKey = "id:" + proven + ":" + id.getTextContent().strip();
        // a digest of the signature value identifies it as well and keeps the cache small (RSA values are 256+ bytes)
        String signatureKey = "sig:" + Base64.getEncoder().encodeToString(sha256(verified.signatureValue()));
        if (!replayCache.firstSeen(signatureKey, expiry)) {
            throw new GatewayException(FaultCode.REPLAYED_MESSAGE, null, "signature value seen before");
        }
        if (!replayCache.firstSeen(messageKey, expiry)) {
            throw new GatewayException(FaultCode.REPLAYED_MESSAGE, null,
                    "X-Road message id " + id.getTextContent().strip() + " of " + proven + " seen before");
        }
        new AuthenticatedCaller(organisation, verified).attachTo(message);
    }

    private static byte[] sha256(byte[] value) {
        try {
            return java.security.MessageDigest.getInstance("SHA-256").digest(value);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by the Java platform", e);
        }
    }

    /** When the caller authenticated with a TLS client certificate too, both must name the same organisation. */
    private static void checkTlsPeer(SoapMessage message, String proven) {
        TLSSessionInfo tls = message.get(TLSSessionInfo.class);
        if (tls == null || tls.getPeerCertificates() == null || tls.getPeerCertificates().length == 0) {
            return;
        }
        Certificate peer = tls.getPeerCertificates()[0];
        String tlsOrganisation = peer instanceof X509Certificate x509
                ? OrganisationIdentity.businessIdOf(x509).orElse(null) : null;
        if (!proven.equals(tlsOrganisation)) {
            throw new GatewayException(FaultCode.ORGANISATION_MISMATCH, null,
                    "TLS client certificate names " + tlsOrganisation + " but the message signature " + proven);
        }
    }

    private static Element signedHeader(Document document, VerifiedMessage verified, String localName) {
        Element header = null;
        for (Element child : MessageSignatureVerifier.children(document.getDocumentElement())) {
            if ("Header".equals(child.getLocalName())) {
                header = child;
            }
        }
        for (Element child : header == null ? java.util.List.<Element>of() : MessageSignatureVerifier.children(header)) {
            if (XRoadHeaders.NS.equals(child.getNamespaceURI()) && localName.equals(child.getLocalName())) {
                if (!verified.covers(child)) {
                    throw new GatewayException(FaultCode.INVALID_SIGNATURE, null, localName + " header not signed");
                }
                return child;
            }
        }
        throw new GatewayException(FaultCode.MISSING_HEADER, "Missing header: '" + localName + "'.",
                "X-Road header " + localName + " missing");
    }

    private static String childText(Element parent, String localName) {
        for (Element child : MessageSignatureVerifier.children(parent)) {
            if (XRoadHeaders.ID_NS.equals(child.getNamespaceURI()) && localName.equals(child.getLocalName())) {
                return child.getTextContent().strip();
            }
        }
        return null;
    }
}
