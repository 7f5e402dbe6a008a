package fi.kelmu.gateway.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import fi.kelmu.gateway.GatewaySettings;
import fi.kelmu.gateway.config.GatewayConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** kelmu.db.*: an H2 file by default in the sandbox, nothing assumed in production (issue 4 item 8). */
class DatabaseConfigTest {

    @BeforeAll
    static void noDatabaseInTheEnvironment() {
        assumeTrue(System.getenv("KELMU_DB_URL") == null && System.getProperty("kelmu.db.url") == null,
                "the machine configures a database");
    }

    @Test
    void sandboxDefaultsToAnH2FileUnderData() {
        GatewayConfig config = GatewayConfig.load(Map.of("kelmu.mode", "sandbox"));
        assertTrue(config.get("kelmu.db.url").startsWith("jdbc:h2:file:./data/"), config.get("kelmu.db.url"));
        assertEquals(4, config.integer("kelmu.db.pool-size"));
        assertEquals(2000, config.integer("kelmu.db.connect-timeout-ms"));
    }

    @Test
    void theDefaultH2OptionsWork(@TempDir Path dir) {
        String url = GatewayConfig.load(Map.of("kelmu.mode", "sandbox")).get("kelmu.db.url")
                .replace("./data/", dir.toAbsolutePath() + "/");
        try (Database database = Database.open(url, "kelmu", null)) {
            JdbcAccessLog log = new JdbcAccessLog(database.dataSource());
            log.append(AccessLogBehaviour.allowed(AccessLogBehaviour.ALICE, "u1", AccessLogBehaviour.T0));
            assertTrue(log.verify().ok());
        }
        assertTrue(Files.exists(dir.resolve("kelmu-gateway.mv.db")));
    }

    @Test
    void productionRequiresAnExplicitDatabaseUrl() {
        GatewayConfig config = GatewayConfig.load(Map.of("kelmu.mode", "production"));
        assertNull(config.get("kelmu.db.url"));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Database.open(GatewaySettings.database(config)));
        assertTrue(e.getMessage().contains("KELMU_DB_URL"), e.getMessage());
    }

    @Test
    void openFromConfigurationMigratesTheSchema(@TempDir Path dir) {
        GatewayConfig config = GatewayConfig.load(Map.of("kelmu.mode", "production",
                "kelmu.db.url", "jdbc:h2:file:" + dir.resolve("db") + ";DB_CLOSE_ON_EXIT=FALSE"));
        try (Database database = Database.open(GatewaySettings.database(config))) {
            JdbcAccessLog log = new JdbcAccessLog(database.dataSource());
            log.append(AccessLogBehaviour.allowed(AccessLogBehaviour.ALICE, "u1", AccessLogBehaviour.T0));
            assertTrue(log.verify().ok());
        }
        assertTrue(Files.exists(dir.resolve("db.mv.db")));
    }

    @Test
    void aDatabaseThatCannotBeReachedFailsTheStart() {
        GatewayConfig config = GatewayConfig.load(Map.of("kelmu.db.url", "jdbc:postgresql://127.0.0.1:1/kelmu",
                "kelmu.db.connect-timeout-ms", "250"));
        assertThrows(RuntimeException.class, () -> Database.open(GatewaySettings.database(config)));
    }
}
