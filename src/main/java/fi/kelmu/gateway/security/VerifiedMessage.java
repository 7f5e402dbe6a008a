package fi.kelmu.gateway.security;

import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;
import org.w3c.dom.Element;

/**
 * What a verified message signature proves: who signed (the certificate), when (the timestamp), and which
 * elements of this very document it covers. Business logic may read only covered elements.
 */
public final class VerifiedMessage {

    private final X509Certificate certificate;
    private final byte[] signatureValue;
    private final Instant created;
    private final Instant expires;
    private final Set<Element> covered;

    public VerifiedMessage(X509Certificate certificate, byte[] signatureValue, Instant created, Instant expires,
            Set<Element> covered) {
        this.certificate = certificate;
        this.signatureValue = signatureValue.clone();
        this.created = created;
        this.expires = expires;
        Set<Element> identity = Collections.newSetFromMap(new IdentityHashMap<>());
        identity.addAll(covered);
        this.covered = Collections.unmodifiableSet(identity);
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
}
