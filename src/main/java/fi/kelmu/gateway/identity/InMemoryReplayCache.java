package fi.kelmu.gateway.identity;

import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** The default replay cache: one process, bounded by expiry (entries live no longer than the timestamp window). */
public final class InMemoryReplayCache implements ReplayCache {

    private static final int PURGE_EVERY = 1024;

    private final ConcurrentHashMap<String, Instant> seen = new ConcurrentHashMap<>();
    private final AtomicInteger calls = new AtomicInteger();
    private final Clock clock;

    public InMemoryReplayCache(Clock clock) {
        this.clock = clock;
    }

    @Override
    public boolean firstSeen(String key, Instant expiresAt) {
        Instant now = clock.instant();
        if (calls.incrementAndGet() % PURGE_EVERY == 0) {
            seen.values().removeIf(expiry -> expiry.isBefore(now));
        }
        boolean[] first = {false};
        seen.compute(key, (k, existing) -> {
            if (existing == null || existing.isBefore(now)) {
                first[0] = true;
                return expiresAt;
            }
            return existing;
        });
        return first[0];
    }

    int size() {
        return seen.size();
    }
}
