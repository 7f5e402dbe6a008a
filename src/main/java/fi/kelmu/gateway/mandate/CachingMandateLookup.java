package fi.kelmu.gateway.mandate;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Remembers successful mandate answers per (user, organisation) for a short time, so a user's burst of
 * requests costs one call to the mandate service. The time is the price: a mandate revoked at the service
 * stops access only when the cached answer expires, so it is kept short (property
 * {@code kelmu.mandate.cache-seconds}; R-MAND-4). Failures are never cached: the next request asks again.
 * Zero seconds turns the cache off.
 *
 * <p>Bounded: at most {@code maxEntries} answers, the oldest evicted first. All answers live equally
 * long, so insertion order is expiry order and expired answers are dropped from the head on every store.
 * Two concurrent misses for the same key may both call the service; the later answer wins.
 */
public final class CachingMandateLookup implements MandateLookup {

    private static final Logger LOG = LoggerFactory.getLogger(CachingMandateLookup.class);

    private final MandateLookup delegate;
    private final Duration ttl;
    private final int maxEntries;
    private final Clock clock;
    /** Insertion-ordered: oldest first. Guarded by {@code this}. */
    private final LinkedHashMap<Key, Entry> entries = new LinkedHashMap<>();

    public CachingMandateLookup(MandateLookup delegate, Duration ttl, int maxEntries, Clock clock) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
        this.clock = Objects.requireNonNull(clock, "clock");
        if (ttl.isNegative()) {
            throw new IllegalArgumentException("mandate cache time must not be negative: " + ttl);
        }
        if (maxEntries < 1) {
            throw new IllegalArgumentException("mandate cache must hold at least one entry: " + maxEntries);
        }
        this.ttl = ttl;
        this.maxEntries = maxEntries;
    }

    @Override
    public OnlineMandates mandatesInForce(String userHetu, String organisationBusinessId, String requestId) {
        if (ttl.isZero()) {
            return delegate.mandatesInForce(userHetu, organisationBusinessId, requestId);
        }
        Key key = new Key(userHetu, organisationBusinessId);
        OnlineMandates cached = lookup(key, clock.instant());
        if (cached != null) {
            LOG.debug("mandate check requestId={} user={} organisation={} served from the answer of requestId={}",
                    requestId, HetuMask.mask(userHetu), organisationBusinessId, cached.requestId());
            return cached.cached();
        }
        // failures propagate and are not stored
        OnlineMandates answer = delegate.mandatesInForce(userHetu, organisationBusinessId, requestId);
        store(key, answer, clock.instant());
        return answer;
    }

    /** Number of answers held, expired ones not yet dropped included (tests). */
    synchronized int size() {
        return entries.size();
    }

    private synchronized OnlineMandates lookup(Key key, Instant now) {
        Entry entry = entries.get(key);
        if (entry == null) {
            return null;
        }
        if (!entry.freshAt(now)) {
            entries.remove(key);
            return null;
        }
        return entry.answer;
    }

    private synchronized void store(Key key, OnlineMandates answer, Instant now) {
        entries.remove(key); // re-inserted at the tail: the newest answer expires last
        entries.put(key, new Entry(answer, now, now.plus(ttl)));
        Iterator<Map.Entry<Key, Entry>> oldestFirst = entries.entrySet().iterator();
        while (oldestFirst.hasNext()) {
            Map.Entry<Key, Entry> oldest = oldestFirst.next();
            if (entries.size() > maxEntries || !oldest.getValue().freshAt(now)) {
                oldestFirst.remove();
            } else {
                break;
            }
        }
    }

    private record Key(String user, String organisation) {
    }

    private record Entry(OnlineMandates answer, Instant storedAt, Instant expiresAt) {

        /** A clock set back before the store does not stretch the answer's life. */
        boolean freshAt(Instant now) {
            return !now.isBefore(storedAt) && now.isBefore(expiresAt);
        }
    }
}
