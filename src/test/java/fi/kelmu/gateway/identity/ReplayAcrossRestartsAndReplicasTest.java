package fi.kelmu.gateway.identity;

import static fi.kelmu.gateway.support.TestData.CLIENT;
import static fi.kelmu.gateway.support.TestData.HVA;
import static fi.kelmu.gateway.support.TestData.MUUT_ETUUDET;
import static fi.kelmu.gateway.support.TestData.USER;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import fi.kelmu.gateway.Gateway;
import fi.kelmu.gateway.support.BenefitRequests;
import fi.kelmu.gateway.transport.InboundChain;
import fi.kelmu.gateway.support.Signing;
import fi.kelmu.gateway.support.SoapHttp;
import fi.kelmu.gateway.support.TestGateway;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;

/**
 * Replay protection that survives restarts and is shared by replicas (issue 10 item 5): whole sandbox gateways
 * with the default replay cache, the database. Before it, a message accepted just before a restart was accepted
 * again after it, and each replica kept its own cache.
 */
class ReplayAcrossRestartsAndReplicasTest {

    @TempDir
    Path dir;

    @Test
    void aMessageAcceptedBeforeARestartIsRefusedAfterIt() throws Exception {
        String h2 = "jdbc:h2:file:" + dir.resolve("kelmu").toAbsolutePath() + ";LOCK_TIMEOUT=10000";
        Document request = request();
        byte[] signed = BenefitRequests.signed(request);
        try (Gateway before = TestGateway.startSandbox(Map.of("kelmu.db.url", h2))) {
            accepted(SoapHttp.post(before.serviceUrl(), signed, null));
        }
        try (Gateway after = TestGateway.startSandbox(Map.of("kelmu.db.url", h2))) {
            refused(SoapHttp.post(after.serviceUrl(), signed, null), "Client.ReplayedMessage");
            // re-signed, so only the X-Road id is the same: refused by the id remembered before the restart
            refused(SoapHttp.post(after.serviceUrl(), BenefitRequests.signed(request), null), "Client.ReplayedMessage");
            accepted(SoapHttp.post(after.serviceUrl(), BenefitRequests.signed(request()), null));
        }
    }

    /**
     * A request that leaves no access record (the self-check) has its message id kept in table replay_cache (H2:
     * written by the access log's writer, at the latest as the gateway stops).
     */
    @Test
    void aSelfCheckAcceptedBeforeARestartIsRefusedAfterIt() throws Exception {
        String h2 = "jdbc:h2:file:" + dir.resolve("kelmu").toAbsolutePath() + ";LOCK_TIMEOUT=10000";
        Document check = Signing.freshId(SoapHttp.parse(SoapHttp.fixture("check-access-hva.xml")));
        Signing.signerOf(BenefitRequests.organisation(check)).sign(check, InboundChain.REQUEST_SIGNED_PARTS, 300);
        byte[] signed = Signing.serialise(check);
        try (Gateway before = TestGateway.startSandbox(Map.of("kelmu.db.url", h2))) {
            accepted(SoapHttp.post(before.accessServiceUrl(), signed, null));
        }
        try (Gateway after = TestGateway.startSandbox(Map.of("kelmu.db.url", h2))) {
            refused(SoapHttp.post(after.accessServiceUrl(), signed, null), "Client.ReplayedMessage");
        }
    }

    @Test
    void aMessageAcceptedByOneReplicaIsRefusedByAnotherOnTheSameDatabase() throws Exception {
        try (EmbeddedPostgres postgres = EmbeddedPostgres.builder().start()) {
            Map<String, String> shared = Map.of("kelmu.db.url", postgres.getJdbcUrl("postgres", "postgres"),
                    "kelmu.db.user", "postgres");
            try (Gateway a = TestGateway.startSandbox(shared); Gateway b = TestGateway.startSandbox(shared)) {
                Document request = request();
                byte[] signed = BenefitRequests.signed(request);
                accepted(SoapHttp.post(a.serviceUrl(), signed, null));
                refused(SoapHttp.post(b.serviceUrl(), signed, null), "Client.ReplayedMessage");
                refused(SoapHttp.post(b.serviceUrl(), BenefitRequests.signed(request), null), "Client.ReplayedMessage");
                refused(SoapHttp.post(a.serviceUrl(), signed, null), "Client.ReplayedMessage");

                byte[] other = BenefitRequests.signed(request());
                accepted(SoapHttp.post(b.serviceUrl(), other, null));
                refused(SoapHttp.post(a.serviceUrl(), other, null), "Client.ReplayedMessage");
            }
        }
    }

    /** Fail closed: a message the gateway cannot show to be new is not served. */
    @Test
    void aRequestIsRefusedWhenTheReplayCacheDatabaseIsGone() throws Exception {
        EmbeddedPostgres postgres = EmbeddedPostgres.builder().start();
        try (Gateway gateway = TestGateway.startSandbox(Map.of("kelmu.db.url",
                postgres.getJdbcUrl("postgres", "postgres"), "kelmu.db.user", "postgres",
                "kelmu.db.connect-timeout-ms", "500"))) {
            accepted(SoapHttp.post(gateway.serviceUrl(), BenefitRequests.signed(request()), null));
            postgres.close();
            SoapHttp.Response response = SoapHttp.post(gateway.serviceUrl(), BenefitRequests.signed(request()), null);
            refused(response, "Server.ReplayCheckUnavailable");
            assertNotNull(response.correlationId());
        } finally {
            postgres.close();
        }
    }

    private static Document request() {
        return Signing.freshId(BenefitRequests.benefitData(HVA, USER, CLIENT, MUUT_ETUUDET));
    }

    private static void accepted(SoapHttp.Response response) {
        assertEquals(200, response.status(), response.bodyText());
    }

    private static void refused(SoapHttp.Response response, String code) {
        assertEquals(500, response.status(), response.bodyText());
        assertEquals("soap:" + code, response.faultCode().strip(), response.bodyText());
    }
}
