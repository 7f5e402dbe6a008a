package fi.kelmu.gateway.audit;

import fi.kelmu.gateway.fault.FaultCode;
import fi.kelmu.gateway.fault.GatewayException;
import fi.kelmu.gateway.identity.JdbcReplayCache;
import fi.kelmu.gateway.identity.ReplayClaim;
import fi.kelmu.gateway.registry.OrganisationType;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The access log in the gateway's database (docs/access-log.md), in plain JDBC: it only inserts and
 * selects; the database refuses UPDATE and DELETE of a record by trigger.
 *
 * <p>Appending locks the chain head row ({@code SELECT ... FOR UPDATE}), inserts the records chained to the
 * head's hash and moves the head, all in one transaction, made durable before it returns
 * ({@link CommitDurability}). Gateways sharing the database therefore append
 * one at a time, and the head always names the newest record, so deleting it is detected as well.
 */
public final class JdbcAccessLog implements AccessLog {

    private static final Logger LOG = LoggerFactory.getLogger(JdbcAccessLog.class);

    private static final String COLUMNS = "seq, event_id, event_time, xroad_id, organisation_id, organisation_type, "
            + "user_id, mandates, mandate_proof, purpose, operation, client_id, views, outcome, fault_code, "
            + "correlation_id, previous_hash, record_hash, details";
    private static final String INSERT = "INSERT INTO access_log (" + COLUMNS
            + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    private static final String LOCK_HEAD = "SELECT last_seq, last_hash FROM access_log_head WHERE id = 1 FOR UPDATE";
    private static final String READ_HEAD = "SELECT last_seq, last_hash FROM access_log_head WHERE id = 1";
    private static final String MOVE_HEAD = "UPDATE access_log_head SET last_seq = ?, last_hash = ? WHERE id = 1";
    private static final int VERIFY_FETCH_SIZE = 500;

    private final DataSource dataSource;

    public JdbcAccessLog(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    @Override
    public StoredAccessRecord append(AccessRecord record) {
        return appendAll(List.of(record), false).get(0);
    }

    /** A refusal record that cannot be written is only in the application log here (no spool). */
    @Override
    public void appendRefusal(AccessRecord record) {
        try {
            append(record);
        } catch (GatewayException e) {
            LOG.error("the access-log record of a refusal could not be written: {}", record, e);
        }
    }

    /**
     * Writes {@code records} in this order in one transaction, chained after the head, and returns them stored;
     * when it returns they are durable (see {@link CommitDurability}). All or none are written.
     *
     * @param skipExisting leave out a record whose event id is already in the log (a spooled record written
     *                     before a crash took away the spool's truncation); it is not in the result
     */
    public List<StoredAccessRecord> appendAll(List<AccessRecord> records, boolean skipExisting) {
        return appendAll(records, skipExisting, true);
    }

    /**
     * As {@link #appendAll(List, boolean)}; with {@code flush} false a database whose commit is not durable by
     * itself (H2) is not forced to the device: the caller makes the records durable otherwise ({@link AccessJournal})
     * and calls {@link #flushToDevice} now and then.
     */
    public List<StoredAccessRecord> appendAll(List<AccessRecord> records, boolean skipExisting, boolean flush) {
        return appendAll(records, skipExisting, List.of(), flush);
    }

    /**
     * As {@link #appendAll(List, boolean, boolean)} without skipping, and in the same transaction stores the replay
     * claims of a gateway that has this database to itself ({@link JdbcReplayCache#store}). Either list may be empty.
     */
    public List<StoredAccessRecord> appendAll(List<AccessRecord> records, List<ReplayClaim> claims, boolean flush) {
        return appendAll(records, false, claims, flush);
    }

    private List<StoredAccessRecord> appendAll(List<AccessRecord> records, boolean skipExisting,
            List<ReplayClaim> claims, boolean flush) {
        if (records.isEmpty() && claims.isEmpty()) {
            return List.of();
        }
        try (Appender appender = appender()) {
            return appender.append(records, skipExisting, claims, flush);
        }
    }

    /**
     * A connection of its own with the statements of an append prepared once, for a caller that appends batch after
     * batch: the writer thread of {@link GroupCommitAccessLog}. Borrowing a connection and preparing the statements
     * per batch (H2 parses a {@code SELECT ... FOR UPDATE} every time it is prepared) was a fifth of that thread's
     * profile samples and about 3 % of its CPU (docs/benchmark.md, run 23). One thread uses it; after a failure it
     * is closed, not used again.
     */
    public Appender appender() {
        try {
            return new Appender(dataSource.getConnection());
        } catch (SQLException e) {
            throw unavailable("the access log's database cannot be reached", e);
        }
    }

    /** See {@link #appender()}. */
    public static final class Appender implements AutoCloseable {

        private final Connection c;
        private final CommitDurability durability;
        private final PreparedStatement lockHead;
        private final PreparedStatement insert;
        private final PreparedStatement moveHead;
        private final long openedAt = System.nanoTime();

        private Appender(Connection c) throws SQLException {
            this.c = c;
            try {
                c.setAutoCommit(false);
                durability = CommitDurability.of(c);
                lockHead = c.prepareStatement(LOCK_HEAD);
                insert = c.prepareStatement(INSERT);
                moveHead = c.prepareStatement(MOVE_HEAD);
            } catch (SQLException | RuntimeException e) {
                closeQuietly(c, e);
                throw e;
            }
        }

        /** How long this appender has been open. */
        public Duration age() {
            return Duration.ofNanos(System.nanoTime() - openedAt);
        }

        /**
         * As {@link JdbcAccessLog#appendAll(List, boolean, boolean)}, with the replay claims stored in the same
         * transaction ({@link JdbcReplayCache#store}); either list may be empty.
         */
        public List<StoredAccessRecord> append(List<AccessRecord> records, boolean skipExisting,
                List<ReplayClaim> claims, boolean flush) {
            if (records.isEmpty() && claims.isEmpty()) {
                return List.of();
            }
            try {
                try {
                    durability.beforeWrite(c);
                    JdbcReplayCache.store(c, claims);
                    List<StoredAccessRecord> stored = records.isEmpty() ? List.of() : chain(records, skipExisting);
                    c.commit();
                    if (flush) {
                        durability.afterCommit(c);
                    }
                    return stored;
                } catch (SQLException | RuntimeException e) {
                    rollbackQuietly(c, e);
                    throw e;
                }
            } catch (SQLException | RuntimeException e) {
                // no record, no data: the caller turns this into a fault and returns nothing
                throw new GatewayException(FaultCode.ACCESS_LOG_UNAVAILABLE, null, (records.isEmpty()
                        ? claims.size() + " replay claim(s)" : records.size() + " access record(s) from "
                        + records.get(0).eventId()) + " could not be written: " + e.getMessage(), e);
            }
        }

        /** Inserts the records chained after the head, and moves the head; inside the caller's transaction. */
        private List<StoredAccessRecord> chain(List<AccessRecord> records, boolean skipExisting) throws SQLException {
            Head head = lockHead(lockHead);
            long sequence = head.sequence();
            String previous = head.hash();
            List<StoredAccessRecord> stored = new ArrayList<>(records.size());
            for (AccessRecord record : records) {
                if (skipExisting && exists(c, record.eventId())) {
                    continue;
                }
                sequence++;
                String hash = AccessRecordHash.of(sequence, record, previous);
                insert(insert, sequence, record, previous, hash);
                stored.add(new StoredAccessRecord(sequence, record, previous, hash));
                previous = hash;
            }
            if (!stored.isEmpty()) {
                moveHead(moveHead, sequence, previous);
            }
            return stored;
        }

        /** {@link JdbcAccessLog#restore}, in one transaction made durable before it returns. */
        private int restore(List<StoredAccessRecord> journaled, List<ReplayClaim> claims) throws SQLException {
            try {
                JdbcReplayCache.store(c, claims);
                Head head = lockHead(lockHead);
                long sequence = head.sequence();
                String previous = head.hash();
                int written = 0;
                for (StoredAccessRecord r : journaled) {
                    if (r.sequence() <= sequence) {
                        continue;
                    }
                    if (r.sequence() != sequence + 1 || !r.previousHash().equals(previous)
                            || !AccessRecordHash.of(r.sequence(), r.record(), previous).equals(r.hash())) {
                        throw new SQLException("journal record " + r.sequence() + " does not follow the head "
                                + sequence + " of the log");
                    }
                    insert(insert, r.sequence(), r.record(), previous, r.hash());
                    sequence = r.sequence();
                    previous = r.hash();
                    written++;
                }
                if (written > 0) {
                    moveHead(moveHead, sequence, previous);
                }
                c.commit();
                durability.afterCommit(c);
                return written;
            } catch (SQLException | RuntimeException e) {
                rollbackQuietly(c, e);
                throw e;
            }
        }

        /** Gives the connection back to the pool (its statements are closed with it). */
        @Override
        public void close() {
            try {
                c.close();
            } catch (SQLException e) {
                LOG.debug("closing an access-log connection failed: {}", e.getMessage());
            }
        }
    }

    /** Whether a commit is durable when it returns (PostgreSQL), or needs {@link #flushToDevice} (H2). */
    public boolean commitIsDurable() {
        try (Connection c = dataSource.getConnection()) {
            return CommitDurability.of(c) == CommitDurability.POSTGRESQL;
        } catch (SQLException e) {
            throw unavailable("the access log's database cannot be reached", e);
        }
    }

    /** Forces every committed record to the device (H2: {@code CHECKPOINT SYNC}; PostgreSQL: nothing to do). */
    public void flushToDevice() {
        try (Connection c = dataSource.getConnection()) {
            CommitDurability.of(c).afterCommit(c);
        } catch (SQLException e) {
            throw unavailable("the access log could not be forced to the device", e);
        }
    }

    /**
     * Writes records already chained elsewhere (an {@link AccessJournal} after a crash) exactly as they were
     * stored, after the head: each must follow the head's sequence number and hash, and its hash must be its own.
     * Records the log already holds are skipped; anything else that does not fit is refused, nothing written.
     * The journaled replay claims are stored in the same transaction.
     *
     * @return how many records were written
     */
    public int restore(List<StoredAccessRecord> journaled, List<ReplayClaim> claims) {
        try (Appender appender = new Appender(dataSource.getConnection())) {
            return appender.restore(journaled, claims);
        } catch (SQLException e) {
            throw unavailable("the access-log journal could not be restored", e);
        }
    }

    /**
     * The message-id replay keys ({@link ReplayClaim#messageIdKey}) of the records written after {@code now} less
     * {@code keep}, each until its record's time plus {@code keep}: what a {@code WriteBehindReplayCache} starts from.
     */
    public List<ReplayClaim> messageIdClaims(Instant now, Duration keep) {
        List<ReplayClaim> claims = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement select = c.prepareStatement(
                "SELECT organisation_id, xroad_id, event_time FROM access_log WHERE event_time > ?")) {
            select.setObject(1, OffsetDateTime.ofInstant(now.minus(keep), ZoneOffset.UTC));
            select.setFetchSize(1000);
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    claims.add(new ReplayClaim(ReplayClaim.hashOf(ReplayClaim.messageIdKey(rs.getString(1),
                            rs.getString(2))), rs.getObject(3, OffsetDateTime.class).toInstant().plus(keep)));
                }
            }
            return claims;
        } catch (SQLException e) {
            throw unavailable("the message ids of the newest access records cannot be read", e);
        }
    }

    private static boolean exists(Connection c, String eventId) throws SQLException {
        try (PreparedStatement select = c.prepareStatement("SELECT 1 FROM access_log WHERE event_id = ?")) {
            select.setString(1, eventId);
            try (ResultSet rs = select.executeQuery()) {
                return rs.next();
            }
        }
    }

    @Override
    public List<StoredAccessRecord> find(AccessLogQuery query) {
        StringBuilder sql = new StringBuilder("SELECT ").append(COLUMNS).append(" FROM access_log WHERE 1 = 1");
        List<Object> parameters = new ArrayList<>();
        if (query.personId() != null) {
            sql.append(" AND client_id = ?");
            parameters.add(query.personId());
        }
        if (query.userId() != null) {
            sql.append(" AND user_id = ?");
            parameters.add(query.userId());
        }
        if (query.from() != null) {
            sql.append(" AND event_time >= ?");
            parameters.add(OffsetDateTime.ofInstant(query.from(), ZoneOffset.UTC));
        }
        if (query.to() != null) {
            sql.append(" AND event_time < ?");
            parameters.add(OffsetDateTime.ofInstant(query.to(), ZoneOffset.UTC));
        }
        sql.append(" ORDER BY seq FETCH FIRST ? ROWS ONLY");
        parameters.add(query.limit());
        try (Connection c = dataSource.getConnection(); PreparedStatement select = c.prepareStatement(sql.toString())) {
            for (int i = 0; i < parameters.size(); i++) {
                select.setObject(i + 1, parameters.get(i));
            }
            List<StoredAccessRecord> found = new ArrayList<>();
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    found.add(read(rs));
                }
            }
            return found;
        } catch (SQLException e) {
            throw unavailable("access log query failed", e);
        }
    }

    @Override
    public ChainVerification verify() {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            c.setReadOnly(true);
            try {
                return verify(c);
            } finally {
                c.rollback();
            }
        } catch (SQLException e) {
            throw unavailable("access log verification could not read the log", e);
        }
    }

    private static ChainVerification verify(Connection c) throws SQLException {
        Head head;
        try (PreparedStatement read = c.prepareStatement(READ_HEAD); ResultSet rs = read.executeQuery()) {
            if (!rs.next()) {
                return ChainVerification.broken(0, 1, "the chain head row is missing", 0, null);
            }
            head = new Head(rs.getLong(1), rs.getString(2));
        }
        // records appended after the head was read belong to the next verification
        long expected = 1;
        String previousHash = AccessRecordHash.GENESIS;
        try (PreparedStatement select = c.prepareStatement(
                "SELECT " + COLUMNS + " FROM access_log WHERE seq <= ? ORDER BY seq")) {
            select.setFetchSize(VERIFY_FETCH_SIZE);
            select.setLong(1, head.sequence());
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    long checked = expected - 1;
                    long sequence = rs.getLong("seq");
                    if (sequence != expected) {
                        return broken(checked, expected, "record " + expected + " is missing (next present: "
                                + sequence + ")", head);
                    }
                    StoredAccessRecord stored;
                    try {
                        stored = read(rs);
                    } catch (RuntimeException e) {
                        return broken(checked, sequence, "record cannot be read: " + e.getMessage(), head);
                    }
                    if (!previousHash.equals(stored.previousHash())) {
                        return broken(checked, sequence, "its previous hash does not match record "
                                + (sequence - 1), head);
                    }
                    if (!AccessRecordHash.of(sequence, stored.record(), previousHash).equals(stored.hash())) {
                        return broken(checked, sequence, "its content does not match its hash (edited)", head);
                    }
                    previousHash = stored.hash();
                    expected++;
                }
            }
        }
        long checked = expected - 1;
        if (checked != head.sequence()) {
            return broken(checked, expected, "record " + expected + " is missing: the chain head names record "
                    + head.sequence() + " as the last", head);
        }
        if (!previousHash.equals(head.hash())) {
            return broken(checked, head.sequence(), "the last record's hash does not match the chain head", head);
        }
        return ChainVerification.intact(checked, head.sequence(), head.hash());
    }

    private static ChainVerification broken(long checked, long sequence, String problem, Head head) {
        return ChainVerification.broken(checked, sequence, problem, head.sequence(), head.hash());
    }

    private static void moveHead(PreparedStatement move, long sequence, String hash) throws SQLException {
        move.setLong(1, sequence);
        move.setString(2, hash);
        move.executeUpdate();
    }

    private static Head lockHead(PreparedStatement lock) throws SQLException {
        try (ResultSet rs = lock.executeQuery()) {
            if (!rs.next()) {
                throw new SQLException("the access log chain head row is missing");
            }
            return new Head(rs.getLong(1), rs.getString(2));
        }
    }

    private static void insert(PreparedStatement insert, long sequence, AccessRecord r, String previousHash,
            String hash) throws SQLException {
        int i = 0;
        insert.setLong(++i, sequence);
        insert.setString(++i, r.eventId());
        insert.setObject(++i, OffsetDateTime.ofInstant(r.time(), ZoneOffset.UTC));
        insert.setString(++i, r.xroadId());
        insert.setString(++i, r.organisationId());
        insert.setString(++i, r.organisationType() == null ? null : r.organisationType().name());
        insert.setString(++i, r.userId());
        insert.setString(++i, String.join(",", r.mandates()));
        insert.setString(++i, r.mandateProof());
        insert.setString(++i, r.purpose());
        insert.setString(++i, r.operation());
        insert.setString(++i, r.personId());
        insert.setString(++i, String.join(",", r.views()));
        insert.setString(++i, r.outcome().name());
        insert.setString(++i, r.faultCode() == null ? null : r.faultCode().code());
        insert.setString(++i, r.correlationId());
        insert.setString(++i, previousHash);
        insert.setString(++i, hash);
        insert.setString(++i, r.details());
        insert.executeUpdate();
    }

    private static StoredAccessRecord read(ResultSet rs) throws SQLException {
        String type = rs.getString("organisation_type");
        String fault = rs.getString("fault_code");
        AccessRecord record = new AccessRecord(
                rs.getString("event_id"),
                rs.getObject("event_time", OffsetDateTime.class).toInstant(),
                rs.getString("xroad_id"),
                rs.getString("organisation_id"),
                type == null ? null : OrganisationType.valueOf(type),
                rs.getString("user_id"),
                names(rs.getString("mandates")),
                rs.getString("mandate_proof"),
                rs.getString("purpose"),
                rs.getString("operation"),
                rs.getString("client_id"),
                names(rs.getString("views")),
                AccessOutcome.valueOf(rs.getString("outcome")),
                fault == null ? null : FaultCode.byCode(fault),
                rs.getString("correlation_id"),
                rs.getString("details"));
        return new StoredAccessRecord(rs.getLong("seq"), record, rs.getString("previous_hash"),
                rs.getString("record_hash"));
    }

    private static List<String> names(String joined) {
        return joined.isEmpty() ? List.of() : Arrays.asList(joined.split(",", -1));
    }

    private static void closeQuietly(Connection c, Exception cause) {
        try {
            c.close();
        } catch (SQLException e) {
            cause.addSuppressed(e);
        }
    }

    private static void rollbackQuietly(Connection c, Exception cause) {
        try {
            c.rollback();
        } catch (SQLException e) {
            cause.addSuppressed(e);
        }
    }

    private static GatewayException unavailable(String what, SQLException e) {
        return new GatewayException(FaultCode.ACCESS_LOG_UNAVAILABLE, null, what + ": " + e.getMessage(), e);
    }

    private record Head(long sequence, String hash) {
    }
}
