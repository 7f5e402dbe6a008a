package fi.kelmu.gateway.security;

import fi.kelmu.gateway.fault.FaultCode;
import fi.kelmu.gateway.fault.GatewayException;
import fi.kelmu.gateway.xml.Dom;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.w3c.dom.Element;

/**
 * What the gateway may believe of a request, and why. In WS-Security mode a verified message signature proves
 * who signed (the certificate), when (the timestamp), and which elements of this very envelope it covers. In
 * X-Road mode a configured security server delivered the message ({@link #deliveredBy}): X-Road's own signature,
 * verified by the security servers, covers the whole message, and the caller is named by its client header.
 * Business logic may read only covered elements, and this is the one place that says whether an element is
 * covered.
 */
public final class VerifiedMessage {

    private final Element envelope;
    private final X509Certificate certificate;
    private final byte[] signatureValue;
    private final Instant created;
    private final Instant expires;
    private final Set<Element> covered;
    /** The TLS certificate of the security server that delivered the message; null for a signed message. */
    private final X509Certificate securityServer;

    public VerifiedMessage(Element envelope, X509Certificate certificate, byte[] signatureValue, Instant created,
            Instant expires, Set<Element> covered) {
        this(envelope, certificate, signatureValue.clone(), created, expires, covered, null);
    }

    private VerifiedMessage(Element envelope, X509Certificate certificate, byte[] signatureValue, Instant created,
            Instant expires, Set<Element> covered, X509Certificate securityServer) {
        this.envelope = envelope;
        this.certificate = certificate;
        this.signatureValue = signatureValue;
        this.created = created;
        this.expires = expires;
        Set<Element> identity = Collections.newSetFromMap(new IdentityHashMap<>());
        identity.addAll(covered);
        this.covered = Collections.unmodifiableSet(identity);
        this.securityServer = securityServer;
    }

    /**
     * A message delivered at {@code received} over TLS by the configured security server whose certificate is
     * {@code securityServer} (X-Road mode, docs/security.md): the SOAP Body and every direct child of the SOAP
     * Header count as covered, since X-Road's signature covers the message as the client's security server sent it.
     */
    public static VerifiedMessage deliveredBy(X509Certificate securityServer, Element envelope, Instant received) {
        List<Element> parts = new ArrayList<>();
        Element header = Dom.soapHeader(envelope);
        if (header != null) {
            parts.addAll(Dom.children(header));
        }
        Element body = Dom.firstChild(envelope, Dom.SOAP_NS, "Body");
        if (body != null) {
            parts.add(body);
        }
        return new VerifiedMessage(envelope, null, null, received, null, Set.copyOf(parts),
                Objects.requireNonNull(securityServer, "securityServer"));
    }

    /** The security server that delivered the message (X-Road mode); empty for a message signed by its sender. */
    public Optional<X509Certificate> securityServer() {
        return Optional.ofNullable(securityServer);
    }

    /** The SOAP Envelope the signature was verified in. */
    public Element envelope() {
        return envelope;
    }

    /** The signing certificate of a signed message. */
    public X509Certificate certificate() {
        return signed(certificate, "signing certificate");
    }

    /** The signature value of a signed message. */
    public byte[] signatureValue() {
        return signed(signatureValue, "signature value").clone();
    }

    /** The Timestamp's Created of a signed message; when a security server delivered it, when it arrived. */
    public Instant created() {
        return created;
    }

    private <T> T signed(T value, String what) {
        if (securityServer != null) {
            throw new IllegalStateException("a message delivered by a security server has no " + what);
        }
        return value;
    }

    /** The timestamp's Expires, or null when the sender gave none (or a security server delivered it). */
    public Instant expires() {
        return expires;
    }

    /** Whether this exact element (by identity, not by Id) is covered by the signature. */
    public boolean covers(Element element) {
        return covered.contains(element);
    }

    /**
     * Returns {@code element} when the signature covers it; otherwise the Client.PartNotSigned fault, whose
     * logged reason says that {@code what} is not signed.
     */
    public Element requireCovered(Element element, String what) {
        if (!covers(element)) {
            throw new GatewayException(FaultCode.PART_NOT_SIGNED, "Not signed: " + what + ".", what + " not signed");
        }
        return element;
    }

    /** The direct children of the SOAP Header, in order (none when the envelope has no Header). */
    public List<Element> headerElements() {
        Element header = envelope == null ? null : Dom.soapHeader(envelope);
        return header == null ? List.of() : Dom.children(header);
    }
}
