package fi.kelmu.gateway.mandate;

import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static fi.kelmu.gateway.support.TestData.HVA;
import static fi.kelmu.gateway.support.TestData.USER;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import fi.kelmu.gateway.fault.FaultCode;
import fi.kelmu.gateway.fault.GatewayException;
import fi.kelmu.gateway.support.MutableClock;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@link CachingMandateLookup} in front of the real client and a WireMock mandate service: a short cache
 * saves calls, but a revocation still takes effect when the answer expires (R-MAND-4), and a failure is
 * never remembered.
 */
class CachingMandateLookupTest {

    @RegisterExtension
    static WireMockExtension wm = WireMockExtension.newInstance()
            .options(wireMockConfig().dynamicPort())
            .failOnUnmatchedRequests(true)
            .build();

    private static final String ORGANISATION = HVA;
    private static final String ROLES_PATH = "/valtuudet/service/ypa/api/organizationRoles/" + USER;
    private static final Instant NOW = Instant.parse("2026-11-02T08:30:00Z");
    private static final String ALLOWED = """
            [{"name": "HVA", "identifier": "9000001-1", "roles": ["ETUUSTIEDOT_MAKSUVAATIMUKSET"], "complete": true}]""";

    private final MutableClock clock = new MutableClock(NOW);

    @Test
    void secondCallWithinTheCacheTimeIsServedFromTheCache() {
        stub(json(200, ALLOWED));
        MandateLookup lookup = cached(Duration.ofSeconds(30));

        OnlineMandates first = lookup.mandatesInForce(USER, ORGANISATION, "req-1");
        clock.set(NOW.plusSeconds(29));
        OnlineMandates second = lookup.mandatesInForce(USER, ORGANISATION, "req-2");

        assertFalse(first.fromCache());
        assertTrue(second.fromCache());
        assertEquals(Set.of("ETUUSTIEDOT_MAKSUVAATIMUKSET"), second.codes());
        assertEquals("req-1", second.requestId(), "the request id of the call that produced the answer");
        assertEquals(NOW, second.checkedAt());
        wm.verify(1, getRequestedFor(urlPathEqualTo(ROLES_PATH)));
    }

    /** R-MAND-4: a mandate revoked at the service stops access once the cached answer expires. */
    @Test
    void afterTheCacheTimeTheServiceIsAskedAgainAndARevocationTakesEffect() {
        stub(json(200, ALLOWED));
        MandateLookup lookup = cached(Duration.ofSeconds(30));
        lookup.mandatesInForce(USER, ORGANISATION, "req-1");

        stub(json(200, "[]")); // revoked at the service
        clock.set(NOW.plusSeconds(30));
        OnlineMandates after = lookup.mandatesInForce(USER, ORGANISATION, "req-2");

        assertFalse(after.fromCache());
        assertEquals(Set.of(), after.codes());
        assertEquals(NOW.plusSeconds(30), after.checkedAt());
        wm.verify(2, getRequestedFor(urlPathEqualTo(ROLES_PATH)));
    }

    @Test
    void failuresAreNotCached() {
        stub(json(500, "{}"));
        MandateLookup lookup = cached(Duration.ofSeconds(30));

        GatewayException e = assertThrows(GatewayException.class,
                () -> lookup.mandatesInForce(USER, ORGANISATION, "req-1"));
        assertEquals(FaultCode.MANDATE_SERVICE_UNAVAILABLE, e.faultCode());
        assertThrows(GatewayException.class, () -> lookup.mandatesInForce(USER, ORGANISATION, "req-2"));

        stub(json(200, ALLOWED));
        OnlineMandates recovered = lookup.mandatesInForce(USER, ORGANISATION, "req-3");

        assertFalse(recovered.fromCache());
        assertEquals(Set.of("ETUUSTIEDOT_MAKSUVAATIMUKSET"), recovered.codes());
        wm.verify(3, getRequestedFor(urlPathEqualTo(ROLES_PATH)));
    }

    @Test
    void zeroSecondsDisablesTheCache() {
        stub(json(200, ALLOWED));
        MandateLookup lookup = cached(Duration.ZERO);

        assertFalse(lookup.mandatesInForce(USER, ORGANISATION, "req-1").fromCache());
        assertFalse(lookup.mandatesInForce(USER, ORGANISATION, "req-2").fromCache());

        wm.verify(2, getRequestedFor(urlPathEqualTo(ROLES_PATH)));
    }

    /** R-MAND-6: a mandate is per organisation, so is the cached answer. */
    @Test
    void answersAreCachedPerUserAndOrganisation() {
        List<String> calls = new ArrayList<>();
        CachingMandateLookup lookup = new CachingMandateLookup(recording(calls), Duration.ofSeconds(30), 100, clock);

        lookup.mandatesInForce(USER, "9000001-1", "req-1");
        lookup.mandatesInForce(USER, "9000005-4", "req-2");
        lookup.mandatesInForce("150585-9100", "9000001-1", "req-3");
        assertTrue(lookup.mandatesInForce(USER, "9000005-4", "req-4").fromCache());

        assertEquals(List.of("req-1", "req-2", "req-3"), calls);
    }

    @Test
    void cacheIsBoundedAndEvictsTheOldestAnswerFirst() {
        List<String> calls = new ArrayList<>();
        CachingMandateLookup lookup = new CachingMandateLookup(recording(calls), Duration.ofSeconds(30), 2, clock);

        lookup.mandatesInForce("010594Y9032", ORGANISATION, "req-a");
        lookup.mandatesInForce("111175-943R", ORGANISATION, "req-b");
        lookup.mandatesInForce("050695-954B", ORGANISATION, "req-c");
        assertEquals(2, lookup.size());

        assertTrue(lookup.mandatesInForce("050695-954B", ORGANISATION, "req-d").fromCache());
        assertFalse(lookup.mandatesInForce("010594Y9032", ORGANISATION, "req-e").fromCache(), "the oldest was evicted");
        assertEquals(List.of("req-a", "req-b", "req-c", "req-e"), calls);
    }

    @Test
    void expiredAnswersAreDroppedWhenANewOneIsStored() {
        List<String> calls = new ArrayList<>();
        CachingMandateLookup lookup = new CachingMandateLookup(recording(calls), Duration.ofSeconds(30), 100, clock);
        lookup.mandatesInForce("010594Y9032", ORGANISATION, "req-a");
        lookup.mandatesInForce("111175-943R", ORGANISATION, "req-b");

        clock.set(NOW.plusSeconds(31));
        lookup.mandatesInForce("050695-954B", ORGANISATION, "req-c");

        assertEquals(1, lookup.size());
    }

    @Test
    void clockSetBackDoesNotStretchAnAnswersLife() {
        List<String> calls = new ArrayList<>();
        CachingMandateLookup lookup = new CachingMandateLookup(recording(calls), Duration.ofSeconds(30), 100, clock);
        lookup.mandatesInForce(USER, ORGANISATION, "req-1");

        clock.set(NOW.minusSeconds(3600));
        assertFalse(lookup.mandatesInForce(USER, ORGANISATION, "req-2").fromCache());
    }

    /** An answer that expires under load costs one call, not one a waiting request (R-MAND-4 keeps its time). */
    @Test
    void concurrentMissesForOneUserShareOneCall() throws Exception {
        List<String> calls = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch release = new CountDownLatch(1);
        CachingMandateLookup lookup = new CachingMandateLookup(firstCallHeld(calls, release, false),
                Duration.ofSeconds(30), 100, clock);
        ExecutorService pool = Executors.newFixedThreadPool(6);
        try {
            List<Future<OnlineMandates>> answers = missTogether(lookup, calls, 6, pool);
            release.countDown();

            assertFalse(answers.get(0).get(5, TimeUnit.SECONDS).fromCache());
            for (Future<OnlineMandates> other : answers.subList(1, answers.size())) {
                OnlineMandates shared = other.get(5, TimeUnit.SECONDS);
                assertTrue(shared.fromCache());
                assertEquals("req-0", shared.requestId(), "the answer of the one call");
            }
            assertEquals(List.of("req-0"), calls);
        } finally {
            release.countDown();
            pool.shutdownNow();
        }
    }

    @Test
    void aFailedCallIsNotSharedWithTheRequestsThatWaitedForIt() throws Exception {
        List<String> calls = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch release = new CountDownLatch(1);
        CachingMandateLookup lookup = new CachingMandateLookup(firstCallHeld(calls, release, true),
                Duration.ofSeconds(30), 100, clock);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<OnlineMandates>> answers = missTogether(lookup, calls, 4, pool);
            release.countDown();

            Exception failed = assertThrows(Exception.class, () -> answers.get(0).get(5, TimeUnit.SECONDS));
            assertEquals(FaultCode.MANDATE_SERVICE_UNAVAILABLE, ((GatewayException) failed.getCause()).faultCode());
            for (Future<OnlineMandates> other : answers.subList(1, answers.size())) {
                OnlineMandates own = other.get(5, TimeUnit.SECONDS);
                assertFalse(own.fromCache(), "each waiting request asked the service itself");
                assertEquals(Set.of("ETUUSTIEDOT_MAKSUVAATIMUKSET"), own.codes());
            }
            assertEquals(4, calls.size());
        } finally {
            release.countDown();
            pool.shutdownNow();
        }
    }

    // --- helpers

    private MandateLookup cached(Duration ttl) {
        SuomiFiMandateClient client = new SuomiFiMandateClient(new MandateServiceSettings(
                URI.create(wm.baseUrl() + "/valtuudet"), "KELMUTST", "test-api-key", Duration.ofSeconds(1),
                Duration.ofSeconds(2)), clock);
        return new CachingMandateLookup(client, ttl, 100, clock);
    }

    /**
     * A mandate service that records each call and holds the first ({@code req-0}) until {@code release}; that one
     * then fails with {@code Server.MandateServiceUnavailable} when {@code firstFails}.
     */
    private MandateLookup firstCallHeld(List<String> calls, CountDownLatch release, boolean firstFails) {
        return (user, organisation, requestId) -> {
            calls.add(requestId);
            if (requestId.equals("req-0")) {
                await(release);
                if (firstFails) {
                    throw new GatewayException(FaultCode.MANDATE_SERVICE_UNAVAILABLE, null, "service down for req-0");
                }
            }
            return new OnlineMandates(user, organisation, Set.of("ETUUSTIEDOT_MAKSUVAATIMUKSET"), requestId,
                    clock.instant(), false);
        };
    }

    /**
     * Starts {@code requests} lookups for one user, {@code req-0} first: the others start once its call is under
     * way, and this returns when all of them are parked (in the service or waiting for its answer).
     */
    private static List<Future<OnlineMandates>> missTogether(CachingMandateLookup lookup, List<String> calls,
            int requests, ExecutorService pool) throws InterruptedException {
        List<Future<OnlineMandates>> answers = new ArrayList<>();
        answers.add(pool.submit(() -> lookup.mandatesInForce(USER, ORGANISATION, "req-0")));
        waitUntil(() -> calls.size() == 1);
        for (int i = 1; i < requests; i++) {
            String id = "req-" + i;
            answers.add(pool.submit(() -> lookup.mandatesInForce(USER, ORGANISATION, id)));
        }
        waitUntilParked(requests);
        return answers;
    }

    private static void await(CountDownLatch latch) {
        try {
            if (!latch.await(10, TimeUnit.SECONDS)) {
                throw new IllegalStateException("never released");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void waitUntil(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within 10 s");
            }
            Thread.sleep(5);
        }
    }

    /** Waits until {@code count} of the test's pool threads are parked: in the service or waiting for its answer. */
    private static void waitUntilParked(int count) throws InterruptedException {
        waitUntil(() -> Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith("pool-") && (t.getState() == Thread.State.WAITING || t.getState() == Thread.State.TIMED_WAITING))
                .filter(t -> java.util.Arrays.stream(t.getStackTrace())
                        .anyMatch(f -> f.getClassName().equals(CachingMandateLookup.class.getName())))
                .count() >= count);
    }

    private MandateLookup recording(List<String> calls) {
        return (user, organisation, requestId) -> {
            calls.add(requestId);
            return new OnlineMandates(user, organisation, Set.of("ETUUSTIEDOT_MAKSUVAATIMUKSET"), requestId,
                    clock.instant(), false);
        };
    }

    private static void stub(ResponseDefinitionBuilder response) {
        wm.stubFor(get(urlPathEqualTo(ROLES_PATH)).willReturn(response));
    }

    private static ResponseDefinitionBuilder json(int status, String body) {
        return SuomiFiMandateClientTest.json(status, body);
    }
}
