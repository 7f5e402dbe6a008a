package fi.kelmu.gateway.payment;

import static fi.kelmu.gateway.support.PaymentBackendStub.await;
import static fi.kelmu.gateway.support.PaymentDemandMessages.demandId;
import static fi.kelmu.gateway.support.PaymentDemandMessages.idempotencyKey;
import static fi.kelmu.gateway.support.PaymentDemandMessages.repeated;
import static fi.kelmu.gateway.support.PaymentDemandMessages.signed;
import static fi.kelmu.gateway.support.PaymentDemandMessages.submit;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fi.kelmu.gateway.Gateway;
import fi.kelmu.gateway.support.PaymentBackendStub;
import fi.kelmu.gateway.support.SoapHttp;
import fi.kelmu.gateway.support.TestData;
import fi.kelmu.gateway.support.TestGateway;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;

/**
 * Exactly once across replicas (docs/payment-demands.md, "Exactly once"; R-PAY-4): two sandbox gateways on one
 * PostgreSQL, both with their outbox polling, one WireMock backend. Distinct submissions go to both gateways at once
 * from several threads, and every message also to the other gateway (a caller's retry landing on the other replica,
 * often while the first is still in flight). Each demand exists once in the database, every sending of a message is
 * answered with the same demand, and the backend acknowledges each idempotency key exactly once although both
 * outboxes claim commands from the same table.
 */
class PaymentDemandReplicasTest {

    private static final String HVA = TestData.LANSI_UUSIMAA;
    private static final int SUBMISSIONS = 40;
    private static final int THREADS = 8;
    private static final Duration DEADLINE = Duration.ofSeconds(90);

    @Test
    void r_pay_4_eachDemandIsStoredAndDeliveredOnceWhenItsMessageReachesBothReplicas() throws Exception {
        try (EmbeddedPostgres postgres = EmbeddedPostgres.builder().start();
                PaymentBackendStub backend = PaymentBackendStub.start()) {
            // a slow backend, so that the two outboxes' claims overlap
            backend.up(TestData.LIVES_IN_ESPOO, "049", "2026-11-01", "2027-10-31", Duration.ofMillis(30));
            String url = postgres.getJdbcUrl("postgres", "postgres");
            Map<String, String> shared = new HashMap<>(backend.gatewayProperties());
            shared.put("kelmu.db.url", url);
            shared.put("kelmu.db.user", "postgres");
            shared.put("kelmu.payment-demand.outbox.poll-ms", "200");
            shared.put("kelmu.payment-demand.outbox.backoff-base-ms", "200");
            shared.put("kelmu.payment-demand.outbox.backoff-max-ms", "400");
            try (Gateway a = TestGateway.startSandbox(shared); Gateway b = TestGateway.startSandbox(shared)) {
                List<String> keys = new ArrayList<>();
                List<Sending> sendings = new ArrayList<>();
                for (int i = 0; i < SUBMISSIONS; i++) {
                    Document request = submit(HVA, "REPLICA-" + i);
                    String key = idempotencyKey(HVA, request);
                    byte[] message = signed(request, HVA);
                    keys.add(key);
                    Gateway first = i % 2 == 0 ? a : b;
                    sendings.add(new Sending(key, message, first));
                    sendings.add(new Sending(key, message, first == a ? b : a));
                }
                Collections.shuffle(sendings, new Random(11));

                Map<String, List<SoapHttp.Response>> answers = new ConcurrentHashMap<>();
                ExecutorService pool = Executors.newFixedThreadPool(THREADS);
                try {
                    List<Future<?>> sent = new ArrayList<>();
                    for (Sending sending : sendings) {
                        sent.add(pool.submit(() -> {
                            SoapHttp.Response answer = SoapHttp.post(sending.gateway().paymentDemandServiceUrl(),
                                    sending.message(), null);
                            answers.computeIfAbsent(sending.key(), k -> Collections.synchronizedList(new ArrayList<>()))
                                    .add(answer);
                            return null;
                        }));
                    }
                    for (Future<?> f : sent) {
                        f.get(120, TimeUnit.SECONDS);
                    }
                } finally {
                    pool.shutdownNow();
                }

                // every sending answered; both sendings of a message with the one demand, one of them new
                Set<String> demandIds = new HashSet<>();
                for (String key : keys) {
                    List<SoapHttp.Response> twice = answers.get(key);
                    assertEquals(2, twice.size(), key);
                    for (SoapHttp.Response answer : twice) {
                        assertEquals(200, answer.status(), answer.bodyText());
                    }
                    assertEquals(demandId(twice.get(0)), demandId(twice.get(1)), "one demand for " + key);
                    assertEquals(1, twice.stream().filter(r -> !repeated(r)).count(),
                            "exactly one sending of " + key + " made the demand, the other got its stored answer");
                    demandIds.add(demandId(twice.get(0)));
                }
                assertEquals(SUBMISSIONS, demandIds.size());

                // the database: each demand once, each key once
                assertEquals(SUBMISSIONS, count(url, "SELECT COUNT(*) FROM payment_demand WHERE demander_id = ?", HVA));
                assertEquals(demandIds, strings(url, "SELECT demand_id FROM payment_demand"));
                assertEquals(SUBMISSIONS, count(url, "SELECT COUNT(*) FROM payment_demand_command"));
                assertEquals(new HashSet<>(keys), strings(url, "SELECT idempotency_key FROM payment_demand_command"));

                // the backend: every key acknowledged exactly once, once the outboxes have delivered all
                assertTrue(await(DEADLINE, () -> count(url, "SELECT COUNT(*) FROM payment_demand_command"
                        + " WHERE delivery_state = 'DELIVERED'") == SUBMISSIONS), "all delivered");
                Thread.sleep(1500);
                Map<String, Integer> once = new TreeMap<>();
                keys.forEach(k -> once.put(k, 1));
                assertEquals(once, backend.acknowledgedByKey(), "acknowledgements by Idempotency-Key");
                assertEquals(SUBMISSIONS, backend.commandRequests(), "commands the backend received");
            }
        }
    }

    private record Sending(String key, byte[] message, Gateway gateway) {
    }

    private static int count(String url, String sql, String... parameters) {
        try (Connection c = DriverManager.getConnection(url, "postgres", "");
                PreparedStatement s = c.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                s.setString(i + 1, parameters[i]);
            }
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Set<String> strings(String url, String sql) throws SQLException {
        Set<String> result = new HashSet<>();
        try (Connection c = DriverManager.getConnection(url, "postgres", "");
                PreparedStatement s = c.prepareStatement(sql); ResultSet rs = s.executeQuery()) {
            while (rs.next()) {
                assertTrue(result.add(rs.getString(1)), "twice in the database: " + rs.getString(1));
            }
        }
        return result;
    }
}
