package fi.kelmu.gateway.audit;

import static fi.kelmu.gateway.support.TestData.CLIENT;
import static fi.kelmu.gateway.support.TestData.ETUUSTIEDOT;
import static fi.kelmu.gateway.support.TestData.HVA;
import static fi.kelmu.gateway.support.TestData.LIVES_IN_HANKO;
import static fi.kelmu.gateway.support.TestData.MUUT_ETUUDET;
import static fi.kelmu.gateway.support.TestData.REVOKED_USER;
import static fi.kelmu.gateway.support.TestData.USER;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fi.kelmu.gateway.Gateway;
import fi.kelmu.gateway.GatewayApplication;
import fi.kelmu.gateway.GatewaySettings;
import fi.kelmu.gateway.fault.FaultCode;
import fi.kelmu.gateway.registry.OrganisationType;
import fi.kelmu.gateway.support.BenefitRequests;
import fi.kelmu.gateway.support.SoapHttp;
import fi.kelmu.gateway.support.TestGateway;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;

/**
 * The access log through the whole gateway (issue 4 item 7, ARCHITECTURE.md step 6): every data request
 * about a client leaves exactly one record, allowed or refused, with who, for whom, on what mandate and
 * purpose, and what left; the {@code access-log} command reads it. On PostgreSQL by configuration the same
 * holds, and when the database goes away the caller gets {@code Server.AccessLogUnavailable} and no data.
 */
class AccessLogGatewayTest {


    @TempDir
    static Path dir;

    private static String h2Url;
    private static Gateway gateway;
    private static Database h2;
    private static EmbeddedPostgres postgres;
    private static String postgresUrl;
    private static Gateway onPostgres;

    @BeforeAll
    static void start() throws Exception {
        h2Url = "jdbc:h2:file:" + dir.resolve("kelmu-gateway").toAbsolutePath() + ";AUTO_SERVER=TRUE;LOCK_TIMEOUT=10000";
        // no mandate cache: the proof then names this request's own online check
        gateway = TestGateway.startSandbox(Map.of("kelmu.db.url", h2Url, "kelmu.mandate.cache-seconds", "0"));
        h2 = Database.open(h2Url, "kelmu", null);
        postgres = EmbeddedPostgres.builder().start();
        postgresUrl = postgres.getJdbcUrl("postgres", "postgres");
        // replay cache in memory: with the database one, a stopped database refuses the request at the replay
        // check (Server.ReplayCheckUnavailable, identity/ReplayAcrossRestartsAndReplicasTest) before the access log
        onPostgres = TestGateway.startSandbox(Map.of("kelmu.db.url", postgresUrl, "kelmu.db.user", "postgres",
                "kelmu.db.connect-timeout-ms", "500", "kelmu.replay-cache.store", "memory"));
    }

    @AfterAll
    static void stop() throws Exception {
        gateway.close();
        h2.close();
        onPostgres.close();
        postgres.close();
    }

    @Test
    void allowedRequestLeavesExactlyOneAllowedRecord() {
        Document request = BenefitRequests.benefitData(HVA, USER, CLIENT, MUUT_ETUUDET);
        SoapHttp.Response response = send(gateway, request);
        assertEquals(200, response.status(), faultString(response));

        AccessRecord r = onlyRecordOf(h2, response);
        assertEquals(AccessOutcome.ALLOWED, r.outcome());
        assertNull(r.faultCode());
        assertEquals(BenefitRequests.xroadId(request), r.xroadId());
        assertEquals(HVA, r.organisationId());
        assertEquals(OrganisationType.HVA, r.organisationType());
        assertEquals("FI" + USER, r.userId());
        assertEquals(List.of(ETUUSTIEDOT), r.mandates());
        assertEquals("online:" + response.correlationId(), r.mandateProof());
        assertEquals(MUUT_ETUUDET, r.purpose());
        assertEquals("getBenefitData", r.operation());
        assertEquals(CLIENT, r.personId());
        assertEquals(BenefitRequests.texts(response.document(), "returnedView"), r.views());
        assertEquals(List.of("BENEFIT_DECISIONS", "PAYMENTS"), r.views());
    }

    @Test
    void refusedRequestLeavesOneRefusedRecordWithTheFaultCodeR_MAND_4() {
        Document request = BenefitRequests.benefitData(HVA, REVOKED_USER, CLIENT, MUUT_ETUUDET);
        SoapHttp.Response response = send(gateway, request);
        assertEquals("soap:Client.MandateMissing", response.faultCode().strip(), faultString(response));

        AccessRecord r = onlyRecordOf(h2, response);
        assertEquals(AccessOutcome.REFUSED, r.outcome());
        assertEquals(FaultCode.MANDATE_MISSING, r.faultCode());
        assertEquals(BenefitRequests.xroadId(request), r.xroadId());
        assertEquals("FI" + REVOKED_USER, r.userId());
        assertEquals(CLIENT, r.personId());
        assertEquals(MUUT_ETUUDET, r.purpose());
        assertEquals(List.of(), r.mandates());
        assertEquals("online:" + response.correlationId(), r.mandateProof());
        assertEquals(List.of(), r.views());
    }

    @Test
    void accessLogCommandVerifiesTheChainAndListsTheClientsRecords() {
        SoapHttp.Response response = send(gateway, BenefitRequests.benefitData(HVA, USER, LIVES_IN_HANKO, MUUT_ETUUDET));
        assertEquals(200, response.status(), faultString(response));

        Output verify = command("verify");
        assertEquals(AccessLogCommand.OK, verify.status(), verify.err());
        assertTrue(verify.out().startsWith("access log intact: "), verify.out());

        Output query = command("query", "--client", LIVES_IN_HANKO);
        assertEquals(AccessLogCommand.OK, query.status(), query.err());
        List<String> lines = query.out().lines().toList();
        assertEquals(AccessLogCommand.HEADER, lines.get(0));
        assertEquals(2, lines.size(), query.out());
        assertTrue(lines.get(1).contains("\tALLOWED\t"), lines.get(1));
        assertTrue(lines.get(1).contains("\t" + LIVES_IN_HANKO + "\t"), lines.get(1));
        assertTrue(lines.get(1).contains("\t" + response.correlationId() + "\t"), lines.get(1));
    }

    /** The production database by configuration; then the database stops and no data leaves without its record. */
    @Test
    void onPostgresTheRecordIsWrittenAndWithoutTheDatabaseNoDataLeaves() throws Exception {
        SoapHttp.Response allowed = send(onPostgres, BenefitRequests.benefitData(HVA, USER, CLIENT, MUUT_ETUUDET));
        assertEquals(200, allowed.status(), faultString(allowed));
        try (Database pg = Database.open(postgresUrl, "postgres", null)) {
            assertEquals(AccessOutcome.ALLOWED, onlyRecordOf(pg, allowed).outcome());
        }

        postgres.close();
        SoapHttp.Response refused = send(onPostgres, BenefitRequests.benefitData(HVA, USER, CLIENT, MUUT_ETUUDET));
        assertEquals(500, refused.status(), faultString(refused));
        assertEquals("soap:Server.AccessLogUnavailable", refused.faultCode().strip(), faultString(refused));
        String body = refused.bodyText();
        assertFalse(body.contains(CLIENT), "the fault names no client");
        // the demo client's decision and payment amounts, as in the allowed answer
        for (String data : List.of("returnedView", "benefitDecisions", "payments", "Kansaneläke", "494.30", "621.50")) {
            assertTrue(allowed.bodyText().contains(data), data + " is in an allowed answer");
            assertFalse(body.contains(data), data + " left without an access record");
        }
    }

    // --- helpers

    private static SoapHttp.Response send(Gateway target, Document request) {
        return SoapHttp.post(target.serviceUrl(), BenefitRequests.signed(request), null);
    }

    /** The one record of the response's correlation id, as the gateway's database holds it. */
    private static AccessRecord onlyRecordOf(Database database, SoapHttp.Response response) {
        assertTrue(response.correlationId() != null);
        List<AccessRecord> records = new JdbcAccessLog(database.dataSource()).find(AccessLogQuery.all().withLimit(10_000))
                .stream().map(StoredAccessRecord::record)
                .filter(r -> response.correlationId().equals(r.correlationId())).toList();
        assertEquals(1, records.size(), "records of correlation id " + response.correlationId());
        return records.get(0);
    }

    private record Output(int status, String out, String err) {
    }

    private static Output command(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = new AccessLogCommand().run(args, () -> GatewaySettings.database(gateway.config()),
                () -> GatewayApplication.gatewayCertificates(gateway.config()),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Output(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private static String faultString(SoapHttp.Response response) {
        return SoapHttp.text(response.document(), null, "faultstring");
    }
}
