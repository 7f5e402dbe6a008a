package fi.kelmu.gateway.sandbox;

import static fi.kelmu.gateway.support.TestData.ETUUSTIEDOT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fi.kelmu.gateway.GatewaySettings;
import fi.kelmu.gateway.config.GatewayConfig;
import fi.kelmu.gateway.config.ResourceLocation;
import fi.kelmu.gateway.fault.FaultCode;
import fi.kelmu.gateway.fault.GatewayException;
import fi.kelmu.gateway.mandate.MandateLookup;
import fi.kelmu.gateway.mandate.MandateServiceAuthorization;
import fi.kelmu.gateway.mandate.MandateServiceSettings;
import fi.kelmu.gateway.mandate.OnlineMandates;
import fi.kelmu.gateway.mandate.SuomiFiMandateClient;
import fi.kelmu.gateway.support.MutableClock;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The sandbox {@link MandateServiceSimulator} with its shipped demo grants, asked through the real
 * {@link SuomiFiMandateClient}: validity is judged at the simulator clock's time and only codes come back,
 * so revoked and expired mandates are simply absent (R-MAND-4).
 */
class MandateServiceSimulatorTest {

    private static final String CLIENT_ID = "KELMUTST";
    private static final String API_KEY = "test-api-key";
    private static final Instant NOW = Instant.parse("2026-11-02T08:30:00Z");

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final MutableClock CLOCK = new MutableClock(NOW);
    private static MandateServiceSimulator simulator;
    private static MandateLookup client;

    @BeforeAll
    static void start() throws IOException {
        simulator = MandateServiceSimulator.start("127.0.0.1", 0,
                new ResourceLocation("classpath:sandbox/mandate-demo-data.json"), CLIENT_ID, API_KEY, CLOCK);
        client = client(API_KEY);
    }

    @AfterAll
    static void stop() {
        simulator.close();
    }

    @BeforeEach
    void now() {
        CLOCK.set(NOW);
    }

    @ParameterizedTest(name = "{0} @ {1}: {2}")
    @CsvSource(delimiter = ';', value = {
        "010594Y9032; 9000001-1; ETUUSTIEDOT_MAKSUVAATIMUKSET TOIMEENTULOTUKI_SOSIAALIPALVELUT TYOMARKKINATUKI_300_PAIVAA",
        "150585-9100; 9000007-0; ETUUSTIEDOT_MAKSUVAATIMUKSET TOIMEENTULOTUKI_SOSIAALIPALVELUT KOTOUTUMISPALVELUT",
        "220790-921S; 9000005-4; ETUUSTIEDOT_MAKSUVAATIMUKSET KOTOUTUMISPALVELUT",
        "030388-9324; 9000003-8; ETUUSTIEDOT_MAKSUVAATIMUKSET",
        "111175-943R; 9000001-1; ''",
        "050695-954B; 9000001-1; ''",
        "241282-965E; 9000001-1; ETUUSTIEDOT_MAKSUVAATIMUKSET",
        "241282-965E; 9000005-4; ''",
        "170991-9766; 9000006-2; TYOMARKKINATUKI_AINEISTOT",
        "010594Y9032; 9000005-4; ''",
    })
    void demoUsersHoldTheirMandatesInForceNow(String user, String organisation, String codes) {
        Set<String> expected = codes == null || codes.isBlank() ? Set.of() : Set.of(codes.split(" "));

        OnlineMandates answer = client.mandatesInForce(user, organisation, "req-demo");

        assertEquals(expected, answer.codes());
    }

    /** R-MAND-4: revoked on 30.6.2026 when employment ended; access stops that day. */
    @Test
    void revokedMandateIsInForceUntilTheDayOfRevocationOnly() {
        CLOCK.set(Instant.parse("2026-06-29T20:59:00Z")); // 23.59 in Finland
        assertEquals(Set.of(ETUUSTIEDOT), codes("111175-943R", "9000001-1"));

        CLOCK.set(Instant.parse("2026-06-29T21:00:00Z")); // 30.6. 00.00 in Finland
        assertEquals(Set.of(), codes("111175-943R", "9000001-1"));
    }

    /** R-MAND-4: expired on 31.12.2025, the last day it was valid. */
    @Test
    void expiredMandateIsAbsentAfterItsLastDay() {
        CLOCK.set(Instant.parse("2025-12-31T12:00:00Z"));
        assertEquals(Set.of(ETUUSTIEDOT), codes("050695-954B", "9000001-1"));

        CLOCK.set(Instant.parse("2026-01-01T12:00:00Z"));
        assertEquals(Set.of(), codes("050695-954B", "9000001-1"));
    }

    /** R-MAND-6 (deck example 1): Espoo's mandate until the move, the HVA's from 1.1.2023. */
    @Test
    void movedUserHoldsTheMunicipalitysMandateOnlyBefore2023AndTheHvasAfter() {
        CLOCK.set(Instant.parse("2022-06-01T12:00:00Z"));
        assertEquals(Set.of(ETUUSTIEDOT), codes("241282-965E", "9000005-4"));
        assertEquals(Set.of(), codes("241282-965E", "9000001-1"));

        CLOCK.set(Instant.parse("2023-06-01T12:00:00Z"));
        assertEquals(Set.of(), codes("241282-965E", "9000005-4"));
        assertEquals(Set.of(ETUUSTIEDOT), codes("241282-965E", "9000001-1"));
    }

    /** R-MAND-3: the four new mandates exist from 1.1.2023. */
    @Test
    void newMandatesOf2023AreAbsentIn2022() {
        CLOCK.set(Instant.parse("2022-12-31T12:00:00Z"));
        assertEquals(Set.of(ETUUSTIEDOT), codes("150585-9100", "9000007-0"));
    }

    @Test
    void answerNamesTheOrganisationAndIsComplete() throws Exception {
        String path = rolesPath("010594Y9032", "9000001-1");
        HttpResponse<String> response = send(path, MandateServiceAuthorization.header(CLIENT_ID, API_KEY, path, NOW));

        assertEquals(200, response.statusCode());
        assertTrue(response.body().contains("\"identifier\":\"9000001-1\""), response.body());
        assertTrue(response.body().contains("\"complete\":true"), response.body());
        assertTrue(response.body().contains("Länsi-Uudenmaan hyvinvointialue (demo)"), response.body());
    }

    @Test
    void badMissingOrStaleAuthorizationIsRefusedWith401() throws Exception {
        String path = rolesPath("010594Y9032", "9000001-1");

        assertEquals(401, send(path, null).statusCode());
        assertEquals(401, send(path, MandateServiceAuthorization.header(CLIENT_ID, "wrong-key", path, NOW)).statusCode());
        assertEquals(401, send(path, MandateServiceAuthorization.header("OTHERCLI", API_KEY, path, NOW)).statusCode());
        assertEquals(401, send(path, MandateServiceAuthorization.header(CLIENT_ID, API_KEY,
                rolesPath("010594Y9032", "9000005-4"), NOW)).statusCode(), "signed for another query");
        assertEquals(401, send(path, MandateServiceAuthorization.header(CLIENT_ID, API_KEY, path,
                NOW.minus(Duration.ofMinutes(6)))).statusCode(), "more than 5 minutes old");
        assertEquals(200, send(path, MandateServiceAuthorization.header(CLIENT_ID, API_KEY, path,
                NOW.minus(Duration.ofMinutes(4)))).statusCode());
    }

    @Test
    void clientWithTheWrongApiKeyFailsClosed() {
        GatewayException e = assertThrows(GatewayException.class,
                () -> client("wrong-key").mandatesInForce("010594Y9032", "9000001-1", "req-bad-key"));

        assertEquals(FaultCode.MANDATE_SERVICE_UNAVAILABLE, e.faultCode());
    }

    /** The sandbox configuration as shipped: simulator and client from the same properties, cache on. */
    @Test
    void sandboxConfigurationStartsASimulatorTheConfiguredClientCanAsk() throws IOException {
        GatewayConfig config = GatewayConfig.load(Map.of("kelmu.mode", "sandbox"));
        try (MandateServiceSimulator sandbox = MandateServiceSimulator.start(
                config.required("kelmu.simulator.host"), config.integer("kelmu.simulator.mandate-port"),
                new ResourceLocation(config.required("kelmu.simulator.mandate-data-file")),
                config.required("kelmu.mandate.service.client-id"), config.required("kelmu.mandate.service.api-key"),
                CLOCK)) {
            MandateLookup lookup = SuomiFiMandateClient.of(GatewaySettings.mandates(
                    config.with("kelmu.simulator.mandate-url", sandbox.baseUrl().toString())), CLOCK);

            OnlineMandates first = lookup.mandatesInForce("030388-9324", "9000003-8", "req-sandbox-1");
            OnlineMandates second = lookup.mandatesInForce("030388-9324", "9000003-8", "req-sandbox-2");

            assertEquals(Set.of(ETUUSTIEDOT), first.codes());
            assertTrue(second.fromCache());
        }
    }

    // --- helpers

    private static MandateLookup client(String apiKey) {
        return new SuomiFiMandateClient(new MandateServiceSettings(simulator.baseUrl(), CLIENT_ID, apiKey,
                Duration.ofSeconds(1), Duration.ofSeconds(2)), CLOCK);
    }

    private static Set<String> codes(String user, String organisation) {
        return client.mandatesInForce(user, organisation, "req-" + user).codes();
    }

    private static String rolesPath(String user, String organisation) {
        return MandateServiceSimulator.CONTEXT_PATH + SuomiFiMandateClient.ORGANIZATION_ROLES_PATH + user
                + "?organizationIdentifier=" + organisation + "&requestId=req-raw";
    }

    private static HttpResponse<String> send(String path, String authorization) throws Exception {
        URI base = simulator.baseUrl();
        HttpRequest.Builder request = HttpRequest.newBuilder(
                URI.create("http://" + base.getHost() + ":" + base.getPort() + path)).GET();
        if (authorization != null) {
            request.header(MandateServiceAuthorization.HEADER, authorization);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
