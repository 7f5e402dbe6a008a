package fi.kelmu.gateway.audit;

import static fi.kelmu.gateway.support.TestData.HVA;
import static fi.kelmu.gateway.support.TestData.LIVES_IN_HANKO;
import static fi.kelmu.gateway.support.TestData.MUUT_ETUUDET;
import static fi.kelmu.gateway.support.TestData.USER;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fi.kelmu.gateway.support.BenefitRequests;
import fi.kelmu.gateway.support.GatewayExtension;
import fi.kelmu.gateway.support.SoapHttp;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * An H2 database that closes under a running gateway (issue 10 item 3; an outside test saw H2 close itself after a
 * write error and stay closed, "database has been closed [90098]", until a restart): the gateway replaces its
 * connections, the next one reopens the file, and it serves again within seconds, without a restart.
 */
class H2ReopenGatewayTest {

    @RegisterExtension
    static final GatewayExtension GATEWAY = GatewayExtension.sandbox()
            .property("kelmu.replay-cache.store", "memory")
            .properties(dir -> Map.of("kelmu.db.url", "jdbc:h2:file:" + dir.resolve("log").toAbsolutePath()
                    + ";LOCK_TIMEOUT=10000"))
            .build();

    @Test
    void aClosedH2DatabaseIsReopenedAndTheGatewayServesAgainWithoutARestart() throws Exception {
        assertEquals(200, send().status());
        // the same in-process database the gateway's pool uses: SHUTDOWN closes it under every connection
        try (Connection c = DriverManager.getConnection(GATEWAY.gateway().config().required("kelmu.db.url"), "kelmu",
                ""); Statement s = c.createStatement()) {
            s.execute("SHUTDOWN");
        }
        long closed = System.nanoTime();
        SoapHttp.Response response = send();
        while (response.status() != 200 && System.nanoTime() - closed < Duration.ofSeconds(15).toNanos()) {
            assertEquals("soap:Server.AccessLogUnavailable", response.faultCode().strip(), response.bodyText());
            Thread.sleep(200);
            response = send();
        }
        assertEquals(200, response.status(), response.bodyText());
        Duration back = Duration.ofNanos(System.nanoTime() - closed);
        assertTrue(back.toSeconds() < 5, "serving again " + back.toMillis() + " ms after H2 closed");
    }

    private static SoapHttp.Response send() {
        return SoapHttp.post(GATEWAY.serviceUrl(), BenefitRequests.signed(
                BenefitRequests.benefitData(HVA, USER, LIVES_IN_HANKO, MUUT_ETUUDET)), null);
    }
}
