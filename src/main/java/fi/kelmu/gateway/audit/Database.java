package fi.kelmu.gateway.audit;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Locale;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway's database (docs/access-log.md): a connection pool, and the schema brought up to date by
 * Flyway before anything uses it. H2 (a file, the sandbox default) and PostgreSQL (production) run the
 * same migrations from {@code db/migration/common}, plus their own {@code db/migration/h2} or
 * {@code db/migration/postgresql} for what SQL cannot say the same way (the append-only triggers).
 * Opening fails fast: a gateway that cannot keep its access log must not start.
 */
public final class Database implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Database.class);

    static final int DEFAULT_POOL_SIZE = 4;
    static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(2);
    /** The system property H2 reads, once, for the interface of the server AUTO_SERVER starts. */
    static final String H2_BIND_ADDRESS = "h2.bindAddress";

    static {
        // the H2 server that AUTO_SERVER starts (so that the access-log command can read the file while the gateway
        // runs) listens on loopback only, unless the operator chose otherwise; H2 reads the property once, so before
        // its first connection, which every H2 connection of the gateway makes through this class
        if (System.getProperty(H2_BIND_ADDRESS) == null) {
            System.setProperty(H2_BIND_ADDRESS, "127.0.0.1");
        }
    }

    private final HikariDataSource pool;

    private Database(HikariDataSource pool) {
        this.pool = pool;
    }

    public static Database open(DatabaseSettings settings) {
        return open(settings.url(), settings.user(), settings.password(), settings.poolSize(), settings.connectTimeout());
    }

    public static Database open(String url, String user, String password) {
        return open(url, user, password, DEFAULT_POOL_SIZE, DEFAULT_CONNECT_TIMEOUT);
    }

    public static Database open(String url, String user, String password, int poolSize, Duration connectTimeout) {
        if (poolSize < 1) {
            throw new IllegalStateException("kelmu.db.pool-size must be at least 1: " + poolSize);
        }
        HikariConfig hikari = new HikariConfig();
        hikari.setPoolName("kelmu-db");
        hikari.setJdbcUrl(withH2Defaults(url));
        hikari.setUsername(user);
        hikari.setPassword(password == null ? "" : password);
        hikari.setMaximumPoolSize(poolSize);
        hikari.setMinimumIdle(1);
        // Hikari's floor is 250 ms; the same budget bounds waiting for a free connection, so a database
        // that has gone away turns into Server.AccessLogUnavailable within it instead of a hung request
        hikari.setConnectionTimeout(Math.max(250, connectTimeout.toMillis()));
        HikariDataSource pool = new HikariDataSource(hikari);
        try {
            migrate(pool);
            return new Database(pool);
        } catch (RuntimeException e) {
            pool.close();
            throw e;
        }
    }

    /**
     * An H2 URL without its own {@code TRACE_LEVEL_FILE} gets {@code TRACE_LEVEL_FILE=0}: H2's trace file repeats every
     * failure the gateway logs itself (a database that cannot be written filled it at 1 MB a second); any other URL
     * is returned as it is.
     */
    static String withH2Defaults(String url) {
        if (url == null || !url.startsWith("jdbc:h2:")
                || url.toUpperCase(Locale.ROOT).contains(";TRACE_LEVEL_FILE=")) {
            return url;
        }
        return url + ";TRACE_LEVEL_FILE=0";
    }

    public DataSource dataSource() {
        return pool;
    }

    /**
     * Replaces the pool's connections once they are returned: after a failure they may belong to a database that
     * has gone (an H2 database closes itself after a write error), and new ones reopen it when it is back.
     */
    public void evictConnections() {
        if (pool.getHikariPoolMXBean() != null) {
            pool.getHikariPoolMXBean().softEvictConnections();
        }
    }

    @Override
    public void close() {
        pool.close();
    }

    /**
     * Closes the pool as the process whose database this is (the gateway, not a command that reaches the gateway's
     * H2 file through its {@code AUTO_SERVER}): an H2 database is shut down first, so that its file is written, its
     * lock file and its server's port are released before the JVM ends. Without it the lock file was often left
     * behind on a stop, and the next start waited about 3.5 s for H2 to decide that the lock was stale.
     */
    public void closeAsOwner() {
        boolean shutDown = false;
        try (Connection c = pool.getConnection()) {
            if (CommitDurability.of(c) == CommitDurability.H2) {
                try (Statement s = c.createStatement()) {
                    s.execute("SHUTDOWN");
                    shutDown = true;
                }
            }
        } catch (SQLException e) {
            if (!shutDown) { // once shut down, closing the statement and connection may only say it is closed
                LOG.warn("the H2 database could not be shut down before its pool was closed: {}", e.getMessage());
            }
        } finally {
            pool.close();
        }
    }

    private static void migrate(DataSource dataSource) {
        String vendor = vendor(dataSource);
        MigrateResult result = Flyway.configure()
                .dataSource(dataSource)
                .locations("classpath:db/migration/common", "classpath:db/migration/" + vendor)
                .load()
                .migrate();
        LOG.info("database ({}) schema at version {}, {} migration(s) applied now", vendor,
                result.targetSchemaVersion != null ? result.targetSchemaVersion : result.initialSchemaVersion,
                result.migrationsExecuted);
    }

    private static String vendor(DataSource dataSource) {
        String product;
        try (Connection c = dataSource.getConnection()) {
            product = c.getMetaData().getDatabaseProductName();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot reach the database: " + e.getMessage(), e);
        }
        String vendor = product.toLowerCase(Locale.ROOT);
        if (!vendor.equals("h2") && !vendor.equals("postgresql")) {
            throw new IllegalStateException("unsupported database " + product + "; use H2 or PostgreSQL");
        }
        return vendor;
    }
}
