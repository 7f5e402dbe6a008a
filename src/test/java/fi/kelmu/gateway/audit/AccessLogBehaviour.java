package fi.kelmu.gateway.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import fi.kelmu.gateway.GatewaySettings;
import fi.kelmu.gateway.config.GatewayConfig;
import fi.kelmu.gateway.fault.FaultCode;
import fi.kelmu.gateway.fault.GatewayException;
import fi.kelmu.gateway.registry.OrganisationType;
import fi.kelmu.gateway.sandbox.PkiBuilder;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * The access log's behaviour (issue 4 items 7 and 8; checkpoints and receipts, issue 10 item 2), run against each
 * supported database by a subclass.
 * Every test gets a fresh, migrated database.
 */
abstract class AccessLogBehaviour {

    static final Instant T0 = Instant.parse("2023-01-02T08:00:00.123456789Z");
    static final String ALICE = "131052-308T";
    static final String BOB = "010101A123N";

    /** Where a fresh, empty database is. */
    record Target(String url, String user, String password) {
    }

    /** Creates an empty database for one test. */
    abstract Target freshDatabase() throws Exception;

    /** What a DBA would do to get past the append-only trigger. */
    abstract void bypassAppendOnly(Statement sql) throws SQLException;

    /** The gateway's own key (EC), which signs checkpoints, and a key nobody trusts (RSA). */
    static final KeyPair GATEWAY_KEY = PkiBuilder.ec("secp256r1");
    static final X509Certificate GATEWAY_CERTIFICATE = PkiBuilder.selfSignedCa("CN=test gateway checkpoint signer",
            GATEWAY_KEY, Instant.now().minusSeconds(60), Instant.now().plusSeconds(86400));
    static final KeyPair INTRUDER_KEY = PkiBuilder.rsa(2048);
    static final X509Certificate INTRUDER_CERTIFICATE = PkiBuilder.selfSignedCa("CN=test gateway checkpoint signer",
            INTRUDER_KEY, Instant.now().minusSeconds(60), Instant.now().plusSeconds(86400));

    Target target;
    Database database;
    JdbcAccessLog log;
    JdbcCheckpointStore store;
    Checkpoints checkpoints;
    /** What the command is told the gateway's configured certificates are. */
    List<X509Certificate> gatewayCertificates = List.of(GATEWAY_CERTIFICATE);

    @BeforeEach
    void openDatabase() throws Exception {
        target = freshDatabase();
        database = Database.open(target.url(), target.user(), target.password());
        log = new JdbcAccessLog(database.dataSource());
        store = new JdbcCheckpointStore(database.dataSource());
        checkpoints = new Checkpoints(store, GATEWAY_KEY.getPrivate(), GATEWAY_CERTIFICATE, Clock.systemUTC());
    }

    /** The full check of access-log verify, trusting the gateway's certificate. */
    ChainVerification verifyAll(AccessReceipt... receipts) {
        return AccessLogVerification.verify(log, store, List.of(GATEWAY_CERTIFICATE), List.of(receipts));
    }

    @AfterEach
    void closeDatabase() {
        database.close();
    }

    static AccessRecord allowed(String personId, String userId, Instant time) {
        return new AccessRecord(AccessRecord.newEventId(), time, "xroad-" + time.toEpochMilli(), "0201256-6",
                OrganisationType.HVA, userId, List.of("ETUUSTIEDOT_MAKSUVAATIMUKSET"), "assertion:a-" + time.getEpochSecond(),
                "MUUT_ETUUDET", "GetBenefitData", personId, List.of("PAYMENTS", "DECISIONS"), AccessOutcome.ALLOWED,
                null, "corr-" + time.toEpochMilli());
    }

    static AccessRecord refused(String personId, String userId, Instant time) {
        return new AccessRecord(AccessRecord.newEventId(), time, "xroad-r-" + time.toEpochMilli(), "1234567-1",
                null, userId, List.of(), null, "TOIMEENTULOTUKI", "GetBasicSocialAssistance", personId, List.of(),
                AccessOutcome.REFUSED, FaultCode.MANDATE_MISSING, "corr-r-" + time.toEpochMilli());
    }

    /** Appends alice/u1 at T0, bob/u2 at T0+1h, alice/u2 (refused) at T0+2h, bob/u1 at T0+3h. */
    List<AccessRecord> appendFour() {
        List<AccessRecord> records = List.of(
                allowed(ALICE, "u1", T0),
                allowed(BOB, "u2", T0.plusSeconds(3600)),
                refused(ALICE, "u2", T0.plusSeconds(7200)),
                allowed(BOB, "u1", T0.plusSeconds(10800)));
        records.forEach(log::append);
        return records;
    }

    void sql(String... statements) throws SQLException {
        try (Connection c = database.dataSource().getConnection(); Statement s = c.createStatement()) {
            for (String statement : statements) {
                s.execute(statement);
            }
        }
    }

    void asDba(String... statements) throws SQLException {
        try (Connection c = database.dataSource().getConnection(); Statement s = c.createStatement()) {
            bypassAppendOnly(s);
            for (String statement : statements) {
                s.execute(statement);
            }
        }
    }

    static List<AccessRecord> records(List<StoredAccessRecord> stored) {
        return stored.stream().map(StoredAccessRecord::record).toList();
    }

    // --- append and find ---------------------------------------------------------------------------

    @Test
    void appendedRecordsAreFoundByClientWithEveryFieldIntact() {
        List<AccessRecord> four = appendFour();
        List<StoredAccessRecord> alice = log.find(AccessLogQuery.all().withPersonId(ALICE));
        assertEquals(List.of(four.get(0), four.get(2)), records(alice));
        assertEquals(List.of(1L, 3L), alice.stream().map(StoredAccessRecord::sequence).toList());
        AccessRecord refusal = alice.get(1).record();
        assertEquals(AccessOutcome.REFUSED, refusal.outcome());
        assertEquals(FaultCode.MANDATE_MISSING, refusal.faultCode());
        assertNull(refusal.organisationType());
        assertNull(refusal.mandateProof());
        assertEquals(List.of(), refusal.views());
        assertEquals(Instant.parse("2023-01-02T08:00:00.123456Z"), alice.get(0).record().time(), "time is kept to the microsecond");
    }

    @Test
    void appendedRecordsCarryTheirPlaceInTheChain() {
        StoredAccessRecord first = log.append(allowed(ALICE, "u1", T0));
        StoredAccessRecord second = log.append(allowed(ALICE, "u1", T0.plusSeconds(1)));
        assertEquals(1, first.sequence());
        assertEquals(AccessRecordHash.GENESIS, first.previousHash());
        assertEquals(first.hash(), second.previousHash());
        assertEquals(AccessRecordHash.of(2, second.record(), first.hash()), second.hash());
        assertEquals(List.of(first, second), log.find(AccessLogQuery.all()));
    }

    @Test
    void recordsAreFoundByUser() {
        List<AccessRecord> four = appendFour();
        assertEquals(List.of(four.get(0), four.get(3)), records(log.find(AccessLogQuery.all().withUserId("u1"))));
        assertEquals(List.of(), log.find(AccessLogQuery.all().withUserId("nobody")));
    }

    @Test
    void recordsAreFoundByTimeRangeFromInclusiveToExclusive() {
        List<AccessRecord> four = appendFour();
        AccessLogQuery range = AccessLogQuery.all().withFrom(four.get(1).time()).withTo(four.get(3).time());
        assertEquals(List.of(four.get(1), four.get(2)), records(log.find(range)));
        assertEquals(List.of(four.get(2), four.get(3)),
                records(log.find(AccessLogQuery.all().withFrom(T0.plusSeconds(5000)))));
        assertEquals(List.of(four.get(0)), records(log.find(AccessLogQuery.all().withTo(T0.plusSeconds(1)))));
    }

    @Test
    void criteriaCombineAndTheLimitKeepsTheOldest() {
        List<AccessRecord> four = appendFour();
        assertEquals(List.of(four.get(2)), records(log.find(
                AccessLogQuery.all().withPersonId(ALICE).withUserId("u2").withFrom(T0).withTo(T0.plusSeconds(86400)))));
        assertEquals(List.of(four.get(0), four.get(1)), records(log.find(AccessLogQuery.all().withLimit(2))));
    }

    // --- the chain -------------------------------------------------------------------------------

    @Test
    void emptyAndCleanLogsVerify() {
        ChainVerification empty = log.verify();
        assertTrue(empty.ok());
        assertEquals(0, empty.recordsChecked());
        appendFour();
        ChainVerification clean = log.verify();
        assertTrue(clean.ok(), clean.problem());
        assertEquals(4, clean.recordsChecked());
        assertEquals(4, clean.headSequence());
        assertNull(clean.firstBrokenSequence());
    }

    @Test
    void editedRecordIsDetected() throws SQLException {
        appendFour();
        asDba("UPDATE access_log SET purpose = 'TOIMEENTULOTUKI' WHERE seq = 2");
        ChainVerification result = log.verify();
        assertFalse(result.ok());
        assertEquals(2L, result.firstBrokenSequence());
        assertTrue(result.problem().contains("does not match its hash"), result.problem());
        assertEquals(1, result.recordsChecked());
    }

    @Test
    void editedViewListIsDetected() throws SQLException {
        appendFour();
        asDba("UPDATE access_log SET views = 'PAYMENTS' WHERE seq = 4");
        assertEquals(4L, log.verify().firstBrokenSequence());
    }

    @Test
    void editedRecordWithRecomputedHashIsDetectedByTheNextRecord() throws SQLException {
        appendFour();
        StoredAccessRecord second = log.find(AccessLogQuery.all()).get(1);
        AccessRecord r = second.record();
        AccessRecord forged = new AccessRecord(r.eventId(), r.time(), r.xroadId(), r.organisationId(),
                r.organisationType(), "someone-else", r.mandates(), r.mandateProof(), r.purpose(), r.operation(),
                r.personId(), r.views(), r.outcome(), r.faultCode(), r.correlationId());
        String forgedHash = AccessRecordHash.of(2, forged, second.previousHash());
        asDba("UPDATE access_log SET user_id = 'someone-else', record_hash = '" + forgedHash + "' WHERE seq = 2");
        ChainVerification result = log.verify();
        assertFalse(result.ok());
        assertEquals(3L, result.firstBrokenSequence());
        assertTrue(result.problem().contains("previous hash"), result.problem());
    }

    @Test
    void deletedMiddleRecordIsDetected() throws SQLException {
        appendFour();
        asDba("DELETE FROM access_log WHERE seq = 2");
        ChainVerification result = log.verify();
        assertFalse(result.ok());
        assertEquals(2L, result.firstBrokenSequence());
        assertTrue(result.problem().contains("record 2 is missing"), result.problem());
    }

    @Test
    void deletedLastRecordIsDetected() throws SQLException {
        appendFour();
        asDba("DELETE FROM access_log WHERE seq = 4");
        ChainVerification result = log.verify();
        assertFalse(result.ok());
        assertEquals(4L, result.firstBrokenSequence());
        assertEquals(3, result.recordsChecked());
        assertTrue(result.problem().contains("chain head"), result.problem());
    }

    @Test
    void updateIsRefusedByTheDatabase() {
        List<AccessRecord> four = appendFour();
        SQLException e = assertThrows(SQLException.class,
                () -> sql("UPDATE access_log SET purpose = 'TOIMEENTULOTUKI' WHERE seq = 1"));
        assertTrue(e.getMessage().contains("append-only"), e.getMessage());
        assertEquals(four, records(log.find(AccessLogQuery.all())));
    }

    @Test
    void deleteIsRefusedByTheDatabase() {
        List<AccessRecord> four = appendFour();
        SQLException e = assertThrows(SQLException.class, () -> sql("DELETE FROM access_log WHERE seq = 4"));
        assertTrue(e.getMessage().contains("append-only"), e.getMessage());
        assertThrows(SQLException.class, () -> sql("DELETE FROM access_log_head"));
        assertEquals(four, records(log.find(AccessLogQuery.all())));
        assertTrue(log.verify().ok());
    }

    @Test
    void concurrentAppendsKeepTheChainValid() throws Exception {
        int threads = 6;
        int each = 20;
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<List<Long>>> results = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                String user = "thread-" + t;
                Callable<List<Long>> appender = () -> {
                    start.await();
                    List<Long> sequences = new ArrayList<>();
                    for (int i = 0; i < each; i++) {
                        sequences.add(log.append(allowed(ALICE, user, T0.plusMillis(i))).sequence());
                    }
                    return sequences;
                };
                results.add(pool.submit(appender));
            }
            start.countDown();
            Set<Long> sequences = new TreeSet<>();
            for (Future<List<Long>> f : results) {
                sequences.addAll(f.get(60, TimeUnit.SECONDS));
            }
            assertEquals(threads * each, sequences.size(), "every append got its own sequence number");
            ChainVerification result = log.verify();
            assertTrue(result.ok(), result.problem());
            assertEquals(threads * each, result.recordsChecked());
        } finally {
            pool.shutdownNow();
        }
    }

    // --- checkpoints (issue 10 item 2) -------------------------------------------------------------------

    @Test
    void checkpointIsWrittenWhenTheHeadMovedAndNotWhenItDidNot() {
        assertTrue(checkpoints.writeIfMoved().isEmpty(), "an empty log has no head to checkpoint");
        appendFour();
        Checkpoint first = checkpoints.writeIfMoved().orElseThrow();
        assertEquals(4, first.sequence());
        assertEquals(log.verify().headHash(), first.chainHash());
        assertTrue(first.verifiedBy(GATEWAY_CERTIFICATE));
        assertEquals(Optional.of(first), store.latest(), "stored as signed");
        assertTrue(checkpoints.writeIfMoved().isEmpty(), "the head has not moved");

        StoredAccessRecord fifth = log.append(allowed(ALICE, "u1", T0.plusSeconds(20000)));
        Checkpoint second = checkpoints.writeIfMoved().orElseThrow();
        assertEquals(5, second.sequence());
        assertEquals(fifth.hash(), second.chainHash());
        assertEquals(5, store.latestSequence());
    }

    @Test
    void aCheckpointIsOneInfoLineOfTheApplicationLogWithWhatWasSigned() {
        appendFour();
        Logger logger = (Logger) LoggerFactory.getLogger(Checkpoints.class);
        ListAppender<ILoggingEvent> lines = new ListAppender<>();
        lines.start();
        logger.addAppender(lines);
        Checkpoint checkpoint;
        try {
            checkpoint = checkpoints.writeIfMoved().orElseThrow();
        } finally {
            logger.detachAppender(lines);
        }
        assertEquals(1, lines.list.size(), lines.list.toString());
        ILoggingEvent line = lines.list.get(0);
        assertEquals(Level.INFO, line.getLevel());
        String text = line.getFormattedMessage();
        String signed = "kelmu-access-log-checkpoint:v1:4:" + checkpoint.chainHash() + ":";
        assertTrue(text.contains(signed + checkpoint.signedText().substring(signed.length())), text);
        assertTrue(text.contains("signature=" + Base64.getEncoder().encodeToString(checkpoint.signature())), text);
        assertTrue(text.contains("signer-sha256=" + Checkpoint.fingerprint(GATEWAY_CERTIFICATE)), text);
    }

    @Test
    void theTimerCheckpointsAMovedHeadAndClosingWritesTheLastOne() throws Exception {
        appendFour();
        checkpoints.start(Duration.ofMillis(50));
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (store.latestSequence() < 4 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertEquals(4, store.latestSequence(), "the timer wrote a checkpoint of the moved head");
        } finally {
            checkpoints.close();
        }
        Checkpoints stopping = new Checkpoints(store, GATEWAY_KEY.getPrivate(), GATEWAY_CERTIFICATE, Clock.systemUTC())
                .start(Duration.ofHours(1));
        log.append(allowed(BOB, "u2", T0.plusSeconds(20000)));
        stopping.close();
        assertEquals(5, store.latestSequence(), "the gateway stopping checkpoints the head it leaves");
    }

    @Test
    void checkpointsAreAppendOnly() {
        appendFour();
        checkpoints.writeIfMoved();
        assertThrows(SQLException.class, () -> sql("UPDATE access_log_checkpoint SET seq = 2"));
        assertThrows(SQLException.class, () -> sql("DELETE FROM access_log_checkpoint"));
        assertEquals(4, store.latestSequence());
    }

    @Test
    void anIntactLogVerifiesAgainstItsCheckpoint() {
        appendFour();
        Checkpoint checkpoint = checkpoints.writeIfMoved().orElseThrow();
        log.append(allowed(BOB, "u2", T0.plusSeconds(20000)));
        ChainVerification result = verifyAll();
        assertTrue(result.ok(), result.problem());
        assertEquals(5, result.recordsChecked());
        assertEquals(checkpoint, result.checkpoint());
    }

    @Test
    void droppingTheNewestRecordsBelowTheCheckpointIsReported() throws SQLException {
        appendFour();
        String second = log.find(AccessLogQuery.all()).get(1).hash();
        checkpoints.writeIfMoved();
        // what kill -9 or a DBA could leave: the newest records gone, and the head naming the last one left
        asDba("DELETE FROM access_log WHERE seq > 2",
                "UPDATE access_log_head SET last_seq = 2, last_hash = '" + second + "'");
        assertTrue(log.verify().ok(), "the chain alone cannot tell");

        ChainVerification result = verifyAll();
        assertFalse(result.ok());
        assertEquals(3L, result.firstBrokenSequence());
        assertEquals(2, result.recordsChecked());
        assertTrue(result.problem().contains("names record 4 but the chain ends at record 2"), result.problem());
        assertTrue(result.problem().contains("newest records have been removed"), result.problem());
        assertTrue(checkpoints.writeIfMoved().isEmpty(), "a log behind its checkpoint is never signed");
    }

    @Test
    void aConsistentlyRewrittenChainIsReported() throws SQLException {
        appendFour();
        checkpoints.writeIfMoved();
        // every hash recomputed after a changed record 2, and the head moved with them
        String previous = AccessRecordHash.GENESIS;
        List<String> statements = new ArrayList<>();
        for (StoredAccessRecord stored : log.find(AccessLogQuery.all())) {
            AccessRecord r = stored.record();
            String user = stored.sequence() == 2 ? "someone-else" : r.userId();
            AccessRecord rewritten = new AccessRecord(r.eventId(), r.time(), r.xroadId(), r.organisationId(),
                    r.organisationType(), user, r.mandates(), r.mandateProof(), r.purpose(), r.operation(),
                    r.personId(), r.views(), r.outcome(), r.faultCode(), r.correlationId());
            String hash = AccessRecordHash.of(stored.sequence(), rewritten, previous);
            statements.add("UPDATE access_log SET user_id = '" + user + "', previous_hash = '" + previous
                    + "', record_hash = '" + hash + "' WHERE seq = " + stored.sequence());
            previous = hash;
        }
        statements.add("UPDATE access_log_head SET last_hash = '" + previous + "'");
        asDba(statements.toArray(String[]::new));
        assertTrue(log.verify().ok(), "the chain alone cannot tell");

        ChainVerification result = verifyAll();
        assertFalse(result.ok());
        assertEquals(4L, result.firstBrokenSequence());
        assertEquals(0, result.recordsChecked());
        assertTrue(result.problem().contains("the chain has been rewritten at or before record 4"), result.problem());
    }

    @Test
    void aCheckpointSignedByAKeyNobodyTrustsIsReported() {
        appendFour();
        // whoever can write to the database can sign a checkpoint with a key and certificate of their own
        new Checkpoints(store, INTRUDER_KEY.getPrivate(), INTRUDER_CERTIFICATE, Clock.systemUTC()).writeIfMoved();
        ChainVerification result = verifyAll();
        assertFalse(result.ok());
        assertEquals(4L, result.firstBrokenSequence());
        assertTrue(result.problem().contains("signed by a key you do not trust"), result.problem());
        assertTrue(result.problem().contains(Checkpoint.fingerprint(INTRUDER_CERTIFICATE)), result.problem());

        ChainVerification trustingIt = AccessLogVerification.verify(log, store, List.of(INTRUDER_CERTIFICATE), List.of());
        assertTrue(trustingIt.ok(), "the same checkpoint verifies for whoever trusts its signer: " + trustingIt.problem());
    }

    @Test
    void aReceiptIsFoundOnlyWithItsSequenceAndHash() {
        appendFour();
        StoredAccessRecord third = log.find(AccessLogQuery.all()).get(2);
        StoredAccessRecord fourth = log.find(AccessLogQuery.all()).get(3);
        checkpoints.writeIfMoved();
        assertTrue(verifyAll(AccessReceipt.of(third), AccessReceipt.of(fourth)).ok(), "real receipts are in the log");

        ChainVerification wrongHash = verifyAll(new AccessReceipt(3, fourth.hash()));
        assertFalse(wrongHash.ok());
        assertEquals(3L, wrongHash.firstBrokenSequence());
        assertTrue(wrongHash.problem().contains("does not have the hash of receipt 3:" + fourth.hash()),
                wrongHash.problem());

        ChainVerification missing = verifyAll(new AccessReceipt(9, fourth.hash()));
        assertFalse(missing.ok());
        assertEquals(9L, missing.firstBrokenSequence());
        assertTrue(missing.problem().contains("names a record the log does not hold (the chain ends at record 4)"),
                missing.problem());
    }

    // --- no record, no data ---------------------------------------------------------------------------

    @Test
    void appendFailsWithAccessLogUnavailableWhenThePoolIsClosed() {
        database.close();
        GatewayException e = assertThrows(GatewayException.class, () -> log.append(allowed(ALICE, "u1", T0)));
        assertEquals(FaultCode.ACCESS_LOG_UNAVAILABLE, e.faultCode());
        assertNull(e.callerDetail(), "the caller learns nothing about the database");
    }

    @Test
    void appendOfADuplicateEventFailsAndLeavesTheChainIntact() {
        AccessRecord record = allowed(ALICE, "u1", T0);
        log.append(record);
        GatewayException e = assertThrows(GatewayException.class, () -> log.append(record));
        assertEquals(FaultCode.ACCESS_LOG_UNAVAILABLE, e.faultCode());
        log.append(allowed(BOB, "u1", T0.plusSeconds(1)));
        ChainVerification result = log.verify();
        assertTrue(result.ok(), result.problem());
        assertEquals(2, result.recordsChecked());
    }

    // --- the command --------------------------------------------------------------------------------

    record Run(int exit, String out, String err) {
    }

    Run command(String... args) {
        Map<String, String> overrides = new HashMap<>();
        overrides.put("kelmu.db.url", target.url());
        overrides.put("kelmu.db.user", target.user());
        overrides.put("kelmu.db.password", target.password() == null ? "" : target.password());
        GatewayConfig config = GatewayConfig.load(overrides);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = new AccessLogCommand().run(args, () -> GatewaySettings.database(config),
                () -> gatewayCertificates, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void commandQueryPrintsOneLinePerMatchingRecord() {
        List<AccessRecord> four = appendFour();
        Run run = command("query", "--client", ALICE, "--from", "2023-01-02T08:00:00Z", "--limit", "10");
        assertEquals(0, run.exit(), run.err());
        List<String> lines = run.out().lines().toList();
        assertEquals(3, lines.size(), run.out());
        assertEquals(AccessLogCommand.HEADER, lines.get(0));
        String[] first = lines.get(1).split("\t", -1);
        assertEquals(AccessLogCommand.HEADER.split("\t").length, first.length);
        assertEquals("1", first[0]);
        assertEquals("2023-01-02T08:00:00.123456Z", first[1]);
        assertEquals("ALLOWED", first[2]);
        assertEquals("-", first[3]);
        assertEquals(ALICE, first[7]);
        assertEquals("ETUUSTIEDOT_MAKSUVAATIMUKSET", first[10]);
        assertEquals("PAYMENTS,DECISIONS", first[12]);
        assertEquals(four.get(0).eventId(), first[15]);
        String[] refusal = lines.get(2).split("\t", -1);
        assertEquals("REFUSED", refusal[2]);
        assertEquals("Client.MandateMissing", refusal[3]);

        Run byUser = command("query", "--user", "u1", "--to", T0.plusSeconds(1).toString());
        assertEquals(2, byUser.out().lines().count(), byUser.out());
    }

    @Test
    void commandVerifyExitsZeroWhenIntactAndTwoWhenBroken() throws SQLException {
        appendFour();
        Run intact = command("verify");
        assertEquals(0, intact.exit(), intact.err());
        assertTrue(intact.out().contains("intact: 4 record(s)"), intact.out());

        asDba("DELETE FROM access_log WHERE seq = 3");
        Run broken = command("verify");
        assertEquals(2, broken.exit(), broken.err());
        assertTrue(broken.out().contains("BROKEN at record 3"), broken.out());
    }

    @Test
    void commandVerifyChecksTheCheckpointAndReportsTheNewestRecordsDropped() throws SQLException {
        appendFour();
        Run none = command("verify");
        assertEquals(0, none.exit(), none.err());
        assertTrue(none.out().contains("checkpoint: none yet"), none.out());

        Checkpoint checkpoint = checkpoints.writeIfMoved().orElseThrow();
        Run intact = command("verify");
        assertEquals(0, intact.exit(), intact.err());
        List<String> lines = intact.out().lines().toList();
        assertTrue(lines.get(0).startsWith("access log intact: 4 record(s) verified; head 4 " + checkpoint.chainHash()),
                intact.out());
        assertTrue(lines.get(1).startsWith("checkpoint: record 4 " + checkpoint.chainHash() + " at "
                + checkpoint.time()), intact.out());
        assertTrue(lines.get(1).contains(Checkpoint.fingerprint(GATEWAY_CERTIFICATE) + "): matches the chain"),
                intact.out());

        String third = log.find(AccessLogQuery.all()).get(2).hash();
        asDba("DELETE FROM access_log WHERE seq = 4",
                "UPDATE access_log_head SET last_seq = 3, last_hash = '" + third + "'");
        Run broken = command("verify");
        assertEquals(2, broken.exit(), broken.err());
        assertTrue(broken.out().startsWith("access log BROKEN at record 4: record 4 is missing: the latest checkpoint"),
                broken.out());
        assertTrue(broken.out().contains("newest records have been removed"), broken.out());
    }

    @Test
    void commandVerifyChecksReceipts() {
        appendFour();
        StoredAccessRecord second = log.find(AccessLogQuery.all()).get(1);
        checkpoints.writeIfMoved();
        Run found = command("verify", "--receipt", second.sequence() + ":" + second.hash());
        assertEquals(0, found.exit(), found.out() + found.err());
        assertTrue(found.out().contains("receipt 2:" + second.hash() + ": in the chain"), found.out());

        Run wrong = command("verify", "--receipt", "2:" + AccessRecordHash.GENESIS.replace('0', 'a'));
        assertEquals(2, wrong.exit(), wrong.out());
        assertTrue(wrong.out().startsWith("access log BROKEN at record 2: record 2 does not have the hash of receipt"),
                wrong.out());

        Run missing = command("verify", "--receipt", "2:" + second.hash(), "--receipt", "5:" + second.hash());
        assertEquals(2, missing.exit(), missing.out());
        assertTrue(missing.out().startsWith("access log BROKEN at record 5: receipt 5:"), missing.out());
    }

    @Test
    void commandVerifyTrustsOnlyTheGatewaysCertificatesOrThoseOfTrust(@TempDir Path folder) {
        appendFour();
        new Checkpoints(store, INTRUDER_KEY.getPrivate(), INTRUDER_CERTIFICATE, Clock.systemUTC()).writeIfMoved();
        Run untrusted = command("verify");
        assertEquals(2, untrusted.exit(), untrusted.out());
        assertTrue(untrusted.out().contains("signed by a key you do not trust"), untrusted.out());

        Path trustStore = folder.resolve("checkpoint-signers.p12");
        PkiBuilder.writeTrustStore(trustStore, Map.of("signer", INTRUDER_CERTIFICATE), "pw".toCharArray());
        Run trusted = command("verify", "--trust", trustStore.toString(), "--trust-password", "pw");
        assertEquals(0, trusted.exit(), trusted.out() + trusted.err());

        gatewayCertificates = List.of();
        Run noTrust = command("verify");
        assertEquals(1, noTrust.exit(), noTrust.out());
        assertTrue(noTrust.err().contains("give --trust STORE.p12"), noTrust.err());
        assertEquals("", noTrust.out());
    }

    @Test
    void commandUsageErrorsExitOne() {
        for (String[] args : List.of(new String[] {}, new String[] {"drop"}, new String[] {"query", "--client"},
                new String[] {"query", "--from", "yesterday"}, new String[] {"query", "--limit", "0"},
                new String[] {"query", "--color", "red"}, new String[] {"verify", "--all"},
                new String[] {"verify", "--receipt", "4"}, new String[] {"verify", "--receipt", "x:" + "0".repeat(64)},
                new String[] {"verify", "--receipt", "4:ABC"}, new String[] {"verify", "--trust-password", "pw"},
                new String[] {"verify", "--trust"})) {
            Run run = command(args);
            assertEquals(1, run.exit(), String.join(" ", args));
            assertTrue(run.err().contains("usage: access-log"), run.err());
            assertEquals("", run.out());
        }
    }
}
