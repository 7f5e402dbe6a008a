package fi.kelmu.gateway.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The access log on H2, the sandbox default: a file database in a temporary folder. */
class AccessLogH2Test extends AccessLogBehaviour {

    @TempDir
    Path dir;

    @Override
    Target freshDatabase() {
        return new Target("jdbc:h2:file:" + dir.resolve("kelmu-gateway") + ";DB_CLOSE_ON_EXIT=FALSE;LOCK_TIMEOUT=10000",
                "kelmu", "");
    }

    @Override
    void bypassAppendOnly(Statement sql) throws SQLException {
        sql.execute("DROP TRIGGER access_log_append_only");
    }

    /** H2 has no TRUNCATE trigger; the chain head still shows the records are gone. */
    @Test
    void truncatedLogIsDetected() throws SQLException {
        appendFour();
        sql("TRUNCATE TABLE access_log");
        ChainVerification result = log.verify();
        assertFalse(result.ok());
        assertEquals(1L, result.firstBrokenSequence());
        assertEquals(4, result.headSequence());
    }

    /** Truncating records and head alike leaves an empty chain that looks intact; the checkpoint does not. */
    @Test
    void truncatedLogAndHeadAreDetectedByTheCheckpoint() throws SQLException {
        appendFour();
        checkpoints.writeIfMoved();
        sql("TRUNCATE TABLE access_log",
                "UPDATE access_log_head SET last_seq = 0, last_hash = '" + AccessRecordHash.GENESIS + "'");
        assertTrue(log.verify().ok(), "the chain alone cannot tell");
        ChainVerification result = verifyAll();
        assertFalse(result.ok());
        assertEquals(1L, result.firstBrokenSequence());
        assertTrue(result.problem().contains("names record 4 but the chain ends at record 0"), result.problem());
    }
}
