package fi.kelmu.gateway.adapter;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingXPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static fi.kelmu.gateway.support.TestData.BACKEND_NS;
import static fi.kelmu.gateway.support.TestData.CLIENT;
import static fi.kelmu.gateway.support.TestData.HVA;
import static fi.kelmu.gateway.support.TestData.MUUT_ETUUDET;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.matching.StringValuePattern;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import fi.kelmu.contract.backend.v1.BenefitDataResult;
import fi.kelmu.contract.backend.v1.Payment;
import fi.kelmu.contract.backend.v1.View;
import fi.kelmu.gateway.fault.FaultCode;
import fi.kelmu.gateway.fault.GatewayException;
import fi.kelmu.gateway.registry.OrganisationType;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URL;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.function.Executable;

/**
 * {@link BenefitBackendAdapter} against a WireMock stand-in of Kela's benefit backend
 * (contract {@code xsd/backend/benefit-backend.xsd}). Backend answers are fixtures under
 * {@code src/test/resources/backend/}.
 */
class BenefitBackendAdapterTest {

    @RegisterExtension
    static WireMockExtension wm = WireMockExtension.newInstance()
            .options(wireMockConfig().dynamicPort())
            .failOnUnmatchedRequests(true)
            .build();

    private static final String CONTEXT_PATH = "/kela/benefit-backend/v1";
    private static final String BENEFIT_DATA = CONTEXT_PATH + "/benefit-data";

    private static final String BUSINESS_ID = HVA;
    private static final String USER_ID = "FI-HVA-0001";
    private static final String PERSON_ID = CLIENT;
    private static final String PURPOSE = MUUT_ETUUDET;
    /** Länsi-Uusimaa's member municipalities, in part: Espoo, Hanko, Kauniainen. */
    private static final Set<String> AREA = Set.of("049", "078", "235");

    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(1);
    private static final Duration READ_TIMEOUT = Duration.ofSeconds(2);
    private static final Duration OPEN_LONG = Duration.ofHours(1);

    @Test
    void successfulAnswerIsParsedAndChecked() {
        wm.stubFor(post(urlEqualTo(BENEFIT_DATA)).willReturn(xml(200, "benefit-data-result-payments.xml")));

        BenefitDataResult result = adapter().query(query("corr-success", "PAYMENTS"));

        assertEquals(PERSON_ID, result.getPersonId());
        assertEquals(List.of(View.PAYMENTS), result.getViews());
        assertEquals(2, result.getPayment().size());
        Payment first = result.getPayment().get(0);
        assertEquals(LocalDate.of(2026, 9, 2), first.getPaid());
        assertEquals("KANSANELAKE", first.getBenefitCode());
        assertEquals(new BigDecimal("690.56"), first.getGross());
        assertEquals(new BigDecimal("69.06"), first.getTax());
        assertEquals(new BigDecimal("621.50"), first.getNet());
        assertEquals(LocalDate.of(2026, 9, 1), first.getPeriod().getFrom());
        assertEquals(LocalDate.of(2026, 9, 30), first.getPeriod().getTo());
        assertEquals(new BigDecimal("309.12"), result.getPayment().get(1).getNet());
        assertTrue(result.getDecision().isEmpty(), "no sections of views not asked for");

        wm.verify(1, postRequestedFor(urlEqualTo(BENEFIT_DATA))
                .withHeader("X-Correlation-Id", equalTo("corr-success"))
                .withHeader("Content-Type", containing("application/xml"))
                .withRequestBody(be("/be:benefitDataQuery/be:requester[@businessId='" + BUSINESS_ID + "']"))
                .withRequestBody(be("/be:benefitDataQuery/be:requester[@organisationType='HVA']"))
                .withRequestBody(be("/be:benefitDataQuery/be:requester[@userId='" + USER_ID + "']"))
                .withRequestBody(be("/be:benefitDataQuery/be:personId[text()='" + PERSON_ID + "']"))
                .withRequestBody(be("/be:benefitDataQuery/be:purpose[text()='" + PURPOSE + "']"))
                .withRequestBody(be("/be:benefitDataQuery[count(be:view)=1 and be:view='PAYMENTS']")));
    }

    @Test
    void queryCarriesTheRequestersAreaScoping() {
        wm.stubFor(post(urlEqualTo(BENEFIT_DATA)).willReturn(xml(200, "benefit-data-result-payments.xml")));

        adapter().query(query("corr-area", "PAYMENTS"));

        wm.verify(1, postRequestedFor(urlEqualTo(BENEFIT_DATA))
                .withRequestBody(be("/be:benefitDataQuery/be:area[count(be:municipality)=3]"))
                .withRequestBody(be("/be:benefitDataQuery/be:area/be:municipality[text()='049']"))
                .withRequestBody(be("/be:benefitDataQuery/be:area/be:municipality[text()='235']")));
    }

    @Test
    void backendRefusingAClientOutsideTheAreaIsClientOutsideAreaScoping() {
        wm.stubFor(post(urlEqualTo(BENEFIT_DATA)).willReturn(aResponse().withStatus(403)
                .withHeader("Content-Type", "application/xml")
                .withBody("<backendError xmlns=\"urn:fi:kela:kelmu:backend:v1\" code=\"CLIENT_OUTSIDE_AREA\"/>")));

        assertFault(FaultCode.CLIENT_OUTSIDE_AREA, () -> adapter().query(query("corr-outside", "PAYMENTS")));
    }

    @Test
    void dataAboutAClientOutsideTheAreaIsDiscardedEvenWhenTheBackendSendsItScoping() {
        wm.stubFor(post(urlEqualTo(BENEFIT_DATA)).willReturn(xml(200, "benefit-data-result-payments.xml")));
        BackendQuery tampere = new BackendQuery(BUSINESS_ID, OrganisationType.HVA, USER_ID, PERSON_ID, PURPOSE,
                List.of("PAYMENTS"), Set.of("837"), "corr-leak");

        assertFault(FaultCode.CLIENT_OUTSIDE_AREA, () -> adapter().query(tampere));
    }

    @Test
    void requestCarriesEveryViewAsked() {
        wm.stubFor(post(urlEqualTo(BENEFIT_DATA)).willReturn(xml(200, "benefit-data-result-payments-and-decisions.xml")));

        BenefitDataResult result = adapter().query(query("corr-two-views", "PAYMENTS", "BENEFIT_DECISIONS"));

        assertEquals(1, result.getDecision().size());
        assertEquals(1, result.getPayment().size());
        wm.verify(1, postRequestedFor(urlEqualTo(BENEFIT_DATA))
                .withHeader("X-Correlation-Id", equalTo("corr-two-views"))
                .withRequestBody(be("/be:benefitDataQuery[count(be:view)=2]"))
                .withRequestBody(be("/be:benefitDataQuery/be:view[text()='PAYMENTS']"))
                .withRequestBody(be("/be:benefitDataQuery/be:view[text()='BENEFIT_DECISIONS']")));
    }

    @Test
    void http500IsBackendError() {
        wm.stubFor(post(urlEqualTo(BENEFIT_DATA)).willReturn(xml(500, "backend-error-internal.xml")));

        assertFault(FaultCode.BACKEND_ERROR, () -> adapter().query(query("corr-500", "PAYMENTS")));
    }

    @Test
    void notFoundWithoutClientNotFoundCodeIsBackendErrorNotUnknownClient() {
        wm.stubFor(post(urlEqualTo(BENEFIT_DATA)).willReturn(aResponse().withStatus(404)));

        assertFault(FaultCode.BACKEND_ERROR, () -> adapter().query(query("corr-404-bare", "PAYMENTS")));
    }

    @Test
    void connectionResetIsBackendUnavailable() {
        wm.stubFor(post(urlEqualTo(BENEFIT_DATA)).willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));

        assertFault(FaultCode.BACKEND_UNAVAILABLE, () -> adapter().query(query("corr-reset", "PAYMENTS")));
    }

    @Test
    void aConnectionTheBackendClosedIsRetriedOnceOnANewOne() {
        wm.stubFor(post(urlEqualTo(BENEFIT_DATA)).inScenario("stale").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withFault(Fault.EMPTY_RESPONSE)).willSetStateTo("closed"));
        wm.stubFor(post(urlEqualTo(BENEFIT_DATA)).inScenario("stale").whenScenarioStateIs("closed")
                .willReturn(xml(200, "benefit-data-result-payments.xml")));

        BenefitDataResult result = adapter().query(query("corr-stale", "PAYMENTS"));

        assertEquals(PERSON_ID, result.getPersonId());
        wm.verify(2, postRequestedFor(urlEqualTo(BENEFIT_DATA)));
    }

    @Test
    void aBackendThatClosesEveryConnectionIsUnavailableAfterOneRetry() {
        wm.stubFor(post(urlEqualTo(BENEFIT_DATA)).willReturn(aResponse().withFault(Fault.EMPTY_RESPONSE)));

        assertFault(FaultCode.BACKEND_UNAVAILABLE, () -> adapter().query(query("corr-stale-always", "PAYMENTS")));
        wm.verify(2, postRequestedFor(urlEqualTo(BENEFIT_DATA)));
    }

    @Test
    void nonXmlAnswerIsInvalidResponse() {
        wm.stubFor(post(urlEqualTo(BENEFIT_DATA)).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "text/plain").withBody(fixture("not-xml.txt"))));

        assertFault(FaultCode.BACKEND_INVALID_RESPONSE, () -> adapter().query(query("corr-not-xml", "PAYMENTS")));
    }

    @Test
    void answerNotValidAgainstBackendSchemaIsInvalidResponse() {
        wm.stubFor(post(urlEqualTo(BENEFIT_DATA)).willReturn(xml(200, "benefit-data-result-schema-invalid.xml")));

        assertFault(FaultCode.BACKEND_INVALID_RESPONSE,
                () -> adapter().query(query("corr-schema-invalid", "PAYMENTS")));
    }

    @Test
    void answerAboutAnotherPersonIsInvalidResponse() {
        wm.stubFor(post(urlEqualTo(BENEFIT_DATA)).willReturn(xml(200, "benefit-data-result-other-person.xml")));

        assertFault(FaultCode.BACKEND_INVALID_RESPONSE, () -> adapter().query(query("corr-other-person", "PAYMENTS")));
    }

    @Test
    void answerWithViewsNotAskedForIsInvalidResponse() {
        wm.stubFor(post(urlEqualTo(BENEFIT_DATA)).willReturn(xml(200, "benefit-data-result-payments-and-decisions.xml")));

        assertFault(FaultCode.BACKEND_INVALID_RESPONSE, () -> adapter().query(query("corr-extra-view", "PAYMENTS")));
    }

    @Test
    void answerMissingAnAskedViewIsInvalidResponse() {
        wm.stubFor(post(urlEqualTo(BENEFIT_DATA)).willReturn(xml(200, "benefit-data-result-payments.xml")));

        assertFault(FaultCode.BACKEND_INVALID_RESPONSE,
                () -> adapter().query(query("corr-missing-view", "PAYMENTS", "BENEFIT_DECISIONS")));
    }

    @Test
    void answerSlowerThanReadTimeoutIsBackendTimeoutWithoutWaitingForIt() {
        Duration delay = Duration.ofMillis(1500);
        wm.stubFor(post(urlEqualTo(BENEFIT_DATA)).willReturn(xml(200, "benefit-data-result-payments.xml")
                .withFixedDelay((int) delay.toMillis())));
        BenefitBackendAdapter adapter = new BenefitBackendAdapter(OrganisationType.HVA,
                settings(backendUrl(), Duration.ofMillis(300), 50, 10, 10, OPEN_LONG));

        long start = System.nanoTime();
        assertFault(FaultCode.BACKEND_TIMEOUT, () -> adapter.query(query("corr-slow", "PAYMENTS")));
        Duration took = Duration.ofNanos(System.nanoTime() - start);

        assertTrue(took.compareTo(Duration.ofMillis(1000)) < 0,
                "gave up after the 300 ms read timeout, not after the backend's " + delay + ": took " + took);
    }

    @Test
    void clientNotFoundIsUnknownClientAndNotABreakerFailure() {
        wm.stubFor(post(urlEqualTo(BENEFIT_DATA)).willReturn(xml(404, "backend-error-client-not-found.xml")));
        BenefitBackendAdapter adapter = new BenefitBackendAdapter(OrganisationType.HVA,
                settings(backendUrl(), READ_TIMEOUT, 50, 5, 3, OPEN_LONG));

        for (int i = 0; i < 5; i++) {
            assertFault(FaultCode.UNKNOWN_CLIENT, () -> adapter.query(query("corr-unknown", "PAYMENTS")));
        }

        assertEquals(CircuitBreaker.State.CLOSED, adapter.breakerState());
        wm.verify(5, postRequestedFor(urlEqualTo(BENEFIT_DATA)));
    }

    @Test
    void connectionRefusedIsBackendUnavailable() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        BenefitBackendAdapter adapter = new BenefitBackendAdapter(OrganisationType.HVA,
                settings(URI.create("http://localhost:" + closedPort + CONTEXT_PATH), READ_TIMEOUT, 50, 10, 10,
                        OPEN_LONG));

        assertFault(FaultCode.BACKEND_UNAVAILABLE, () -> adapter.query(query("corr-refused", "PAYMENTS")));
    }

    @Test
    void breakerOpensAfterRepeatedFailuresAndThenFailsFastWithoutCallingBackend() {
        wm.stubFor(post(urlEqualTo(BENEFIT_DATA)).willReturn(xml(500, "backend-error-internal.xml")));
        BenefitBackendAdapter adapter = new BenefitBackendAdapter(OrganisationType.HVA,
                settings(backendUrl(), READ_TIMEOUT, 50, 5, 3, OPEN_LONG));

        for (int i = 0; i < 3; i++) {
            assertEquals(CircuitBreaker.State.CLOSED, adapter.breakerState());
            assertFault(FaultCode.BACKEND_ERROR, () -> adapter.query(query("corr-failing", "PAYMENTS")));
        }
        assertEquals(CircuitBreaker.State.OPEN, adapter.breakerState());
        wm.verify(3, postRequestedFor(urlEqualTo(BENEFIT_DATA)));

        assertFault(FaultCode.BACKEND_UNAVAILABLE, () -> adapter.query(query("corr-after-open", "PAYMENTS")));

        wm.verify(3, postRequestedFor(urlEqualTo(BENEFIT_DATA)));
        wm.verify(0, postRequestedFor(urlEqualTo(BENEFIT_DATA))
                .withHeader("X-Correlation-Id", equalTo("corr-after-open")));
        assertEquals(CircuitBreaker.State.OPEN, adapter.breakerState());
    }

    @Test
    void queryThatCannotBeSentHoldsNoBreakerPermitSoTheBreakerStillRecovers() {
        wm.stubFor(post(urlEqualTo(BENEFIT_DATA)).willReturn(xml(500, "backend-error-internal.xml")));
        BenefitBackendAdapter adapter = new BenefitBackendAdapter(OrganisationType.HVA,
                settings(backendUrl(), READ_TIMEOUT, 50, 5, 3, Duration.ofMillis(1)));
        for (int i = 0; i < 3; i++) {
            assertFault(FaultCode.BACKEND_ERROR, () -> adapter.query(query("corr-failing", "PAYMENTS")));
        }
        assertEquals(CircuitBreaker.State.OPEN, adapter.breakerState());

        assertThrows(IllegalArgumentException.class, () -> adapter.query(query("corr-unsendable", "NOT_A_VIEW")));

        wm.stubFor(post(urlEqualTo(BENEFIT_DATA)).willReturn(xml(200, "benefit-data-result-payments.xml")));
        // the open state lasts 1 ms; until it has passed, calls fail fast without a permit
        long deadline = System.nanoTime() + Duration.ofSeconds(2).toNanos();
        boolean answered = false;
        while (!answered && System.nanoTime() < deadline) {
            try {
                adapter.query(query("corr-trial", "PAYMENTS"));
                answered = true;
            } catch (GatewayException stillOpen) {
                assertEquals(FaultCode.BACKEND_UNAVAILABLE, stillOpen.faultCode());
            }
        }
        assertTrue(answered, "the half-open trial call got through");
        assertEquals(CircuitBreaker.State.CLOSED, adapter.breakerState(), "the trial call closed the breaker");
    }

    @Test
    void queryOfAnotherOrganisationTypeIsRefusedWithoutCallingBackend() {
        BackendQuery kuntaQuery = new BackendQuery("9000005-4", OrganisationType.KUNTA, USER_ID, PERSON_ID, PURPOSE,
                List.of("PAYMENTS"), Set.of("049"), "corr-wrong-type");

        assertThrows(IllegalStateException.class, () -> adapter().query(kuntaQuery));

        wm.verify(0, postRequestedFor(urlEqualTo(BENEFIT_DATA)));
    }

    // --- helpers

    private static BenefitBackendAdapter adapter() {
        return new BenefitBackendAdapter(OrganisationType.HVA, settings(backendUrl(), READ_TIMEOUT, 50, 10, 10, OPEN_LONG));
    }

    private static URI backendUrl() {
        return URI.create(wm.baseUrl() + CONTEXT_PATH);
    }

    private static BackendSettings settings(URI baseUrl, Duration readTimeout, int failureRate, int window,
            int minimumCalls, Duration openDuration) {
        return new BackendSettings(baseUrl, CONNECT_TIMEOUT, readTimeout, failureRate, window, minimumCalls,
                openDuration);
    }

    private static BackendQuery query(String correlationId, String... views) {
        return new BackendQuery(BUSINESS_ID, OrganisationType.HVA, USER_ID, PERSON_ID, PURPOSE, List.of(views),
                AREA, correlationId);
    }

    private static GatewayException assertFault(FaultCode expected, Executable call) {
        GatewayException e = assertThrows(GatewayException.class, call);
        assertEquals(expected, e.faultCode(), () -> "fault for: " + e.getMessage());
        return e;
    }

    private static StringValuePattern be(String xpath) {
        return matchingXPath(xpath).withXPathNamespace("be", BACKEND_NS);
    }

    private static ResponseDefinitionBuilder xml(int status, String fixture) {
        return aResponse().withStatus(status)
                .withHeader("Content-Type", "application/xml; charset=UTF-8")
                .withBody(fixture(fixture));
    }

    private static byte[] fixture(String name) {
        String path = "/backend/" + name;
        URL url = BenefitBackendAdapterTest.class.getResource(path);
        assertNotNull(url, "test fixture missing: " + path);
        try (InputStream in = url.openStream()) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
