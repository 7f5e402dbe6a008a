package fi.kelmu.gateway.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fi.kelmu.gateway.fault.FaultCode;
import fi.kelmu.gateway.fault.GatewayException;
import fi.kelmu.gateway.identity.JdbcReplayCache;
import fi.kelmu.gateway.identity.ReplayClaim;
import fi.kelmu.gateway.support.MutableClock;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link GroupCommitAccessLog} on an H2 file database behind a switch that takes the database away (docs/access-
 * log.md, "Durability" and "When the database is down"): concurrent appends share transactions; while the
 * database is away no append succeeds and refusals are spooled; when it is back the log writes again without a
 * restart, spooled refusals first and in their order.
 */
class GroupCommitAccessLogTest {

    private static final Instant T0 = Instant.parse("2026-11-02T08:00:00Z");

    @TempDir
    Path dir;

    private Database database;
    private SwitchedDataSource switched;
    private RefusalSpool spool;
    private GroupCommitAccessLog log;

    @BeforeEach
    void open() {
        database = Database.open("jdbc:h2:file:" + dir.resolve("log") + ";LOCK_TIMEOUT=10000", "kelmu", "");
        switched = new SwitchedDataSource(database.dataSource());
        spool = new RefusalSpool(dir.resolve("spool.txt"), 1_000_000);
        log = new GroupCommitAccessLog(new JdbcAccessLog(switched), spool, switched.evictions::incrementAndGet, 64,
                1000, Duration.ofSeconds(5), Clock.systemUTC());
    }

    private final MutableClock clock = new MutableClock(T0);

    /** A second log on the same database whose time the test sets (the default one is closed first). */
    private GroupCommitAccessLog timedLog() {
        log.close();
        log = new GroupCommitAccessLog(new JdbcAccessLog(switched), spool, switched.evictions::incrementAndGet, 64,
                1000, Duration.ofSeconds(5), clock);
        return log;
    }

    private List<ReplayClaim> storedClaims() {
        return JdbcReplayCache.unexpired(database.dataSource(), Clock.fixed(T0, ZoneOffset.UTC));
    }

    private static ReplayClaim claimOf(AccessRecord record) {
        return new ReplayClaim(ReplayClaim.hashOf(ReplayClaim.messageIdKey(record.organisationId(), record.xroadId())),
                T0.plusSeconds(600));
    }

    @AfterEach
    void close() {
        log.close();
        database.close();
    }

    @Test
    void concurrentAppendsAreAllWrittenInFewerTransactionsThanRecords() throws Exception {
        int requests = 200;
        ExecutorService pool = Executors.newFixedThreadPool(32);
        try {
            List<Callable<StoredAccessRecord>> appends = new ArrayList<>();
            for (int i = 0; i < requests; i++) {
                AccessRecord record = AccessLogBehaviour.allowed("010180-9026", "u" + i, T0.plusSeconds(i));
                appends.add(() -> log.append(record));
            }
            List<Long> sequences = new ArrayList<>();
            for (Future<StoredAccessRecord> done : pool.invokeAll(appends)) {
                sequences.add(done.get().sequence());
            }
            assertEquals(requests, sequences.stream().distinct().count(), "one sequence number each");
        } finally {
            pool.shutdown();
        }
        assertTrue(log.verify().ok());
        assertEquals(requests, log.find(AccessLogQuery.all().withLimit(10_000)).size());
        // group commit: one connection (one transaction and one flush) serves several waiting requests
        assertTrue(switched.connections.get() < requests,
                switched.connections.get() + " transactions for " + requests + " records");
    }

    @Test
    void theWriterKeepsOneConnectionFromBatchToBatchAndGivesItBackWhenIdle() throws Exception {
        for (int i = 0; i < 20; i++) {
            log.append(AccessLogBehaviour.allowed("010180-9026", "u" + i, T0.plusSeconds(i)));
        }
        assertEquals(1, switched.connections.get(), "one connection, its statements prepared once, for 20 batches");

        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (switched.open() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertEquals(0, switched.open(), "an idle writer holds no connection");
        log.append(AccessLogBehaviour.allowed("010180-9026", "later", T0.plusSeconds(30)));
        assertEquals(21, log.find(AccessLogQuery.all().withLimit(100)).size());
        assertTrue(log.verify().ok());
    }

    @Test
    void whileTheDatabaseIsAwayNothingIsAppendedAndRefusalsAreSpooledThenWrittenInOrderWhenItIsBack()
            throws Exception {
        log.append(AccessLogBehaviour.allowed("010180-9026", "before", T0));
        switched.down.set(true);

        GatewayException e = assertThrows(GatewayException.class,
                () -> log.append(AccessLogBehaviour.allowed("010180-9026", "during", T0.plusSeconds(1))));
        assertEquals(FaultCode.ACCESS_LOG_UNAVAILABLE, e.faultCode());
        assertTrue(switched.evictions.get() > 0, "the pool's connections are replaced after a failure");
        List<AccessRecord> refusals = List.of(
                AccessLogBehaviour.refused("040506A935A", "r1", T0.plusSeconds(2)),
                AccessLogBehaviour.refused("040506A935A", "r2", T0.plusSeconds(3)),
                AccessLogBehaviour.refused("040506A935A", "r3", T0.plusSeconds(4)));
        refusals.forEach(log::appendRefusal);
        assertEquals(refusals, spool.read());

        switched.down.set(false);
        StoredAccessRecord after = log.append(AccessLogBehaviour.allowed("010180-9026", "after", T0.plusSeconds(5)));

        List<StoredAccessRecord> stored = log.find(AccessLogQuery.all().withLimit(100));
        assertEquals(List.of("before", "r1", "r2", "r3", "after"),
                stored.stream().map(s -> s.record().userId()).toList(), "spooled refusals first, in their order");
        assertEquals(5, after.sequence());
        assertFalse(spool.hasRecords());
        assertTrue(log.verify().ok());
    }

    @Test
    void spooledRefusalsAreWrittenWhenTheLogIsIdleToo() throws Exception {
        switched.down.set(true);
        log.appendRefusal(AccessLogBehaviour.refused("040506A935A", "r1", T0));
        switched.down.set(false);
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (spool.hasRecords() && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertFalse(spool.hasRecords(), "the writer drains the spool while no request comes");
        assertEquals(List.of("r1"), log.find(AccessLogQuery.all()).stream().map(s -> s.record().userId()).toList());
    }

    @Test
    void aSpooledRefusalAlreadyInTheLogIsNotWrittenTwice() {
        // a crash between writing the spooled records and emptying the spool leaves both
        AccessRecord refusal = AccessLogBehaviour.refused("040506A935A", "r1", T0);
        log.append(refusal);
        spool.append(refusal);
        log.append(AccessLogBehaviour.allowed("010180-9026", "next", T0.plusSeconds(1)));
        switched.down.set(true);
        assertThrows(GatewayException.class, () -> log.append(AccessLogBehaviour.allowed("010180-9026", "x",
                T0.plusSeconds(2))));
        switched.down.set(false);
        log.append(AccessLogBehaviour.allowed("010180-9026", "last", T0.plusSeconds(3)));
        assertEquals(List.of("r1", "next", "last"),
                log.find(AccessLogQuery.all()).stream().map(s -> s.record().userId()).toList());
    }

    /** Issue 10 item 5: a record of the same organisation and X-Road id keeps the message id; no row is written. */
    @Test
    void aReplayClaimARecordCoversIsNotWritten() {
        GroupCommitAccessLog timed = timedLog();
        AccessRecord record = AccessLogBehaviour.allowed("010180-9026", "u1", T0);
        timed.claim(claimOf(record));
        timed.append(record);
        clock.set(T0.plus(GroupCommitAccessLog.CLAIM_GRACE).plusSeconds(1));
        timed.append(AccessLogBehaviour.allowed("010180-9026", "u2", T0.plusSeconds(1)));
        timed.close();
        assertEquals(List.of(), storedClaims());
    }

    @Test
    void aReplayClaimNoRecordCoversIsWrittenAfterTheGrace() {
        GroupCommitAccessLog timed = timedLog();
        ReplayClaim claim = new ReplayClaim("a".repeat(64), T0.plusSeconds(600));
        timed.claim(claim);
        timed.append(AccessLogBehaviour.allowed("010180-9026", "u1", T0));
        assertEquals(List.of(), storedClaims(), "still waiting for a record");
        clock.set(T0.plus(GroupCommitAccessLog.CLAIM_GRACE).plusSeconds(1));
        timed.append(AccessLogBehaviour.allowed("010180-9026", "u2", T0.plusSeconds(1)));
        assertEquals(List.of(claim), storedClaims());
        timed.close();
    }

    @Test
    void replayClaimsAWriteFailedToKeepAreWrittenWhenTheDatabaseIsBack() {
        GroupCommitAccessLog timed = timedLog();
        switched.down.set(true);
        ReplayClaim claim = new ReplayClaim("b".repeat(64), T0.plusSeconds(600));
        timed.claim(claim);
        clock.set(T0.plus(GroupCommitAccessLog.CLAIM_GRACE).plusSeconds(1));
        assertThrows(GatewayException.class, () -> timed.append(AccessLogBehaviour.allowed("010180-9026", "x", T0)));
        switched.down.set(false);
        timed.append(AccessLogBehaviour.allowed("010180-9026", "y", T0.plusSeconds(1)));
        assertEquals(List.of(claim), storedClaims());
        timed.close();
    }

    @Test
    void dueReplayClaimsAreWrittenByTheIdleWriterAndTheRestAsTheLogCloses() throws Exception {
        GroupCommitAccessLog timed = timedLog();
        ReplayClaim due = new ReplayClaim("c".repeat(64), T0.plusSeconds(600));
        timed.claim(due);
        clock.set(T0.plus(GroupCommitAccessLog.CLAIM_GRACE).plusSeconds(1));
        ReplayClaim young = new ReplayClaim("d".repeat(64), T0.plusSeconds(600));
        timed.claim(young);
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (storedClaims().isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertEquals(List.of(due), storedClaims(), "the idle writer writes the due claim, not the young one");
        timed.close();
        assertEquals(Set.of(due, young), Set.copyOf(storedClaims()), "closing writes every claim left");
    }

    /** Fail closed: while claims cannot be written and more wait than the bound, a new one is refused. */
    @Test
    void aReplayClaimBeyondTheBoundIsRefused() {
        switched.down.set(true);
        try (GroupCommitAccessLog small = new GroupCommitAccessLog(new JdbcAccessLog(switched), spool, () -> { }, 4, 2,
                Duration.ofSeconds(1), Clock.systemUTC())) {
            for (int i = 0; i < 4; i++) {
                small.claim(new ReplayClaim(String.format("%064d", i), T0.plusSeconds(600)));
            }
            GatewayException e = assertThrows(GatewayException.class,
                    () -> small.claim(new ReplayClaim("d".repeat(64), T0.plusSeconds(600))));
            assertEquals(FaultCode.REPLAY_CHECK_UNAVAILABLE, e.faultCode());
        }
    }

    @Test
    void aClosedLogRefusesAtOnce() {
        log.close();
        GatewayException e = assertThrows(GatewayException.class,
                () -> log.append(AccessLogBehaviour.allowed("010180-9026", "late", T0)));
        assertEquals(FaultCode.ACCESS_LOG_UNAVAILABLE, e.faultCode());
    }

    @Test
    void spoolLinesSurviveAnyValueAndACutLastLineIsLeftOut() throws Exception {
        AccessRecord odd = new AccessRecord("event\t1", T0, "id\nwith newline", "0201256-6", null, "FI010594Y9032",
                List.of(), null, "MUUT_ETUUDET", "getBenefitData", "010180-9026", List.of(), AccessOutcome.REFUSED,
                FaultCode.MANDATE_MISSING, "corr");
        AccessRecord withDetails = odd.withDetails("demand=1 amount=429.09 account=****0785");
        spool.append(odd);
        spool.append(withDetails);
        Files.writeString(dir.resolve("spool.txt"), "v1\tcut-short", java.nio.file.StandardOpenOption.APPEND);
        assertEquals(List.of(odd, withDetails), spool.read());
    }

    /** A record with details (a payment demand's) is stored with them and its chain verifies (hash version 2). */
    @Test
    void aRecordWithDetailsIsStoredWithThemAndTheChainVerifies() {
        log.append(AccessLogBehaviour.allowed("010180-9026", "u1", T0));
        AccessRecord demand = AccessLogBehaviour.allowed("010180-9026", "u2", T0.plusSeconds(1))
                .withDetails("amount=429.09 account=****0785");
        log.append(demand);
        List<StoredAccessRecord> stored = log.find(AccessLogQuery.all());
        assertEquals(demand, stored.get(1).record());
        assertTrue(log.verify().ok());
    }

    /**
     * A data source that can be taken away and brought back, counting the connections it gives. While it is away,
     * the connections it gave before fail too, as a database's do when it goes down: the log's writer keeps its
     * connection from batch to batch.
     */
    private static final class SwitchedDataSource implements DataSource {

        final AtomicBoolean down = new AtomicBoolean();
        final AtomicInteger connections = new AtomicInteger();
        final AtomicInteger closed = new AtomicInteger();
        final AtomicInteger evictions = new AtomicInteger();
        private final DataSource target;

        SwitchedDataSource(DataSource target) {
            this.target = target;
        }

        @Override
        public Connection getConnection() throws SQLException {
            if (down.get()) {
                throw new SQLException("database unreachable (test switch)", "08001");
            }
            connections.incrementAndGet();
            return failingWhileDown(target.getConnection(), Connection.class);
        }

        /**
         * {@code real}, and the statements it makes, failing every call but close while the switch is down; a
         * connection's close is counted.
         */
        private <T> T failingWhileDown(T real, Class<T> type) {
            InvocationHandler handler = (proxy, method, args) -> {
                if (method.getName().equals("close") && type == Connection.class && !((Connection) real).isClosed()) {
                    closed.incrementAndGet();
                } else if (down.get() && !method.getName().equals("close")) {
                    throw new SQLException("database unreachable (test switch)", "08006");
                }
                try {
                    Object result = method.invoke(real, args);
                    return result instanceof PreparedStatement statement
                            && method.getReturnType() == PreparedStatement.class
                            ? failingWhileDown(statement, PreparedStatement.class) : result;
                } catch (InvocationTargetException e) {
                    throw e.getCause();
                }
            };
            return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, handler));
        }

        int open() {
            return connections.get() - closed.get();
        }

        @Override
        public Connection getConnection(String user, String password) throws SQLException {
            return getConnection();
        }

        @Override
        public PrintWriter getLogWriter() {
            return null;
        }

        @Override
        public void setLogWriter(PrintWriter out) {
        }

        @Override
        public void setLoginTimeout(int seconds) {
        }

        @Override
        public int getLoginTimeout() {
            return 0;
        }

        @Override
        public Logger getParentLogger() throws SQLFeatureNotSupportedException {
            throw new SQLFeatureNotSupportedException();
        }

        @Override
        public <T> T unwrap(Class<T> type) throws SQLException {
            throw new SQLException("not a wrapper");
        }

        @Override
        public boolean isWrapperFor(Class<?> type) {
            return false;
        }
    }
}
