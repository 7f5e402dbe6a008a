package fi.kelmu.gateway.routing;

import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static fi.kelmu.gateway.support.TestData.BACKEND_NS;
import static fi.kelmu.gateway.support.TestData.ESPOO;
import static fi.kelmu.gateway.support.TestData.ESPOO_USER;
import static fi.kelmu.gateway.support.TestData.HELSINKI;
import static fi.kelmu.gateway.support.TestData.HELSINKI_USER;
import static fi.kelmu.gateway.support.TestData.KOTOUTUMINEN;
import static fi.kelmu.gateway.support.TestData.LANSI_UUSIMAA;
import static fi.kelmu.gateway.support.TestData.LIVES_IN_ESPOO;
import static fi.kelmu.gateway.support.TestData.LIVES_IN_HANKO;
import static fi.kelmu.gateway.support.TestData.LIVES_IN_HELSINKI;
import static fi.kelmu.gateway.support.TestData.LIVES_IN_VANTAA;
import static fi.kelmu.gateway.support.TestData.MUUT_ETUUDET;
import static fi.kelmu.gateway.support.TestData.USER;
import static fi.kelmu.gateway.support.TestData.VANTAA_KERAVA;
import static fi.kelmu.gateway.support.TestData.VANTAA_KERAVA_USER;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import fi.kelmu.gateway.support.BenefitRequests;
import fi.kelmu.gateway.support.GatewayExtension;
import fi.kelmu.gateway.support.SoapHttp;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.w3c.dom.Document;

/**
 * Client scoping by area (issue 4 item 5, ARCHITECTURE.md step 7) through the sandbox gateway and its demo
 * data: an HVA reads only clients of its member municipalities, a municipality and Helsinki only their own
 * residents; a client outside the area is refused, answered as {@code Client.UnknownClient} (fault table 8: a caller
 * cannot tell a client living elsewhere from one Kela does not know, UnknownOrElsewhereClientTest), and the answer
 * names no client.
 * The area is the backend's to check (only it knows the home municipality), so the gateway sends the
 * caller's area with every query; WireMock in front of the simulator shows what was asked.
 */
class ScopingGatewayTest {

    private static final String LANSI_UUSIMAA_USER = USER;

    @RegisterExtension
    static final GatewayExtension GATEWAY = GatewayExtension.sandbox().withSimulatorProxy().build();

    @Test
    void hvaCannotReadAClientOfAnotherWellbeingServicesCounty() {
        assertOutsideArea(send(LANSI_UUSIMAA, LANSI_UUSIMAA_USER, LIVES_IN_VANTAA, MUUT_ETUUDET), LIVES_IN_VANTAA);
    }

    @Test
    void hvaReadsAClientOfAMemberMunicipality() {
        assertAnswered(send(LANSI_UUSIMAA, LANSI_UUSIMAA_USER, LIVES_IN_HANKO, MUUT_ETUUDET), LIVES_IN_HANKO);
    }

    @Test
    void vantaaKeravaReadsAVantaaClient() {
        assertAnswered(send(VANTAA_KERAVA, VANTAA_KERAVA_USER, LIVES_IN_VANTAA, MUUT_ETUUDET), LIVES_IN_VANTAA);
    }

    @Test
    void vantaaKeravaCannotReadAnEspooClient() {
        assertOutsideArea(send(VANTAA_KERAVA, VANTAA_KERAVA_USER, LIVES_IN_ESPOO, MUUT_ETUUDET), LIVES_IN_ESPOO);
    }

    @Test
    void municipalityReadsItsOwnResident() {
        assertAnswered(send(ESPOO, ESPOO_USER, LIVES_IN_ESPOO, KOTOUTUMINEN), LIVES_IN_ESPOO);
    }

    @Test
    void municipalityCannotReadAnotherMunicipalitysResident() {
        assertOutsideArea(send(ESPOO, ESPOO_USER, LIVES_IN_HELSINKI, KOTOUTUMINEN), LIVES_IN_HELSINKI);
    }

    @Test
    void helsinkiReadsItsOwnResident() {
        assertAnswered(send(HELSINKI, HELSINKI_USER, LIVES_IN_HELSINKI, MUUT_ETUUDET), LIVES_IN_HELSINKI);
    }

    @Test
    void helsinkiCannotReadAnEspooResident() {
        assertOutsideArea(send(HELSINKI, HELSINKI_USER, LIVES_IN_ESPOO, MUUT_ETUUDET), LIVES_IN_ESPOO);
    }

    @Test
    void backendIsAskedOnlyAboutTheCallersArea() {
        assertEquals(200, send(ESPOO, ESPOO_USER, LIVES_IN_ESPOO, KOTOUTUMINEN).status());
        assertEquals(List.of("049"), backendQueryValues("municipality"));
    }

    /** R-VIEW-3: no view asked means the purpose's views, never more than the backend was asked for. */
    @Test
    void clientLevelIntegrationQueryReturnsOnlyItsThreeViewsR_VIEW_3() {
        Document request = BenefitRequests.withViews(
                BenefitRequests.benefitData(ESPOO, ESPOO_USER, LIVES_IN_ESPOO, KOTOUTUMINEN));
        SoapHttp.Response response = SoapHttp.post(GATEWAY.serviceUrl(), BenefitRequests.signed(request), null);
        assertEquals(200, response.status(), faultString(response));
        List<String> threeViews = List.of("PENDING_APPLICATIONS", "BENEFIT_DECISIONS", "PAYMENTS");
        assertEquals(threeViews, backendQueryValues("view"));
        Document answer = response.document();
        assertEquals(threeViews, BenefitRequests.texts(answer, "returnedView"));
        for (String other : List.of("insuranceStatus", "overpaymentRecovery", "drugCostCeiling")) {
            assertTrue(BenefitRequests.texts(answer, other).isEmpty(), other + " returned under " + KOTOUTUMINEN);
        }
    }

    // --- helpers

    private static SoapHttp.Response send(String organisation, String user, String client, String purpose) {
        Document request = BenefitRequests.benefitData(organisation, user, client, purpose);
        return SoapHttp.post(GATEWAY.serviceUrl(), BenefitRequests.signed(request), null);
    }

    /** The text of every {@code localName} element of the one query the backend got. */
    private static List<String> backendQueryValues(String localName) {
        List<LoggedRequest> queries = GATEWAY.simulatorProxy().findAll(postRequestedFor(anyUrl()));
        assertEquals(1, queries.size(), "backend queries");
        var nodes = SoapHttp.parse(queries.get(0).getBody()).getElementsByTagNameNS(BACKEND_NS, localName);
        return java.util.stream.IntStream.range(0, nodes.getLength()).mapToObj(i -> nodes.item(i).getTextContent())
                .toList();
    }

    private static void assertAnswered(SoapHttp.Response response, String client) {
        assertEquals(200, response.status(), faultString(response));
        assertEquals(List.of(client), BenefitRequests.texts(response.document(), "clientId"));
        assertFalse(BenefitRequests.texts(response.document(), "returnedView").isEmpty());
    }

    private static void assertOutsideArea(SoapHttp.Response response, String client) {
        assertEquals(500, response.status(), faultString(response));
        assertEquals("soap:Client.UnknownClient", response.faultCode().strip(), faultString(response));
        assertTrue(response.correlationId() != null);
        assertFalse(faultString(response).contains(client), faultString(response));
        assertFalse(response.bodyText().contains(client), "a refusal names no client");
        assertFalse(response.bodyText().contains("returnedView"), "a refusal carries no data");
    }

    private static String faultString(SoapHttp.Response response) {
        return SoapHttp.text(response.document(), null, "faultstring");
    }
}
