package fi.kelmu.gateway.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fi.kelmu.gateway.fault.FaultCode;
import fi.kelmu.gateway.fault.GatewayException;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The access log on PostgreSQL, as in production: one embedded server per class, a new database per test. */
class AccessLogPostgresTest extends AccessLogBehaviour {

    private static final AtomicInteger DATABASES = new AtomicInteger();
    private static EmbeddedPostgres postgres;

    @BeforeAll
    static void startPostgres() throws IOException {
        postgres = EmbeddedPostgres.builder().start();
    }

    @AfterAll
    static void stopPostgres() throws IOException {
        postgres.close();
    }

    @Override
    Target freshDatabase() throws SQLException {
        String name = "access_log_" + DATABASES.incrementAndGet();
        try (Connection c = postgres.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        }
        return new Target("jdbc:postgresql://localhost:" + postgres.getPort() + "/" + name, "postgres", null);
    }

    @Override
    void bypassAppendOnly(Statement sql) throws SQLException {
        sql.execute("ALTER TABLE access_log DISABLE TRIGGER access_log_append_only");
    }

    @Test
    void truncateIsRefusedByTheDatabase() {
        appendFour();
        assertThrows(SQLException.class, () -> sql("TRUNCATE TABLE access_log"));
        assertThrows(SQLException.class, () -> sql("TRUNCATE TABLE access_log_head"));
        assertEquals(4, log.find(AccessLogQuery.all()).size());
        checkpoints.writeIfMoved();
        assertThrows(SQLException.class, () -> sql("TRUNCATE TABLE access_log_checkpoint"));
        assertEquals(4, store.latestSequence());
    }

    /** The README's production set-up: the gateway's own user cannot get past the append-only rule. */
    @Test
    void gatewayUserWithoutOwnershipAppendsButCannotDisableTheTrigger() throws SQLException {
        String user = "gateway_" + DATABASES.incrementAndGet();
        sql("CREATE ROLE " + user + " LOGIN",
                "GRANT SELECT, INSERT ON access_log TO " + user,
                "GRANT SELECT, UPDATE ON access_log_head TO " + user,
                "GRANT SELECT, INSERT ON access_log_checkpoint TO " + user,
                "GRANT SELECT ON flyway_schema_history TO " + user);
        try (Database restricted = Database.open(target.url(), user, null)) {
            JdbcAccessLog restrictedLog = new JdbcAccessLog(restricted.dataSource());
            restrictedLog.append(allowed(ALICE, "u1", T0));
            JdbcCheckpointStore restrictedStore = new JdbcCheckpointStore(restricted.dataSource());
            assertTrue(new Checkpoints(restrictedStore, GATEWAY_KEY.getPrivate(), GATEWAY_CERTIFICATE,
                    Clock.systemUTC()).writeIfMoved().isPresent(), "the gateway's user writes checkpoints");
            try (Connection c = restricted.dataSource().getConnection(); Statement s = c.createStatement()) {
                assertThrows(SQLException.class,
                        () -> s.execute("ALTER TABLE access_log DISABLE TRIGGER access_log_append_only"));
                assertThrows(SQLException.class, () -> s.execute("DELETE FROM access_log"));
                assertThrows(SQLException.class, () -> s.execute(
                        "ALTER TABLE access_log_checkpoint DISABLE TRIGGER access_log_checkpoint_append_only"));
                assertThrows(SQLException.class, () -> s.execute("DELETE FROM access_log_checkpoint"));
            }
            assertEquals(1, restrictedLog.verify().recordsChecked());
            assertTrue(AccessLogVerification.verify(restrictedLog, restrictedStore, List.of(GATEWAY_CERTIFICATE),
                    List.of()).ok());
        }
    }

    @Test
    void appendFailsWithAccessLogUnavailableWhenPostgresStops() throws IOException {
        EmbeddedPostgres own = EmbeddedPostgres.builder().start();
        try (Database db = Database.open(own.getJdbcUrl("postgres", "postgres"), "postgres", null, 2,
                Duration.ofMillis(500))) {
            JdbcAccessLog ownLog = new JdbcAccessLog(db.dataSource());
            ownLog.append(allowed(ALICE, "u1", T0));
            own.close();
            GatewayException e = assertThrows(GatewayException.class, () -> ownLog.append(allowed(ALICE, "u1", T0)));
            assertEquals(FaultCode.ACCESS_LOG_UNAVAILABLE, e.faultCode());
        } finally {
            own.close();
        }
    }
}
