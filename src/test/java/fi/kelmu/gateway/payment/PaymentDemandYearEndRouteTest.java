package fi.kelmu.gateway.payment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fi.kelmu.gateway.Gateway;
import fi.kelmu.gateway.audit.Database;
import fi.kelmu.gateway.identifier.Iban;
import fi.kelmu.gateway.registry.OrganisationType;
import fi.kelmu.gateway.support.TestGateway;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The scheduled year-end transfer (R-PAY-7, routes/payment-demand-year-end-transfer.camel.yaml): enabled, with its
 * time already past, it runs as the gateway starts, moves a municipality's demand that is still valid to the HVA of
 * the municipality with the HVA's account from 2023, leaves Helsinki's alone, and writes its report.
 */
class PaymentDemandYearEndRouteTest {

    private static final String ESPOO = "9000005-4";
    private static final String HELSINKI = "9000007-0";

    @Test
    void r_pay_7_theScheduledTransferMovesAMunicipalitysValidDemandToItsHvaAndLeavesHelsinki(@TempDir Path dir)
            throws Exception {
        String url = "jdbc:h2:file:" + dir.resolve("kelmu").toAbsolutePath() + ";LOCK_TIMEOUT=10000";
        Instant in2022 = Instant.parse("2022-11-15T10:00:00Z");
        String espoo;
        String helsinki;
        try (Database db = Database.open(url, "kelmu", "")) {
            JdbcPaymentDemands demands = new JdbcPaymentDemands(db.dataSource());
            espoo = demands.submit(ESPOO + ":m1", ESPOO, OrganisationType.KUNTA.name(), content("010180-9026"), in2022)
                    .demand().demandId();
            helsinki = demands.submit(HELSINKI + ":m2", HELSINKI, OrganisationType.HELSINKI.name(),
                    content("040506A935A"), in2022).demand().demandId();
        }
        Path reports = dir.resolve("reports");
        try (Gateway gateway = TestGateway.startSandbox(Map.of("kelmu.db.url", url,
                "kelmu.payment-demand.year-end-transfer.enabled", "true",
                "kelmu.payment-demand.year-end-transfer.at", "2023-01-01T00:30:00+02:00",
                "kelmu.payment-demand.year-end-transfer.report-dir", reports.toString()))) {
            long deadline = System.nanoTime() + 20_000_000_000L;
            while (reportFiles(reports).isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            assertEquals(1, reportFiles(reports).size(), "one report of the one run");
            assertTrue(gateway.paymentDemandServiceUrl().endsWith("/ws/PaymentDemandService"));
        }
        try (Database db = Database.open(url, "kelmu", "")) {
            JdbcPaymentDemands demands = new JdbcPaymentDemands(db.dataSource());
            PaymentDemand moved = demands.find(espoo).orElseThrow();
            assertEquals(OrganisationType.HVA, moved.demanderType());
            assertEquals(ESPOO, moved.transferredFrom());
            assertEquals(LocalDate.of(2023, 1, 1), moved.payeeAccountFrom());
            assertEquals(Iban.parse("FI21 1234 5600 0007 85"), moved.payeeAccountOn(LocalDate.of(2022, 12, 20)),
                    "put into payment in December 2022: still the municipality's account");
            PaymentDemand untouched = demands.find(helsinki).orElseThrow();
            assertEquals(HELSINKI, untouched.demanderId());
            assertEquals(null, untouched.transferredFrom());
        }
    }

    private static DemandContent content(String client) {
        return new DemandContent(client, "YLEINEN_ASUMISTUKI", LocalDate.of(2022, 11, 1), null,
                new DemandAmount.Sum(42909), LegalBasis.TOIMEENTULOTUKILAKI_23, Iban.parse("FI21 1234 5600 0007 85"),
                "DNRO-2022-1");
    }

    private static List<Path> reportFiles(Path dir) throws Exception {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().startsWith("year-end-transfer-")).toList();
        }
    }
}
