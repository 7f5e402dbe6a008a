package fi.kelmu.gateway.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fi.kelmu.gateway.fault.GatewayException;
import fi.kelmu.gateway.identity.JdbcReplayCache;
import fi.kelmu.gateway.identity.ReplayClaim;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link AccessJournal}: the records a database lost in a crash are written back from the journal exactly as they
 * were chained (docs/access-log.md, "Durability"). The loss is made by two databases: one got every record, the
 * other lost the newest, as H2 does when the process dies before its store is written.
 */
class AccessJournalTest {

    private static final Instant T0 = Instant.parse("2026-11-02T08:00:00Z");

    @TempDir
    Path dir;

    @Test
    void theRecordsTheDatabaseLostAreWrittenBackAsTheyWereChained() {
        List<AccessRecord> records = List.of(
                AccessLogBehaviour.allowed("010180-9026", "u1", T0),
                AccessLogBehaviour.allowed("010180-9026", "u2", T0.plusSeconds(1)),
                AccessLogBehaviour.refused("040506A935A", "u3", T0.plusSeconds(2)),
                AccessLogBehaviour.allowed("010180-9026", "u4", T0.plusSeconds(3)));
        try (Database survived = open("survived"); Database lost = open("lost")) {
            JdbcAccessLog complete = new JdbcAccessLog(survived.dataSource());
            List<StoredAccessRecord> journaled = complete.appendAll(records, false, false);
            AccessJournal journal = new AccessJournal(dir.resolve("journal.txt"));
            journal.append(journaled);

            JdbcAccessLog afterCrash = new JdbcAccessLog(lost.dataSource());
            afterCrash.appendAll(records.subList(0, 2), false); // the database kept only the first two
            journal.recover(afterCrash);

            assertEquals(journaled, afterCrash.find(AccessLogQuery.all()), "the same records, numbers and hashes");
            assertTrue(afterCrash.verify().ok());
            assertEquals(List.of(), journal.read().records(), "emptied once the database holds them");
        }
    }

    /** Issue 10 item 5: the replay claims H2 lost in a crash are written back with the records. */
    @Test
    void theReplayClaimsTheDatabaseLostAreWrittenBack() {
        ReplayClaim claim = new ReplayClaim("e".repeat(64), T0.plusSeconds(600));
        try (Database survived = open("survived"); Database lost = open("lost")) {
            List<StoredAccessRecord> journaled = new JdbcAccessLog(survived.dataSource()).appendAll(
                    List.of(AccessLogBehaviour.allowed("010180-9026", "u1", T0)), List.of(claim), false);
            AccessJournal journal = new AccessJournal(dir.resolve("journal.txt"));
            journal.append(journaled, List.of(claim));

            JdbcAccessLog afterCrash = new JdbcAccessLog(lost.dataSource());
            journal.recover(afterCrash);

            assertEquals(List.of(claim), JdbcReplayCache.unexpired(lost.dataSource(), Clock.fixed(T0, ZoneOffset.UTC)));
            assertEquals(journaled, afterCrash.find(AccessLogQuery.all()));
            assertEquals(List.of(), journal.read().claims(), "emptied once the database holds them");
        }
    }

    @Test
    void aJournalThatDoesNotContinueTheLogIsRefusedAndNothingIsWritten() {
        try (Database other = open("other"); Database target = open("target")) {
            List<StoredAccessRecord> foreign = new JdbcAccessLog(other.dataSource()).appendAll(List.of(
                    AccessLogBehaviour.allowed("010180-9026", "x1", T0),
                    AccessLogBehaviour.allowed("010180-9026", "x2", T0.plusSeconds(1))), false);
            JdbcAccessLog log = new JdbcAccessLog(target.dataSource());
            log.append(AccessLogBehaviour.allowed("010180-9026", "own", T0));
            AccessJournal journal = new AccessJournal(dir.resolve("journal.txt"));
            journal.append(foreign);
            assertThrows(GatewayException.class, () -> journal.recover(log));
            assertEquals(1, log.find(AccessLogQuery.all()).size());
        }
    }

    /** H2 serves one gateway: a second one on the same journal would restore and reset the first one's records. */
    @Test
    void aJournalInUseByAnotherGatewayIsRefused() {
        try (Database db = open("shared")) {
            JdbcAccessLog log = new JdbcAccessLog(db.dataSource());
            AccessJournal first = new AccessJournal(dir.resolve("journal.txt"));
            first.recover(log);
            AccessJournal second = new AccessJournal(dir.resolve("journal.txt"));
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> second.recover(log));
            assertTrue(e.getMessage().contains("in use by another gateway"), e.getMessage());
            first.close();
            second.recover(log);
            second.close();
        }
    }

    @Test
    void aLineCutShortByACrashIsLeftOut() throws Exception {
        try (Database db = open("cut")) {
            List<StoredAccessRecord> stored = new JdbcAccessLog(db.dataSource()).appendAll(List.of(
                    AccessLogBehaviour.allowed("010180-9026", "u1", T0)), false);
            AccessJournal journal = new AccessJournal(dir.resolve("journal.txt"));
            journal.append(stored);
            Files.writeString(dir.resolve("journal.txt"), "j1\t2\tcut", StandardOpenOption.APPEND);
            assertEquals(stored, journal.read().records());
        }
    }

    private Database open(String name) {
        return Database.open("jdbc:h2:file:" + dir.resolve(name) + ";LOCK_TIMEOUT=10000", "kelmu", "");
    }
}
