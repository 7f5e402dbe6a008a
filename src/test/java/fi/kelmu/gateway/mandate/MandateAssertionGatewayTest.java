package fi.kelmu.gateway.mandate;

import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static fi.kelmu.gateway.support.GatewayExtension.BACKEND_PATH;
import static fi.kelmu.gateway.support.TestData.BENEFIT_NS;
import static fi.kelmu.gateway.support.TestData.ETUUSTIEDOT;
import static fi.kelmu.gateway.support.TestData.HVA;
import static fi.kelmu.gateway.support.TestData.USER;
import static fi.kelmu.gateway.support.TestData.VALID_REQUEST;
import static fi.kelmu.gateway.support.TestData.VANTAA_KERAVA;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fi.kelmu.gateway.Gateway;
import fi.kelmu.gateway.audit.AccessLogQuery;
import fi.kelmu.gateway.audit.AccessOutcome;
import fi.kelmu.gateway.audit.AccessRecord;
import fi.kelmu.gateway.audit.Database;
import fi.kelmu.gateway.audit.JdbcAccessLog;
import fi.kelmu.gateway.audit.StoredAccessRecord;
import fi.kelmu.gateway.fault.FaultCode;
import fi.kelmu.gateway.transport.InboundChain;
import fi.kelmu.gateway.xml.Dom;
import fi.kelmu.gateway.xroad.XRoadHeaders;
import fi.kelmu.gateway.sandbox.PkiBuilder;
import fi.kelmu.gateway.support.GatewayExtension;
import fi.kelmu.gateway.support.Mandates;
import fi.kelmu.gateway.support.Signing;
import fi.kelmu.gateway.support.SoapHttp;
import java.io.IOException;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/**
 * MandateAssertion headers through the whole gateway (issue 4 item 1): a valid one gets the data without
 * any online check; every other case is refused with its fault and reaches neither the backend nor the
 * mandate service.
 */
class MandateAssertionGatewayTest {

    private static final String OTHER_HVA = VANTAA_KERAVA;

    @RegisterExtension
    static final GatewayExtension GATEWAY = GatewayExtension.sandbox().withBackend().withMandateService()
            .property("kelmu.simulator.enabled", "false")
            .properties(dir -> Map.of("kelmu.db.url",
                    "jdbc:h2:file:" + dir.resolve("log").toAbsolutePath() + ";AUTO_SERVER=TRUE"))
            .build();

    private static Database database;
    private boolean expectBackendCall;

    @AfterAll
    static void closeTheAccessLog() {
        if (database != null) {
            database.close();
        }
    }

    @AfterEach
    void onlyAcceptedRequestsReachTheBackendAndNoneTheMandateService() {
        GATEWAY.backend().verify(expectBackendCall ? 1 : 0, postRequestedFor(urlEqualTo(BACKEND_PATH)));
        GATEWAY.mandateService().verify(0, anyRequestedFor(anyUrl()));
    }

    @Test
    void validAssertionGetsTheDataWithoutAnOnlineCheck() throws IOException {
        stubBackend();
        SoapHttp.Response response = send(signed(HVA, Mandates.assertion(USER, HVA, ETUUSTIEDOT)));
        assertEquals(200, response.status(), response.bodyText());
        assertTrue(response.bodyText().contains("returnedView"), response.bodyText());
    }

    @Test
    void assertionForAnotherUserIsRefused() {
        assertRefused(send(signed(HVA, Mandates.assertion("111175-943R", HVA, ETUUSTIEDOT))),
                "Client.MandateAssertionMismatch");
    }

    @Test
    void assertionOfAnotherOrganisationIsRefusedR_MAND_6() {
        assertRefused(send(signed(HVA, Mandates.assertion(USER, OTHER_HVA, ETUUSTIEDOT))),
                "Client.MandateAssertionMismatch");
    }

    @Test
    void assertionNotCoveredByTheMessageSignatureIsRefused() {
        Document doc = envelope(HVA);
        Mandates.addTo(doc, Mandates.assertion(USER, HVA, ETUUSTIEDOT));
        Signing.signerOf(HVA).sign(doc, XRoadHeaders.REQUEST_HEADERS, 300);
        assertRefused(send(doc), "Client.InvalidMandateAssertion");
    }

    @Test
    void assertionLiftedIntoAnotherOrganisationsMessageIsRefused() {
        // the assertion travelled in a valid message of HVA; another HVA copies it into its own signed message
        Document captured = signed(HVA, Mandates.assertion(USER, HVA, ETUUSTIEDOT));
        Element lifted = (Element) captured.getElementsByTagNameNS(MandateAssertion.NS, "MandateAssertion").item(0);
        Document doc = envelope(OTHER_HVA);
        Mandates.header(doc).appendChild(doc.importNode(lifted, true));
        Signing.signerOf(OTHER_HVA).sign(doc, InboundChain.REQUEST_SIGNED_PARTS, 300);
        assertRefused(send(doc), "Client.MandateAssertionMismatch");
    }

    @Test
    void expiredAssertionIsRefused() {
        Instant now = Instant.now();
        Document expired = Mandates.sandboxIssuer().issue(USER, HVA, List.of(ETUUSTIEDOT), now.minusSeconds(7200),
                now.minusSeconds(3600));
        assertRefused(send(signed(HVA, expired)), "Client.MandateAssertionNotValidNow");
    }

    @Test
    void refusedAssertionIsInTheAccessLogLikeAnyRefusal() {
        Instant now = Instant.now();
        Document expired = Mandates.sandboxIssuer().issue(USER, HVA, List.of(ETUUSTIEDOT), now.minusSeconds(7200),
                now.minusSeconds(3600));
        SoapHttp.Response response = send(signed(HVA, expired));
        assertRefused(response, "Client.MandateAssertionNotValidNow");

        database = database != null ? database : Database.open(GATEWAY.gateway().config().required("kelmu.db.url"), "kelmu", "");
        List<AccessRecord> records = new JdbcAccessLog(database.dataSource()).find(AccessLogQuery.all().withLimit(10_000))
                .stream().map(StoredAccessRecord::record).filter(r -> r.correlationId().equals(response.correlationId()))
                .toList();
        assertEquals(1, records.size());
        assertEquals(AccessOutcome.REFUSED, records.get(0).outcome());
        assertEquals(FaultCode.MANDATE_ASSERTION_NOT_VALID_NOW, records.get(0).faultCode());
        assertEquals("010180-9026", records.get(0).personId());
    }

    @Test
    void notYetValidAssertionIsRefused() {
        Instant now = Instant.now();
        Document early = Mandates.sandboxIssuer().issue(USER, HVA, List.of(ETUUSTIEDOT), now.plusSeconds(3600),
                now.plusSeconds(7200));
        assertRefused(send(signed(HVA, early)), "Client.MandateAssertionNotValidNow");
    }

    @Test
    void assertionOfAnUntrustedIssuerIsRefused() {
        KeyPair keys = PkiBuilder.ec("secp256r1");
        Instant now = Instant.now();
        X509Certificate cert = PkiBuilder.selfSignedCa("CN=rogue issuer", keys, now.minusSeconds(60), now.plusSeconds(3600));
        Document rogue = new MandateAssertionIssuer("rogue", keys.getPrivate(), cert)
                .issue(USER, HVA, List.of(ETUUSTIEDOT), now.minusSeconds(60), now.plusSeconds(600));
        assertRefused(send(signed(HVA, rogue)), "Client.UntrustedMandateIssuer");
    }

    @Test
    void tamperedAssertionIsRefusedEvenInsideAValidMessageSignature() {
        Document assertion = Mandates.assertion(USER, HVA, "RINTAMALISA");
        Mandates.field(assertion.getDocumentElement(), "mandate").setTextContent(ETUUSTIEDOT);
        assertRefused(send(signed(HVA, assertion)), "Client.InvalidMandateAssertion");
    }

    @Test
    void signedAssertionMovedIntoTheBodyIsRefusedWrapping() {
        Document doc = envelope(HVA);
        Element body = (Element) doc.getElementsByTagNameNS(Dom.SOAP_NS, "Body").item(0);
        Element operation = (Element) body.getElementsByTagNameNS(BENEFIT_NS, "getBenefitData").item(0);
        operation.appendChild(doc.importNode(Mandates.assertion(USER, HVA, ETUUSTIEDOT).getDocumentElement(), true));
        Signing.signerOf(HVA).sign(doc, InboundChain.REQUEST_SIGNED_PARTS, 300);
        assertRefused(send(doc), "Client.InvalidMandateAssertion");
    }

    @Test
    void twoAssertionsAreRefused() {
        Document doc = envelope(HVA);
        Mandates.addTo(doc, Mandates.assertion(USER, HVA, "RINTAMALISA"));
        Mandates.addTo(doc, Mandates.assertion(USER, HVA, ETUUSTIEDOT));
        Signing.signerOf(HVA).sign(doc, InboundChain.REQUEST_SIGNED_PARTS, 300);
        assertRefused(send(doc), "Client.InconsistentHeaders");
    }

    @Test
    void assertionWithoutThePurposesMandateIsRefusedNamingTheMandateR_MAND_5() {
        SoapHttp.Response response = send(signed(HVA, Mandates.assertion(USER, HVA, "TOIMEENTULOTUKI_SOSIAALIPALVELUT")));
        assertRefused(response, "Client.MandateMissing");
        assertTrue(response.bodyText().contains(ETUUSTIEDOT), response.bodyText());
        assertTrue(response.bodyText().contains("valtuuttaja"), response.bodyText());
        assertTrue(!response.bodyText().contains("010180-9026"), "a refusal reveals nothing about the client");
    }

    @Test
    void withTheOnlineCheckOffARequestWithoutAssertionIsRefused() throws Exception {
        try (Gateway strict = GATEWAY.startAnother(Map.of("kelmu.mandate.online-check", "off"))) {
            assertRefused(SoapHttp.post(strict.serviceUrl(), Signing.signedFixture(VALID_REQUEST, HVA), null),
                    "Client.MandateRequired");
        }
    }

    // --- helpers

    /** The valid fixture as {@code businessId}'s request, with a fresh id, unsigned. */
    private static Document envelope(String businessId) {
        Document doc = Signing.freshId(SoapHttp.parse(SoapHttp.fixture(VALID_REQUEST)));
        Element client = (Element) doc.getElementsByTagNameNS(XRoadHeaders.NS, "client").item(0);
        client.getElementsByTagNameNS(XRoadHeaders.ID_NS, "memberCode").item(0).setTextContent(businessId);
        return doc;
    }

    private static Document signed(String businessId, Document assertion) {
        Document doc = envelope(businessId);
        Mandates.addTo(doc, assertion);
        Signing.signerOf(businessId).sign(doc, InboundChain.REQUEST_SIGNED_PARTS, 300);
        return doc;
    }

    private void stubBackend() {
        expectBackendCall = true;
        GATEWAY.answerBenefitData("/backend/benefit-data-result-payments-and-decisions.xml");
    }

    private static SoapHttp.Response send(Document doc) {
        return SoapHttp.post(GATEWAY.serviceUrl(), Signing.serialise(doc), null);
    }

    private static void assertRefused(SoapHttp.Response response, String code) {
        assertEquals(500, response.status(), response.bodyText());
        assertEquals("soap:" + code, response.faultCode().strip(), response.bodyText());
        assertTrue(response.correlationId() != null);
    }
}
