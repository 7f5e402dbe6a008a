package fi.kelmu.gateway.support;

import fi.kelmu.gateway.mandate.MandateAssertion;
import fi.kelmu.gateway.mandate.MandateAssertionIssuer;
import fi.kelmu.gateway.security.SecurityMaterial;
import fi.kelmu.gateway.sandbox.SandboxPki;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/** Mandate assertions for tests, issued with the test run's sandbox mandate issuer key. */
public final class Mandates {

    private Mandates() {
    }

    public static MandateAssertionIssuer sandboxIssuer() {
        try {
            KeyStore store = SecurityMaterial.keyStore(TestGateway.pki().mandateIssuerKeyStore(), SandboxPki.PASSWORD);
            return new MandateAssertionIssuer("sandbox issuer",
                    (PrivateKey) store.getKey(SandboxPki.MANDATE_ISSUER_ALIAS, SandboxPki.PASSWORD),
                    (X509Certificate) store.getCertificate(SandboxPki.MANDATE_ISSUER_ALIAS));
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A valid assertion (from a minute ago, for an hour) by the sandbox issuer. */
    public static Document assertion(String user, String organisation, String... mandates) {
        Instant now = Instant.now();
        return sandboxIssuer().issue(user, organisation, List.of(mandates), now.minusSeconds(60), now.plusSeconds(3600));
    }

    /** Puts a copy of the assertion into the envelope's SOAP Header, as its last child; returns the copy. */
    public static Element addTo(Document envelope, Document assertion) {
        Element header = header(envelope);
        Element copy = (Element) envelope.importNode(assertion.getDocumentElement(), true);
        header.appendChild(copy);
        return copy;
    }

    public static Element header(Document envelope) {
        for (Node n = envelope.getDocumentElement().getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && "Header".equals(e.getLocalName())) {
                return e;
            }
        }
        throw new IllegalStateException("no SOAP Header");
    }

    /** The assertion's child element {@code name}. */
    public static Element field(Element assertion, String name) {
        return (Element) assertion.getElementsByTagNameNS(MandateAssertion.NS, name).item(0);
    }
}
