package fi.kelmu.gateway.payment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fi.kelmu.gateway.registry.OrganisationType;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The payment-demand store on H2, the sandbox default: a file database in a temporary folder. */
class PaymentDemandStoreH2Test extends PaymentDemandStoreBehaviour {

    private static final Pattern SCAN_COUNT = Pattern.compile("scanCount: (\\d+)");

    @TempDir
    Path dir;

    @Override
    Target freshDatabase() {
        return new Target("jdbc:h2:file:" + dir.resolve("kelmu-gateway") + ";DB_CLOSE_ON_EXIT=FALSE;LOCK_TIMEOUT=10000",
                "kelmu", "");
    }

    /**
     * The outbox's claim reads the pending commands in claim order and stops after a few due ones, so each claim of a
     * backlog costs the same however long the backlog is. Over the index by due time, and locked in one query, it read
     * every due command for every claim: draining a backlog of n cost n squared (docs/benchmark.md, run 29).
     */
    @Test
    void theOutboxClaimReadsAFewPendingCommandsNotTheWholeBacklog() throws SQLException {
        for (int i = 0; i < 300; i++) {
            submit(ESPOO, OrganisationType.KUNTA, content("1.00"));
        }
        try (Connection c = database.dataSource().getConnection();
                PreparedStatement explain = c.prepareStatement("EXPLAIN ANALYZE "
                        + JdbcPaymentDemands.CLAIM_CANDIDATES_QUERY)) {
            explain.setObject(1, JdbcPaymentDemands.utc(T0.plus(Duration.ofDays(1))));
            try (ResultSet plan = explain.executeQuery()) {
                assertTrue(plan.next());
                Matcher rowsRead = SCAN_COUNT.matcher(plan.getString(1));
                assertTrue(rowsRead.find(), plan.getString(1));
                assertTrue(Integer.parseInt(rowsRead.group(1)) <= JdbcPaymentDemands.CLAIM_CANDIDATES + 1,
                        plan.getString(1));
            }
        }
        // and the backlog is still delivered whole, each command once
        int delivered = store.deliverDue(1000, T0.plus(Duration.ofDays(1)),
                command -> new DeliveryOutcome.Acknowledged(KelaStatus.REGISTERED, null));
        assertEquals(300, delivered);
        assertEquals(0, store.deliverDue(1000, T0.plus(Duration.ofDays(1)),
                command -> new DeliveryOutcome.Acknowledged(KelaStatus.REGISTERED, null)));
    }
}
