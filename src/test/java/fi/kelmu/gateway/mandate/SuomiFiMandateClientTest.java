package fi.kelmu.gateway.mandate;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static fi.kelmu.gateway.support.TestData.HVA;
import static fi.kelmu.gateway.support.TestData.USER;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import fi.kelmu.gateway.GatewaySettings;
import fi.kelmu.gateway.config.GatewayConfig;
import fi.kelmu.gateway.fault.FaultCode;
import fi.kelmu.gateway.fault.GatewayException;
import fi.kelmu.gateway.support.FreePort;
import fi.kelmu.gateway.support.MutableClock;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.function.Executable;

/**
 * {@link SuomiFiMandateClient} against a WireMock stand-in of the Suomi.fi-valtuudet organisation-roles
 * API. The check must fail closed: every way the service can fail is
 * {@code Server.MandateServiceUnavailable}, never "allowed" and never "no mandates".
 */
class SuomiFiMandateClientTest {

    @RegisterExtension
    static WireMockExtension wm = WireMockExtension.newInstance()
            .options(wireMockConfig().dynamicPort())
            .failOnUnmatchedRequests(true)
            .build();

    static final String BASE_PATH = "/valtuudet";
    static final String ORGANISATION = HVA;
    static final String ROLES_PATH = BASE_PATH + "/service/ypa/api/organizationRoles/" + USER;
    static final String CLIENT_ID = "KELMUTST";
    static final String API_KEY = "test-api-key";
    static final Instant NOW = Instant.parse("2026-11-02T08:30:00Z");

    private final MutableClock clock = new MutableClock(NOW);

    @Test
    void mandatesInForceAreTheRolesTheServiceListsForTheOrganisation() {
        stubRoles(json(200, """
                [{"name": "Länsi-Uudenmaan hyvinvointialue", "identifier": "9000001-1",
                  "roles": ["ETUUSTIEDOT_MAKSUVAATIMUKSET", "TOIMEENTULOTUKI_SOSIAALIPALVELUT"],
                  "complete": true, "someFutureField": {"x": 1}}]"""));

        OnlineMandates answer = client().mandatesInForce(USER, ORGANISATION, "req-allowed");

        assertEquals(Set.of("ETUUSTIEDOT_MAKSUVAATIMUKSET", "TOIMEENTULOTUKI_SOSIAALIPALVELUT"), answer.codes());
        assertTrue(answer.holds("ETUUSTIEDOT_MAKSUVAATIMUKSET"));
        assertEquals(USER, answer.user());
        assertEquals(ORGANISATION, answer.organisation());
        assertEquals("req-allowed", answer.requestId());
        assertEquals(NOW, answer.checkedAt());
        assertFalse(answer.fromCache());
        assertFalse(answer.toString().contains(USER), "the henkilötunnus is masked in toString");
    }

    @Test
    void requestNamesUserOrganisationAndRequestIdAndIsSignedWithHmacOverPathAndTimestamp() throws Exception {
        stubRoles(json(200, "[]"));

        client().mandatesInForce(USER, ORGANISATION, "req 1/ä");

        List<LoggedRequest> requests = wm.findAll(getRequestedFor(urlPathEqualTo(ROLES_PATH))
                .withQueryParam("organizationIdentifier", equalTo(ORGANISATION))
                .withQueryParam("requestId", equalTo("req 1/ä")));
        assertEquals(1, requests.size());
        String header = requests.get(0).getHeader(MandateServiceAuthorization.HEADER);
        String[] parts = header.split(" ");
        assertEquals(3, parts.length, header);
        assertEquals(CLIENT_ID, parts[0]);
        assertEquals(NOW, Instant.parse(parts[1]));
        // recomputed here, independently of MandateServiceAuthorization: path after the host, query included
        URI sent = URI.create(requests.get(0).getAbsoluteUrl());
        String path = sent.getRawPath() + "?" + sent.getRawQuery();
        assertTrue(path.startsWith(ROLES_PATH + "?organizationIdentifier=9000001-1&requestId="), path);
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(API_KEY.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        String expected = Base64.getEncoder().encodeToString(
                mac.doFinal((path + " " + parts[1]).getBytes(StandardCharsets.UTF_8)));
        assertEquals(expected, parts[2]);
        assertTrue(MandateServiceAuthorization.verify(header, CLIENT_ID, API_KEY, path, NOW.plusSeconds(299)));
        assertFalse(MandateServiceAuthorization.verify(header, CLIENT_ID, API_KEY, path, NOW.plusSeconds(301)),
                "stale by more than 5 minutes");
        assertFalse(MandateServiceAuthorization.verify(header, CLIENT_ID, "other-key", path, NOW));
    }

    /** R-MAND-4: the service returns no dates; a revoked or expired mandate simply is not listed. */
    @Test
    void revokedMandateIsAbsentFromTheAnswerSoTheUserHoldsNoCode() {
        stubRoles(json(200, "[]"));
        assertEquals(Set.of(), client().mandatesInForce(USER, ORGANISATION, "req-revoked").codes());

        stubRoles(json(200, """
                [{"name": "HVA", "identifier": "9000001-1", "roles": [], "complete": true}]"""));
        assertEquals(Set.of(), client().mandatesInForce(USER, ORGANISATION, "req-revoked-2").codes());
    }

    @Test
    void unreachableServiceFailsClosed() {
        SuomiFiMandateClient client = client(URI.create("http://127.0.0.1:" + FreePort.find() + BASE_PATH),
                Duration.ofSeconds(2));

        assertFailsClosed(() -> client.mandatesInForce(USER, ORGANISATION, "req-down"));
    }

    @Test
    void connectionResetFailsClosed() {
        stubRoles(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER));

        assertFailsClosed(() -> client().mandatesInForce(USER, ORGANISATION, "req-reset"));
    }

    @Test
    void serverErrorFailsClosed() {
        stubRoles(json(500, "{\"error\": \"internal\"}"));

        assertFailsClosed(() -> client().mandatesInForce(USER, ORGANISATION, "req-500"));
    }

    @Test
    void refusedAuthorizationFailsClosed() {
        stubRoles(json(401, "{\"error\": \"unauthorized\"}"));

        GatewayException e = assertFailsClosed(() -> client().mandatesInForce(USER, ORGANISATION, "req-401"));
        assertTrue(e.getMessage().contains("401"), e.getMessage());
    }

    @Test
    void answerSlowerThanReadTimeoutFailsClosedWithoutWaitingForIt() {
        stubRoles(json(200, "[]").withFixedDelay(1500));
        SuomiFiMandateClient client = client(URI.create(wm.baseUrl() + BASE_PATH), Duration.ofMillis(300));

        long start = System.nanoTime();
        assertFailsClosed(() -> client.mandatesInForce(USER, ORGANISATION, "req-slow"));
        assertTrue(Duration.ofNanos(System.nanoTime() - start).compareTo(Duration.ofMillis(1200)) < 0,
                "gave up at the read timeout");
    }

    @Test
    void malformedJsonFailsClosed() {
        stubRoles(json(200, "[{\"identifier\": \"9000001-1\", \"roles\": [\"ETUUSTIEDOT_"));

        assertFailsClosed(() -> client().mandatesInForce(USER, ORGANISATION, "req-malformed"));
    }

    @Test
    void answerThatIsNotAListOfOrganisationsFailsClosed() {
        stubRoles(json(200, "{\"roles\": [\"ETUUSTIEDOT_MAKSUVAATIMUKSET\"]}"));
        assertFailsClosed(() -> client().mandatesInForce(USER, ORGANISATION, "req-object"));

        stubRoles(json(200, """
                [{"identifier": "9000001-1", "roles": [{"code": "ETUUSTIEDOT_MAKSUVAATIMUKSET"}], "complete": true}]"""));
        assertFailsClosed(() -> client().mandatesInForce(USER, ORGANISATION, "req-role-object"));
    }

    @Test
    void incompleteAnswerFailsClosed() {
        stubRoles(json(200, """
                [{"identifier": "9000001-1", "roles": ["ETUUSTIEDOT_MAKSUVAATIMUKSET"], "complete": false}]"""));
        assertFailsClosed(() -> client().mandatesInForce(USER, ORGANISATION, "req-incomplete"));

        stubRoles(json(200, """
                [{"identifier": "9000001-1", "roles": ["ETUUSTIEDOT_MAKSUVAATIMUKSET"]}]"""));
        assertFailsClosed(() -> client().mandatesInForce(USER, ORGANISATION, "req-no-complete"));
    }

    /** R-MAND-6: a mandate from another organisation never counts, and an answer about one is not ours. */
    @Test
    void answerNamingAnotherOrganisationFailsClosed() {
        stubRoles(json(200, """
                [{"identifier": "9000005-4", "roles": ["ETUUSTIEDOT_MAKSUVAATIMUKSET"], "complete": true}]"""));
        assertFailsClosed(() -> client().mandatesInForce(USER, ORGANISATION, "req-other-org"));

        stubRoles(json(200, """
                [{"identifier": "9000001-1", "roles": [], "complete": true},
                 {"identifier": "9000005-4", "roles": ["ETUUSTIEDOT_MAKSUVAATIMUKSET"], "complete": true}]"""));
        assertFailsClosed(() -> client().mandatesInForce(USER, ORGANISATION, "req-extra-org"));
    }

    @Test
    void fromConfigWithZeroCacheSecondsIsTheClientItselfAndOtherwiseCaches() {
        Map<String, String> overrides = Map.of("kelmu.mode", "sandbox",
                "kelmu.mandate.service.base-url", wm.baseUrl() + BASE_PATH);
        GatewayConfig config = GatewayConfig.load(overrides);

        assertInstanceOf(CachingMandateLookup.class, SuomiFiMandateClient.of(GatewaySettings.mandates(config), clock));
        assertInstanceOf(SuomiFiMandateClient.class,
                SuomiFiMandateClient.of(GatewaySettings.mandates(config.with("kelmu.mandate.cache-seconds", "0")), clock));
    }

    @Test
    void productionRefusesTheSandboxApiKeyAndAMissingOne() {
        GatewayConfig production = GatewayConfig.load(Map.of("kelmu.mode", "production",
                "kelmu.mandate.service.base-url", wm.baseUrl(), "kelmu.mandate.service.client-id", CLIENT_ID));

        IllegalStateException missing = assertThrows(IllegalStateException.class,
                () -> GatewaySettings.mandates(production));
        assertTrue(missing.getMessage().contains("KELMU_MANDATE_SERVICE_API_KEY"), missing.getMessage());
        assertThrows(IllegalStateException.class, () -> GatewaySettings.mandates(
                production.with("kelmu.mandate.service.api-key", "SANDBOX-ONLY-mandate-api-key-not-a-secret")));
        assertFalse(new MandateServiceSettings(URI.create(wm.baseUrl()), CLIENT_ID, API_KEY, Duration.ofSeconds(1),
                Duration.ofSeconds(1)).toString().contains(API_KEY), "the API key is never printed");
    }

    // --- helpers

    private SuomiFiMandateClient client() {
        return client(URI.create(wm.baseUrl() + BASE_PATH), Duration.ofSeconds(2));
    }

    private SuomiFiMandateClient client(URI baseUrl, Duration readTimeout) {
        return new SuomiFiMandateClient(new MandateServiceSettings(baseUrl, CLIENT_ID, API_KEY,
                Duration.ofSeconds(1), readTimeout), clock);
    }

    static void stubRoles(ResponseDefinitionBuilder response) {
        wm.stubFor(get(urlPathEqualTo(ROLES_PATH)).willReturn(response));
    }

    static ResponseDefinitionBuilder json(int status, String body) {
        return aResponse().withStatus(status).withHeader("Content-Type", "application/json").withBody(body);
    }

    /** Fail closed: the mandate fault, and no word of the user's henkilötunnus in the log reason. */
    private static GatewayException assertFailsClosed(Executable call) {
        GatewayException e = assertThrows(GatewayException.class, call);
        assertEquals(FaultCode.MANDATE_SERVICE_UNAVAILABLE, e.faultCode());
        assertFalse(e.getMessage().contains(USER), e.getMessage());
        return e;
    }
}
