package fi.kelmu.gateway.payment;

import static fi.kelmu.gateway.support.PaymentDemandMessages.demandId;
import static fi.kelmu.gateway.support.PaymentDemandMessages.deliveryState;
import static fi.kelmu.gateway.support.PaymentDemandMessages.idempotencyKey;
import static fi.kelmu.gateway.support.PaymentDemandMessages.listedDeliveryState;
import static fi.kelmu.gateway.support.PaymentDemandMessages.repeated;
import static fi.kelmu.gateway.support.PaymentDemandMessages.signed;
import static fi.kelmu.gateway.support.PaymentDemandMessages.submit;
import static fi.kelmu.gateway.support.PaymentBackendStub.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fi.kelmu.gateway.Gateway;
import fi.kelmu.gateway.support.PaymentBackendStub;
import fi.kelmu.gateway.support.PaymentDemandMessages;
import fi.kelmu.gateway.support.SoapHttp;
import fi.kelmu.gateway.support.TestData;
import fi.kelmu.gateway.support.TestGateway;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;

/**
 * The outbox delivers each committed write to the payment-demand backend exactly once (docs/payment-demands.md,
 * "Exactly once"; R-PAY-4): a whole sandbox gateway, signed requests, and a WireMock backend that counts what it
 * acknowledged per {@code Idempotency-Key}. A demand is taken while the backend is down and reaches it once when it
 * comes up; a demand committed by a gateway that stops before delivering reaches it once from the gateway started
 * after it on the same database, and the same message sent again there gets the stored answer.
 */
class PaymentDemandDeliveryTest {

    private static final String HVA = TestData.LANSI_UUSIMAA;
    /** Lives in Espoo (049), in Länsi-Uusimaa's area; yleinen asumistuki from 2026-11-01 (samples' period). */
    private static final String CLIENT = TestData.LIVES_IN_ESPOO;
    private static final Duration DEADLINE = Duration.ofSeconds(30);
    /** Polls of the outbox after the delivery in which a second delivery would show. */
    private static final Duration SETTLE = Duration.ofMillis(2000);

    @TempDir
    Path dir;
    private PaymentBackendStub backend;

    @BeforeEach
    void startBackend() {
        backend = PaymentBackendStub.start();
    }

    @AfterEach
    void stopBackend() {
        backend.close();
    }

    @Test
    void r_pay_4_aDemandSubmittedWhileTheBackendIsDownIsTakenPendingAndDeliveredOnceWhenItComesUp() throws Exception {
        backend.down();
        try (Gateway gateway = TestGateway.startSandbox(gatewayProperties("200"))) {
            Document request = submit(HVA, "DOWN-1");
            String key = idempotencyKey(HVA, request);
            byte[] message = signed(request, HVA);

            SoapHttp.Response taken = SoapHttp.post(gateway.paymentDemandServiceUrl(), message, null);

            assertEquals(200, taken.status(), "the client check answered 503, the demand is still taken: "
                    + taken.bodyText());
            String demandId = demandId(taken);
            assertNotNull(demandId);
            assertFalse(repeated(taken));
            assertEquals("PENDING", deliveryState(taken), taken.bodyText());
            // the outbox keeps trying while the backend is down, and nothing is acknowledged
            assertTrue(await(DEADLINE, () -> backend.commandsReceived(key) >= 2),
                    "deliveries tried during the outage: " + backend.commandsReceived(key));
            assertEquals(0, backend.commandsAcknowledged(key));
            assertEquals("PENDING", listedDeliveryState(list(gateway), demandId));

            backend.up(CLIENT, "049", "2026-11-01", "2027-10-31", Duration.ZERO);

            assertTrue(await(DEADLINE, () -> backend.commandsAcknowledged(key) >= 1), "delivered once the backend is up");
            assertTrue(await(DEADLINE, () -> "DELIVERED".equals(listedDeliveryState(list(gateway), demandId))),
                    "the list shows the demand delivered");
            // the same message again (the caller never saw the answer): the stored one, nothing delivered again
            SoapHttp.Response again = SoapHttp.post(gateway.paymentDemandServiceUrl(), message, null);
            assertEquals(200, again.status(), again.bodyText());
            assertEquals(demandId, demandId(again));
            assertTrue(repeated(again));
            Thread.sleep(SETTLE.toMillis());
            assertEquals(1, backend.commandsAcknowledged(key), "acknowledged deliveries of " + key);
            assertEquals(Map.of(key, 1), backend.acknowledgedByKey(), "no other command reached the backend");
        }
    }

    @Test
    void r_pay_4_aDemandCommittedBeforeAStopIsDeliveredOnceAfterTheRestartAndARetryGetsTheStoredAnswer()
            throws Exception {
        backend.up(CLIENT, "049", "2026-11-01", "2027-10-31", Duration.ZERO);
        String h2 = "jdbc:h2:file:" + dir.resolve("kelmu").toAbsolutePath() + ";LOCK_TIMEOUT=10000";
        Document request = submit(HVA, "RESTART-1");
        String key = idempotencyKey(HVA, request);
        byte[] message = signed(request, HVA);
        String demandId;
        // an outbox that does not poll within the test: the command stays committed and undelivered
        Map<String, String> before = gatewayProperties("3600000");
        before.put("kelmu.db.url", h2);
        try (Gateway gateway = TestGateway.startSandbox(before)) {
            SoapHttp.Response taken = SoapHttp.post(gateway.paymentDemandServiceUrl(), message, null);
            assertEquals(200, taken.status(), taken.bodyText());
            demandId = demandId(taken);
            assertFalse(repeated(taken));
            assertEquals("PENDING", deliveryState(taken));
            Thread.sleep(500);
        }
        assertEquals(0, backend.commandRequests(), "nothing delivered before the stop");

        Map<String, String> after = gatewayProperties("200");
        after.put("kelmu.db.url", h2);
        try (Gateway gateway = TestGateway.startSandbox(after)) {
            assertTrue(await(DEADLINE, () -> backend.commandsAcknowledged(key) >= 1), "delivered after the restart");
            assertTrue(await(DEADLINE, () -> "DELIVERED".equals(listedDeliveryState(list(gateway), demandId))),
                    "the list shows the demand delivered");

            SoapHttp.Response again = SoapHttp.post(gateway.paymentDemandServiceUrl(), message, null);

            assertEquals(200, again.status(), "the same message after the restart: " + again.bodyText());
            assertEquals(demandId, demandId(again), "the stored answer: the demand committed before the stop");
            assertTrue(repeated(again));
            Thread.sleep(SETTLE.toMillis());
            assertEquals(1, backend.commandsReceived(key), "deliveries of " + key);
            assertEquals(Map.of(key, 1), backend.acknowledgedByKey());
        }
    }

    private Map<String, String> gatewayProperties(String pollMs) {
        Map<String, String> properties = new HashMap<>(backend.gatewayProperties());
        properties.put("kelmu.payment-demand.outbox.poll-ms", pollMs);
        properties.put("kelmu.payment-demand.outbox.backoff-base-ms", "200");
        properties.put("kelmu.payment-demand.outbox.backoff-max-ms", "400");
        return properties;
    }

    private static SoapHttp.Response list(Gateway gateway) {
        Document list = PaymentDemandMessages.sample("list-payment-demands.xml", HVA);
        SoapHttp.Response answer = SoapHttp.post(gateway.paymentDemandServiceUrl(), signed(list, HVA), null);
        assertEquals(200, answer.status(), answer.bodyText());
        return answer;
    }
}
