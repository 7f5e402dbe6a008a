package fi.kelmu.gateway.security;

import fi.kelmu.gateway.fault.FaultCode;
import fi.kelmu.gateway.fault.GatewayException;
import fi.kelmu.gateway.xml.Dom;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import org.w3c.dom.Element;

/**
 * What a verified message signature proves: who signed (the certificate), when (the timestamp), and which
 * elements of this very envelope it covers. Business logic may read only covered elements, and this is the
 * one place that says whether an element is covered.
 */
public final class VerifiedMessage {

    private final Element envelope;
    private final X509Certificate certificate;
    private final byte[] signatureValue;
    private final Instant created;
    private final Instant expires;
    private final Set<Element> covered;

    public VerifiedMessage(Element envelope, X509Certificate certificate, byte[] signatureValue, Instant created,
            Instant expires, Set<Element> covered) {
        this.envelope = envelope;
        this.certificate = certificate;
        this.signatureValue = signatureValue.clone();
        this.created = created;
        this.expires = expires;
        Set<Element> identity = Collections.newSetFromMap(new IdentityHashMap<>());
        identity.addAll(covered);
        this.covered = Collections.unmodifiableSet(identity);
    }

    /** The SOAP Envelope the signature was verified in. */
    public Element envelope() {
        return envelope;
    }

    public X509Certificate certificate() {
        return certificate;
    }

    public byte[] signatureValue() {
        return signatureValue.clone();
    }

    public Instant created() {
        return created;
    }

    /** The timestamp's Expires, or null when the sender gave none. */
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
