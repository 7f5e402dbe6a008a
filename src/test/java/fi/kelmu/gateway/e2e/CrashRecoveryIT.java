package fi.kelmu.gateway.e2e;

import static fi.kelmu.gateway.support.TestData.HVA;
import static fi.kelmu.gateway.support.TestData.LIVES_IN_HANKO;
import static fi.kelmu.gateway.support.TestData.MUUT_ETUUDET;
import static fi.kelmu.gateway.support.TestData.USER;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fi.kelmu.gateway.audit.AccessLogQuery;
import fi.kelmu.gateway.audit.AccessOutcome;
import fi.kelmu.gateway.audit.ChainVerification;
import fi.kelmu.gateway.audit.Database;
import fi.kelmu.gateway.audit.JdbcAccessLog;
import fi.kelmu.gateway.audit.JdbcCheckpointStore;
import fi.kelmu.gateway.audit.StoredAccessRecord;
import fi.kelmu.gateway.sandbox.SandboxPki;
import fi.kelmu.gateway.security.MessageSigner;
import fi.kelmu.gateway.security.SecurityMaterial;
import fi.kelmu.gateway.support.BenefitRequests;
import fi.kelmu.gateway.support.FreePort;
import fi.kelmu.gateway.support.PackagedJar;
import fi.kelmu.gateway.support.Signing;
import fi.kelmu.gateway.transport.InboundChain;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * "No answer without a durable record" under a crash (issue 10, docs/access-log.md "Durability"): the packaged
 * jar under concurrent signed load is killed with SIGKILL; after a restart on the same database every answer the
 * load client received with client data has its access-log record, the chain verifies, and the requests answered
 * last before the kill are refused as replays (issue 10 item 5). On H2 (the sandbox
 * default, a file in the working directory) and on a real PostgreSQL. The load client runs in this JVM, the
 * gateway in its own process.
 */
class CrashRecoveryIT {

    private static final int CLIENTS = 8;
    private static final int MIN_ANSWERS = 40;
    /** How many of the last answered requests are sent again after the restart. */
    private static final int REPLAYED = 30;
    private static final Duration LOAD_BEFORE_KILL = Duration.ofSeconds(60);

    /**
     * H2 confirms a commit while its store still holds it in memory, for up to its write delay; the test widens
     * that window to 3 s, so that a gateway relying on it loses answers here (it did: 53 answers without a record
     * with the flush after commit taken out), and only the gateway's own flush keeps them.
     */
    @Test
    void everyAnswerWithDataHasItsRecordAfterAKillOnH2(@TempDir Path workDir) throws Exception {
        String url = "jdbc:h2:file:" + workDir.resolve("data/kelmu-gateway").toAbsolutePath()
                + ";LOCK_TIMEOUT=10000;WRITE_DELAY=3000";
        crashAndCheck(workDir, Map.of("KELMU_DB_URL", url), url, "kelmu", "");
    }

    @Test
    void everyAnswerWithDataHasItsRecordAfterAKillOnPostgreSql(@TempDir Path workDir) throws Exception {
        try (EmbeddedPostgres postgres = EmbeddedPostgres.builder().start()) {
            String url = postgres.getJdbcUrl("postgres", "postgres");
            crashAndCheck(workDir, Map.of("KELMU_DB_URL", url, "KELMU_DB_USER", "postgres"), url, "postgres", "");
        }
    }

    private static void crashAndCheck(Path workDir, Map<String, String> database, String url, String user,
            String password) throws Exception {
        int port = FreePort.find();
        Map<String, String> environment = new HashMap<>(database);
        environment.put("KELMU_HTTP_PORT", Integer.toString(port));
        PackagedJar gateway = PackagedJar.start(workDir, environment);
        MessageSigner signer = new MessageSigner(SecurityMaterial.keyStore(
                workDir.resolve("sandbox/pki/organisations/" + HVA + ".p12"), SandboxPki.PASSWORD), null,
                SandboxPki.PASSWORD);
        URI service = URI.create("http://localhost:" + port + "/ws/BenefitInformationService");

        // load: every answer with client data, by its correlation id
        Set<String> answeredWithData = ConcurrentHashMap.newKeySet();
        // and the requests answered, in the order of their answers, to be sent again after the restart
        Deque<byte[]> answeredRequests = new ConcurrentLinkedDeque<>();
        AtomicBoolean stop = new AtomicBoolean();
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
        List<Future<?>> load = new ArrayList<>();
        for (int i = 0; i < CLIENTS; i++) {
            load.add(clients.submit(() -> {
                while (!stop.get()) {
                    byte[] request = Signing.serialise(signer.sign(
                            BenefitRequests.benefitData(HVA, USER, LIVES_IN_HANKO, MUUT_ETUUDET),
                            InboundChain.REQUEST_SIGNED_PARTS, 300));
                    try {
                        HttpResponse<String> answer = http.send(HttpRequest.newBuilder(service)
                                .timeout(Duration.ofSeconds(10)).header("Content-Type", "text/xml; charset=utf-8")
                                .POST(HttpRequest.BodyPublishers.ofByteArray(request)).build(),
                                HttpResponse.BodyHandlers.ofString());
                        if (answer.statusCode() == 200 && answer.body().contains(LIVES_IN_HANKO)) {
                            answeredWithData.add(answer.headers().firstValue("X-Correlation-Id").orElseThrow());
                            answeredRequests.add(request);
                        }
                    } catch (java.io.IOException e) {
                        // the gateway is gone: a request without an answer proves nothing either way
                    }
                }
                return null;
            }));
        }
        // kill mid-load, once the load runs at full speed (a cold gateway on a busy machine answers slowly at first)
        long deadline = System.nanoTime() + LOAD_BEFORE_KILL.toNanos();
        while (answeredWithData.size() < MIN_ANSWERS && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        Thread.sleep(1000);
        gateway.kill();
        stop.set(true);
        for (Future<?> client : load) {
            client.get(30, TimeUnit.SECONDS);
        }
        clients.shutdown();
        assertTrue(answeredWithData.size() >= MIN_ANSWERS, "answers before the kill: " + answeredWithData.size());

        // restart on the same database and working directory: the messages answered last before the kill, whose
        // identities a database that confirms commits before they are on the device would have lost, are refused
        PackagedJar restarted = PackagedJar.start(workDir, environment);
        try {
            List<byte[]> last = new ArrayList<>(answeredRequests).subList(Math.max(0, answeredRequests.size() - REPLAYED),
                    answeredRequests.size());
            for (byte[] request : last) {
                HttpResponse<String> again = http.send(HttpRequest.newBuilder(service).timeout(Duration.ofSeconds(10))
                        .header("Content-Type", "text/xml; charset=utf-8")
                        .POST(HttpRequest.BodyPublishers.ofByteArray(request)).build(), HttpResponse.BodyHandlers.ofString());
                assertEquals(500, again.statusCode(), again.body());
                assertTrue(again.body().contains("Client.ReplayedMessage"), "a replay after the crash: " + again.body());
            }
        } finally {
            restarted.stop();
        }
        // a stop by SIGTERM: the gateway stops before the JVM's shutdown hooks run, so H2's own hook cannot close the
        // database under it (it did: the last checkpoint was lost, and H2's lock file made the next start wait)
        Path data = workDir.resolve("data");
        if (Files.isDirectory(data)) {
            try (var files = Files.list(data)) {
                assertEquals(List.of(), files.filter(f -> f.getFileName().toString().endsWith(".lock.db")).toList(),
                        "an H2 lock file left behind by the stop");
            }
        }

        try (Database db = Database.open(url, user, password)) {
            JdbcAccessLog log = new JdbcAccessLog(db.dataSource());
            Map<String, AccessOutcome> recorded = log.find(AccessLogQuery.all().withLimit(1_000_000)).stream()
                    .map(StoredAccessRecord::record)
                    .collect(Collectors.toMap(r -> r.correlationId(), r -> r.outcome(), (a, b) -> a));
            Set<String> missing = answeredWithData.stream().filter(id -> recorded.get(id) != AccessOutcome.ALLOWED)
                    .collect(Collectors.toSet());
            assertEquals(Set.of(), missing, answeredWithData.size() + " answers with data, these without a record");
            ChainVerification chain = log.verify();
            assertTrue(chain.ok(), chain.toString());
            // the refused replays after the restart were checkpointed when it stopped
            JdbcCheckpointStore checkpoints = new JdbcCheckpointStore(db.dataSource());
            assertEquals(checkpoints.head().sequence(), checkpoints.latestSequence(),
                    "the stop checkpointed the chain head");
        }
    }
}
