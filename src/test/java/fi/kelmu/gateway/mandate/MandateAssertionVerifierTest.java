package fi.kelmu.gateway.mandate;

import static fi.kelmu.gateway.support.TestData.ETUUSTIEDOT;
import static fi.kelmu.gateway.support.TestData.HVA;
import static fi.kelmu.gateway.support.TestData.USER;
import static fi.kelmu.gateway.xml.Dom.DS_NS;
import static fi.kelmu.gateway.xml.Dom.WSU_NS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import fi.kelmu.gateway.fault.FaultCode;
import fi.kelmu.gateway.fault.GatewayException;
import fi.kelmu.gateway.security.SecurityMaterial;
import fi.kelmu.gateway.sandbox.PkiBuilder;
import fi.kelmu.gateway.sandbox.SandboxPki;
import fi.kelmu.gateway.support.Mandates;
import fi.kelmu.gateway.support.MutableClock;
import fi.kelmu.gateway.support.TestGateway;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.apache.xml.security.signature.XMLSignature;
import org.apache.xml.security.transforms.Transforms;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/**
 * The issuer signature of a MandateAssertion (issue 4 item 1), verified with Santuario: valid, expired,
 * not yet valid, untrusted issuer, tampered, wrapped, downgraded algorithms and foreign transforms.
 */
class MandateAssertionVerifierTest {

    private static final String ORG = HVA;

    private static PrivateKey issuerKey;
    private static X509Certificate issuerCert;
    private final MutableClock clock = new MutableClock(Instant.now());
    private final MandateAssertionVerifier verifier = new MandateAssertionVerifier(List.of(issuerCert),
            Duration.ofSeconds(60), Duration.ofHours(8), clock);

    @BeforeAll
    static void loadTheSandboxIssuer() throws Exception {
        KeyStore store = SecurityMaterial.keyStore(TestGateway.pki().mandateIssuerKeyStore(), SandboxPki.PASSWORD);
        issuerKey = (PrivateKey) store.getKey(SandboxPki.MANDATE_ISSUER_ALIAS, SandboxPki.PASSWORD);
        issuerCert = (X509Certificate) store.getCertificate(SandboxPki.MANDATE_ISSUER_ALIAS);
    }

    private static Element valid() {
        return Mandates.assertion(USER, ORG, ETUUSTIEDOT, "TOIMEENTULOTUKI_SOSIAALIPALVELUT").getDocumentElement();
    }

    private void refused(FaultCode expected, Element assertion) {
        GatewayException e = assertThrows(GatewayException.class, () -> verifier.verify(assertion));
        assertEquals(expected, e.faultCode(), e.getMessage());
    }

    @Test
    void validAssertionIsReadWithEveryField() {
        MandateAssertion a = verifier.verify(valid());
        assertEquals(USER, a.user());
        assertEquals(ORG, a.organisation());
        assertEquals(List.of(ETUUSTIEDOT, "TOIMEENTULOTUKI_SOSIAALIPALVELUT"), a.mandates());
        assertEquals("sandbox issuer", a.issuer());
        assertEquals(issuerCert, a.issuerCertificate());
        assertEquals(true, a.id().startsWith("ma-"));
    }

    @Test
    void expiredAssertionIsRefused() {
        Element a = valid();
        clock.set(clock.instant().plus(Duration.ofHours(2)));
        refused(FaultCode.MANDATE_ASSERTION_NOT_VALID_NOW, a);
    }

    @Test
    void notYetValidAssertionIsRefused() {
        Instant now = clock.instant();
        Element a = Mandates.sandboxIssuer().issue(USER, ORG, List.of(ETUUSTIEDOT), now.plus(1, ChronoUnit.HOURS),
                now.plus(2, ChronoUnit.HOURS)).getDocumentElement();
        refused(FaultCode.MANDATE_ASSERTION_NOT_VALID_NOW, a);
    }

    @Test
    void assertionWithinClockSkewOfItsEndIsStillAccepted() {
        Instant now = clock.instant();
        Element a = Mandates.sandboxIssuer().issue(USER, ORG, List.of(ETUUSTIEDOT), now.minusSeconds(600),
                now.minusSeconds(30)).getDocumentElement();
        verifier.verify(a);
    }

    @Test
    void assertionOfAnUntrustedIssuerIsRefused() {
        KeyPair keys = PkiBuilder.ec("secp256r1");
        Instant now = Instant.now();
        X509Certificate cert = PkiBuilder.selfSignedCa("CN=rogue mandate issuer", keys, now.minusSeconds(3600),
                now.plusSeconds(3600));
        Element a = new MandateAssertionIssuer("rogue", keys.getPrivate(), cert)
                .issue(USER, ORG, List.of(ETUUSTIEDOT), now.minusSeconds(60), now.plusSeconds(600)).getDocumentElement();
        refused(FaultCode.UNTRUSTED_MANDATE_ISSUER, a);
    }

    @Test
    void assertionOfAPinnedButExpiredIssuerCertificateIsRefused() {
        KeyPair keys = PkiBuilder.ec("secp256r1");
        Instant now = Instant.now();
        X509Certificate expired = PkiBuilder.selfSignedCa("CN=old mandate issuer", keys, now.minus(Duration.ofDays(30)),
                now.minus(Duration.ofDays(1)));
        Element a = new MandateAssertionIssuer("old", keys.getPrivate(), expired)
                .issue(USER, ORG, List.of(ETUUSTIEDOT), now.minusSeconds(60), now.plusSeconds(600)).getDocumentElement();
        GatewayException e = assertThrows(GatewayException.class,
                () -> new MandateAssertionVerifier(List.of(expired), Duration.ofSeconds(60), Duration.ofHours(8), clock).verify(a));
        assertEquals(FaultCode.UNTRUSTED_MANDATE_ISSUER, e.faultCode());
    }

    @Test
    void assertionValidLongerThanTheMaximumLifetimeIsRefusedR_MAND_4() {
        Instant now = clock.instant();
        Element a = Mandates.sandboxIssuer().issue(USER, ORG, List.of(ETUUSTIEDOT), now.minusSeconds(60),
                now.plus(Duration.ofDays(365))).getDocumentElement();
        refused(FaultCode.INVALID_MANDATE_ASSERTION, a);
    }

    @Test
    void backdatedStartCountsTowardsTheMaximumLifetime() {
        Instant now = clock.instant();
        Element a = Mandates.sandboxIssuer().issue(USER, ORG, List.of(ETUUSTIEDOT), now.minus(Duration.ofHours(9)),
                now.plusSeconds(600)).getDocumentElement();
        refused(FaultCode.INVALID_MANDATE_ASSERTION, a);
    }

    @Test
    void overlongAssertionIdIsRefused() {
        Element a = valid();
        // the id is signed; an issuer choosing a 200-character id gets the assertion refused before verification
        a.setAttributeNS(WSU_NS, "wsu:Id", "ma-" + "x".repeat(200));
        refused(FaultCode.INVALID_MANDATE_ASSERTION, a);
    }

    @Test
    void tamperedMandateIsRefused() {
        Element a = valid();
        Mandates.field(a, "mandate").setTextContent("RINTAMALISA");
        refused(FaultCode.INVALID_MANDATE_ASSERTION, a);
    }

    @Test
    void tamperedValidityIsRefused() {
        Element a = valid();
        Mandates.field(a, "notOnOrAfter").setTextContent("2099-01-01T00:00:00Z");
        refused(FaultCode.INVALID_MANDATE_ASSERTION, a);
    }

    @Test
    void assertionWithoutSignatureIsRefused() {
        Element a = valid();
        a.removeChild(a.getElementsByTagNameNS(DS_NS, "Signature").item(0));
        refused(FaultCode.INVALID_MANDATE_ASSERTION, a);
    }

    @Test
    void assertionMissingItsUserIsRefusedBySchema() {
        Element a = valid();
        a.removeChild(Mandates.field(a, "user"));
        refused(FaultCode.INVALID_MANDATE_ASSERTION, a);
    }

    @Test
    void forgedAssertionCarryingAnotherAssertionsSignatureIsRefusedWrapping() {
        Element original = valid();
        Element forged = Mandates.assertion(USER, ORG, "RINTAMALISA").getDocumentElement();
        Document doc = forged.getOwnerDocument();
        forged.removeChild(forged.getElementsByTagNameNS(DS_NS, "Signature").item(0));
        forged.appendChild(doc.importNode(original.getElementsByTagNameNS(DS_NS, "Signature").item(0), true));
        refused(FaultCode.INVALID_MANDATE_ASSERTION, forged);
    }

    @Test
    void forgedAssertionWithTheOriginalsIdAndTheOriginalHiddenBesideItIsRefusedWrapping() {
        Element original = valid();
        String id = original.getAttributeNS(WSU_NS, "Id");
        Document doc = newDocument();
        Element wrapper = doc.createElementNS("urn:attacker", "a:wrapper");
        doc.appendChild(wrapper);
        Element forged = (Element) doc.importNode(original, true);
        Mandates.field(forged, "mandate").setTextContent("RINTAMALISA");
        Element hidden = (Element) doc.importNode(original, true);
        wrapper.appendChild(forged);
        wrapper.appendChild(hidden);
        hidden.setIdAttributeNS(WSU_NS, "Id", true);
        assertEquals(id, forged.getAttributeNS(WSU_NS, "Id"));
        refused(FaultCode.INVALID_MANDATE_ASSERTION, forged);
    }

    @Test
    void sha1DigestIsRefused() throws Exception {
        refused(FaultCode.INVALID_MANDATE_ASSERTION, resigned("http://www.w3.org/2001/04/xmldsig-more#rsa-sha256",
                "http://www.w3.org/2000/09/xmldsig#sha1", Transforms.TRANSFORM_ENVELOPED_SIGNATURE,
                Transforms.TRANSFORM_C14N_EXCL_OMIT_COMMENTS));
    }

    @Test
    void sha1SignatureIsRefused() throws Exception {
        refused(FaultCode.INVALID_MANDATE_ASSERTION, resigned("http://www.w3.org/2000/09/xmldsig#rsa-sha1",
                "http://www.w3.org/2001/04/xmlenc#sha256", Transforms.TRANSFORM_ENVELOPED_SIGNATURE,
                Transforms.TRANSFORM_C14N_EXCL_OMIT_COMMENTS));
    }

    @Test
    void inclusiveCanonicalisationTransformIsRefused() throws Exception {
        refused(FaultCode.INVALID_MANDATE_ASSERTION, resigned("http://www.w3.org/2001/04/xmldsig-more#rsa-sha256",
                "http://www.w3.org/2001/04/xmlenc#sha256", Transforms.TRANSFORM_ENVELOPED_SIGNATURE,
                Transforms.TRANSFORM_C14N_OMIT_COMMENTS));
    }

    @Test
    void moreTransformsThanNeededAreRefused() throws Exception {
        refused(FaultCode.INVALID_MANDATE_ASSERTION, resigned("http://www.w3.org/2001/04/xmldsig-more#rsa-sha256",
                "http://www.w3.org/2001/04/xmlenc#sha256", Transforms.TRANSFORM_ENVELOPED_SIGNATURE,
                Transforms.TRANSFORM_C14N_EXCL_OMIT_COMMENTS, Transforms.TRANSFORM_C14N_EXCL_OMIT_COMMENTS));
    }

    @Test
    void theSameAssertionResignedWithThePolicysAlgorithmsVerifies() throws Exception {
        // proves the resigning helper itself is sound, so the refusals above are about the algorithms
        verifier.verify(resigned("http://www.w3.org/2001/04/xmldsig-more#rsa-sha256",
                "http://www.w3.org/2001/04/xmlenc#sha256", Transforms.TRANSFORM_ENVELOPED_SIGNATURE,
                Transforms.TRANSFORM_C14N_EXCL_OMIT_COMMENTS));
    }

    /** A valid assertion whose issuer signature is replaced by one made with these algorithms. */
    private static Element resigned(String signatureMethod, String digest, String... transforms) throws Exception {
        Element a = valid();
        Document doc = a.getOwnerDocument();
        a.removeChild(a.getElementsByTagNameNS(DS_NS, "Signature").item(0));
        String id = a.getAttributeNS(WSU_NS, "Id");
        a.setIdAttributeNS(WSU_NS, "Id", true);
        XMLSignature signature = new XMLSignature(doc, "", signatureMethod, Transforms.TRANSFORM_C14N_EXCL_OMIT_COMMENTS);
        a.appendChild(signature.getElement());
        Transforms t = new Transforms(doc);
        for (String transform : transforms) {
            t.addTransform(transform);
        }
        signature.addDocument("#" + id, t, digest);
        signature.addKeyInfo(issuerCert);
        signature.sign(issuerKey);
        return a;
    }

    private static Document newDocument() {
        try {
            javax.xml.parsers.DocumentBuilderFactory f = javax.xml.parsers.DocumentBuilderFactory.newInstance();
            f.setNamespaceAware(true);
            return f.newDocumentBuilder().newDocument();
        } catch (javax.xml.parsers.ParserConfigurationException e) {
            throw new IllegalStateException(e);
        }
    }
}
