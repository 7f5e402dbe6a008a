package fi.kelmu.gateway.mandate;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
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
 * long, so storing order is expiry order and expired answers are dropped from the head on every store.
 *
 * <p>Concurrent requests for one key share one call (single flight): when an answer expires under load, the
 * first request asks the service and the others wait for its answer, rather than each asking at once. A failed
 * call is not shared: each request that waited for it then asks the service itself, as it would have without the
 * cache. Reading the cache takes no lock, so the requests of all users do not queue behind one another
 * (docs/benchmark.md, "Locks that queue the request threads").
 */
public final class CachingMandateLookup implements MandateLookup {

    private static final Logger LOG = LoggerFactory.getLogger(CachingMandateLookup.class);

    private final MandateLookup delegate;
    private final Duration ttl;
    private final int maxEntries;
    private final Clock clock;
    private final ConcurrentHashMap<Key, Entry> entries = new ConcurrentHashMap<>();
    /** The answers in the order they were stored, oldest first, some since replaced or dropped. Guarded by itself. */
    private final ArrayDeque<Stored> storingOrder = new ArrayDeque<>();
    /** The calls to the service under way, by key. */
    private final ConcurrentHashMap<Key, CompletableFuture<OnlineMandates>> flights = new ConcurrentHashMap<>();

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
        OnlineMandates cached = fresh(key, clock.instant());
        if (cached != null) {
            return served(cached, requestId);
        }
        CompletableFuture<OnlineMandates> mine = new CompletableFuture<>();
        CompletableFuture<OnlineMandates> running = flights.putIfAbsent(key, mine);
        if (running != null) {
            OnlineMandates shared = answerOf(running);
            // a failure is not shared: ask as if the other request had not been there
            return shared != null ? served(shared, requestId)
                    : delegate.mandatesInForce(userHetu, organisationBusinessId, requestId);
        }
        try {
            // a flight that ended between the lookup above and this one's start stored its answer
            OnlineMandates stored = fresh(key, clock.instant());
            if (stored != null) {
                mine.complete(stored);
                return served(stored, requestId);
            }
            // failures propagate and are not stored
            OnlineMandates answer = delegate.mandatesInForce(userHetu, organisationBusinessId, requestId);
            store(key, answer, clock.instant());
            mine.complete(answer);
            return answer;
        } catch (RuntimeException | Error e) {
            mine.completeExceptionally(e);
            throw e;
        } finally {
            flights.remove(key, mine);
        }
    }

    /** Number of answers held, expired ones not yet dropped included (tests). */
    int size() {
        return entries.size();
    }

    private static OnlineMandates served(OnlineMandates answer, String requestId) {
        LOG.debug("mandate check requestId={} user={} organisation={} served from the answer of requestId={}",
                requestId, HetuMask.mask(answer.user()), answer.organisation(), answer.requestId());
        return answer.cached();
    }

    /** The answer of another request's call, or null when that call failed. */
    private static OnlineMandates answerOf(CompletableFuture<OnlineMandates> flight) {
        try {
            return flight.join();
        } catch (CompletionException | CancellationException e) {
            return null;
        }
    }

    private OnlineMandates fresh(Key key, Instant now) {
        Entry entry = entries.get(key);
        if (entry == null) {
            return null;
        }
        if (!entry.freshAt(now)) {
            entries.remove(key, entry);
            return null;
        }
        return entry.answer;
    }

    private void store(Key key, OnlineMandates answer, Instant now) {
        Entry entry = new Entry(answer, now, now.plus(ttl));
        synchronized (storingOrder) {
            entries.put(key, entry); // the newest answer of a key expires last: it goes to the tail
            storingOrder.addLast(new Stored(key, entry));
            for (Stored oldest; (oldest = storingOrder.peekFirst()) != null; storingOrder.pollFirst()) {
                if (entries.get(oldest.key()) == oldest.entry()) {
                    if (entries.size() <= maxEntries && oldest.entry().freshAt(now)) {
                        break;
                    }
                    entries.remove(oldest.key(), oldest.entry());
                }
                // else: replaced by a newer answer or dropped as expired; only its place in the order was left
            }
        }
    }

    private record Key(String user, String organisation) {
    }

    private record Stored(Key key, Entry entry) {
    }

    private record Entry(OnlineMandates answer, Instant storedAt, Instant expiresAt) {

        /** A clock set back before the store does not stretch the answer's life. */
        boolean freshAt(Instant now) {
            return !now.isBefore(storedAt) && now.isBefore(expiresAt);
        }
    }
}
