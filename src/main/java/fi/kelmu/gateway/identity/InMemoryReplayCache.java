package fi.kelmu.gateway.identity;

import java.time.Clock;
import java.time.Instant;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A replay cache of one process ({@code kelmu.replay-cache.store=memory}): forgotten on restart and not shared
 * with replicas, for tests and single-instance trials (docs/security.md). Every check costs the same at any size:
 * one hash-map update, plus removing at most {@value #PURGE_PER_CALL} expired keys from the head of a queue that
 * holds the keys in the order they were first seen; there is never a scan of the whole cache.
 *
 * <p>The queue is in arrival order, not expiry order, so an entry that expires late can hold back the removal of
 * later ones that expire earlier; expiries are the message's Created plus a fixed window, so that delay is at most
 * the spread of Created values the gateway accepts (Timestamp TTL plus clock skew). Correctness never depends on
 * the purge: an expired entry still in the map counts as not seen.
 */
public final class InMemoryReplayCache implements ReplayCache {

    /** Most expired keys one check removes: more than the one key a check adds, so a backlog drains. */
    static final int PURGE_PER_CALL = 4;

    private record Arrival(String key, Instant expiresAt) {
    }

    private final ConcurrentHashMap<String, Instant> seen = new ConcurrentHashMap<>();
    private final Queue<Arrival> arrivals = new ConcurrentLinkedQueue<>();
    /** One purger at a time, so that the head it looked at is the head it removes; others skip the purge. */
    private final ReentrantLock purging = new ReentrantLock();
    private final Clock clock;

    public InMemoryReplayCache(Clock clock) {
        this.clock = clock;
    }

    @Override
    public boolean firstSeen(String key, Instant expiresAt) {
        Instant now = clock.instant();
        purge(now);
        boolean[] first = {false};
        seen.compute(key, (k, existing) -> {
            if (existing == null || !existing.isAfter(now)) {
                first[0] = true;
                return expiresAt;
            }
            return existing;
        });
        if (first[0]) {
            arrivals.add(new Arrival(key, expiresAt));
        }
        return first[0];
    }

    /** Removes at most {@link #PURGE_PER_CALL} expired keys from the head of the queue; returns how many it looked at. */
    int purge(Instant now) {
        if (!purging.tryLock()) {
            return 0;
        }
        try {
            int examined = 0;
            while (examined < PURGE_PER_CALL) {
                Arrival head = arrivals.peek();
                if (head == null || head.expiresAt().isAfter(now)) {
                    break;
                }
                examined++;
                arrivals.poll();
                // only this arrival's entry: a key seen again after it expired has a later expiry and its own arrival
                seen.remove(head.key(), head.expiresAt());
            }
            return examined;
        } finally {
            purging.unlock();
        }
    }

    /** Keys held, expired ones not yet purged included. */
    int size() {
        return seen.size();
    }
}
