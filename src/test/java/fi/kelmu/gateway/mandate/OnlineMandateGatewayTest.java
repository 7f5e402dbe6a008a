package fi.kelmu.gateway.mandate;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.matching;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static fi.kelmu.gateway.support.GatewayExtension.BACKEND_PATH;
import static fi.kelmu.gateway.support.TestData.CLIENT;
import static fi.kelmu.gateway.support.TestData.ESPOO;
import static fi.kelmu.gateway.support.TestData.ESPOO_USER;
import static fi.kelmu.gateway.support.TestData.ETUUSTIEDOT;
import static fi.kelmu.gateway.support.TestData.EXPIRED_USER;
import static fi.kelmu.gateway.support.TestData.HVA;
import static fi.kelmu.gateway.support.TestData.KOTOUTUMINEN;
import static fi.kelmu.gateway.support.TestData.MOVED_USER;
import static fi.kelmu.gateway.support.TestData.MUUT_ETUUDET;
import static fi.kelmu.gateway.support.TestData.REVOKED_USER;
import static fi.kelmu.gateway.support.TestData.USER;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import fi.kelmu.gateway.Gateway;
import fi.kelmu.gateway.audit.AccessLogQuery;
import fi.kelmu.gateway.audit.AccessRecord;
import fi.kelmu.gateway.audit.Database;
import fi.kelmu.gateway.audit.JdbcAccessLog;
import fi.kelmu.gateway.audit.StoredAccessRecord;
import fi.kelmu.gateway.fault.FaultCode;
import fi.kelmu.gateway.support.BenefitRequests;
import fi.kelmu.gateway.support.GatewayExtension;
import fi.kelmu.gateway.support.Mandates;
import fi.kelmu.gateway.support.SoapHttp;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.w3c.dom.Document;

/**
 * The online mandate check through the whole gateway, for requests without a MandateAssertion (R-MAND-1):
 * against the sandbox mandate service simulator and its demo users (revoked, expired and moved users,
 * R-MAND-4..6), then against a stubbed mandate service for what the simulator cannot do: fail closed on
 * errors and timeouts, the answer cache, and {@code kelmu.mandate.online-check=required}. Every refused
 * request is shown to have reached no backend.
 */
class OnlineMandateGatewayTest {

    private static final String ROLES_PATH = SuomiFiMandateClient.ORGANIZATION_ROLES_PATH + USER;

    /** The sandbox gateway, with WireMock in front of its backend simulator. */
    @RegisterExtension
    static final GatewayExtension SANDBOX = GatewayExtension.sandbox().withSimulatorProxy().build();
    /** A gateway whose backend and mandate service are stubs. */
    @RegisterExtension
    static final GatewayExtension STUBBED = GatewayExtension.sandbox().withBackend().withMandateService()
            .property("kelmu.simulator.enabled", "false")
            .property("kelmu.mandate.service.read-timeout-ms", "300")
            .property("kelmu.mandate.cache-seconds", "0")
            .build();

    // --- the sandbox mandate service simulator and its demo users

    @Test
    void userWithTheMandateGetsTheDataR_MAND_1() {
        SoapHttp.Response response = sendToSandbox(HVA, USER, CLIENT, MUUT_ETUUDET);
        assertEquals(200, response.status(), faultString(response));
        assertTrue(response.bodyText().contains("returnedView"));
        SANDBOX.simulatorProxy().verify(1, postRequestedFor(anyUrl()));
    }

    @Test
    void revokedMandateIsRefusedNamingTheMandateAndWhomToAskButNotTheClientR_MAND_4_R_MAND_5() {
        SoapHttp.Response response = sendToSandbox(HVA, REVOKED_USER, CLIENT, MUUT_ETUUDET);
        assertRefused(response, "Client.MandateMissing");
        String faultString = faultString(response);
        assertTrue(faultString.contains(ETUUSTIEDOT), faultString);
        assertTrue(faultString.contains("valtuuttaja"), faultString);
        assertFalse(response.bodyText().contains(CLIENT), "a refusal reveals nothing about the client");
        assertSimulatorNotAsked();
    }

    @Test
    void expiredMandateIsRefusedR_MAND_4() {
        assertRefused(sendToSandbox(HVA, EXPIRED_USER, CLIENT, MUUT_ETUUDET), "Client.MandateMissing");
        assertSimulatorNotAsked();
    }

    /** KOTOUTUMISPALVELU_ETUUDET: MUUT_ETUUDET is no purpose of a KUNTA, which would be refused before the mandate. */
    @Test
    void movedUserActingForTheFormerMunicipalityIsRefusedR_MAND_6() {
        assertRefused(sendToSandbox(ESPOO, MOVED_USER, CLIENT, KOTOUTUMINEN), "Client.MandateMissing");
        assertSimulatorNotAsked();
    }

    @Test
    void movedUserActingForTheWellbeingServicesCountyGetsTheDataR_MAND_6() {
        SoapHttp.Response response = sendToSandbox(HVA, MOVED_USER, CLIENT, MUUT_ETUUDET);
        assertEquals(200, response.status(), faultString(response));
        SANDBOX.simulatorProxy().verify(1, postRequestedFor(anyUrl()));
    }

    /** The sandbox gateway caches answers (30 s): a cached answer is about one user at one organisation only. */
    @Test
    void answerCachedForTheCountyDoesNotServeTheFormerMunicipalityR_MAND_6() {
        assertEquals(200, sendToSandbox(HVA, MOVED_USER, CLIENT, MUUT_ETUUDET).status());
        assertRefused(sendToSandbox(ESPOO, MOVED_USER, CLIENT, KOTOUTUMINEN), "Client.MandateMissing");
        SANDBOX.simulatorProxy().verify(1, postRequestedFor(anyUrl()));
    }

    @Test
    void municipalityUserAskingMuutEtuudetIsRefusedR_PURP_1() {
        assertRefused(sendToSandbox(ESPOO, ESPOO_USER, CLIENT, MUUT_ETUUDET), "Client.PurposeNotAllowed");
        assertSimulatorNotAsked();
    }

    // --- a stubbed mandate service

    @Test
    void mandateConfirmedByTheServiceGetsTheData() throws IOException {
        stubBackend();
        stubRoles(rolesAnswer(ETUUSTIEDOT));
        SoapHttp.Response response = send(STUBBED.gateway(), request());
        assertEquals(200, response.status(), faultString(response));
        STUBBED.mandateService().verify(1, getRequestedFor(urlPathEqualTo(ROLES_PATH))
                .withQueryParam("organizationIdentifier", equalTo(HVA))
                .withQueryParam("requestId", equalTo(response.correlationId()))
                .withHeader(MandateServiceAuthorization.HEADER, matching("KELMUSBX \\S+ \\S+")));
        STUBBED.backend().verify(1, postRequestedFor(urlEqualTo(BACKEND_PATH)));
    }

    @Test
    void mandateServiceErrorFailsClosedAndNoBackendIsAsked() {
        stubRoles(aResponse().withStatus(500));
        SoapHttp.Response response = send(STUBBED.gateway(), request());
        assertRefused(response, "Server.MandateServiceUnavailable");
        assertBackendNotAsked();
        // the refusal is in the access log, with no mandate and no proof
        try (Database db = Database.open(STUBBED.gateway().config().get("kelmu.db.url"), STUBBED.gateway().config().get("kelmu.db.user"), null)) {
            List<AccessRecord> records = new JdbcAccessLog(db.dataSource()).find(AccessLogQuery.all().withPersonId(CLIENT))
                    .stream().map(StoredAccessRecord::record)
                    .filter(r -> response.correlationId().equals(r.correlationId())).toList();
            assertEquals(1, records.size());
            assertEquals(FaultCode.MANDATE_SERVICE_UNAVAILABLE, records.get(0).faultCode());
            assertEquals(List.of(), records.get(0).mandates());
            assertNull(records.get(0).mandateProof());
        }
    }

    @Test
    void mandateServiceTimeoutFailsClosedAndNoBackendIsAsked() {
        stubRoles(rolesAnswer(ETUUSTIEDOT).withFixedDelay(1500)); // the stubbed gateway waits 300 ms
        assertRefused(send(STUBBED.gateway(), request()), "Server.MandateServiceUnavailable");
        assertBackendNotAsked();
    }

    @Test
    void withoutCacheEveryRequestAsksTheService() throws IOException {
        stubBackend();
        stubRoles(rolesAnswer(ETUUSTIEDOT));
        assertEquals(200, send(STUBBED.gateway(), request()).status());
        assertEquals(200, send(STUBBED.gateway(), request()).status());
        STUBBED.mandateService().verify(2, getRequestedFor(urlPathEqualTo(ROLES_PATH)));
        STUBBED.backend().verify(2, postRequestedFor(urlEqualTo(BACKEND_PATH)));
    }

    @Test
    void cachedAnswerServesTheSameUsersNextRequest() throws Exception {
        stubBackend();
        stubRoles(rolesAnswer(ETUUSTIEDOT));
        try (Gateway cached = STUBBED.startAnother(Map.of("kelmu.mandate.cache-seconds", "3600"))) {
            assertEquals(200, send(cached, request()).status());
            assertEquals(200, send(cached, request()).status());
        }
        STUBBED.mandateService().verify(1, getRequestedFor(urlPathEqualTo(ROLES_PATH)));
        STUBBED.backend().verify(2, postRequestedFor(urlEqualTo(BACKEND_PATH)));
    }

    @Test
    void requiredOnlineCheckAsksTheServiceEvenWithAValidAssertion() throws Exception {
        stubBackend();
        stubRoles(rolesAnswer(ETUUSTIEDOT));
        try (Gateway required = startRequired()) {
            SoapHttp.Response response = send(required, withAssertion(request()));
            assertEquals(200, response.status(), faultString(response));
        }
        STUBBED.mandateService().verify(1, getRequestedFor(urlPathEqualTo(ROLES_PATH)));
        STUBBED.backend().verify(1, postRequestedFor(urlEqualTo(BACKEND_PATH)));
    }

    @Test
    void requiredOnlineCheckRefusesAnAssertedMandateTheServiceNoLongerHasR_MAND_4() throws Exception {
        stubRoles(okJson("[]"));
        try (Gateway required = startRequired()) {
            assertRefused(send(required, withAssertion(request())), "Client.MandateMissing");
        }
        STUBBED.mandateService().verify(1, getRequestedFor(urlPathEqualTo(ROLES_PATH)));
        assertBackendNotAsked();
    }

    // --- helpers

    private static Gateway startRequired() throws Exception {
        return STUBBED.startAnother(Map.of("kelmu.mandate.cache-seconds", "0", "kelmu.mandate.online-check", "required"));
    }

    private static Document request() {
        return BenefitRequests.benefitData(HVA, USER, CLIENT, MUUT_ETUUDET);
    }

    private static Document withAssertion(Document doc) {
        Mandates.addTo(doc, Mandates.assertion(USER, HVA, ETUUSTIEDOT));
        return doc;
    }

    private static SoapHttp.Response sendToSandbox(String organisation, String user, String client, String purpose) {
        return send(SANDBOX.gateway(), BenefitRequests.benefitData(organisation, user, client, purpose));
    }

    /** Signs with the sandbox key of the organisation the request names (every signed part, an assertion too). */
    private static SoapHttp.Response send(Gateway gateway, Document doc) {
        return SoapHttp.post(gateway.serviceUrl(), BenefitRequests.signed(doc), null);
    }

    private static ResponseDefinitionBuilder rolesAnswer(String... roles) {
        String list = roles.length == 0 ? "" : "\"" + String.join("\", \"", roles) + "\"";
        return okJson("[{\"name\": \"Länsi-Uudenmaan hyvinvointialue (demo)\", \"identifier\": \"" + HVA
                + "\", \"roles\": [" + list + "], \"complete\": true}]");
    }

    private static void stubRoles(ResponseDefinitionBuilder answer) {
        MappingBuilder call = get(urlPathEqualTo(ROLES_PATH)).withQueryParam("organizationIdentifier", equalTo(HVA));
        STUBBED.mandateService().stubFor(call.willReturn(answer));
    }

    private void stubBackend() {
        STUBBED.answerBenefitData("/backend/benefit-data-result-payments-and-decisions.xml");
    }

    private static void assertSimulatorNotAsked() {
        SANDBOX.simulatorProxy().verify(0, anyRequestedFor(anyUrl()));
    }

    private static void assertBackendNotAsked() {
        STUBBED.backend().verify(0, anyRequestedFor(anyUrl()));
    }

    /** The fault string, or null for an answer: short enough for an assertion message, unlike the body. */
    private static String faultString(SoapHttp.Response response) {
        return SoapHttp.text(response.document(), null, "faultstring");
    }

    private static void assertRefused(SoapHttp.Response response, String code) {
        assertEquals(500, response.status(), faultString(response));
        assertEquals("soap:" + code, response.faultCode().strip(), faultString(response));
        assertTrue(response.correlationId() != null);
    }
}
