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
}
