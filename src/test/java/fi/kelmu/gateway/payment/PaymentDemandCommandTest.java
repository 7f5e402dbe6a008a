package fi.kelmu.gateway.payment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fi.kelmu.gateway.audit.Database;
import fi.kelmu.gateway.audit.DatabaseSettings;
import fi.kelmu.gateway.config.ResourceLocation;
import fi.kelmu.gateway.identifier.Iban;
import fi.kelmu.gateway.registry.MunicipalityReference;
import fi.kelmu.gateway.registry.OrganisationRegistry;
import fi.kelmu.gateway.registry.OrganisationType;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The operators' command {@code payment-demands year-end-transfer --report FILE [--year-end D]} (R-PAY-7, R-PAY-8,
 * docs/payment-demands.md "Year-end transfer"), run as the launcher runs it: an H2 database in a temporary folder,
 * the sandbox organisation registry, demands stored through {@link JdbcPaymentDemands} beforehand.
 */
class PaymentDemandCommandTest {

    static final String ESPOO = "9000005-4";
    static final String HELSINKI = "9000007-0";
    static final String LANSI_UUSIMAA = "9000001-1";
    static final String CLIENT = "010180-9026";
    static final String HELSINKI_CLIENT = "040506A935A";
    static final Iban ESPOO_ACCOUNT = Iban.parse("FI21 1234 5600 0007 85");
    static final Iban HELSINKI_ACCOUNT = Iban.parse("FI49 5000 9420 0287 30");
    static final Instant SUBMITTED = Instant.parse("2022-10-03T08:00:00Z");
    static final Clock RUN_AT = Clock.fixed(Instant.parse("2023-01-01T00:30:00Z"), ZoneOffset.UTC);

    @TempDir
    Path dir;

    DatabaseSettings settings;
    OrganisationRegistry registry;
    Iban hvaAccount;

    PaymentDemand open;
    PaymentDemand endsIn2023;
    PaymentDemand endedIn2022;
    PaymentDemand invalidated;
    PaymentDemand helsinki;

    @BeforeEach
    void storeDemands() {
        settings = new DatabaseSettings("jdbc:h2:file:" + dir.resolve("kelmu").toAbsolutePath()
                + ";LOCK_TIMEOUT=10000", "kelmu", "", 4, Duration.ofSeconds(10));
        registry = OrganisationRegistry.load(new ResourceLocation("classpath:registry/organisations-sandbox.xml"),
                MunicipalityReference.load());
        hvaAccount = registry.require(LANSI_UUSIMAA).paymentContact().orElseThrow().iban();
        try (Database db = Database.open(settings)) {
            JdbcPaymentDemands store = new JdbcPaymentDemands(db.dataSource());
            LocalDate start = LocalDate.of(2022, 6, 1);
            open = submit(store, ESPOO, OrganisationType.KUNTA, content(CLIENT, start, null, "100.00", ESPOO_ACCOUNT));
            endsIn2023 = submit(store, ESPOO, OrganisationType.KUNTA,
                    content(CLIENT, start, LocalDate.of(2023, 3, 31), null, ESPOO_ACCOUNT));
            endedIn2022 = submit(store, ESPOO, OrganisationType.KUNTA,
                    content(CLIENT, start, LocalDate.of(2022, 11, 30), "50.00", ESPOO_ACCOUNT));
            invalidated = submit(store, ESPOO, OrganisationType.KUNTA,
                    content(CLIENT, start, null, "60.00", ESPOO_ACCOUNT));
            store.invalidate(ESPOO + ":" + UUID.randomUUID(), ESPOO, invalidated.demandId(), "paid by the client",
                    SUBMITTED);
            helsinki = submit(store, HELSINKI, OrganisationType.HELSINKI,
                    content(HELSINKI_CLIENT, start, null, "70.00", HELSINKI_ACCOUNT));
        }
    }

    @Test
    void r_pay_7_theTransferMovesTheMunicipalitysValidDemandsToItsHvaAndReportsEachMasked() throws Exception {
        Path report = dir.resolve("report.csv");
        Output run = run("year-end-transfer", "--report", report.toString());

        assertEquals(0, run.status(), run.err());
        assertTrue(run.out().contains("2 demand(s) moved, 3 left"), run.out());

        try (Database db = Database.open(settings)) {
            JdbcPaymentDemands store = new JdbcPaymentDemands(db.dataSource());
            for (PaymentDemand before : List.of(open, endsIn2023)) {
                PaymentDemand after = store.find(before.demandId()).orElseThrow();
                assertEquals(LANSI_UUSIMAA, after.demanderId(), "the HVA is the demander now");
                assertEquals(OrganisationType.HVA, after.demanderType());
                assertEquals(ESPOO, after.transferredFrom());
                assertEquals(hvaAccount, after.content().payeeAccount(), "the HVA's contact account (R-PAY-8)");
                assertEquals(ESPOO_ACCOUNT, after.previousPayeeAccount());
                assertEquals(LocalDate.of(2023, 1, 1), after.payeeAccountFrom());
                assertEquals(ESPOO_ACCOUNT, after.payeeAccountOn(LocalDate.of(2022, 12, 31)),
                        "put into payment in December 2022: still the municipality's account");
                assertEquals(hvaAccount, after.payeeAccountOn(LocalDate.of(2023, 1, 1)));
                assertEquals(before.content().amount(), after.content().amount());
                assertEquals(before.content().periodEnd(), after.content().periodEnd());
            }
            assertEquals(endedIn2022, store.find(endedIn2022.demandId()).orElseThrow(), "ended in 2022: left");
            assertEquals(invalidated.demandId(), store.find(invalidated.demandId()).orElseThrow().demandId());
            assertEquals(ESPOO, store.find(invalidated.demandId()).orElseThrow().demanderId(), "invalidated: left");
            assertNull(store.find(invalidated.demandId()).orElseThrow().transferredFrom());
            assertEquals(helsinki, store.find(helsinki.demandId()).orElseThrow(), "Helsinki keeps its demands");
            assertEquals(List.of(), store.list(HELSINKI, CLIENT));
        }

        List<String> lines = Files.readAllLines(report, StandardCharsets.UTF_8);
        assertEquals("demand_id,outcome,demander,hva,previous_account,new_account,reason", lines.get(0));
        assertEquals(6, lines.size(), String.join("\n", lines));
        Map<String, String> byId = lines.stream().skip(1)
                .collect(Collectors.toMap(l -> l.substring(0, l.indexOf(',')), Function.identity()));
        assertTrue(byId.get(open.demandId()).startsWith(open.demandId() + ",MOVED," + ESPOO + "," + LANSI_UUSIMAA
                + ",****0785,****0001,"), byId.get(open.demandId()));
        assertTrue(byId.get(endsIn2023.demandId()).contains(",MOVED,"), byId.get(endsIn2023.demandId()));
        assertTrue(byId.get(endedIn2022.demandId()).contains(",LEFT,"), byId.get(endedIn2022.demandId()));
        assertTrue(byId.get(endedIn2022.demandId()).contains("ended 2022-11-30"), byId.get(endedIn2022.demandId()));
        assertTrue(byId.get(invalidated.demandId()).contains(",LEFT,"), byId.get(invalidated.demandId()));
        assertTrue(byId.get(invalidated.demandId()).contains("invalidated"), byId.get(invalidated.demandId()));
        assertTrue(byId.get(helsinki.demandId()).contains(",LEFT,"), byId.get(helsinki.demandId()));
        assertTrue(byId.get(helsinki.demandId()).contains("Helsinki"), byId.get(helsinki.demandId()));
        String csv = String.join("\n", lines);
        for (Iban account : List.of(ESPOO_ACCOUNT, HELSINKI_ACCOUNT, hvaAccount)) {
            assertFalse(csv.contains(account.value()), "a whole account in the report: " + csv);
            assertFalse(csv.contains(account.value().substring(4, 12)), "an account's digits in the report: " + csv);
        }
        assertFalse(csv.contains(CLIENT) || csv.contains(HELSINKI_CLIENT), "no client in the report: " + csv);
    }

    @Test
    void r_pay_7_aSecondRunMovesNothing() throws Exception {
        assertEquals(0, run("year-end-transfer", "--report", dir.resolve("first.csv").toString()).status());
        PaymentDemand movedOnce;
        try (Database db = Database.open(settings)) {
            movedOnce = new JdbcPaymentDemands(db.dataSource()).find(open.demandId()).orElseThrow();
        }

        Path second = dir.resolve("second.csv");
        Output run = run("year-end-transfer", "--report", second.toString(), "--year-end", "2022-12-31");

        assertEquals(0, run.status(), run.err());
        assertTrue(run.out().contains("0 demand(s) moved, 5 left"), run.out());
        List<String> lines = Files.readAllLines(second, StandardCharsets.UTF_8);
        assertEquals(6, lines.size());
        assertTrue(lines.stream().skip(1).allMatch(l -> l.contains(",LEFT,")), String.join("\n", lines));
        assertTrue(lines.stream().anyMatch(l -> l.startsWith(open.demandId()) && l.contains("already moved")),
                String.join("\n", lines));
        try (Database db = Database.open(settings)) {
            assertEquals(movedOnce, new JdbcPaymentDemands(db.dataSource()).find(open.demandId()).orElseThrow(),
                    "unchanged by the second run (no new version, no new command)");
        }
    }

    @Test
    void usageErrorsExitWithOne() {
        List<String[]> wrong = List.of(
                new String[] {},
                new String[] {"transfer", "--report", "x.csv"},
                new String[] {"year-end-transfer"},
                new String[] {"year-end-transfer", "--report"},
                new String[] {"year-end-transfer", "--year-end", "2022-12-31"},
                new String[] {"year-end-transfer", "--report", "x.csv", "--force", "yes"},
                new String[] {"year-end-transfer", "--report", "x.csv", "--year-end", "31.12.2022"});
        for (String[] args : wrong) {
            Output run = run(args);
            assertEquals(1, run.status(), String.join(" ", args) + ": " + run.err());
            assertTrue(run.err().contains("payment-demands"), run.err());
            assertEquals("", run.out());
        }
        assertFalse(Files.exists(Path.of("x.csv")), "no report written by a usage error");
    }

    @Test
    void aRegistryThatCannotBeLoadedExitsWithTwoAndMovesNothing() throws Exception {
        Output run = run(() -> {
            throw new IllegalStateException("registry file missing");
        }, "year-end-transfer", "--report", dir.resolve("r.csv").toString());
        assertEquals(2, run.status(), run.err());
        assertTrue(run.err().contains("registry file missing"), run.err());
        try (Database db = Database.open(settings)) {
            assertEquals(ESPOO, new JdbcPaymentDemands(db.dataSource()).find(open.demandId()).orElseThrow()
                    .demanderId());
        }
    }

    // --- helpers

    static DemandContent content(String client, LocalDate start, LocalDate end, String euros, Iban account) {
        return new DemandContent(client, "YLEINEN_ASUMISTUKI", start, end,
                euros == null ? DemandAmount.WHOLE_BENEFIT : DemandAmount.euros(new BigDecimal(euros)),
                LegalBasis.TOIMEENTULOTUKILAKI_23, account, "DNRO-2022-0815");
    }

    static PaymentDemand submit(JdbcPaymentDemands store, String demander, OrganisationType type,
            DemandContent content) {
        return store.submit(demander + ":" + UUID.randomUUID(), demander, type.name(), content, SUBMITTED).demand();
    }

    Output run(String... args) {
        return run(() -> registry, args);
    }

    /** Runs the command as the launcher does, with this test's database and the registry given. */
    Output run(Supplier<OrganisationRegistry> registrySupplier, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = new PaymentDemandCommand().run(args, () -> settings, registrySupplier, RUN_AT,
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Output(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    record Output(int status, String out, String err) {
    }
}
