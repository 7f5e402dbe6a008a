package fi.kelmu.gateway.payment;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The payment-demand store on PostgreSQL, as in production: one embedded server, a database per test. Two pools on
 * one database are two gateways sharing it (the outbox's SKIP LOCKED).
 */
class PaymentDemandStorePostgresTest extends PaymentDemandStoreBehaviour {

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
        String name = "payment_demands_" + DATABASES.incrementAndGet();
        try (Connection c = postgres.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        }
        return new Target("jdbc:postgresql://localhost:" + postgres.getPort() + "/" + name, "postgres", null);
    }
}
