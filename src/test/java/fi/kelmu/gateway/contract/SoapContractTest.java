package fi.kelmu.gateway.contract;

import static fi.kelmu.gateway.support.TestData.BENEFIT_NS;
import static fi.kelmu.gateway.support.TestData.HVA;
import static fi.kelmu.gateway.transport.FaultTranslator.COMMON_NS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fi.kelmu.gateway.support.Signing;
import fi.kelmu.gateway.support.SoapHttp;
import fi.kelmu.gateway.support.GatewayExtension;
import fi.kelmu.gateway.xroad.XRoadHeaders;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/**
 * The wire contract, byte for byte: raw SOAP requests from fixture files against a sandbox gateway on a
 * free port. X-Road header echo, requestHash, and a typed fault with a correlation id for every bad input.
 */
class SoapContractTest {

    @RegisterExtension
    static final GatewayExtension GATEWAY = GatewayExtension.sandbox().build();

    @Test
    void validRequestReturnsTheRequestedViewsOfTheClient() {
        SoapHttp.Response response = SoapHttp.post(GATEWAY.serviceUrl(),
                Signing.signedFixture("get-benefit-data-hva.xml", HVA), "urn:fi:kelmu:benefit:v1#getBenefitData");
        assertEquals(200, response.status(), response.bodyText());
        Document doc = response.document();
        assertEquals("010180-9026", SoapHttp.text(doc, BENEFIT_NS, "clientId"));
        assertEquals(2, SoapHttp.count(doc, BENEFIT_NS, "returnedView"));
        assertEquals(2, SoapHttp.count(doc, BENEFIT_NS, "decision"));
        assertEquals(3, SoapHttp.count(doc, BENEFIT_NS, "payment"));
        assertEquals(0, SoapHttp.count(doc, BENEFIT_NS, "insuranceStatus"), "a view not asked for is not returned");
        assertNotNull(response.correlationId());
    }

    @Test
    void responseEchoesEveryRequestHeaderInOrderWithTheSameValuesThenRequestHash() throws Exception {
        byte[] request = Signing.signedFixture("get-benefit-data-hva.xml", HVA);
        SoapHttp.Response response = SoapHttp.post(GATEWAY.serviceUrl(), request, null);
        assertEquals(200, response.status(), response.bodyText());

        // each side's own WS-Security header is not part of the echo
        List<Element> sent = withoutSecurity(SoapHttp.headerElements(SoapHttp.parse(request)));
        List<Element> received = withoutSecurity(SoapHttp.headerElements(response.document()));
        assertEquals(sent.size() + 2, received.size(), "every request header, requestHash and the access receipt");
        for (int i = 0; i < sent.size(); i++) {
            Element s = sent.get(i);
            Element r = received.get(i);
            assertEquals(s.getNamespaceURI(), r.getNamespaceURI());
            assertEquals(s.getLocalName(), r.getLocalName(), "header " + i + " in request order");
            assertEquals(s.getTextContent(), r.getTextContent(), "header " + s.getLocalName() + " has the value sent");
            assertEquals(s.getAttributeNS(XRoadHeaders.ID_NS, "objectType"),
                    r.getAttributeNS(XRoadHeaders.ID_NS, "objectType"));
        }
        Element hash = received.get(received.size() - 2);
        assertEquals("accessReceipt", received.get(received.size() - 1).getLocalName(), "the answer carries data");
        assertEquals(XRoadHeaders.NS, hash.getNamespaceURI());
        assertEquals("requestHash", hash.getLocalName());
        assertEquals("http://www.w3.org/2001/04/xmlenc#sha512", hash.getAttribute("algorithmId"));
        String expected = Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-512").digest(request));
        assertEquals(expected, hash.getTextContent(), "hash of the raw request bytes");
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "invalid-view.xml,                  Client.InvalidRequest",
        "unexpected-element.xml,            Client.InvalidRequest",
        "bad-henkilotunnus.xml,             Client.InvalidPersonalIdentityCode",
        "invalid-user-id.xml,               Client.InvalidPersonalIdentityCode",
        "invalid-client-business-id.xml,    Client.OrganisationMismatch",
        "missing-userid-header.xml,         Client.MissingHeader",
        "malformed-header.xml,              Client.InvalidHeader",
        "duplicate-client-header.xml,       Client.InconsistentHeaders",
        "service-code-mismatch.xml,         Client.InconsistentHeaders",
        "other-provider.xml,                Client.InconsistentHeaders",
        "wrong-protocol-version.xml,        Client.InvalidProtocolVersion",
        "unknown-purpose.xml,               Client.UnknownPurpose",
        "purpose-not-allowed.xml,           Client.PurposeNotAllowed",
        "unknown-client.xml,                Client.UnknownClient",
    })
    void badInputGetsItsTypedFaultWithACorrelationId(String fixture, String code) {
        assertFault(SoapHttp.post(GATEWAY.serviceUrl(), Signing.signedFixture(fixture, HVA), null), code);
    }

    @Test
    void notXmlIsAnInvalidRequest() {
        assertFault(SoapHttp.post(GATEWAY.serviceUrl(), SoapHttp.fixture("not-xml.xml"), null), "Client.InvalidRequest");
    }

    @Test
    void organisationTheRegistryDoesNotKnowIsRefusedEvenWithATrustedCertificate() {
        var signer = Signing.signerIssuedByCa("0201256-6", null, Instant.now().minusSeconds(60),
                Instant.now().plusSeconds(3600));
        assertFault(SoapHttp.post(GATEWAY.serviceUrl(), Signing.signedFixture("unknown-organisation.xml", signer), null),
                "Client.UnknownOrganisation");
    }

    @Test
    void viewThePurposeDoesNotAllowIsRefusedR_VIEW_3() {
        byte[] request = Signing.signedFixture("view-not-allowed.xml", "9000005-4");
        assertFault(SoapHttp.post(GATEWAY.serviceUrl(), request, null), "Client.ViewNotAllowed");
    }

    @Test
    void kuntayhtymaWhoseContractEndedIsRefusedR_CONT_3() {
        byte[] request = Signing.signedFixture("get-benefit-data-kuntayhtyma.xml", "9000008-9");
        assertFault(SoapHttp.post(GATEWAY.serviceUrl(), request, null), "Client.NoValidContract");
    }

    private static void assertFault(SoapHttp.Response response, String code) {
        assertEquals(500, response.status(), "SOAP 1.1 faults travel with HTTP 500");
        Document doc = response.document();
        assertEquals("soap:" + code, SoapHttp.text(doc, null, "faultcode").strip());
        assertEquals(code, SoapHttp.text(doc, COMMON_NS, "code"));
        String correlationId = SoapHttp.text(doc, COMMON_NS, "correlationId");
        assertNotNull(correlationId);
        assertEquals(response.correlationId(), correlationId, "the same id in the fault and the HTTP header");
        assertTrue(SoapHttp.text(doc, null, "faultstring").contains(correlationId));
        assertEquals(fi.kelmu.gateway.fault.FaultCode.TABLE_VERSION, SoapHttp.text(doc, COMMON_NS, "faultTableVersion"));
    }

    private static List<Element> withoutSecurity(List<Element> headers) {
        return headers.stream().filter(h -> !"Security".equals(h.getLocalName())).toList();
    }

    @Test
    void faultsSayNothingInternal() {
        SoapHttp.Response response = SoapHttp.post(GATEWAY.serviceUrl(), Signing.signedFixture("unknown-client.xml", HVA),
                null);
        String body = response.bodyText();
        assertTrue(!body.contains("Exception") && !body.contains("http://127.0.0.1") && !body.contains("at fi.kelmu"),
                body);
    }
}
