package fi.kelmu.gateway.transport;

import static fi.kelmu.gateway.support.TestData.BENEFIT_NS;
import static fi.kelmu.gateway.support.TestData.CLIENT;
import static fi.kelmu.gateway.support.TestData.HVA;
import static fi.kelmu.gateway.support.TestData.KELA;
import static fi.kelmu.gateway.support.TestData.MUUT_ETUUDET;
import static fi.kelmu.gateway.support.TestData.USER;
import static fi.kelmu.gateway.transport.FaultTranslator.COMMON_NS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fi.kelmu.gateway.support.BenefitRequests;
import fi.kelmu.gateway.support.GatewayExtension;
import fi.kelmu.gateway.support.SoapHttp;
import fi.kelmu.gateway.support.XRoadClientHeaders;
import fi.kelmu.gateway.xroad.XRoadHeaders;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/**
 * A fault never quotes a value the caller sent (issue 10 item 11): a schema-validation fault names the rule, the
 * element and the contract's type, not the invalid value; neither does a refusal of an unknown purpose or of a
 * securityServer of another X-Road instance. (The X-Road headers themselves are echoed, as the protocol wants; the
 * body never is.)
 */
class FaultsQuoteNoInputTest {

    @RegisterExtension
    static final GatewayExtension GATEWAY = GatewayExtension.sandbox().build();

    @Test
    void anInvalidClientIdIsNotQuoted() {
        String invalid = "SECRET12345";
        SoapHttp.Response response = send(BenefitRequests.benefitData(HVA, USER, invalid, MUUT_ETUUDET));

        assertFault(response, "Client.InvalidRequest", invalid);
        assertFalse(response.bodyText().contains(invalid), response.bodyText());
        assertTrue(faultString(response).contains("PersonalIdentityCode"), "names the contract's type: "
                + faultString(response));
    }

    @Test
    void aViewOutsideTheEnumerationIsNotQuoted() {
        String invalid = "SECRET_VIEW_OF_THE_CALLER";
        SoapHttp.Response response = send(BenefitRequests.withViews(
                BenefitRequests.benefitData(HVA, USER, CLIENT, MUUT_ETUUDET), invalid));

        assertFault(response, "Client.InvalidRequest", invalid);
        assertFalse(response.bodyText().contains(invalid), response.bodyText());
        assertTrue(faultString(response).contains("BENEFIT_DECISIONS"), "names the views of the contract: "
                + faultString(response));
    }

    @Test
    void aPurposeTooLongForTheContractIsNotQuoted() {
        String invalid = "SECRET_" + "X".repeat(70);
        SoapHttp.Response response = send(BenefitRequests.benefitData(HVA, USER, CLIENT, invalid));

        assertFault(response, "Client.InvalidRequest", invalid);
        assertFalse(response.bodyText().contains("SECRET_"), response.bodyText());
    }

    @Test
    void anUnknownPurposeIsNotQuoted() {
        String unknown = "SECRET_PURPOSE_OF_THE_CALLER";
        SoapHttp.Response response = send(BenefitRequests.benefitData(HVA, USER, CLIENT, unknown));

        assertFault(response, "Client.UnknownPurpose", unknown);
        assertFalse(response.bodyText().contains(unknown), response.bodyText());
    }

    @Test
    void anInvalidHeaderAttributeIsNotQuotedInTheFault() {
        String invalid = "SECRETTYPE";
        Document request = BenefitRequests.benefitData(HVA, USER, CLIENT, MUUT_ETUUDET);
        Element client = (Element) request.getElementsByTagNameNS(XRoadHeaders.NS, "client").item(0);
        client.setAttributeNS(XRoadHeaders.ID_NS, "id:objectType", invalid);

        // the headers are echoed as sent; the fault's own text does not quote them
        assertFault(send(request), null, invalid);
    }

    @Test
    void aSecurityServerOfAnotherInstanceIsNotQuotedInTheFault() {
        String instance = "SECRETINSTANCE";
        Document request = XRoadClientHeaders.withSecurityServer(BenefitRequests.benefitData(HVA, USER, CLIENT,
                MUUT_ETUUDET), instance, "GOV", KELA, "ss1");

        assertFault(send(request), "Client.InconsistentHeaders", instance);
    }

    @Test
    void anUnknownSignatureAlgorithmIsNotQuoted() {
        String invented = "urn:SECRET-algorithm-of-the-caller";
        String signed = new String(BenefitRequests.signed(BenefitRequests.benefitData(HVA, USER, CLIENT, MUUT_ETUUDET)),
                java.nio.charset.StandardCharsets.UTF_8);
        String tampered = signed.replaceFirst("(<ds:SignatureMethod Algorithm=\")[^\"]*", "$1" + invented);
        assertTrue(tampered.contains(invented), "the request names the invented algorithm");
        SoapHttp.Response response = SoapHttp.post(GATEWAY.serviceUrl(),
                tampered.getBytes(java.nio.charset.StandardCharsets.UTF_8), null);

        assertFault(response, null, invented);
        assertFalse(response.bodyText().contains("SECRET"), response.bodyText());
    }

    @Test
    void aWellKnownRefusedAlgorithmIsStillNamed() {
        String sha1 = "http://www.w3.org/2000/09/xmldsig#rsa-sha1";
        String signed = new String(BenefitRequests.signed(BenefitRequests.benefitData(HVA, USER, CLIENT, MUUT_ETUUDET)),
                java.nio.charset.StandardCharsets.UTF_8);
        SoapHttp.Response response = SoapHttp.post(GATEWAY.serviceUrl(), signed.replaceFirst(
                "(<ds:SignatureMethod Algorithm=\")[^\"]*", "$1" + sha1).getBytes(java.nio.charset.StandardCharsets.UTF_8),
                null);

        assertEquals("soap:Client.AlgorithmNotAllowed", response.faultCode().strip(), response.bodyText());
        assertTrue(faultString(response).contains(sha1), faultString(response));
    }

    // --- helpers

    private static SoapHttp.Response send(Document request) {
        return SoapHttp.post(GATEWAY.serviceUrl(), BenefitRequests.signed(request), null);
    }

    /** A client fault of {@code code} (any client fault when null) whose text does not contain {@code sent}. */
    private static void assertFault(SoapHttp.Response response, String code, String sent) {
        assertEquals(500, response.status(), response.bodyText());
        assertNotNull(response.correlationId());
        if (code != null) {
            assertEquals("soap:" + code, response.faultCode().strip(), faultString(response));
        } else {
            assertTrue(response.faultCode().strip().startsWith("soap:Client."), response.faultCode());
        }
        assertFalse(faultString(response).contains(sent), faultString(response));
        String detail = SoapHttp.text(response.document(), COMMON_NS, "message");
        assertFalse(detail.contains(sent), detail);
        assertEquals(0, response.document().getElementsByTagNameNS(BENEFIT_NS, "clientId").getLength(),
                "a fault carries no body element");
    }

    private static String faultString(SoapHttp.Response response) {
        return SoapHttp.text(response.document(), null, "faultstring");
    }
}
