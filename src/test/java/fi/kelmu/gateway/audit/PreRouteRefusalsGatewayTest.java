package fi.kelmu.gateway.audit;

import static fi.kelmu.gateway.support.TestData.HVA;
import static fi.kelmu.gateway.support.TestData.LIVES_IN_HANKO;
import static fi.kelmu.gateway.support.TestData.MUUT_ETUUDET;
import static fi.kelmu.gateway.support.TestData.REVOKED_USER;
import static fi.kelmu.gateway.support.TestData.VALID_REQUEST;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import fi.kelmu.gateway.fault.FaultCode;
import fi.kelmu.gateway.support.BenefitRequests;
import fi.kelmu.gateway.support.GatewayExtension;
import fi.kelmu.gateway.support.Signing;
import fi.kelmu.gateway.support.SoapHttp;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Every refusal of an authenticated caller is recorded, those raised before the routes too (issue 10 item 7,
 * docs/access-log.md "Refusals before the routes"): a schema error, a SOAPAction of another operation, a
 * serviceCode that is not the body's, a wrong protocol version and a replay each leave one REFUSED record with
 * the caller, its fault code and the client when it was readable; a request whose caller is not known leaves none,
 * and a refusal in a route is recorded once, not twice.
 */
class PreRouteRefusalsGatewayTest {

    @RegisterExtension
    static final GatewayExtension GATEWAY = GatewayExtension.sandbox()
            .withOwnAccessLog()
            .build();



    @Test
    void schemaErrorOfAnAuthenticatedCallerIsRecorded() {
        AccessRecord record = onlyRecordOf(send(Signing.signedFixture("unexpected-element.xml", HVA), null),
                FaultCode.INVALID_REQUEST);
        assertEquals(HVA, record.organisationId());
        assertEquals("010180-9026", record.personId(), "the client, readable although the body is invalid");
        assertEquals("MUUT_ETUUDET", record.purpose());
    }

    @Test
    void soapActionOfAnotherOperationIsRecorded() {
        AccessRecord record = onlyRecordOf(send(Signing.signedFixture(VALID_REQUEST, HVA),
                "urn:fi:kelmu:benefit:v1#getBasicSocialAssistance"), FaultCode.SOAP_ACTION_MISMATCH);
        assertEquals("010180-9026", record.personId());
    }

    @Test
    void serviceCodeOfAnotherOperationIsRecorded() {
        AccessRecord record = onlyRecordOf(send(Signing.signedFixture("service-code-mismatch.xml", HVA), null),
                FaultCode.INCONSISTENT_HEADERS);
        assertEquals("getBenefitData", record.operation(), "the operation the contract bound, not the header's");
    }

    @Test
    void wrongProtocolVersionIsRecorded() {
        onlyRecordOf(send(Signing.signedFixture("wrong-protocol-version.xml", HVA), null),
                FaultCode.INVALID_PROTOCOL_VERSION);
    }

    @Test
    void replayedMessageIsRecorded() {
        byte[] request = BenefitRequests.signed(BenefitRequests.benefitData(HVA, REVOKED_USER, LIVES_IN_HANKO,
                MUUT_ETUUDET));
        send(request, null);
        onlyRecordOf(send(request, null), FaultCode.REPLAYED_MESSAGE);
    }

    @Test
    void aRefusalInARouteIsRecordedOnceNotTwice() {
        onlyRecordOf(send(BenefitRequests.signed(BenefitRequests.benefitData(HVA, REVOKED_USER, LIVES_IN_HANKO,
                MUUT_ETUUDET)), null), FaultCode.MANDATE_MISSING);
    }

    @Test
    void aRecordNamesNoClientThatIsNotAValidHenkilotunnus() {
        String fixture = new String(SoapHttp.fixture("unexpected-element.xml"), java.nio.charset.StandardCharsets.UTF_8)
                .replace("<bi:clientId>010180-9026</bi:clientId>", "<bi:clientId>forged' OR 1=1</bi:clientId>");
        byte[] signed = Signing.sign(SoapHttp.parse(fixture.getBytes(java.nio.charset.StandardCharsets.UTF_8)),
                Signing.signerOf(HVA));
        AccessRecord record = onlyRecordOf(send(signed, null), FaultCode.INVALID_REQUEST);
        assertNull(record.personId());
    }

    @Test
    void aRequestWhoseCallerIsUnknownLeavesNoRecord() {
        SoapHttp.Response unsigned = send(SoapHttp.fixture(VALID_REQUEST), null);
        assertEquals("soap:Client.SignatureRequired", unsigned.faultCode().strip());
        assertEquals(List.of(), recordsOf(unsigned));
    }

    private static SoapHttp.Response send(byte[] request, String soapAction) {
        return SoapHttp.post(GATEWAY.serviceUrl(), request, soapAction);
    }

    private static AccessRecord onlyRecordOf(SoapHttp.Response response, FaultCode code) {
        assertEquals("soap:" + code.code(), response.faultCode().strip(), response.bodyText());
        List<AccessRecord> records = recordsOf(response);
        assertEquals(1, records.size(), "records of " + response.correlationId());
        AccessRecord record = records.get(0);
        assertEquals(AccessOutcome.REFUSED, record.outcome());
        assertEquals(code, record.faultCode());
        return record;
    }

    private static List<AccessRecord> recordsOf(SoapHttp.Response response) {
        return GATEWAY.accessRecordsOf(response.correlationId());
    }
}
