package fi.kelmu.gateway.policy;

import static fi.kelmu.gateway.support.TestData.BENEFIT_NS;
import static fi.kelmu.gateway.support.TestData.VALID_REQUEST;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fi.kelmu.gateway.Gateway;
import fi.kelmu.gateway.audit.AccessLogQuery;
import fi.kelmu.gateway.audit.AccessOutcome;
import fi.kelmu.gateway.audit.AccessRecord;
import fi.kelmu.gateway.audit.Database;
import fi.kelmu.gateway.audit.JdbcAccessLog;
import fi.kelmu.gateway.audit.StoredAccessRecord;
import fi.kelmu.gateway.transport.InboundChain;
import fi.kelmu.gateway.xroad.XRoadHeaders;
import fi.kelmu.gateway.support.Signing;
import fi.kelmu.gateway.support.SoapHttp;
import fi.kelmu.gateway.support.TestGateway;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/**
 * The policy decisions of a sandbox gateway (contract, purpose x organisation type, mandate, area) and the
 * access-log record each leaves, with the log in H2 (the default) and in PostgreSQL (by configuration):
 * issue 4 item 8, "the access-log and policy tests against both".
 */
class PolicyDecisionsOnBothDatabasesTest {


    /** The same cases on either database; the outcome is ALLOWED or the fault code of the refusal. */
    abstract static class Decisions {

        /** Started and closed by the subclass, one per database. */
        Gateway gateway;
        Database database;

        Gateway gateway() {
            return gateway;
        }

        JdbcAccessLog log() {
            return new JdbcAccessLog(database.dataSource());
        }

        @ParameterizedTest(name = "{6}: {0} user {1} asks {2} under {3}: {5}")
        @CsvSource({
            "9000001-1, 010594Y9032, 010180-9026, MUUT_ETUUDET, getBenefitData, ALLOWED, R-VIEW-1",
            "9000007-0, 150585-9100, 040506A935A, TOIMEENTULOTUKI, getBasicSocialAssistance, ALLOWED, R-VIEW-2",
            "9000005-4, 220790-921S, 010180-9026, KOTOUTUMISPALVELU_ETUUDET, getBenefitData, ALLOWED, R-VIEW-3",
            "9000005-4, 220790-921S, 010180-9026, MUUT_ETUUDET, getBenefitData, Client.PurposeNotAllowed, R-PURP-1",
            "9000001-1, 111175-943R, 010180-9026, MUUT_ETUUDET, getBenefitData, Client.MandateMissing, R-MAND-4",
            "9000006-2, 170991-9766, 290895-924F, KOTOUTUMISPALVELU_ETUUDET, getBenefitData, Client.MandateMissing, R-MAND-1",
            "9000001-1, 010594Y9032, 150372-9134, MUUT_ETUUDET, getBenefitData, Client.ClientOutsideArea, scoping",
            "9000008-9, 010594Y9032, 010180-9026, MUUT_ETUUDET, getBenefitData, Client.NoValidContract, R-CONT-3",
        })
        void decisionAndItsAccessRecord(String org, String user, String client, String purpose, String operation,
                String expected, String rule) {
            SoapHttp.Response response = SoapHttp.post(gateway().serviceUrl(),
                    request(org, user, client, purpose, operation), null);
            List<AccessRecord> records = log().find(AccessLogQuery.all().withPersonId(client).withLimit(10_000)).stream()
                    .map(StoredAccessRecord::record).filter(r -> r.correlationId().equals(response.correlationId()))
                    .toList();
            assertEquals(1, records.size(), "one access-log record per request");
            AccessRecord record = records.get(0);
            if (expected.equals("ALLOWED")) {
                assertEquals(200, response.status(), response.faultCode());
                assertEquals(AccessOutcome.ALLOWED, record.outcome());
                assertTrue(!record.views().isEmpty());
            } else {
                assertEquals(500, response.status());
                // the caller is answered with the code its refusal is sent as; the record keeps the precise one
                assertEquals("soap:" + record.faultCode().sentAs().code(), response.faultCode().strip());
                assertEquals(AccessOutcome.REFUSED, record.outcome());
                assertEquals(expected, record.faultCode().code());
                assertTrue(!response.bodyText().contains(client), "a refusal reveals nothing about the client");
            }
            assertEquals(org, record.organisationId());
            assertEquals("FI" + user, record.userId());
            assertEquals(purpose, record.purpose());
            assertTrue(log().verify().ok());
        }
    }

    @Nested
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    class OnH2 extends Decisions {

        @BeforeAll
        void start(@TempDir Path dir) throws Exception {
            String url = "jdbc:h2:file:" + dir.resolve("log").toAbsolutePath() + ";AUTO_SERVER=TRUE";
            gateway = TestGateway.startSandbox(Map.of("kelmu.db.url", url));
            database = Database.open(url, "kelmu", "");
        }

        @AfterAll
        void stop() {
            database.close();
            gateway.close();
        }
    }

    @Nested
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    class OnPostgreSql extends Decisions {

        private EmbeddedPostgres postgres;

        @BeforeAll
        void start() throws Exception {
            postgres = EmbeddedPostgres.start();
            String url = postgres.getJdbcUrl("postgres", "postgres");
            gateway = TestGateway.startSandbox(Map.of("kelmu.db.url", url, "kelmu.db.user", "postgres"));
            database = Database.open(url, "postgres", "");
        }

        @AfterAll
        void stop() throws Exception {
            database.close();
            gateway.close();
            postgres.close();
        }
    }

    private static byte[] request(String org, String user, String client, String purpose, String operation) {
        String fixture = operation.equals("getBenefitData") ? VALID_REQUEST
                : "get-basic-social-assistance-helsinki.xml";
        Document doc = Signing.freshId(SoapHttp.parse(SoapHttp.fixture(fixture)));
        ((Element) doc.getElementsByTagNameNS(XRoadHeaders.NS, "client").item(0))
                .getElementsByTagNameNS(XRoadHeaders.ID_NS, "memberCode").item(0).setTextContent(org);
        doc.getElementsByTagNameNS(XRoadHeaders.NS, "userId").item(0).setTextContent("FI" + user);
        doc.getElementsByTagNameNS(BENEFIT_NS, "clientId").item(0).setTextContent(client);
        doc.getElementsByTagNameNS(BENEFIT_NS, "purpose").item(0).setTextContent(purpose);
        Signing.signerOf(org).sign(doc, InboundChain.REQUEST_SIGNED_PARTS, 300);
        return Signing.serialise(doc);
    }
}
