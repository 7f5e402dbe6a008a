package fi.kelmu.gateway.audit;

import fi.kelmu.gateway.fault.FaultCode;
import fi.kelmu.gateway.fault.GatewayException;
import fi.kelmu.gateway.identity.ReplayClaim;
import fi.kelmu.gateway.identity.ReplayClaimLog;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The access log as the gateway writes it (docs/access-log.md, "Durability"): every record is durable before
 * {@link #append} returns, and concurrent requests share one transaction and one flush (group commit). One writer
 * thread takes whatever records are waiting, up to a batch, writes them in one transaction of
 * {@link JdbcAccessLog.Appender#append}, on a connection it keeps while it writes, and then answers each waiting
 * request.
 *
 * <p>When the database fails, the waiting requests get {@code Server.AccessLogUnavailable} (no data leaves), the
 * pool's connections are replaced ({@link #onFailure}), and the next batch tries again on new ones: the log is
 * back as soon as the database is, without a restart, and says so in the application log. A refusal whose record
 * cannot be written goes to the {@link RefusalSpool} instead ({@link #appendRefusal}); the writer moves spooled
 * records into the log, in their order, once it writes again.
 *
 * <p>It also keeps the message-id keys of a gateway that has its database to itself ({@link ReplayClaimLog}): a key
 * that a record of the same organisation and X-Road id covers needs nothing more, since the record is durable
 * before its answer leaves; one no record covers within {@link #CLAIM_GRACE} is written to {@code replay_cache} in
 * the transaction of a later batch, and journaled with it; one that could not be written is tried again.
 */
public final class GroupCommitAccessLog implements AccessLog, ReplayClaimLog, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(GroupCommitAccessLog.class);
    /** How often an idle writer looks for spooled refusals (and for being closed). */
    private static final long IDLE_POLL_MILLIS = 250;
    private static final Duration RETRY_WHILE_UNAVAILABLE = Duration.ofSeconds(1);
    /** How long a replay claim waits for a record to cover it before it is written on its own. */
    static final Duration CLAIM_GRACE = Duration.ofSeconds(5);
    /**
     * How long the writer keeps one connection under constant load before it takes a new one from the pool, so that
     * the pool's own renewal and its eviction after a failure ({@link #onFailure}) reach it too. Idle, the writer
     * gives its connection back at once.
     */
    static final Duration APPENDER_RENEWAL = Duration.ofSeconds(60);

    private final JdbcAccessLog store;
    private final RefusalSpool spool;
    /** The journal that makes records durable where a commit is not (H2); null where it is (PostgreSQL). */
    private final AccessJournal journal;
    private final Duration journalFlush;
    /** When the database was last forced to the device and the journal emptied. Only the writer thread uses it. */
    private Instant lastFlush;
    private final Runnable onFailure;
    private final int maxBatch;
    private final Duration maxWait;
    private final Clock clock;
    private final BlockingQueue<Pending> queue;
    private final ConcurrentLinkedQueue<QueuedClaim> claims = new ConcurrentLinkedQueue<>();
    /** Claims queued or pending, neither covered nor written; at most {@link #claimCapacity}. */
    private final AtomicInteger claimsUnwritten = new AtomicInteger();
    private final int claimCapacity;
    /** Claims taken from the queue, by key hash, in arrival order. Only the writer thread uses it. */
    private final Map<String, QueuedClaim> claimsPending = new LinkedHashMap<>();
    private final Thread writer;
    private volatile boolean closed;
    /** When the log became unavailable; null while it works. Only the writer thread writes it. */
    private Instant unavailableSince;
    /** When the spool was last tried. Only the writer thread uses it. */
    private Instant lastDrainAttempt;
    /** The writer's connection and statements while it writes; null when idle or after a failure. Writer only. */
    private JdbcAccessLog.Appender appender;

    /**
     * @param onFailure run after a failed write, e.g. to replace the pool's connections
     * @param maxBatch  most records in one transaction
     * @param capacity  most records waiting; more are refused at once
     * @param maxWait   longest a request waits for its record to be durable
     */
    public GroupCommitAccessLog(JdbcAccessLog store, RefusalSpool spool, Runnable onFailure, int maxBatch, int capacity,
            Duration maxWait, Clock clock) {
        this(store, spool, null, Duration.ZERO, onFailure, maxBatch, capacity, maxWait, clock);
    }

    /**
     * @param journal      makes each batch durable where the database's commit is not (H2), or null
     * @param journalFlush how often the database is forced to the device and the journal emptied
     */
    public GroupCommitAccessLog(JdbcAccessLog store, RefusalSpool spool, AccessJournal journal, Duration journalFlush,
            Runnable onFailure, int maxBatch, int capacity, Duration maxWait, Clock clock) {
        this.store = store;
        this.spool = spool;
        this.journal = journal;
        this.journalFlush = journalFlush;
        this.lastFlush = clock.instant();
        this.onFailure = onFailure;
        this.maxBatch = maxBatch;
        this.maxWait = maxWait;
        this.clock = clock;
        this.queue = new ArrayBlockingQueue<>(capacity);
        // two keys a signed request
        this.claimCapacity = 2 * capacity;
        this.writer = new Thread(this::run, "access-log-writer");
        this.writer.setDaemon(true);
        this.writer.start();
    }

    @Override
    public StoredAccessRecord append(AccessRecord record) {
        Pending pending = new Pending(record, new CompletableFuture<>());
        if (closed || !queue.offer(pending)) {
            throw unavailable(record, closed ? "the access log is closed" : "too many records waiting to be written");
        }
        try {
            return pending.done().get(maxWait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof GatewayException g) {
                throw new GatewayException(g.faultCode(), g.callerDetail(), g.getMessage(), g);
            }
            throw unavailable(record, String.valueOf(e.getCause()));
        } catch (TimeoutException e) {
            // it may still be written: a record of data that did not leave says more than was, never less
            throw unavailable(record, "not durable within " + maxWait.toMillis() + " ms");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw unavailable(record, "interrupted while waiting for the access log");
        }
    }

    @Override
    public void claim(ReplayClaim claim) {
        if (closed || claimsUnwritten.incrementAndGet() > claimCapacity) {
            if (!closed) {
                claimsUnwritten.decrementAndGet();
            }
            throw new GatewayException(FaultCode.REPLAY_CHECK_UNAVAILABLE, null, "replay claim not kept: "
                    + (closed ? "the access log is closed" : "too many replay claims waiting to be written"));
        }
        claims.add(new QueuedClaim(claim, clock.instant()));
    }

    /**
     * Writes the record of a refusal; when the log cannot be written it goes to the spool, to be written later in
     * order. Never throws for a database failure: the caller's fault is sent either way.
     */
    @Override
    public void appendRefusal(AccessRecord record) {
        try {
            append(record);
        } catch (GatewayException e) {
            spool.append(record);
            LOG.warn("refusal {} spooled: the access log cannot be written now ({})", record.eventId(),
                    e.faultCode().code());
        }
    }

    @Override
    public List<StoredAccessRecord> find(AccessLogQuery query) {
        return store.find(query);
    }

    @Override
    public ChainVerification verify() {
        return store.verify();
    }

    private void run() {
        while (!closed || !queue.isEmpty()) {
            List<Pending> batch = new ArrayList<>(maxBatch);
            try {
                Pending first = queue.poll(IDLE_POLL_MILLIS, TimeUnit.MILLISECONDS);
                if (first == null) {
                    drainSpool(true);
                    writeClaims(false);
                    flushIfDue();
                    closeAppender();
                    continue;
                }
                batch.add(first);
                queue.drainTo(batch, maxBatch - 1);
                write(batch);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                closeAppender();
                return;
            } catch (RuntimeException e) {
                // already answered and logged by write or drainSpool: the writer itself must never stop
                LOG.debug("access log write failed", e);
            }
        }
        try {
            writeClaims(true); // of the last requests, whether a record will come or not
        } catch (RuntimeException e) {
            LOG.warn("replay claims not written as the access log closed: {}", e.getMessage());
        } finally {
            closeAppender();
        }
    }

    /** The writer's appender, opened when there is none and renewed after {@link #APPENDER_RENEWAL}. */
    private JdbcAccessLog.Appender appender() {
        if (appender != null && appender.age().compareTo(APPENDER_RENEWAL) >= 0) {
            closeAppender();
        }
        if (appender == null) {
            appender = store.appender();
        }
        return appender;
    }

    private void closeAppender() {
        if (appender != null) {
            appender.close();
            appender = null;
        }
    }

    private void write(List<Pending> batch) {
        List<AccessRecord> records = batch.stream().map(Pending::record).toList();
        try {
            if (unavailableSince != null) {
                // the spooled refusals are older: they go first, so the log keeps the order of events
                drainSpool(false);
            }
            List<ReplayClaim> claimed = dueClaims(false);
            List<StoredAccessRecord> stored = durably(appender().append(records, false, claimed, journal == null),
                    claimed);
            claimsWritten(claimed);
            covered(records);
            for (int i = 0; i < batch.size(); i++) {
                batch.get(i).done().complete(stored.get(i));
            }
            available();
        } catch (RuntimeException e) {
            failed(e);
            for (Pending pending : batch) {
                pending.done().completeExceptionally(e);
            }
        }
    }

    /**
     * Moves the spooled refusals into the log, in order; leaves them spooled while the database fails. An idle
     * writer tries at most once a second while the database is away; before a batch it always tries.
     */
    private void drainSpool(boolean idle) {
        if (!spool.hasRecords()) {
            return;
        }
        Instant now = clock.instant();
        if (idle && unavailableSince != null && lastDrainAttempt != null
                && Duration.between(lastDrainAttempt, now).compareTo(RETRY_WHILE_UNAVAILABLE) < 0) {
            return; // while the database is away, an idle writer knocks once a second, not four times
        }
        lastDrainAttempt = now;
        try {
            // oldest first: a drain that did not finish, then the rest; refusals spooled meanwhile wait for the next
            while (spool.hasRecords()) {
                List<AccessRecord> spooled = spool.take();
                for (int from = 0; from < spooled.size(); from += maxBatch) {
                    durably(appender().append(spooled.subList(from, Math.min(spooled.size(), from + maxBatch)), true,
                            List.of(), journal == null), List.of());
                }
                covered(spooled);
                spool.drained();
                LOG.info("{} spooled refusal record(s) written to the access log", spooled.size());
            }
            available();
        } catch (RuntimeException e) {
            failed(e);
            throw e;
        }
    }

    /**
     * The claims to write now: those no record covered within {@link #CLAIM_GRACE} (or, as the log closes, all of
     * them), after taking those queued since the last batch.
     */
    private List<ReplayClaim> dueClaims(boolean all) {
        for (QueuedClaim queued; (queued = claims.poll()) != null; ) {
            claimsPending.put(queued.claim().keyHash(), queued);
        }
        if (claimsPending.isEmpty()) {
            return List.of();
        }
        Instant due = clock.instant().minus(CLAIM_GRACE);
        List<ReplayClaim> claimed = new ArrayList<>();
        for (QueuedClaim queued : claimsPending.values()) {
            if (!all && queued.queuedAt().isAfter(due)) {
                break; // in arrival order: the rest are younger
            }
            claimed.add(queued.claim());
        }
        return claimed;
    }

    private void claimsWritten(List<ReplayClaim> written) {
        for (ReplayClaim claim : written) {
            claimsPending.remove(claim.keyHash());
        }
        claimsUnwritten.addAndGet(-written.size());
    }

    /** The claims the written records cover: their message ids are kept by the records themselves. */
    private void covered(List<AccessRecord> records) {
        if (claimsPending.isEmpty()) {
            return;
        }
        for (AccessRecord record : records) {
            if (claimsPending.remove(ReplayClaim.hashOf(ReplayClaim.messageIdKey(record.organisationId(),
                    record.xroadId()))) != null) {
                claimsUnwritten.decrementAndGet();
            }
        }
    }

    /** Writes the claims that are due (all of them as the log closes), in a transaction of their own. */
    private void writeClaims(boolean all) {
        List<ReplayClaim> claimed = dueClaims(all);
        if (claimed.isEmpty()) {
            return;
        }
        try {
            durably(appender().append(List.of(), false, claimed, journal == null), claimed);
            claimsWritten(claimed);
            available();
        } catch (RuntimeException e) {
            failed(e);
            throw e;
        }
    }

    /** Journals the stored records and claims when the database's commit is not durable by itself; then they are. */
    private List<StoredAccessRecord> durably(List<StoredAccessRecord> stored, List<ReplayClaim> claimed) {
        if (journal != null) {
            journal.append(stored, claimed);
            flushIfDue();
        }
        return stored;
    }

    /** Forces the database to the device and empties the journal, every {@code journalFlush}. */
    private void flushIfDue() {
        if (journal != null && Duration.between(lastFlush, clock.instant()).compareTo(journalFlush) >= 0) {
            flushJournal();
        }
    }

    private void flushJournal() {
        try {
            store.flushToDevice();
            journal.reset();
            lastFlush = clock.instant();
        } catch (RuntimeException e) {
            // the journal keeps the records until a flush succeeds
            LOG.warn("the access log could not be forced to the device; its journal keeps the records: {}",
                    e.getMessage());
        }
    }

    private void available() {
        if (unavailableSince != null) {
            LOG.info("access log available again after {} s", Duration.between(unavailableSince, clock.instant())
                    .toSeconds());
            unavailableSince = null;
        }
    }

    private void failed(RuntimeException e) {
        closeAppender(); // its connection may be broken: the next batch takes another one
        if (unavailableSince == null) {
            unavailableSince = clock.instant();
            LOG.error("access log unavailable, no data is returned until it is back: {}", e.getMessage());
        }
        try {
            onFailure.run();
        } catch (RuntimeException again) {
            LOG.warn("replacing the access log's connections failed: {}", again.getMessage());
        }
    }

    private static GatewayException unavailable(AccessRecord record, String why) {
        return new GatewayException(FaultCode.ACCESS_LOG_UNAVAILABLE, null,
                "access record " + record.eventId() + " could not be written: " + why);
    }

    /** Stops taking records, writes those waiting, and stops the writer. */
    @Override
    public void close() {
        closed = true;
        // never interrupted: an interrupt inside a JDBC call closes an H2 database's file; it polls with a timeout
        try {
            writer.join(maxWait.toMillis() + 1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (Pending pending; (pending = queue.poll()) != null; ) {
            pending.done().completeExceptionally(unavailable(pending.record(), "the access log is closed"));
        }
        if (journal != null) {
            flushJournal();
            journal.close();
        }
    }

    private record Pending(AccessRecord record, CompletableFuture<StoredAccessRecord> done) {
    }

    private record QueuedClaim(ReplayClaim claim, Instant queuedAt) {
    }
}
