package fi.kelmu.gateway.identity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fi.kelmu.gateway.audit.Database;
import fi.kelmu.gateway.fault.FaultCode;
import fi.kelmu.gateway.fault.GatewayException;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The database-backed replay cache on PostgreSQL, as in production: one embedded server, a database per test. */
class JdbcReplayCachePostgresTest extends JdbcReplayCacheBehaviour {

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
        String name = "replay_cache_" + DATABASES.incrementAndGet();
        try (Connection c = postgres.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        }
        return new Target("jdbc:postgresql://localhost:" + postgres.getPort() + "/" + name, "postgres", null);
    }

    @Test
    void aCheckFailsClosedWhenPostgresStops() throws IOException {
        EmbeddedPostgres own = EmbeddedPostgres.builder().start();
        try (Database db = Database.open(own.getJdbcUrl("postgres", "postgres"), "postgres", null, 2,
                Duration.ofMillis(500))) {
            JdbcReplayCache ownCache = new JdbcReplayCache(db.dataSource(), clock);
            assertTrue(ownCache.firstSeen("k", T0.plusSeconds(60)));
            own.close();
            GatewayException e = assertThrows(GatewayException.class,
                    () -> ownCache.firstSeen("k2", T0.plusSeconds(60)));
            assertEquals(FaultCode.REPLAY_CHECK_UNAVAILABLE, e.faultCode());
        } finally {
            own.close();
        }
    }
}
