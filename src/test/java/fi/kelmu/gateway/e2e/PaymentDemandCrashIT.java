package fi.kelmu.gateway.e2e;

import static fi.kelmu.gateway.support.PaymentBackendStub.await;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import fi.kelmu.gateway.sandbox.SandboxPki;
import fi.kelmu.gateway.security.MessageSigner;
import fi.kelmu.gateway.security.SecurityMaterial;
import fi.kelmu.gateway.support.FreePort;
import fi.kelmu.gateway.support.PackagedJar;
import fi.kelmu.gateway.support.PaymentBackendStub;
import fi.kelmu.gateway.support.PaymentDemandMessages;
import fi.kelmu.gateway.support.Signing;
import fi.kelmu.gateway.support.SoapHttp;
import fi.kelmu.gateway.support.TestData;
import fi.kelmu.gateway.transport.InboundChain;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;

/**
 * Exactly once through a crash (docs/payment-demands.md, "Exactly once"; R-PAY-4): the packaged jar takes concurrent
 * signed submissions, its outbox delivering to a WireMock backend in this JVM, and is killed with SIGKILL mid-load;
 * restarted on the same H2 file (its write delay widened to 3 s, so that only the gateway's own flush after each
 * commit keeps a committed demand) it delivers what was left. Every submission the client got success for is in the
 * database exactly once, delivered, and answered again from the store; the backend received only committed commands
 * and acknowledged each key at least once. A key may reach the backend again after the restart: the command in flight
 * at the kill (delivered, not yet marked), and those whose mark the crash took with H2's write delay (a delivery's
 * mark is not forced to the device, docs/payment-demands.md). Each such repetition must be the same command under
 * the same key, byte for byte, which the backend answers with its first acknowledgement: nothing new reaches Kela.
 */
class PaymentDemandCrashIT {

    private static final String HVA = TestData.LANSI_UUSIMAA;
    private static final int CLIENTS = 6;
    private static final int MIN_ANSWERS = 30;
    private static final Duration LOAD_BEFORE_KILL = Duration.ofSeconds(90);

    @Test
    void r_pay_4_everySubmissionAnsweredBeforeAKillIsStoredAndDeliveredOnce(@TempDir Path workDir) throws Exception {
        try (PaymentBackendStub backend = PaymentBackendStub.start()) {
            backend.up(TestData.LIVES_IN_ESPOO, "049", "2026-11-01", "2027-10-31", Duration.ZERO);
            String url = "jdbc:h2:file:" + workDir.resolve("data/kelmu-gateway").toAbsolutePath()
                    + ";LOCK_TIMEOUT=10000;WRITE_DELAY=3000";
            int port = FreePort.find();
            Map<String, String> environment = new HashMap<>();
            environment.put("KELMU_HTTP_PORT", Integer.toString(port));
            environment.put("KELMU_DB_URL", url);
            environment.put("KELMU_PAYMENT_BACKEND_HVA_URL", backend.baseUrl());
            environment.put("KELMU_PAYMENT_DEMAND_OUTBOX_POLL_MS", "200");
            environment.put("KELMU_PAYMENT_DEMAND_OUTBOX_BACKOFF_BASE_MS", "200");
            environment.put("KELMU_PAYMENT_DEMAND_OUTBOX_BACKOFF_MAX_MS", "1000");
            PackagedJar gateway = PackagedJar.start(workDir, environment);
            MessageSigner signer = new MessageSigner(SecurityMaterial.keyStore(
                    workDir.resolve("sandbox/pki/organisations/" + HVA + ".p12"), SandboxPki.PASSWORD), null,
                    SandboxPki.PASSWORD);
            String service = "http://localhost:" + port + "/ws/PaymentDemandService";
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

            // load: the demand each successful submission was answered with, and its message, by idempotency key
            Map<String, String> answered = new ConcurrentHashMap<>();
            Map<String, byte[]> messages = new ConcurrentHashMap<>();
            AtomicBoolean stop = new AtomicBoolean();
            AtomicInteger sequence = new AtomicInteger();
            ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
            List<Future<?>> load = new ArrayList<>();
            for (int i = 0; i < CLIENTS; i++) {
                load.add(clients.submit(() -> {
                    while (!stop.get()) {
                        Document request = PaymentDemandMessages.submit(HVA, "CRASH-" + sequence.incrementAndGet());
                        String key = PaymentDemandMessages.idempotencyKey(HVA, request);
                        byte[] message = Signing.serialise(signer.sign(request, InboundChain.REQUEST_SIGNED_PARTS, 300));
                        try {
                            SoapHttp.Response answer = SoapHttp.post(http, service, message, null);
                            if (answer.status() == 200) {
                                messages.put(key, message);
                                answered.put(key, PaymentDemandMessages.demandId(answer));
                            }
                        } catch (java.io.UncheckedIOException e) {
                            // the gateway is gone: a submission without an answer proves nothing either way
                        }
                    }
                    return null;
                }));
            }
            long deadline = System.nanoTime() + LOAD_BEFORE_KILL.toNanos();
            while (answered.size() < MIN_ANSWERS && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            Thread.sleep(500);
            gateway.kill();
            stop.set(true);
            for (Future<?> client : load) {
                client.get(60, TimeUnit.SECONDS);
            }
            clients.shutdown();
            assertTrue(answered.size() >= MIN_ANSWERS, "submissions answered before the kill: " + answered.size());

            PackagedJar restarted = PackagedJar.start(workDir, environment);
            try {
                // the outbox of the restarted gateway delivers what the killed one left
                assertTrue(await(Duration.ofSeconds(60), () -> backend.acknowledgedByKey().entrySet().stream()
                        .filter(e -> e.getValue() >= 1).map(Map.Entry::getKey).toList().containsAll(answered.keySet())),
                        "every answered submission acknowledged by the backend");
                // each answered message sent again: its stored answer, the same demand
                for (Map.Entry<String, byte[]> sent : messages.entrySet()) {
                    SoapHttp.Response again = SoapHttp.post(http, service, sent.getValue(), null);
                    assertEquals(200, again.status(), again.bodyText());
                    assertEquals(answered.get(sent.getKey()), PaymentDemandMessages.demandId(again), sent.getKey());
                    assertTrue(PaymentDemandMessages.repeated(again), sent.getKey());
                }
                Thread.sleep(1500);
            } finally {
                restarted.stop();
            }

            Map<String, Integer> commandsByKey = new HashMap<>();
            Map<String, String> deliveryByKey = new HashMap<>();
            Map<String, String> demandByKey = new HashMap<>();
            Set<String> demands = new HashSet<>();
            try (Connection c = DriverManager.getConnection(url, "kelmu", ""); Statement s = c.createStatement()) {
                try (ResultSet rs = s.executeQuery(
                        "SELECT idempotency_key, delivery_state, demand_id FROM payment_demand_command")) {
                    while (rs.next()) {
                        commandsByKey.merge(rs.getString(1), 1, Integer::sum);
                        deliveryByKey.put(rs.getString(1), rs.getString(2));
                        demandByKey.put(rs.getString(1), rs.getString(3));
                    }
                }
                try (ResultSet rs = s.executeQuery("SELECT demand_id FROM payment_demand")) {
                    while (rs.next()) {
                        assertTrue(demands.add(rs.getString(1)), "a demand twice: " + rs.getString(1));
                    }
                }
            }
            for (Map.Entry<String, String> success : answered.entrySet()) {
                String key = success.getKey();
                assertEquals(1, commandsByKey.getOrDefault(key, 0), "commands stored for answered " + key);
                assertEquals(success.getValue(), demandByKey.get(key), "the demand answered for " + key);
                assertTrue(demands.contains(success.getValue()), "demand of " + key + " in the database");
                assertEquals("DELIVERED", deliveryByKey.get(key), key);
            }
            Map<String, Integer> acknowledged = backend.acknowledgedByKey();
            for (Map.Entry<String, Integer> delivery : acknowledged.entrySet()) {
                assertTrue(commandsByKey.containsKey(delivery.getKey()),
                        "the backend received a command the database does not hold: " + delivery.getKey());
            }
            List<String> twice = acknowledged.entrySet().stream().filter(e -> e.getValue() > 1).map(Map.Entry::getKey)
                    .toList();
            System.out.printf("answered before the kill %d, commands stored %d, keys acknowledged %d, twice %s%n",
                    answered.size(), commandsByKey.size(), acknowledged.size(), twice);
            Map<String, Set<String>> bodiesByKey = new HashMap<>();
            for (LoggedRequest request : backend.server().findAll(
                    postRequestedFor(urlEqualTo("/payment-demands/commands")))) {
                bodiesByKey.computeIfAbsent(request.getHeader("Idempotency-Key"), k -> new HashSet<>())
                        .add(request.getBodyAsString());
            }
            for (String key : twice) {
                assertEquals(1, bodiesByKey.get(key).size(), "a key sent again must carry the same command: " + key);
            }
            assertTrue(deliveryByKey.values().stream().allMatch("DELIVERED"::equals),
                    "every committed command delivered: " + deliveryByKey);
        }
    }
}
