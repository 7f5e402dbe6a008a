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
     * The cache holds the keys of one replay window and no more, whatever the uptime (issue 12): at a steady rate
     * its table never grows past what the window's keys need, because expired keys' slots are reused.
     */
    @Test
    void atASteadyRateTheTableStopsGrowingAfterOneWindow() {
        MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
        InMemoryReplayCache cache = new InMemoryReplayCache(clock);
        int perSecond = 200;
        int windowSeconds = 60;
        int slotsAfterTwoWindows = 0;
        int largest = 0;
        for (int second = 0; second < 10 * windowSeconds; second++) {
            for (int i = 0; i < perSecond; i++) {
                assertTrue(cache.firstSeen("k-" + second + "-" + i, clock.instant().plusSeconds(windowSeconds)));
            }
            clock.set(clock.instant().plusSeconds(1));
            largest = Math.max(largest, cache.slots());
            if (second == 2 * windowSeconds) {
                slotsAfterTwoWindows = cache.slots();
            }
            assertTrue(2 * cache.size() <= cache.slots(), "at most half the slots taken");
        }
        int keysOfAWindow = perSecond * windowSeconds;
        assertTrue(largest <= 8 * keysOfAWindow + InMemoryReplayCache.STRIPES * InMemoryReplayCache.MIN_SLOTS,
                "slots " + largest + " for " + keysOfAWindow + " keys a window");
        assertEquals(slotsAfterTwoWindows, cache.slots(), "no growth after the second window");
    }

    @Test
    void aRebuildKeepsEveryUnexpiredKeyAndDropsTheExpiredOnes() {
        MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
        Instant t0 = clock.instant();
        InMemoryReplayCache cache = new InMemoryReplayCache(clock);
        int keys = 20_000;
        for (int i = 0; i < keys; i++) {
            assertTrue(cache.firstSeen("short-" + i, t0.plusSeconds(10)));
            assertTrue(cache.firstSeen("long-" + i, t0.plusSeconds(100)));
        }
        clock.set(t0.plusSeconds(11));
        int slots = cache.slots();
        // new keys until the tables have been rebuilt (they take free slots and, when half are taken, rebuild)
        for (int i = 0; i < 8 * keys; i++) {
            assertTrue(cache.firstSeen("later-" + i, t0.plusSeconds(100)));
        }
        assertTrue(cache.slots() != slots, "the tables were rebuilt");
        for (int i = 0; i < keys; i++) {
            assertFalse(cache.firstSeen("long-" + i, t0.plusSeconds(100)), "unexpired key kept: long-" + i);
            assertTrue(cache.firstSeen("short-" + i, t0.plusSeconds(100)), "expired key is new: short-" + i);
        }
    }

    @Test
    void afterABurstTheTableShrinksWhenTrafficFalls() {
        MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
        InMemoryReplayCache cache = new InMemoryReplayCache(clock);
        for (int i = 0; i < 100_000; i++) {
            assertTrue(cache.firstSeen("burst-" + i, clock.instant().plusSeconds(60)));
        }
        int afterBurst = cache.slots();
        assertTrue(afterBurst >= 200_000, "a slot at most half full: " + afterBurst);
        clock.set(clock.instant().plusSeconds(61));
        // ten keys a second, each remembered for a second
        for (int i = 0; i < 400_000 && cache.slots() > afterBurst / 10; i++) {
            assertTrue(cache.firstSeen("quiet-" + i, clock.instant().plusSeconds(1)));
            if (i % 10 == 9) {
                clock.set(clock.instant().plusSeconds(2));
            }
        }
        assertTrue(cache.slots() <= afterBurst / 10, "shrunk to " + cache.slots() + " of " + afterBurst);
    }

    @Test
    void anExpiredSightingIsRenewedAndIsAReplayWithinItsNewExpiry() {
        MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
        Instant t0 = clock.instant();
        InMemoryReplayCache cache = new InMemoryReplayCache(clock);
        assertTrue(cache.firstSeen("first", t0.plusSeconds(30)));
        assertTrue(cache.firstSeen("k", t0.plusSeconds(10)));
        clock.set(t0.plusSeconds(11));
        assertTrue(cache.firstSeen("k", t0.plusSeconds(71)), "expired: seen anew");
        assertEquals(2, cache.size(), "renewed in its own slot, not added twice");
        clock.set(t0.plusSeconds(31));
        assertFalse(cache.firstSeen("k", t0.plusSeconds(71)), "still a replay within its new expiry");
        assertTrue(cache.firstSeen("first", t0.plusSeconds(91)), "expired with its own expiry");
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
