package fi.kelmu.gateway.payment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fi.kelmu.gateway.Gateway;
import fi.kelmu.gateway.support.Signing;
import fi.kelmu.gateway.support.SoapHttp;
import fi.kelmu.gateway.support.TestGateway;
import fi.kelmu.gateway.transport.InboundChain;
import fi.kelmu.gateway.xroad.XRoadHeaders;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/** PaymentDemandService end to end in the sandbox (docs/payment-demands.md): signed requests, the simulator. */
class PaymentDemandServiceTest {

    static final String NS = PaymentDemandOperations.NAMESPACE;
    private static Gateway gateway;

    @BeforeAll
    static void start() throws Exception {
        gateway = TestGateway.startSandbox(Map.of("kelmu.payment-demand.outbox.poll-ms", "200"));
    }

    @AfterAll
    static void stop() {
        gateway.close();
    }

    @Test
    void r_pay_1_aSubmittedDemandIsAnsweredAndListed() throws Exception {
        Document submit = sample("submit-payment-demand.xml", "9000001-1");
        SoapHttp.Response answer = SoapHttp.post(gateway.paymentDemandServiceUrl(), sign(submit, "9000001-1"), null);
        assertEquals(200, answer.status(), answer.bodyText());
        Document body = SoapHttp.parse(answer.body());
        String demandId = SoapHttp.text(body, NS, "demandId");
        assertNotNull(demandId);
        assertEquals("false", SoapHttp.text(body, NS, "repeated"));

        Document list = sample("list-payment-demands.xml", "9000001-1");
        SoapHttp.Response listed = SoapHttp.post(gateway.paymentDemandServiceUrl(), sign(list, "9000001-1"), null);
        assertEquals(200, listed.status(), listed.bodyText());
        assertTrue(listed.bodyText().contains(demandId), listed.bodyText());
    }

    static Document sample(String file, String organisation) throws Exception {
        Document doc = SoapHttp.parse(Files.readAllBytes(Path.of("samples", file)));
        ((Element) doc.getElementsByTagNameNS(XRoadHeaders.NS, "client").item(0))
                .getElementsByTagNameNS(XRoadHeaders.ID_NS, "memberCode").item(0).setTextContent(organisation);
        return Signing.freshId(doc);
    }

    static byte[] sign(Document doc, String organisation) {
        Signing.signerOf(organisation).sign(doc, InboundChain.REQUEST_SIGNED_PARTS, 300);
        return Signing.serialise(doc);
    }
}
