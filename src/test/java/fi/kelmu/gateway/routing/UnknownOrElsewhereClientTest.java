package fi.kelmu.gateway.routing;

import static fi.kelmu.gateway.support.TestData.HVA;
import static fi.kelmu.gateway.support.TestData.LIVES_IN_VANTAA;
import static fi.kelmu.gateway.support.TestData.MUUT_ETUUDET;
import static fi.kelmu.gateway.support.TestData.USER;
import static fi.kelmu.gateway.transport.FaultTranslator.COMMON_NS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import fi.kelmu.gateway.audit.AccessOutcome;
import fi.kelmu.gateway.audit.AccessRecord;
import fi.kelmu.gateway.fault.FaultCode;
import fi.kelmu.gateway.support.BenefitRequests;
import fi.kelmu.gateway.support.GatewayExtension;
import fi.kelmu.gateway.support.SoapHttp;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.w3c.dom.Document;

/**
 * One caller-facing answer for "no data on this client for you" (issue 10 item 8, fault table 8): a henkilötunnus
 * Kela does not know and a client of Kela's who lives outside the caller's area get the same fault code and text, so
 * that a caller holding a mandate cannot learn whether a person is Kela's client living elsewhere. The access log
 * keeps the precise reason of each refusal.
 */
class UnknownOrElsewhereClientTest {

    /** A valid henkilötunnus the sandbox backend has no data on. */
    private static final String UNKNOWN = "111111-980D";

    @RegisterExtension
    static final GatewayExtension GATEWAY = GatewayExtension.sandbox()
            .withOwnAccessLog()
            .build();



    @Test
    void unknownAndElsewhereClientsGetTheSameAnswerButDifferentRecords() {
        SoapHttp.Response unknown = send(UNKNOWN);
        SoapHttp.Response elsewhere = send(LIVES_IN_VANTAA);

        assertEquals(500, unknown.status(), unknown.bodyText());
        assertEquals(unknown.status(), elsewhere.status());
        assertEquals("soap:Client.UnknownClient", unknown.faultCode().strip());
        assertEquals(unknown.faultCode(), elsewhere.faultCode());
        assertEquals(withoutCorrelationId(unknown, faultString(unknown)),
                withoutCorrelationId(elsewhere, faultString(elsewhere)));
        assertEquals(SoapHttp.text(unknown.document(), COMMON_NS, "code"),
                SoapHttp.text(elsewhere.document(), COMMON_NS, "code"));
        assertEquals(withoutCorrelationId(unknown, SoapHttp.text(unknown.document(), COMMON_NS, "message")),
                withoutCorrelationId(elsewhere, SoapHttp.text(elsewhere.document(), COMMON_NS, "message")));
        assertNotEquals(unknown.correlationId(), elsewhere.correlationId());
        assertFalse(elsewhere.bodyText().contains("ClientOutsideArea"), elsewhere.bodyText());
        assertFalse(elsewhere.bodyText().contains(LIVES_IN_VANTAA), "a refusal names no client");

        AccessRecord unknownRecord = onlyRecordOf(unknown);
        AccessRecord elsewhereRecord = onlyRecordOf(elsewhere);
        assertEquals(AccessOutcome.REFUSED, unknownRecord.outcome());
        assertEquals(FaultCode.UNKNOWN_CLIENT, unknownRecord.faultCode());
        assertEquals(UNKNOWN, unknownRecord.personId());
        assertEquals(AccessOutcome.REFUSED, elsewhereRecord.outcome());
        assertEquals(FaultCode.CLIENT_OUTSIDE_AREA, elsewhereRecord.faultCode());
        assertEquals(LIVES_IN_VANTAA, elsewhereRecord.personId());
    }

    // --- helpers

    private static SoapHttp.Response send(String client) {
        Document request = BenefitRequests.benefitData(HVA, USER, client, MUUT_ETUUDET);
        return SoapHttp.post(GATEWAY.serviceUrl(), BenefitRequests.signed(request), null);
    }

    private static String faultString(SoapHttp.Response response) {
        return SoapHttp.text(response.document(), null, "faultstring");
    }

    private static String withoutCorrelationId(SoapHttp.Response response, String text) {
        assertNotNull(response.correlationId());
        assertNotNull(text);
        String without = text.replace(response.correlationId(), "<correlation id>");
        assertNotEquals(text, without, "the text names the correlation id: " + text);
        return without;
    }

    private static synchronized AccessRecord onlyRecordOf(SoapHttp.Response response) {
        List<AccessRecord> records = GATEWAY.accessRecordsOf(response.correlationId());
        assertEquals(1, records.size(), "records of correlation id " + response.correlationId());
        return records.get(0);
    }
}
