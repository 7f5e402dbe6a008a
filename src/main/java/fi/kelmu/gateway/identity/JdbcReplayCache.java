package fi.kelmu.gateway.identity;

import fi.kelmu.gateway.fault.FaultCode;
import fi.kelmu.gateway.fault.GatewayException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Locale;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The replay cache in the gateway's database ({@code kelmu.replay-cache.store=database}, the default;
 * docs/security.md): table {@code replay_cache} of migration V3, in the same database as the access log. It
 * survives a restart, and every replica on the database shares it.
 *
 * <p>A key is stored as the hex SHA-256 of its text (a fixed 64 characters, whatever the X-Road id's length).
 * {@link #firstSeen} is one atomic statement: insert the key, or replace its row only when that row has expired;
 * one row changed means first seen. On PostgreSQL {@code INSERT ... ON CONFLICT DO UPDATE ... WHERE}, whose
 * outcome is atomic under concurrency; on H2 a {@code MERGE ... WHEN MATCHED AND expired}, where two concurrent
 * first inserts of one key end in a duplicate-key violation for the second, which means seen. Any other database
 * failure fails closed ({@link FaultCode#REPLAY_CHECK_UNAVAILABLE}): a message that cannot be shown to be new is
 * refused.
 *
 * <p>Expired rows are deleted by {@link #purgeExpired} in batches of at most {@value #PURGE_BATCH} rows, each its
 * own statement, run by a daemon thread every purge interval when started by {@link #withBackgroundPurge};
 * {@link #close} stops it. Correctness never depends on the purge: an expired row counts as not seen.
 */
public final class JdbcReplayCache implements ReplayCache, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(JdbcReplayCache.class);

    /** Most rows one purge statement deletes, so that it holds its locks briefly. */
    static final int PURGE_BATCH = 1000;
    /** Most batches one purge run deletes; the next run continues. */
    static final int PURGE_BATCHES_PER_RUN = 100;

    private static final String POSTGRESQL_FIRST_SEEN = "INSERT INTO replay_cache (key_hash, expires_at) VALUES (?, ?)"
            + " ON CONFLICT (key_hash) DO UPDATE SET expires_at = EXCLUDED.expires_at"
            + " WHERE replay_cache.expires_at <= ?";
    private static final String H2_FIRST_SEEN = "MERGE INTO replay_cache t USING (SELECT CAST(? AS CHAR(64)) AS key_hash,"
            + " CAST(? AS TIMESTAMP WITH TIME ZONE) AS expires_at) s ON t.key_hash = s.key_hash"
            + " WHEN MATCHED AND t.expires_at <= ? THEN UPDATE SET expires_at = s.expires_at"
            + " WHEN NOT MATCHED THEN INSERT (key_hash, expires_at) VALUES (s.key_hash, s.expires_at)";
    // the outer condition is checked again on the row the DELETE locks, so a row renewed meanwhile stays
    private static final String PURGE = "DELETE FROM replay_cache WHERE expires_at <= ? AND key_hash IN"
            + " (SELECT key_hash FROM replay_cache WHERE expires_at <= ? ORDER BY expires_at LIMIT " + PURGE_BATCH + ")";
    private static final String H2_STORE = "MERGE INTO replay_cache KEY (key_hash) VALUES (?, ?)";
    private static final String POSTGRESQL_STORE = "INSERT INTO replay_cache (key_hash, expires_at) VALUES (?, ?)"
            + " ON CONFLICT (key_hash) DO UPDATE SET expires_at = GREATEST(replay_cache.expires_at, EXCLUDED.expires_at)";
    private static final String UNEXPIRED = "SELECT key_hash, expires_at FROM replay_cache WHERE expires_at > ?";
    /** SQLSTATE of a unique (primary key) violation, in H2 and PostgreSQL alike. */
    private static final String UNIQUE_VIOLATION = "23505";

    private final DataSource dataSource;
    private final Clock clock;
    private final String firstSeenSql;
    /** The background purge, or null. */
    private final ScheduledExecutorService purger;

    /** A cache without background purge ({@link #purgeExpired} runs only when called). */
    public JdbcReplayCache(DataSource dataSource, Clock clock) {
        this(dataSource, clock, null);
    }

    private JdbcReplayCache(DataSource dataSource, Clock clock, Duration purgeInterval) {
        this.dataSource = dataSource;
        this.clock = clock;
        this.firstSeenSql = switch (vendor(dataSource)) {
            case "postgresql" -> POSTGRESQL_FIRST_SEEN;
            case "h2" -> H2_FIRST_SEEN;
            default -> throw new IllegalStateException("the replay cache supports H2 and PostgreSQL only");
        };
        if (purgeInterval == null) {
            this.purger = null;
            return;
        }
        this.purger = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "kelmu-replay-cache-purge");
            thread.setDaemon(true);
            return thread;
        });
        long millis = purgeInterval.toMillis();
        purger.scheduleWithFixedDelay(this::purgeInBackground, millis, millis, TimeUnit.MILLISECONDS);
    }

    /** A cache whose expired rows a daemon thread deletes every {@code purgeInterval}, until {@link #close}. */
    public static JdbcReplayCache withBackgroundPurge(DataSource dataSource, Clock clock, Duration purgeInterval) {
        if (purgeInterval.toMillis() <= 0) {
            throw new IllegalArgumentException("the replay cache purge interval must be positive: " + purgeInterval);
        }
        return new JdbcReplayCache(dataSource, clock, purgeInterval);
    }

    @Override
    public boolean firstSeen(String key, Instant expiresAt) {
        OffsetDateTime now = utc(clock.instant());
        try (Connection c = dataSource.getConnection(); PreparedStatement insert = c.prepareStatement(firstSeenSql)) {
            insert.setString(1, hash(key));
            insert.setObject(2, utc(expiresAt));
            insert.setObject(3, now);
            return insert.executeUpdate() == 1;
        } catch (SQLException e) {
            if (UNIQUE_VIOLATION.equals(e.getSQLState())) {
                return false; // H2: a concurrent check inserted the key first
            }
            throw new GatewayException(FaultCode.REPLAY_CHECK_UNAVAILABLE, null,
                    "replay cache database: " + e.getMessage(), e);
        }
    }

    /**
     * All keys in one transaction on one connection (the signature and the message id of a request): one round
     * trip and one commit instead of two; nothing is recorded when one of them was seen before.
     */
    @Override
    public List<String> seenBefore(List<String> keys, Instant expiresAt) {
        OffsetDateTime now = utc(clock.instant());
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            List<String> seen = new ArrayList<>();
            try (PreparedStatement insert = c.prepareStatement(firstSeenSql)) {
                for (String key : keys) {
                    insert.setString(1, hash(key));
                    insert.setObject(2, utc(expiresAt));
                    insert.setObject(3, now);
                    if (insert.executeUpdate() != 1) {
                        seen.add(key);
                    }
                }
            } catch (SQLException e) {
                c.rollback();
                if (UNIQUE_VIOLATION.equals(e.getSQLState())) {
                    return keys; // H2: a concurrent check inserted one of them first
                }
                throw e;
            }
            if (seen.isEmpty()) {
                c.commit();
            } else {
                c.rollback();
            }
            return seen;
        } catch (SQLException e) {
            throw new GatewayException(FaultCode.REPLAY_CHECK_UNAVAILABLE, null,
                    "replay cache database: " + e.getMessage(), e);
        }
    }

    /**
     * Writes claims decided elsewhere ({@link WriteBehindReplayCache}) in the caller's transaction on {@code c}: each
     * key is inserted, or its row given the later expiry. Nothing is decided here.
     */
    public static void store(Connection c, List<ReplayClaim> claims) throws SQLException {
        if (claims.isEmpty()) {
            return;
        }
        boolean postgresql = "postgresql".equals(c.getMetaData().getDatabaseProductName().toLowerCase(Locale.ROOT));
        try (PreparedStatement insert = c.prepareStatement(postgresql ? POSTGRESQL_STORE : H2_STORE)) {
            for (ReplayClaim claim : claims) {
                insert.setString(1, claim.keyHash());
                insert.setObject(2, utc(claim.expiresAt()));
                insert.addBatch();
            }
            insert.executeBatch();
        }
    }

    /** The stored keys that have not expired by now, for a {@link WriteBehindReplayCache} to start from. */
    public static List<ReplayClaim> unexpired(DataSource dataSource, Clock clock) {
        List<ReplayClaim> claims = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement select = c.prepareStatement(UNEXPIRED)) {
            select.setObject(1, utc(clock.instant()));
            select.setFetchSize(1000);
            try (var rs = select.executeQuery()) {
                while (rs.next()) {
                    claims.add(new ReplayClaim(rs.getString(1), rs.getObject(2, OffsetDateTime.class).toInstant()));
                }
            }
            return claims;
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the replay cache: " + e.getMessage(), e);
        }
    }

    /** Deletes expired rows, in batches, at most {@value #PURGE_BATCHES_PER_RUN} of them; returns how many. */
    public int purgeExpired() {
        OffsetDateTime now = utc(clock.instant());
        int deleted = 0;
        try (Connection c = dataSource.getConnection(); PreparedStatement purge = c.prepareStatement(PURGE)) {
            for (int batch = 0; batch < PURGE_BATCHES_PER_RUN; batch++) {
                purge.setObject(1, now);
                purge.setObject(2, now);
                int rows = purge.executeUpdate();
                deleted += rows;
                if (rows < PURGE_BATCH) {
                    break;
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("replay cache purge failed after " + deleted + " row(s): " + e.getMessage(), e);
        }
        return deleted;
    }

    private void purgeInBackground() {
        try {
            int deleted = purgeExpired();
            LOG.debug("replay cache: {} expired row(s) deleted", deleted);
        } catch (RuntimeException e) {
            // a failed run must not end the schedule; the next one tries again
            LOG.warn("replay cache: purging expired rows failed; retried in the next interval", e);
        }
    }

    /** Stops the background purge (the database is the caller's to close). */
    @Override
    public void close() {
        if (purger != null) {
            purger.shutdownNow();
            try {
                if (!purger.awaitTermination(5, TimeUnit.SECONDS)) {
                    LOG.warn("replay cache purge did not stop within 5 s");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Whether the background purge is scheduled and not yet stopped by {@link #close}. */
    boolean backgroundPurgeRunning() {
        return purger != null && !purger.isTerminated();
    }

    /** The stored form of a key ({@link ReplayClaim#hashOf}). */
    static String hash(String key) {
        return ReplayClaim.hashOf(key);
    }

    private static OffsetDateTime utc(Instant instant) {
        return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    }

    private static String vendor(DataSource dataSource) {
        try (Connection c = dataSource.getConnection()) {
            return c.getMetaData().getDatabaseProductName().toLowerCase(Locale.ROOT);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot reach the replay cache database: " + e.getMessage(), e);
        }
    }
}
