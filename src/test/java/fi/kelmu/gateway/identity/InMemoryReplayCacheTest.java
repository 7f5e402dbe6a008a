package fi.kelmu.gateway.identity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fi.kelmu.gateway.support.MutableClock;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Replay cache semantics: first sight wins, repeats refused until expiry, exactly one winner under races. */
class InMemoryReplayCacheTest {

    @Test
    void aKeyIsFirstSeenOnceUntilItExpires() {
        MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
        InMemoryReplayCache cache = new InMemoryReplayCache(clock);
        Instant expiry = clock.instant().plusSeconds(60);

        assertTrue(cache.firstSeen("k", expiry));
        assertFalse(cache.firstSeen("k", expiry));
        clock.set(expiry.plusSeconds(1));
        assertTrue(cache.firstSeen("k", clock.instant().plusSeconds(60)), "after expiry the key is new again");
    }

    @Test
    void concurrentSightingsOfOneKeyHaveExactlyOneWinner() throws Exception {
        InMemoryReplayCache cache = new InMemoryReplayCache(Clock.systemUTC());
        ExecutorService pool = Executors.newFixedThreadPool(8);
        CountDownLatch start = new CountDownLatch(1);
        AtomicInteger winners = new AtomicInteger();
        for (int i = 0; i < 50; i++) {
            pool.submit(() -> {
                start.await();
                if (cache.firstSeen("same", Instant.now().plus(Duration.ofMinutes(5)))) {
                    winners.incrementAndGet();
                }
                return null;
            });
        }
        start.countDown();
        pool.shutdown();
        assertTrue(pool.awaitTermination(10, TimeUnit.SECONDS));
        assertEquals(1, winners.get());
    }

    /**
     * The cost of a check does not grow with the cache (issue 10: it used to scan every entry every 1024 calls):
     * with a hundred thousand expired keys, one check removes at most {@link InMemoryReplayCache#PURGE_PER_CALL}
     * of them, and the checks that follow drain the backlog while adding their own keys.
     */
    @Test
    void eachCheckPurgesABoundedNumberOfExpiredKeysAndTheBacklogDrains() {
        MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
        InMemoryReplayCache cache = new InMemoryReplayCache(clock);
        int backlog = 100_000;
        for (int i = 0; i < backlog; i++) {
            assertTrue(cache.firstSeen("old-" + i, clock.instant().plusSeconds(60)));
        }
        assertEquals(backlog, cache.size());

        clock.set(clock.instant().plusSeconds(61));
        assertEquals(InMemoryReplayCache.PURGE_PER_CALL, cache.purge(clock.instant()), "one purge, bounded work");
        assertEquals(backlog - InMemoryReplayCache.PURGE_PER_CALL, cache.size());

        int checks = 0;
        while (cache.size() > checks) {
            assertTrue(cache.firstSeen("new-" + checks, clock.instant().plusSeconds(60)));
            checks++;
            assertTrue(checks <= backlog, "the backlog never drains");
        }
        // each check added one key and removed PURGE_PER_CALL expired ones until none was left
        int expected = (backlog - InMemoryReplayCache.PURGE_PER_CALL + InMemoryReplayCache.PURGE_PER_CALL - 1)
                / InMemoryReplayCache.PURGE_PER_CALL;
        assertEquals(expected, checks);
        assertEquals(0, cache.purge(clock.instant()), "nothing expired is left");
    }

    @Test
    void purgingAnExpiredSightingKeepsTheKeysLaterSighting() {
        MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
        Instant t0 = clock.instant();
        InMemoryReplayCache cache = new InMemoryReplayCache(clock);
        // the queue is in arrival order: a key that expires later, first in the queue, holds back k's removal
        assertTrue(cache.firstSeen("first", t0.plusSeconds(30)));
        assertTrue(cache.firstSeen("k", t0.plusSeconds(10)));
        clock.set(t0.plusSeconds(11));
        assertTrue(cache.firstSeen("k", t0.plusSeconds(71)), "expired: seen anew, though not yet purged");
        clock.set(t0.plusSeconds(31));
        // "first" and k's first sighting leave the queue now; k's second sighting must stay
        assertEquals(2, cache.purge(clock.instant()));
        assertFalse(cache.firstSeen("k", t0.plusSeconds(71)), "still a replay within its new expiry");
        assertEquals(1, cache.size());
    }

    @Test
    void aKeyIsExpiredAtItsExpiryInstant() {
        MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
        InMemoryReplayCache cache = new InMemoryReplayCache(clock);
        Instant expiry = clock.instant().plusSeconds(60);
        assertTrue(cache.firstSeen("k", expiry));
        clock.set(expiry.minusNanos(1));
        assertFalse(cache.firstSeen("k", expiry));
        clock.set(expiry);
        assertTrue(cache.firstSeen("k", expiry.plusSeconds(60)));
    }
}
