package fi.kelmu.gateway.contract;

import static fi.kelmu.gateway.support.TestData.BENEFIT_NS;
import static fi.kelmu.gateway.support.TestData.HVA;
import static fi.kelmu.gateway.support.TestData.KELA;
import static fi.kelmu.gateway.support.TestData.VALID_REQUEST;
import static fi.kelmu.gateway.support.Tampering.first;
import static fi.kelmu.gateway.transport.FaultTranslator.COMMON_NS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fi.kelmu.gateway.Gateway;
import fi.kelmu.gateway.sandbox.SandboxPki;
import fi.kelmu.gateway.security.CertificateTrust;
import fi.kelmu.gateway.security.MessageSignatureVerifier;
import fi.kelmu.gateway.security.SecurityMaterial;
import fi.kelmu.gateway.security.VerifiedMessage;
import fi.kelmu.gateway.support.GatewayExtension;
import fi.kelmu.gateway.support.Signing;
import fi.kelmu.gateway.support.XRoadClientHeaders;
import fi.kelmu.gateway.support.SoapHttp;
import fi.kelmu.gateway.support.TestGateway;
import fi.kelmu.gateway.transport.AccessReceiptHeader;
import fi.kelmu.gateway.transport.InboundChain;
import fi.kelmu.gateway.xroad.XRoadHeaders;
import java.security.KeyStore;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.xml.namespace.QName;
import org.apache.wss4j.common.crypto.Merlin;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/**
 * The X-Road 4.0 headers through a whole sandbox gateway (docs/contract.md, "X-Road headers"): {@code issue} and
 * {@code securityServer} optional, signed and echoed when sent; a client's objectType consistent with its parts;
 * MEMBER clients served only when {@code kelmu.xroad.accept-member-clients} says so (this gateway: X-Road's
 * default, subsystems only); malformed values refused by the gateway's reader and malformed structure by CXF's
 * schema validation. Each refusal by its fault code and the caller detail that says which check refused it (the
 * logged reasons are XRoadHeaderReaderTest's).
 */
class XRoadHeadersGatewayTest {

    @RegisterExtension
    static final GatewayExtension GATEWAY = GatewayExtension.sandbox()
            .property("kelmu.xroad.accept-member-clients", "false").build();

    private static final String ACTION = "urn:fi:kelmu:benefit:v1#getBenefitData";

    // --- issue: optional

    @Test
    void requestWithoutIssueIsAnsweredAndItsHeadersEchoed() {
        Document request = Signing.unsignedDocument(VALID_REQUEST);
        XRoadClientHeaders.remove(request, "issue");

        SoapHttp.Response response = post(GATEWAY.serviceUrl(), request);

        assertEquals(200, response.status(), response.bodyText());
        assertEquals("010180-9026", SoapHttp.text(response.document(), BENEFIT_NS, "clientId"));
        assertEquals(List.of("client", "service", "id", "userId", "protocolVersion", "requestHash"),
                xRoadHeaderNames(response.document()));
    }

    // --- securityServer: optional, signed, checked, echoed

    @Test
    void signedSecurityServerIsAnsweredEchoedInItsPlaceAndSignedInTheResponse() throws Exception {
        Document request = XRoadClientHeaders.withSecurityServer(Signing.unsignedDocument(VALID_REQUEST), "FI", "GOV", KELA,
                "ss1.kela.example");

        SoapHttp.Response response = post(GATEWAY.serviceUrl(), request);

        assertEquals(200, response.status(), response.bodyText());
        Document answer = response.document();
        assertEquals(List.of("client", "service", "securityServer", "id", "userId", "issue", "protocolVersion",
                "requestHash"), xRoadHeaderNames(answer));
        Element echoed = first(answer, XRoadHeaders.NS, "securityServer");
        assertEquals("SERVER", echoed.getAttributeNS(XRoadHeaders.ID_NS, "objectType"));
        assertEquals("ss1.kela.example", SoapHttp.text(answer, XRoadHeaders.ID_NS, "serverCode"));
        assertTrue(responseSignature(answer).covers(echoed), "the gateway's signature covers the echoed securityServer");
    }

    @Test
    void securityServerTheRequestSignatureDoesNotCoverIsRefused() {
        Document request = XRoadClientHeaders.withSecurityServer(Signing.unsignedDocument(VALID_REQUEST), "FI", "GOV", KELA, "ss1");
        List<QName> allButSecurityServer = new ArrayList<>(InboundChain.REQUEST_SIGNED_PARTS);
        allButSecurityServer.remove(XRoadHeaders.SECURITY_SERVER);
        Signing.signerOf(HVA).sign(request, allButSecurityServer, 300);

        SoapHttp.Response response = SoapHttp.post(GATEWAY.serviceUrl(), Signing.serialise(request), ACTION);

        assertRefused(response, "Client.PartNotSigned", "Not signed: the X-Road header securityServer.");
    }

    @Test
    void securityServerOfAnotherXRoadInstanceIsRefused() {
        Document request = XRoadClientHeaders.withSecurityServer(Signing.unsignedDocument(VALID_REQUEST), "EE", "GOV", KELA, "ss1");

        assertRefused(post(GATEWAY.serviceUrl(), request), "Client.InconsistentHeaders",
                "The securityServer header names a security server of another X-Road instance; this service is in"
                        + " instance FI.");
    }

    // --- the client: a SUBSYSTEM with its subsystemCode; a MEMBER only where the setting accepts it

    @Test
    void memberClientIsRefusedWhereOnlySubsystemsCall() {
        assertRefused(post(GATEWAY.serviceUrl(), memberClient()), "Client.InvalidHeader",
                "This service is called by X-Road subsystems: send a client of objectType SUBSYSTEM with the"
                        + " subsystemCode of your information system.");
    }

    @Test
    void memberClientIsAnsweredWhereTheSettingAcceptsIt() throws Exception {
        try (Gateway accepting = GATEWAY.startAnother(Map.of("kelmu.xroad.accept-member-clients", "true"))) {
            SoapHttp.Response response = post(accepting.serviceUrl(), memberClient());

            assertEquals(200, response.status(), response.bodyText());
            Element client = first(response.document(), XRoadHeaders.NS, "client");
            assertEquals("MEMBER", client.getAttributeNS(XRoadHeaders.ID_NS, "objectType"), "echoed as sent");
        }
    }

    @Test
    void subsystemClientWithoutSubsystemCodeIsRefused() {
        Document request = Signing.unsignedDocument(VALID_REQUEST);
        Element subsystem = (Element) first(request, XRoadHeaders.NS, "client")
                .getElementsByTagNameNS(XRoadHeaders.ID_NS, "subsystemCode").item(0);
        subsystem.getParentNode().removeChild(subsystem);

        assertRefused(post(GATEWAY.serviceUrl(), request), "Client.InvalidHeader",
                "A client of objectType SUBSYSTEM must name its subsystemCode.");
    }

    // --- the values narrowed by the reader, the structure by the schema

    @Test
    void identifierWithACharacterXRoadDoesNotAllowIsRefusedByTheReader() {
        byte[] request = Signing.signedFixture("malformed-header.xml", HVA);

        assertRefused(SoapHttp.post(GATEWAY.serviceUrl(), request, ACTION), "Client.InvalidHeader",
                "The client subsystemCode must be 1 to 255 of the X-Road identifier characters"
                        + " A-Z a-z 0-9 ' ( ) + , - . = ?.");
    }

    @Test
    void headerOfAStructureXRoadsSchemaDoesNotAllowIsRefusedBySchemaValidation() {
        // a serviceCode in a client identifier: X-Road's XRoadClientIdentifierType has none, the reader never
        // looks for one, so only the schema can refuse it
        Document request = Signing.unsignedDocument(VALID_REQUEST);
        Element client = first(request, XRoadHeaders.NS, "client");
        Element serviceCode = request.createElementNS(XRoadHeaders.ID_NS, "id:serviceCode");
        serviceCode.setTextContent("getBenefitData");
        client.appendChild(serviceCode);

        // the caller detail is the schema validator's own
        assertRefused(post(GATEWAY.serviceUrl(), request), "Client.InvalidHeader", "cvc-complex-type.2.4.d",
                "'id:serviceCode'");
    }

    // --- helpers

    private static SoapHttp.Response post(String url, Document unsigned) {
        return SoapHttp.post(url, Signing.sign(unsigned, Signing.signerOf(HVA)), ACTION);
    }

    /** A fault of {@code code} with a correlation id, whose text tells the caller each of {@code callerDetail}. */
    private static void assertRefused(SoapHttp.Response response, String code, String... callerDetail) {
        assertEquals(500, response.status(), response.bodyText());
        Document fault = response.document();
        assertEquals(code, SoapHttp.text(fault, COMMON_NS, "code"), response.bodyText());
        assertNotNull(SoapHttp.text(fault, COMMON_NS, "correlationId"));
        String faultString = SoapHttp.text(fault, null, "faultstring");
        for (String detail : callerDetail) {
            assertTrue(faultString.contains(detail), faultString);
        }
    }

    /** What the gateway's response signature covers, verified against the sandbox CA. */
    private static VerifiedMessage responseSignature(Document answer) {
        KeyStore trustStore = SecurityMaterial.keyStore(TestGateway.pki().trustStore(), SandboxPki.PASSWORD);
        Merlin tokens = new Merlin();
        tokens.setTrustStore(trustStore);
        List<QName> signed = new ArrayList<>(XRoadHeaders.REQUEST_HEADERS);
        signed.add(XRoadHeaders.REQUEST_HASH);
        signed.add(AccessReceiptHeader.QNAME);
        return new MessageSignatureVerifier(tokens, new CertificateTrust(trustStore, List.of(), false, Duration.ZERO,
                Clock.systemUTC()), 300, 60, signed, Set.of()).verify(answer);
    }

    /** The valid request with the member itself as its client: objectType MEMBER, no subsystemCode. */
    private static Document memberClient() {
        Document request = Signing.unsignedDocument(VALID_REQUEST);
        Element client = first(request, XRoadHeaders.NS, "client");
        client.setAttributeNS(XRoadHeaders.ID_NS, "id:objectType", "MEMBER");
        Element subsystem = (Element) client.getElementsByTagNameNS(XRoadHeaders.ID_NS, "subsystemCode").item(0);
        client.removeChild(subsystem);
        return request;
    }

    private static List<String> xRoadHeaderNames(Document envelope) {
        return SoapHttp.headerElements(envelope).stream().filter(h -> XRoadHeaders.NS.equals(h.getNamespaceURI()))
                .map(Element::getLocalName).toList();
    }
}
