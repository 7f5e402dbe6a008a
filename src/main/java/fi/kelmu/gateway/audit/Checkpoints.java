package fi.kelmu.gateway.audit;

import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes signed checkpoints of the access log's chain head (docs/access-log.md, "Checkpoints"): every interval,
 * when the head has moved past the latest checkpoint, and once more when closed (the gateway stopping). Each is
 * stored apart from the records ({@link JdbcCheckpointStore}) and written as one INFO line of the application
 * log, which log shipping takes elsewhere; signed with the gateway's own key.
 *
 * <p>A checkpoint does not make a write durable; it bounds what can go unnoticed: records below the latest
 * checkpoint cannot be removed or rewritten without {@code access-log verify} reporting it.
 */
public final class Checkpoints implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Checkpoints.class);

    private final JdbcCheckpointStore store;
    private final PrivateKey key;
    private final X509Certificate certificate;
    private final Clock clock;
    private ScheduledExecutorService timer;

    public Checkpoints(JdbcCheckpointStore store, PrivateKey key, X509Certificate certificate, Clock clock) {
        this.store = Objects.requireNonNull(store, "store");
        this.key = Objects.requireNonNull(key, "key");
        this.certificate = Objects.requireNonNull(certificate, "certificate");
        this.clock = Objects.requireNonNull(clock, "clock");
        Checkpoint.algorithm(certificate.getPublicKey()); // an RSA or EC key, or no start
    }

    /** Starts writing every {@code interval} on a daemon thread of its own; {@link #close} stops it. */
    public synchronized Checkpoints start(Duration interval) {
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("the checkpoint interval must be positive: " + interval);
        }
        if (timer != null) {
            throw new IllegalStateException("checkpoints already started");
        }
        timer = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "access-log-checkpoints");
            thread.setDaemon(true);
            return thread;
        });
        long millis = interval.toMillis();
        timer.scheduleWithFixedDelay(this::writeQuietly, millis, millis, TimeUnit.MILLISECONDS);
        return this;
    }

    /**
     * Signs and stores a checkpoint of the current chain head, if it has moved past the latest checkpoint.
     *
     * @return the checkpoint written, or empty when the head has not moved (or another gateway sharing the
     *         database wrote that position first)
     */
    public synchronized Optional<Checkpoint> writeIfMoved() {
        JdbcCheckpointStore.ChainHead head = store.head();
        long latest = store.latestSequence();
        if (head.sequence() < latest) {
            // never sign a log that lost records: that is for access-log verify to report
            LOG.error("access-log chain head {} is behind the latest checkpoint {}: records have been removed;"
                    + " no checkpoint written, run access-log verify", head.sequence(), latest);
            return Optional.empty();
        }
        if (head.sequence() == latest) {
            return Optional.empty();
        }
        Checkpoint checkpoint = Checkpoint.sign(head.sequence(), head.hash(), clock.instant(), key, certificate);
        if (!store.insert(checkpoint)) {
            return Optional.empty();
        }
        LOG.info("access-log checkpoint {}", checkpoint.logLine());
        return Optional.of(checkpoint);
    }

    private void writeQuietly() {
        try {
            writeIfMoved();
        } catch (RuntimeException e) {
            // the next round tries again; a database that stays away fails the requests themselves
            LOG.warn("access-log checkpoint not written: {}", e.getMessage());
        }
    }

    /** Stops the timer and writes the last checkpoint, if the head moved since the latest. */
    @Override
    public void close() {
        ScheduledExecutorService stopping;
        synchronized (this) {
            stopping = timer;
            timer = null;
        }
        if (stopping != null) {
            // no interrupt: H2 closes a file database whose thread is interrupted mid-write
            stopping.shutdown();
            try {
                stopping.awaitTermination(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        writeQuietly();
    }

    @Override
    public String toString() {
        return "Checkpoints[signer " + certificate.getSubjectX500Principal() + "]";
    }
}
