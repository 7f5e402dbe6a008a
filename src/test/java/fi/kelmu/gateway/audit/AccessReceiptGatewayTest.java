package fi.kelmu.gateway.audit;

import static fi.kelmu.gateway.support.TestData.CLIENT;
import static fi.kelmu.gateway.support.TestData.HVA;
import static fi.kelmu.gateway.support.TestData.MUUT_ETUUDET;
import static fi.kelmu.gateway.support.TestData.REVOKED_USER;
import static fi.kelmu.gateway.support.TestData.USER;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fi.kelmu.gateway.Gateway;
import fi.kelmu.gateway.GatewayApplication;
import fi.kelmu.gateway.GatewaySettings;
import fi.kelmu.gateway.sandbox.SandboxPki;
import fi.kelmu.gateway.security.CertificateTrust;
import fi.kelmu.gateway.security.MessageSignatureVerifier;
import fi.kelmu.gateway.security.SecurityMaterial;
import fi.kelmu.gateway.security.VerifiedMessage;
import fi.kelmu.gateway.support.BenefitRequests;
import fi.kelmu.gateway.support.GatewayExtension;
import fi.kelmu.gateway.support.SoapHttp;
import fi.kelmu.gateway.support.TestGateway;
import fi.kelmu.gateway.transport.AccessReceiptHeader;
import fi.kelmu.gateway.xml.Dom;
import fi.kelmu.gateway.xroad.XRoadHeaders;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.xml.namespace.QName;
import org.apache.wss4j.common.crypto.Merlin;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/**
 * Receipts and checkpoints through a sandbox gateway (issue 10 item 2, docs/access-log.md): an answer with client
 * data carries the receipt of its access record, after requestHash and covered by the gateway's response
 * signature, naming the record as the log stores it; a refusal carries none; the access-log command finds the
 * receipt; and a gateway that stops leaves a signed checkpoint of the head it leaves.
 */
class AccessReceiptGatewayTest {

    @RegisterExtension
    static final GatewayExtension GATEWAY = GatewayExtension.sandbox()
            .properties(dir -> Map.of("kelmu.db.url",
                    "jdbc:h2:file:" + dir.resolve("log").toAbsolutePath() + ";AUTO_SERVER=TRUE;LOCK_TIMEOUT=10000"))
            .build();

    private static Database database;

    @AfterAll
    static void closeDatabase() {
        if (database != null) {
            database.close();
        }
    }

    @Test
    void anAllowedAnswerCarriesTheSignedReceiptOfItsRecord() {
        SoapHttp.Response response = send(GATEWAY.gateway(), BenefitRequests.benefitData(HVA, USER, CLIENT, MUUT_ETUUDET));
        assertEquals(200, response.status(), response.bodyText());
        Document answer = response.document();

        Element header = AccessReceiptHeader.of(answer);
        assertNotNull(header, "the answer carries an access receipt");
        List<Element> headers = SoapHttp.headerElements(answer);
        assertEquals(XRoadHeaders.REQUEST_HASH.getLocalPart(), headers.get(headers.size() - 2).getLocalName());
        assertEquals(header, headers.get(headers.size() - 1), "the receipt follows requestHash");
        assertTrue(responseSignature(answer).covers(header), "the gateway's response signature covers the receipt");

        AccessReceipt receipt = AccessReceiptHeader.read(header);
        StoredAccessRecord stored = storedRecordOf(database(GATEWAY.gateway()), response);
        assertEquals(AccessOutcome.ALLOWED, stored.record().outcome());
        assertEquals(stored.sequence(), receipt.sequence());
        assertEquals(stored.hash(), receipt.recordHash());

        Output found = command(GATEWAY.gateway(), "verify", "--receipt", receipt.toString());
        assertEquals(AccessLogCommand.OK, found.status(), found.out() + found.err());
        assertTrue(found.out().contains("receipt " + receipt + ": in the chain"), found.out());
        Output forged = command(GATEWAY.gateway(), "verify", "--receipt",
                receipt.sequence() + ":" + "0".repeat(64));
        assertEquals(AccessLogCommand.CHAIN_BROKEN, forged.status(), forged.out());
    }

    @Test
    void aRefusedAnswerCarriesNoReceipt() {
        SoapHttp.Response response = send(GATEWAY.gateway(), BenefitRequests.benefitData(HVA, REVOKED_USER, CLIENT,
                MUUT_ETUUDET));
        assertEquals("soap:Client.MandateMissing", response.faultCode().strip(), response.bodyText());
        assertEquals(AccessOutcome.REFUSED, storedRecordOf(database(GATEWAY.gateway()), response).record().outcome(),
                "the refusal is on record");
        assertNull(AccessReceiptHeader.of(response.document()), "but a fault carries no data, so no receipt");
        assertEquals(0, SoapHttp.count(response.document(), AccessReceiptHeader.NS, "sequence"));
    }

    @Test
    void aGatewayThatStopsLeavesASignedCheckpointOfItsHead() throws Exception {
        Gateway other = GATEWAY.startAnother(Map.of());
        Database otherDatabase;
        SoapHttp.Response response;
        try {
            response = send(other, BenefitRequests.benefitData(HVA, USER, CLIENT, MUUT_ETUUDET));
            assertEquals(200, response.status(), response.bodyText());
        } finally {
            other.close();
        }
        otherDatabase = Database.open(GatewaySettings.database(other.config()));
        try {
            JdbcCheckpointStore store = new JdbcCheckpointStore(otherDatabase.dataSource());
            Checkpoint checkpoint = store.latest().orElseThrow(() -> new AssertionError("no checkpoint at shutdown"));
            AccessReceipt receipt = AccessReceiptHeader.read(AccessReceiptHeader.of(response.document()));
            assertEquals(receipt.sequence(), checkpoint.sequence(), "the checkpoint names the head the gateway left");
            assertEquals(receipt.recordHash(), checkpoint.chainHash());
            assertTrue(checkpoint.verifiedBy(SecurityMaterial.certificates(SecurityMaterial.keyStore(
                    TestGateway.pki().gatewayKeyStore(), SandboxPki.PASSWORD)).get(0)), "signed with the gateway's key");
            assertEquals(checkpoint.certificate(), GatewayApplication.gatewayCertificates(other.config()).get(0));
        } finally {
            otherDatabase.close();
        }
        Output verify = command(other, "verify");
        assertEquals(AccessLogCommand.OK, verify.status(), verify.out() + verify.err());
        assertTrue(verify.out().contains("checkpoint: record 1 "), verify.out());
        assertFalse(verify.out().contains("none yet"), verify.out());
    }

    // --- helpers

    private static SoapHttp.Response send(Gateway target, Document request) {
        return SoapHttp.post(target.serviceUrl(), BenefitRequests.signed(request), null);
    }

    private static synchronized Database database(Gateway gateway) {
        if (database == null) {
            database = Database.open(GatewaySettings.database(gateway.config()));
        }
        return database;
    }

    /** The one record of the response's correlation id, as the gateway's database holds it. */
    private static StoredAccessRecord storedRecordOf(Database db, SoapHttp.Response response) {
        List<StoredAccessRecord> records = new JdbcAccessLog(db.dataSource()).find(AccessLogQuery.all().withLimit(10_000))
                .stream().filter(r -> r.record().correlationId().equals(response.correlationId())).toList();
        assertEquals(1, records.size(), "records of correlation id " + response.correlationId());
        return records.get(0);
    }

    /** What the gateway's response signature covers, verified against the sandbox CA; the receipt signed if sent. */
    private static VerifiedMessage responseSignature(Document answer) {
        KeyStore trustStore = SecurityMaterial.keyStore(TestGateway.pki().trustStore(), SandboxPki.PASSWORD);
        Merlin tokens = new Merlin();
        tokens.setTrustStore(trustStore);
        List<QName> signed = new ArrayList<>(XRoadHeaders.REQUEST_HEADERS);
        signed.add(XRoadHeaders.REQUEST_HASH);
        signed.add(AccessReceiptHeader.QNAME);
        VerifiedMessage verified = new MessageSignatureVerifier(tokens, new CertificateTrust(trustStore, List.of(),
                false, Duration.ZERO, Clock.systemUTC()), 300, 60, signed, Set.of()).verify(answer);
        assertTrue(verified.covers(Dom.firstChild(answer.getDocumentElement(), Dom.SOAP_NS, "Body")));
        return verified;
    }

    private record Output(int status, String out, String err) {
    }

    private static Output command(Gateway gateway, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = new AccessLogCommand().run(args, () -> GatewaySettings.database(gateway.config()),
                () -> GatewayApplication.gatewayCertificates(gateway.config()),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Output(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }
}
