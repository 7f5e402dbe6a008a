package fi.kelmu.gateway.security;

import fi.kelmu.gateway.support.Resigning;

import org.w3c.dom.Element;

import fi.kelmu.gateway.xml.Dom;

import org.junit.jupiter.params.provider.ValueSource;

import org.junit.jupiter.params.ParameterizedTest;

import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static fi.kelmu.gateway.support.GatewayExtension.BACKEND_PATH;
import static fi.kelmu.gateway.support.TestData.BENEFIT_NS;
import static fi.kelmu.gateway.support.TestData.HVA;
import static fi.kelmu.gateway.support.TestData.VALID_REQUEST;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import fi.kelmu.gateway.xroad.XRoadHeaders;
import fi.kelmu.gateway.sandbox.PkiBuilder;
import fi.kelmu.gateway.sandbox.SandboxPki;
import fi.kelmu.gateway.support.GatewayExtension;
import fi.kelmu.gateway.support.Signing;
import fi.kelmu.gateway.support.SoapHttp;
import fi.kelmu.gateway.support.Tampering;
import fi.kelmu.gateway.support.TestGateway;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import javax.xml.namespace.QName;
import org.apache.wss4j.dom.WSConstants;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.w3c.dom.Document;

/**
 * Message security against attacks: a gateway whose backend is a WireMock stub, so that every refused
 * request can also be shown never to have reached the backend.
 */
class MessageSecurityTest {


    private static final MessageSigner REVOKED_SIGNER = Signing.signerIssuedByCa(HVA, null,
            Instant.now().minusSeconds(3600), Instant.now().plusSeconds(3600));

    @RegisterExtension
    static final GatewayExtension GATEWAY = GatewayExtension.sandbox().withBackend()
            .property("kelmu.request.max-bytes", "200000")
            .properties(dir -> Map.of("kelmu.security.crl.files", crlRevoking(REVOKED_SIGNER, dir).toString()))
            .build();
    @RegisterExtension
    static WireMockExtension canary = WireMockExtension.newInstance()
            .options(wireMockConfig().dynamicPort()).build();

    private boolean expectBackendCall;

    /** A CRL of the sandbox CA, written into {@code dir}, that revokes the certificate of {@code signer}. */
    private static Path crlRevoking(MessageSigner signer, Path dir) throws Exception {
        KeyStore ca = SecurityMaterial.keyStore(TestGateway.pki().caKeyStore(), SandboxPki.PASSWORD);
        Path crl = dir.resolve("ca.crl.pem");
        PkiBuilder.writePem(crl, PkiBuilder.crl((X509Certificate) ca.getCertificate(SandboxPki.CA_ALIAS),
                (PrivateKey) ca.getKey(SandboxPki.CA_ALIAS, SandboxPki.PASSWORD),
                List.of(signer.certificate().getSerialNumber()), Instant.now().minusSeconds(60),
                Instant.now().plus(Duration.ofDays(1))));
        return crl;
    }

    @AfterEach
    void backendIsReachedOnlyByAcceptedRequests() {
        GATEWAY.backend().verify(expectBackendCall ? 1 : 0, postRequestedFor(urlEqualTo(BACKEND_PATH)));
    }

    @Test
    void validSignedRequestIsAccepted() throws IOException {
        stubBackend();
        SoapHttp.Response response = send(Signing.signedFixture(VALID_REQUEST, HVA), null);
        assertEquals(200, response.status(), response.bodyText());
    }

    @ParameterizedTest(name = "mustUnderstand=\"{0}\"")
    @ValueSource(strings = {"1", "true"})
    void securityHeaderMarkedMustUnderstandIsUnderstood(String value) throws IOException {
        stubBackend();
        Document doc = Signing.signedDocument(VALID_REQUEST, Signing.signerOf(HVA).withMustUnderstand(true));
        // the Security header itself is not signed: its attribute may be written either way SOAP 1.1 allows
        ((Element) doc.getElementsByTagNameNS(Dom.WSSE_NS, "Security").item(0))
                .setAttributeNS(Dom.SOAP_NS, "soap:mustUnderstand", value);
        SoapHttp.Response response = send(doc);
        assertEquals(200, response.status(), response.bodyText());
    }

    @Test
    void aMessageSignedTheWayXmlCryptoSignsIsAnswered() throws IOException {
        // node soap (xml-crypto): bare Id attributes, enveloped-signature before exclusive C14N on every reference
        stubBackend();
        Document doc = Resigning.withTransforms(Resigning.withBareIds(signed()), HVA,
                List.of(AlgorithmPolicy.ENVELOPED_SIGNATURE, AlgorithmPolicy.EXC_C14N));
        SoapHttp.Response response = send(doc);
        assertEquals(200, response.status(), response.bodyText());
        // the echoed headers keep only the answer signature's wsu:Id, not the request's bare Id beside it: a
        // verifier that looks up the first attribute named Id (xmlsec1 --id-attr:Id) finds the answer's reference
        for (Element echoed : SoapHttp.headerElements(response.document())) {
            assertEquals("", echoed.getAttributeNS(null, "Id"), echoed.getLocalName());
        }
        Element client = (Element) response.document().getElementsByTagNameNS(XRoadHeaders.NS, "client").item(0);
        assertTrue(!client.getAttributeNS(Dom.WSU_NS, "Id").isEmpty(), "the answer signature references it by wsu:Id");
    }

    @Test
    void anotherHeaderMarkedMustUnderstandIsStillNotUnderstood() {
        Document doc = signed();
        Element header = (Element) doc.getElementsByTagNameNS(Dom.SOAP_NS, "Header").item(0);
        Element unknown = doc.createElementNS("urn:example:unknown", "u:Extension");
        unknown.setAttributeNS(Dom.SOAP_NS, "soap:mustUnderstand", "1");
        header.appendChild(unknown);
        SoapHttp.Response response = send(doc);
        assertRefused(response, "Client.InvalidHeader");
        assertTrue(response.bodyText().contains("Extension"), "the fault names the header: " + response.bodyText());
    }

    @Test
    void unsignedRequestIsRejected() {
        assertRefused(send(SoapHttp.fixture(VALID_REQUEST), null), "Client.SignatureRequired");
    }

    @Test
    void aFaultBeforeTheSignatureIsCheckedStillEchoesTheHeadersAndTheRequestHash() {
        SoapHttp.Response response = send(SoapHttp.fixture(VALID_REQUEST), null);
        assertRefused(response, "Client.SignatureRequired");
        Document answer = SoapHttp.parse(response.body());
        Document sent = SoapHttp.parse(SoapHttp.fixture(VALID_REQUEST));
        assertEquals(sent.getElementsByTagNameNS(XRoadHeaders.NS, "id").item(0).getTextContent(),
                answer.getElementsByTagNameNS(XRoadHeaders.NS, "id").item(0).getTextContent(),
                "the caller can match the fault to its request");
        assertEquals(1, answer.getElementsByTagNameNS(XRoadHeaders.NS, "requestHash").getLength());
        assertEquals(1, answer.getElementsByTagNameNS(XRoadHeaders.NS, "client").getLength());
    }

    @Test
    void tamperedBodyIsRejected() {
        Document doc = signed();
        doc.getElementsByTagNameNS(BENEFIT_NS, "clientId").item(0).setTextContent("150372-9134");
        assertRefused(send(doc), "Client.InvalidSignature");
    }

    @Test
    void tamperedHeaderIsRejected() {
        Document doc = signed();
        doc.getElementsByTagNameNS(XRoadHeaders.NS, "issue").item(0).setTextContent("ANOTHER-CASE");
        assertRefused(send(doc), "Client.InvalidSignature");
    }

    @Test
    void unsignedXRoadHeaderIsRejected() {
        Document doc = Signing.freshId(SoapHttp.parse(SoapHttp.fixture(VALID_REQUEST)));
        List<QName> withoutUserId = XRoadHeaders.REQUEST_HEADERS.stream()
                .filter(h -> !h.getLocalPart().equals("userId")).toList();
        Signing.signerOf(HVA).sign(doc, withoutUserId, 300);
        assertRefused(send(doc), "Client.PartNotSigned");
    }

    @Test
    void missingTimestampIsRejected() {
        Document doc = Tampering.withoutTimestamp(signed());
        assertRefused(send(doc), "Client.SignatureRequired");
    }

    @Test
    void expiredTimestampIsRejected() {
        Clock tenMinutesAgo = Clock.fixed(Instant.now().minus(Duration.ofMinutes(10)), ZoneOffset.UTC);
        byte[] request = Signing.signedFixture(VALID_REQUEST, Signing.signerOf(HVA).withClock(tenMinutesAgo));
        assertRefused(send(request, null), "Client.ExpiredMessage");
    }

    @Test
    void futureTimestampIsRejected() {
        Clock tenMinutesAhead = Clock.fixed(Instant.now().plus(Duration.ofMinutes(10)), ZoneOffset.UTC);
        byte[] request = Signing.signedFixture(VALID_REQUEST, Signing.signerOf(HVA).withClock(tenMinutesAhead));
        assertRefused(send(request, null), "Client.ExpiredMessage");
    }

    @Test
    void replayedMessageIsRejected() throws IOException {
        stubBackend();
        byte[] request = Signing.signedFixture(VALID_REQUEST, HVA);
        assertEquals(200, send(request, null).status());
        assertRefused(send(request, null), "Client.ReplayedMessage");
    }

    @Test
    void newlySignedMessageWithAUsedMessageIdIsRejected() throws IOException {
        stubBackend();
        Document first = Signing.freshId(SoapHttp.parse(SoapHttp.fixture(VALID_REQUEST)));
        String id = first.getElementsByTagNameNS(XRoadHeaders.NS, "id").item(0).getTextContent();
        assertEquals(200, send(Signing.sign(first, Signing.signerOf(HVA)), null).status());
        Document second = SoapHttp.parse(SoapHttp.fixture(VALID_REQUEST));
        second.getElementsByTagNameNS(XRoadHeaders.NS, "id").item(0).setTextContent(id);
        assertRefused(send(Signing.sign(second, Signing.signerOf(HVA)), null), "Client.ReplayedMessage");
    }

    @Test
    void untrustedCertificateIsRejected() {
        MessageSigner rogue = Signing.signerOfAnUntrustedCa(HVA);
        assertRefused(send(Signing.signedFixture(VALID_REQUEST, rogue), null), "Client.UntrustedCertificate");
    }

    @Test
    void expiredCertificateIsRejected() {
        MessageSigner expired = Signing.signerIssuedByCa(HVA, null, Instant.now().minus(Duration.ofDays(30)),
                Instant.now().minus(Duration.ofDays(1)));
        assertRefused(send(Signing.signedFixture(VALID_REQUEST, expired), null), "Client.CertificateExpired");
    }

    @Test
    void revokedCertificateIsRejected() {
        assertRefused(send(Signing.signedFixture(VALID_REQUEST, REVOKED_SIGNER), null), "Client.CertificateRevoked");
    }

    @Test
    void certificateOfAnotherOrganisationThanClientIsRejected() {
        assertRefused(send(Signing.signedFixture(VALID_REQUEST, "9000005-4"), null), "Client.OrganisationMismatch");
    }

    @Test
    void sha1SignatureIsRejected() {
        MessageSigner sha1 = Signing.signerOf(HVA).withSignatureAlgorithm(WSConstants.RSA_SHA1);
        assertRefused(send(Signing.signedFixture(VALID_REQUEST, sha1), null), "Client.AlgorithmNotAllowed");
    }

    @Test
    void sha1DigestIsRejected() {
        MessageSigner sha1 = Signing.signerOf(HVA).withDigestAlgorithm(WSConstants.SHA1);
        assertRefused(send(Signing.signedFixture(VALID_REQUEST, sha1), null), "Client.AlgorithmNotAllowed");
    }

    @Test
    void hmacSignatureIsRejected() {
        Document doc = Tampering.hmacSignatureMethod(signed());
        assertRefused(send(doc), "Client.AlgorithmNotAllowed");
    }

    @Test
    void xsltTransformIsRejected() {
        Document doc = Tampering.xsltTransform(signed());
        assertRefused(send(doc), "Client.TransformNotAllowed");
    }

    @Test
    void signedBodyMovedUnderAHeaderWrapperWithANewUnsignedBodyIsRejected() {
        Document doc = Tampering.signedBodyMovedUnderAHeaderWrapper(signed());
        // refused before any signature code runs: a SOAP Body anywhere but under the Envelope is malformed
        assertRefused(send(doc), "Client.InvalidRequest");
    }

    @Test
    void signedClientHeaderMovedUnderAWrapperWithANewUnsignedClientHeaderIsRejected() {
        Document doc = Tampering.signedClientHeaderMovedUnderAWrapper(signed());
        assertRefused(send(doc), "Client.InvalidSignature");
    }

    @Test
    void duplicatedIdIsRejected() {
        Document doc = Tampering.decoyWithTheBodysId(signed());
        assertRefused(send(doc), "Client.InvalidSignature");
    }

    @Test
    void changedIdIsRejected() {
        Document doc = Tampering.bodyIdChanged(signed());
        assertRefused(send(doc), "Client.InvalidSignature");
    }

    @Test
    void externalEntityIsRefusedAndItsUrlNeverRequested() {
        String xxe = fixtureText("xxe.xml").replace("${canary}", canary.baseUrl());
        assertRefused(send(xxe.getBytes(StandardCharsets.UTF_8), null), "Client.ForbiddenXml");
        canary.verify(0, anyRequestedFor(anyUrl()));
    }

    @Test
    void billionLaughsIsRefused() {
        assertRefused(send(SoapHttp.fixture("billion-laughs.xml"), null), "Client.ForbiddenXml");
    }

    @Test
    void deepNestingIsRefused() {
        String deep = "<x>".repeat(500) + "</x>".repeat(500);
        String request = fixtureText(VALID_REQUEST).replace("<bi:purpose>", deep + "<bi:purpose>");
        assertRefused(send(request.getBytes(StandardCharsets.UTF_8), null), "Client.XmlLimitExceeded");
    }

    @Test
    void oversizeRequestIsRefusedBeforeParsing() {
        String padding = "<!--" + "x".repeat(300_000) + "-->";
        String request = fixtureText(VALID_REQUEST).replace("<soapenv:Body>", "<soapenv:Body>" + padding);
        assertRefused(send(request.getBytes(StandardCharsets.UTF_8), null), "Client.MessageTooLarge");
    }

    @Test
    void soapActionOfAnotherOperationIsRejected() {
        assertRefused(send(Signing.signedFixture(VALID_REQUEST, HVA), "urn:fi:kelmu:benefit:v1#getBasicSocialAssistance"),
                "Client.SoapActionMismatch");
    }

    private void stubBackend() {
        expectBackendCall = true;
        GATEWAY.answerBenefitData("/backend/benefit-data-result-payments-and-decisions.xml");
    }

    private static Document signed() {
        return Signing.signedDocument(VALID_REQUEST, Signing.signerOf(HVA));
    }

    private static SoapHttp.Response send(Document doc) {
        return send(Signing.serialise(doc), null);
    }

    private static SoapHttp.Response send(byte[] request, String soapAction) {
        return SoapHttp.post(GATEWAY.serviceUrl(), request, soapAction);
    }

    private static String fixtureText(String name) {
        return new String(SoapHttp.fixture(name), StandardCharsets.UTF_8);
    }

    private static void assertRefused(SoapHttp.Response response, String code) {
        assertEquals(500, response.status(), response.bodyText());
        assertEquals("soap:" + code, response.faultCode().strip(), response.bodyText());
        assertTrue(response.correlationId() != null);
    }
}
