package fi.kelmu.gateway.security;

import static fi.kelmu.gateway.support.TestData.BENEFIT_NS;
import static fi.kelmu.gateway.support.TestData.HVA;
import static fi.kelmu.gateway.support.TestData.VALID_REQUEST;
import static fi.kelmu.gateway.support.Tampering.first;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fi.kelmu.gateway.fault.FaultCode;
import fi.kelmu.gateway.fault.GatewayException;
import fi.kelmu.gateway.mandate.MandateAssertion;
import fi.kelmu.gateway.sandbox.SandboxPki;
import fi.kelmu.gateway.support.Resigning;
import fi.kelmu.gateway.support.Signing;
import fi.kelmu.gateway.support.Tampering;
import fi.kelmu.gateway.support.TestGateway;
import fi.kelmu.gateway.xml.Dom;
import fi.kelmu.gateway.xroad.XRoadHeaders;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import javax.xml.namespace.QName;
import org.apache.wss4j.dom.WSConstants;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/**
 * {@link MessageSignatureVerifier} on its own, built as the composition root builds it (sandbox trust store and
 * CRL, a 300 s timestamp window with 60 s clock skew, the X-Road headers required, a MandateAssertion allowed),
 * against the attacks the gateway must refuse. In the manner of Santuario's negative tests, each refusal is
 * asserted by its fault code and by the logged reason ({@link GatewayException#getMessage()}), so that a test
 * cannot pass because the message was refused for some other reason than the one it is about.
 */
class MessageSignatureVerifierTest {

    private static final int TTL_SECONDS = 300;
    private static final int SKEW_SECONDS = 60;
    private static final String WINDOW = "timestamp outside the window (ttl 300 s, skew 60 s)";
    private static final String OUTSIDE = "the signature references an element outside the signed parts: ";
    /** The X-Road headers of the valid request: every request header but the optional securityServer. */
    private static final List<QName> FIXTURE_HEADERS = XRoadHeaders.REQUEST_HEADERS.stream()
            .filter(h -> !h.equals(XRoadHeaders.SECURITY_SERVER)).toList();

    private static MessageSignatureVerifier verifier;

    @BeforeAll
    static void composeTheVerifier() {
        SandboxPki pki = TestGateway.pki();
        SecuritySettings settings = new SecuritySettings(pki.trustStore(), SandboxPki.PASSWORD, List.of(pki.crl()),
                Duration.ofSeconds(60), true, TTL_SECONDS, SKEW_SECONDS, Duration.ZERO, Optional.empty(),
                Optional.empty());
        verifier = GatewaySecurity.configure(settings, false, XRoadHeaders.REQUEST_HEADERS,
                Set.of(MandateAssertion.QNAME), Clock.systemUTC()).verifier();
    }

    // --- what a valid signature proves

    @Test
    void validMessageIsVerifiedWithTheCertificateAndEveryElementItsSignatureCovers() {
        MessageSigner signer = Signing.signerOf(HVA);
        Document doc = Signing.signedDocument(VALID_REQUEST, signer);

        VerifiedMessage verified = verifier.verify(doc);

        assertEquals(signer.certificate(), verified.certificate());
        assertEquals(doc.getDocumentElement(), verified.envelope());
        assertTrue(verified.covers(first(doc, Dom.SOAP_NS, "Body")), "the Body");
        assertTrue(verified.covers(first(doc, Dom.WSU_NS, "Timestamp")), "the Timestamp");
        for (QName name : FIXTURE_HEADERS) {
            assertTrue(verified.covers(first(doc, name.getNamespaceURI(), name.getLocalPart())), name.toString());
        }
        assertFalse(verified.covers(first(doc, Dom.WSSE_NS, "Security")), "nothing else: not the Security header");
        assertFalse(verified.covers(first(doc, BENEFIT_NS, "clientId")), "an element, not its descendants");
        byte[] signatureValue = java.util.Base64.getMimeDecoder().decode(first(doc, Dom.DS_NS, "SignatureValue")
                .getTextContent());
        assertArrayEquals(signatureValue, verified.signatureValue());
        assertEquals(Duration.ofSeconds(TTL_SECONDS), Duration.between(verified.created(), verified.expires()));
        assertTrue(Duration.between(verified.created(), Instant.now()).abs().getSeconds() < 60, "created now");
    }

    @Test
    void theSignedHeadersOfTheVerifiedMessageAreItsHeaderElementsInOrder() {
        Document doc = Signing.signedDocument(VALID_REQUEST, Signing.signerOf(HVA));
        List<String> names = verifier.verify(doc).headerElements().stream().map(Element::getLocalName).toList();
        assertEquals(List.of("Security", "client", "service", "id", "userId", "issue", "protocolVersion"), names);
    }

    // --- no signature, or not all of one

    @Test
    void unsignedMessageIsRefusedAsSignatureRequired() {
        Document doc = Signing.unsignedDocument(VALID_REQUEST);
        assertRefused(doc, FaultCode.SIGNATURE_REQUIRED, "Security missing from Header");
    }

    @Test
    void messageWithoutTimestampIsRefusedAsSignatureRequired() {
        assertRefused(Tampering.withoutTimestamp(signed()), FaultCode.SIGNATURE_REQUIRED,
                "Timestamp missing from Security");
    }

    @Test
    void bodyNotCoveredByTheSignatureIsRejected() {
        Document doc = Signing.unsignedDocument(VALID_REQUEST);
        Signing.signOnly(doc, HVA, FIXTURE_HEADERS);
        assertRefused(doc, FaultCode.PART_NOT_SIGNED, "the SOAP Body is not covered by the signature");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("xRoadHeaders")
    void xRoadHeaderNotCoveredByTheSignatureIsRejected(String header) {
        Document doc = Signing.unsignedDocument(VALID_REQUEST);
        Signing.signerOf(HVA).sign(doc, XRoadHeaders.REQUEST_HEADERS.stream()
                .filter(h -> !h.getLocalPart().equals(header)).toList(), TTL_SECONDS);
        assertRefused(doc, FaultCode.PART_NOT_SIGNED, "the X-Road header " + header + " is not covered by the signature");
    }

    static Stream<String> xRoadHeaders() {
        return FIXTURE_HEADERS.stream().map(QName::getLocalPart);
    }

    // --- changed after signing

    @Test
    void tamperedBodyIsRejected() {
        Document doc = signed();
        first(doc, BENEFIT_NS, "clientId").setTextContent(Tampering.FORGED_CLIENT);
        assertRefused(doc, FaultCode.INVALID_SIGNATURE, "WS-Security processing failed: FAILED_CHECK");
    }

    @Test
    void tamperedSignedHeaderIsRejected() {
        Document doc = signed();
        first(doc, XRoadHeaders.NS, "issue").setTextContent("ANOTHER-CASE");
        assertRefused(doc, FaultCode.INVALID_SIGNATURE, "WS-Security processing failed: FAILED_CHECK");
    }

    @Test
    void tamperedMessageTellsTheCallerThatADigestDoesNotMatch() {
        Document doc = signed();
        first(doc, BENEFIT_NS, "clientId").setTextContent(Tampering.FORGED_CLIENT);
        GatewayException e = assertRefused(doc, FaultCode.INVALID_SIGNATURE, "FAILED_CHECK");
        assertTrue(e.callerDetail().contains("does not match the signed content"), e.callerDetail());
    }

    @Test
    void binarySecurityTokenThatIsNotBase64IsRefusedAsInvalidSignatureNotAnInternalError() {
        // what node soap's WSSecurityCert sends from a PEM file that still has openssl's "Bag Attributes" lines
        Document doc = signed();
        Element token = first(doc, Dom.WSSE_NS, "BinarySecurityToken");
        token.setTextContent("Bag Attributes\n    localKeyID: 01 02\n" + token.getTextContent());
        GatewayException e = assertRefused(doc, FaultCode.INVALID_SIGNATURE, "WS-Security processing failed");
        assertTrue(e.callerDetail().startsWith("The WS-Security header cannot be read"), e.callerDetail());
    }

    @Test
    void referenceThatResolvesToNothingIsRefusedNamingTheKindOfFailure() {
        Document doc = signed();
        Element body = first(doc, Dom.SOAP_NS, "Body");
        body.setAttributeNS(Dom.WSU_NS, "wsu:Id", "not-the-signed-id");
        GatewayException e = assertRefused(doc, FaultCode.INVALID_SIGNATURE, "WS-Security processing failed");
        assertEquals("A signature reference names an Id that no element of the message has.", e.callerDetail(),
                e.getMessage());
    }

    // --- signature wrapping

    @Test
    void signedBodyMovedUnderAHeaderWrapperIsRejected() {
        assertRefused(Tampering.signedBodyMovedUnderAHeaderWrapper(signed()), FaultCode.INVALID_SIGNATURE,
                OUTSIDE + "soapenv:Body");
    }

    @Test
    void signatureWrappingAttackWithACopyOfTheSignedBodyIsRejected() {
        // the signed Body copied, Id and all, into the Header; the real Body then changed
        Document doc = signed();
        Element body = first(doc, Dom.SOAP_NS, "Body");
        Element wrapper = doc.createElementNS("urn:attacker", "a:Wrapper");
        wrapper.appendChild(body.cloneNode(true));
        first(doc, Dom.SOAP_NS, "Header").appendChild(wrapper);
        first(doc, BENEFIT_NS, "clientId").setTextContent(Tampering.FORGED_CLIENT);
        assertRefused(doc, FaultCode.INVALID_SIGNATURE, "duplicate Id '" + body.getAttributeNS(Dom.WSU_NS, "Id") + "'");
    }

    @Test
    void signedClientHeaderMovedUnderAWrapperIsRejected() {
        assertRefused(Tampering.signedClientHeaderMovedUnderAWrapper(signed()), FaultCode.INVALID_SIGNATURE,
                OUTSIDE + "xrd:client");
    }

    @Test
    void duplicateIdIsRejectedBeforeAnythingResolvesIt() {
        Document doc = Tampering.decoyWithTheBodysId(signed());
        String id = first(doc, Dom.SOAP_NS, "Body").getAttributeNS(Dom.WSU_NS, "Id");
        assertRefused(doc, FaultCode.INVALID_SIGNATURE, "duplicate Id '" + id + "'");
    }

    @Test
    void twoSecurityHeadersAreRejected() {
        Document doc = signed();
        Element second = doc.createElementNS(Dom.WSSE_NS, "wsse:Security");
        first(doc, Dom.SOAP_NS, "Header").appendChild(second);
        assertRefused(doc, FaultCode.INVALID_SIGNATURE, "more than one wsse:Security element");
    }

    @Test
    void unexpectedElementInTheSecurityHeaderIsRejected() {
        Document doc = signed();
        first(doc, Dom.WSSE_NS, "Security").appendChild(doc.createElementNS("urn:attacker", "a:Extra"));
        assertRefused(doc, FaultCode.INVALID_SIGNATURE, "unexpected element in the Security header: a:Extra");
    }

    @Test
    void extraReferenceToAnElementOutsideTheAllowedPartsIsRejected() {
        Document doc = Signing.unsignedDocument(VALID_REQUEST);
        QName extra = new QName("urn:attacker", "Extra");
        first(doc, Dom.SOAP_NS, "Header").appendChild(doc.createElementNS("urn:attacker", "a:Extra"));
        List<QName> parts = new ArrayList<>(XRoadHeaders.REQUEST_HEADERS);
        parts.add(extra);
        Signing.signerOf(HVA).sign(doc, parts, TTL_SECONDS);
        assertRefused(doc, FaultCode.INVALID_SIGNATURE, OUTSIDE + "a:Extra");
    }

    @Test
    void duplicateHeaderElementIsRefusedAsInconsistentHeaders() {
        Document doc = Signing.signedDocument("duplicate-client-header.xml", Signing.signerOf(HVA));
        GatewayException e = assertRefused(doc, FaultCode.INCONSISTENT_HEADERS,
                "duplicate header {" + XRoadHeaders.NS + "}client");
        assertEquals("Header 'client' appears more than once.", e.callerDetail());
    }

    // --- algorithms. WSS4J refuses a weak algorithm with INVALID_SECURITY and names the algorithm only in a
    // line of its own log (AlgorithmSuiteValidator); each test also asserts that its message really uses it.

    @Test
    void sha1SignatureIsRejected() {
        MessageSigner sha1 = Signing.signerOf(HVA).withSignatureAlgorithm(WSConstants.RSA_SHA1);
        Document doc = Signing.signedDocument(VALID_REQUEST, sha1);
        assertEquals(WSConstants.RSA_SHA1, first(doc, Dom.DS_NS, "SignatureMethod").getAttribute("Algorithm"));
        assertRefused(doc, FaultCode.ALGORITHM_NOT_ALLOWED, "signature algorithm http://www.w3.org/2000/09/xmldsig#rsa-sha1 refused");
    }

    @Test
    void sha1DigestIsRejected() {
        MessageSigner sha1 = Signing.signerOf(HVA).withDigestAlgorithm(WSConstants.SHA1);
        Document doc = Signing.signedDocument(VALID_REQUEST, sha1);
        assertEquals(WSConstants.SHA1, first(doc, Dom.DS_NS, "DigestMethod").getAttribute("Algorithm"));
        assertRefused(doc, FaultCode.ALGORITHM_NOT_ALLOWED, "digest algorithm http://www.w3.org/2000/09/xmldsig#sha1 refused");
    }

    @Test
    void hmacSignatureMethodIsRejected() {
        Document doc = Tampering.hmacSignatureMethod(signed());
        assertTrue(first(doc, Dom.DS_NS, "SignatureMethod").getAttribute("Algorithm").endsWith("#hmac-sha256"));
        assertRefused(doc, FaultCode.ALGORITHM_NOT_ALLOWED, "signature algorithm http://www.w3.org/2001/04/xmldsig-more#hmac-sha256 refused");
    }

    @Test
    void xsltTransformIsRejected() {
        assertRefused(Tampering.xsltTransform(signed()), FaultCode.TRANSFORM_NOT_ALLOWED,
                "uses transforms [http://www.w3.org/TR/1999/REC-xslt-19991116");
    }

    @Test
    void envelopedSignatureThenExclusiveC14nAsXmlCryptoWritesItIsAccepted() {
        Document doc = Resigning.withTransforms(signed(), HVA,
                List.of(AlgorithmPolicy.ENVELOPED_SIGNATURE, AlgorithmPolicy.EXC_C14N));
        VerifiedMessage verified = verifier.verify(doc);
        assertTrue(verified.covers(first(doc, Dom.SOAP_NS, "Body")));
    }

    @Test
    void bareIdAttributesAsXmlCryptoWritesThemAreAccepted() {
        Document doc = Resigning.withTransforms(Resigning.withBareIds(signed()), HVA,
                List.of(AlgorithmPolicy.ENVELOPED_SIGNATURE, AlgorithmPolicy.EXC_C14N));
        VerifiedMessage verified = verifier.verify(doc);
        assertTrue(verified.covers(first(doc, Dom.SOAP_NS, "Body")));
    }

    @Test
    void aBareIdCopiedOntoAWrapperIsRejectedAsADuplicateId() {
        Document doc = Resigning.withTransforms(Resigning.withBareIds(signed()), HVA,
                List.of(AlgorithmPolicy.ENVELOPED_SIGNATURE, AlgorithmPolicy.EXC_C14N));
        Element body = first(doc, Dom.SOAP_NS, "Body");
        Element wrapper = doc.createElementNS("urn:example:wrapper", "w:Wrapper");
        wrapper.setAttributeNS(null, "Id", body.getAttribute("Id"));
        first(doc, Dom.SOAP_NS, "Header").appendChild(wrapper);
        assertRefused(doc, FaultCode.INVALID_SIGNATURE, "duplicate Id '" + body.getAttribute("Id") + "'");
    }

    @Test
    void theResignedControlWithTheUsualTransformIsAccepted() {
        // proves the re-signing itself yields a valid signature, so the refusals below are for the transforms
        verifier.verify(Resigning.withTransforms(signed(), HVA, List.of(AlgorithmPolicy.EXC_C14N)));
    }

    @Test
    void envelopedSignatureAloneIsRejected() {
        assertRefused(Resigning.withTransforms(signed(), HVA, List.of(AlgorithmPolicy.ENVELOPED_SIGNATURE)),
                FaultCode.TRANSFORM_NOT_ALLOWED, "uses transforms [" + AlgorithmPolicy.ENVELOPED_SIGNATURE + "]");
    }

    @Test
    void envelopedSignatureAfterTheCanonicalisationIsRejected() {
        assertRefused(Resigning.withTransforms(signed(), HVA,
                List.of(AlgorithmPolicy.EXC_C14N, AlgorithmPolicy.ENVELOPED_SIGNATURE)),
                FaultCode.TRANSFORM_NOT_ALLOWED, "uses transforms");
    }

    @Test
    void aThirdTransformAfterTheAcceptedPairIsRejected() {
        assertRefused(Resigning.withTransforms(signed(), HVA,
                List.of(AlgorithmPolicy.ENVELOPED_SIGNATURE, AlgorithmPolicy.EXC_C14N, AlgorithmPolicy.EXC_C14N)),
                FaultCode.TRANSFORM_NOT_ALLOWED, "uses transforms");
    }

    // --- trust

    @Test
    void selfSignedCertificateIsRejectedAsUntrusted() {
        assertRefused(Signing.signedDocument(VALID_REQUEST, Signing.signerOfAnUntrustedCa(HVA)),
                FaultCode.UNTRUSTED_CERTIFICATE, "does not chain to a trusted CA");
    }

    @Test
    void expiredCertificateIsRejectedAsExpired() {
        MessageSigner expired = Signing.signerIssuedByCa(HVA, null, Instant.now().minus(Duration.ofDays(30)),
                Instant.now().minus(Duration.ofDays(1)));
        assertRefused(Signing.signedDocument(VALID_REQUEST, expired), FaultCode.CERTIFICATE_EXPIRED,
                "refused: expired");
    }

    // --- time

    @Test
    void expiredTimestampIsRefusedAsExpiredMessage() {
        assertRefused(signedAt(Instant.now().minus(Duration.ofMinutes(10))), FaultCode.EXPIRED_MESSAGE, WINDOW);
    }

    @Test
    void timestampInTheFutureBeyondTheClockSkewIsRefusedAsExpiredMessage() {
        assertRefused(signedAt(Instant.now().plus(Duration.ofMinutes(10))), FaultCode.EXPIRED_MESSAGE, WINDOW);
    }

    @Test
    void timestampInTheFutureWithinTheClockSkewIsAccepted() {
        // the control of the two above: the window, not the clock given to the signer, is what refuses them
        VerifiedMessage verified = verifier.verify(signedAt(Instant.now().plusSeconds(SKEW_SECONDS / 2)));
        assertTrue(verified.created().isAfter(Instant.now()), verified.created().toString());
    }

    // --- helpers

    /** The valid request, signed by HVA over every signed part. */
    private static Document signed() {
        return Signing.signedDocument(VALID_REQUEST, Signing.signerOf(HVA));
    }

    /** The valid request, signed by HVA with a Timestamp created at {@code created}. */
    private static Document signedAt(Instant created) {
        return Signing.signedDocument(VALID_REQUEST, Signing.signerOf(HVA).withClock(Clock.fixed(created, ZoneOffset.UTC)));
    }

    private static GatewayException assertRefused(Document doc, FaultCode code, String reason) {
        GatewayException e = assertThrows(GatewayException.class, () -> verifier.verify(doc));
        assertEquals(code, e.faultCode(), e.getMessage());
        assertTrue(e.getMessage().contains(reason), () -> "logged reason: " + e.getMessage());
        return e;
    }
}
