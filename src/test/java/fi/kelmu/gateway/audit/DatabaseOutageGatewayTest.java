package fi.kelmu.gateway.audit;

import static fi.kelmu.gateway.support.TestData.HVA;
import static fi.kelmu.gateway.support.TestData.LIVES_IN_HANKO;
import static fi.kelmu.gateway.support.TestData.MUUT_ETUUDET;
import static fi.kelmu.gateway.support.TestData.REVOKED_USER;
import static fi.kelmu.gateway.support.TestData.USER;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fi.kelmu.gateway.Gateway;
import fi.kelmu.gateway.fault.FaultCode;
import fi.kelmu.gateway.support.BenefitRequests;
import fi.kelmu.gateway.support.SoapHttp;
import fi.kelmu.gateway.support.TcpProxy;
import fi.kelmu.gateway.support.TestGateway;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.HashSet;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The database goes away under a running gateway and comes back (issue 10 items 3 and 4, docs/access-log.md
 * "When the database is down"): a real PostgreSQL behind a TCP proxy the test cuts. While it is away no request
 * gets data, and the refusals are spooled; when it is back the gateway serves again within seconds without a
 * restart, and the spooled refusals are in the log, in the order they happened, before what came after.
 */
class DatabaseOutageGatewayTest {

    private static final int LOAD_CLIENTS = 3;

    private static EmbeddedPostgres postgres;
    private static TcpProxy proxy;
    private static Gateway gateway;
    private static Path spool;

    @BeforeAll
    static void start() throws Exception {
        postgres = EmbeddedPostgres.builder().start();
        proxy = new TcpProxy(postgres.getPort());
        spool = Files.createTempDirectory("kelmu-outage").resolve("spool.txt");
        gateway = TestGateway.startSandbox(Map.of(
                "kelmu.db.url", "jdbc:postgresql://localhost:" + proxy.port() + "/postgres",
                "kelmu.db.user", "postgres",
                "kelmu.db.connect-timeout-ms", "500",
                // the access log alone: with the replay cache in the same database every request would be refused
                // at the replay check while it is away (ReplayAcrossRestartsAndReplicasTest)
                "kelmu.replay-cache.store", "memory",
                "kelmu.access-log.max-wait-ms", "3000",
                "kelmu.access-log.spool-file", spool.toString()));
    }

    @AfterAll
    static void stop() throws Exception {
        if (gateway != null) {
            gateway.close();
        }
        if (proxy != null) {
            proxy.close();
        }
        if (postgres != null) {
            postgres.close();
        }
    }

    @Test
    void noDataWhileTheDatabaseIsAwayRefusalsSpooledAndServiceBackWithinSecondsWithoutARestart() throws Exception {
        SoapHttp.Response before = send(USER);
        assertEquals(200, before.status(), before.bodyText());
        // concurrent load through the whole outage: every answer with data it gets must have its record
        Set<String> answeredWithData = ConcurrentHashMap.newKeySet();
        AtomicBoolean stopLoad = new AtomicBoolean();
        ExecutorService load = Executors.newFixedThreadPool(LOAD_CLIENTS);
        for (int i = 0; i < LOAD_CLIENTS; i++) {
            load.submit(() -> {
                while (!stopLoad.get()) {
                    SoapHttp.Response response = send(USER);
                    if (response.status() == 200 && response.bodyText().contains(LIVES_IN_HANKO)) {
                        answeredWithData.add(response.correlationId());
                    }
                }
                return null;
            });
        }
        Thread.sleep(500);

        proxy.cut();
        SoapHttp.Response during = send(USER);
        assertEquals(500, during.status());
        assertEquals("soap:Server.AccessLogUnavailable", during.faultCode().strip());
        assertFalse(during.bodyText().contains(LIVES_IN_HANKO), "no client data without a record");
        List<String> refusals = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            SoapHttp.Response refused = send(REVOKED_USER);
            assertEquals("soap:Client.MandateMissing", refused.faultCode().strip());
            refusals.add(refused.correlationId());
        }
        assertTrue(Files.size(spool) > 0, "the refusals wait in the spool");

        proxy.restore();
        long restored = System.nanoTime();
        SoapHttp.Response after = send(USER);
        while (after.status() != 200 && System.nanoTime() - restored < Duration.ofSeconds(15).toNanos()) {
            Thread.sleep(200);
            after = send(USER);
        }
        assertEquals(200, after.status(), after.bodyText());
        Duration back = Duration.ofNanos(System.nanoTime() - restored);
        assertTrue(back.toSeconds() < 10, "serving again " + back.toMillis() + " ms after the database came back");
        Thread.sleep(500);
        stopLoad.set(true);
        load.shutdown();
        assertTrue(load.awaitTermination(30, TimeUnit.SECONDS));

        try (Database db = Database.open(postgres.getJdbcUrl("postgres", "postgres"), "postgres", "")) {
            JdbcAccessLog log = new JdbcAccessLog(db.dataSource());
            List<String> inOrder = log.find(AccessLogQuery.all().withLimit(1_000_000)).stream()
                    .map(s -> s.record().correlationId()).toList();
            List<String> expected = new ArrayList<>();
            expected.add(before.correlationId());
            expected.addAll(refusals);
            expected.add(after.correlationId());
            assertEquals(expected, inOrder.stream().filter(expected::contains).toList(),
                    "the refusals, written when the database was back, in their order, before the next answer");
            assertFalse(inOrder.contains(during.correlationId()) && Objects.equals(during.status(), 200));
            assertTrue(log.verify().ok());
            Set<String> recorded = new HashSet<>(inOrder);
            assertEquals(Set.of(), answeredWithData.stream().filter(id -> !recorded.contains(id))
                    .collect(Collectors.toSet()), answeredWithData.size() + " answers with data under load");
        }
        assertFalse(Files.exists(spool) && Files.size(spool) > 0, "the spool is empty again");
    }

    @Test
    void withTheReplayCacheInTheDatabaseTooEveryRequestIsRefusedAndEachRefusalIsRecordedWhenItIsBack()
            throws Exception {
        Path ownSpool = Files.createTempDirectory("kelmu-outage-replay").resolve("spool.txt");
        try (Gateway replayInDatabase = TestGateway.startSandbox(Map.of(
                "kelmu.db.url", "jdbc:postgresql://localhost:" + proxy.port() + "/postgres",
                "kelmu.db.user", "postgres",
                "kelmu.db.connect-timeout-ms", "500",
                "kelmu.access-log.max-wait-ms", "3000",
                "kelmu.replay-cache.store", "database",
                "kelmu.access-log.spool-file", ownSpool.toString()))) {
            proxy.cut();
            List<String> refused = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                SoapHttp.Response response = SoapHttp.post(replayInDatabase.serviceUrl(), BenefitRequests.signed(
                        BenefitRequests.benefitData(HVA, USER, LIVES_IN_HANKO, MUUT_ETUUDET)), null);
                assertEquals("soap:Server.ReplayCheckUnavailable", response.faultCode().strip());
                refused.add(response.correlationId());
            }
            proxy.restore();
            long restored = System.nanoTime();
            SoapHttp.Response after;
            do {
                Thread.sleep(200);
                after = SoapHttp.post(replayInDatabase.serviceUrl(), BenefitRequests.signed(
                        BenefitRequests.benefitData(HVA, USER, LIVES_IN_HANKO, MUUT_ETUUDET)), null);
            } while (after.status() != 200 && System.nanoTime() - restored < Duration.ofSeconds(15).toNanos());
            assertEquals(200, after.status(), after.bodyText());

            try (Database db = Database.open(postgres.getJdbcUrl("postgres", "postgres"), "postgres", "")) {
                List<AccessRecord> records = new JdbcAccessLog(db.dataSource()).find(AccessLogQuery.all()
                        .withLimit(1000)).stream().map(StoredAccessRecord::record)
                        .filter(r -> refused.contains(r.correlationId())).toList();
                assertEquals(refused, records.stream().map(AccessRecord::correlationId).toList(),
                        "both refusals before the routes, spooled and written in order");
                assertTrue(records.stream().allMatch(r -> r.faultCode() == FaultCode.REPLAY_CHECK_UNAVAILABLE
                        && LIVES_IN_HANKO.equals(r.personId())));
            }
        } finally {
            proxy.restore();
        }
    }

    private static SoapHttp.Response send(String user) {
        return SoapHttp.post(gateway.serviceUrl(), BenefitRequests.signed(
                BenefitRequests.benefitData(HVA, user, LIVES_IN_HANKO, MUUT_ETUUDET)), null);
    }
}
