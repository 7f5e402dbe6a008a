package fi.kelmu.gateway.xroad;

import static fi.kelmu.gateway.support.TestData.HVA;
import static fi.kelmu.gateway.support.TestData.KELA;
import static fi.kelmu.gateway.support.TestData.USER;
import static fi.kelmu.gateway.support.TestData.VALID_REQUEST;
import static fi.kelmu.gateway.support.Tampering.first;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fi.kelmu.gateway.fault.FaultCode;
import fi.kelmu.gateway.fault.GatewayException;
import fi.kelmu.gateway.identifier.PersonalIdentityCode;
import fi.kelmu.gateway.security.VerifiedMessage;
import fi.kelmu.gateway.support.Signing;
import fi.kelmu.gateway.support.SoapHttp;
import fi.kelmu.gateway.xml.Dom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import javax.xml.namespace.QName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/**
 * {@link XRoadHeaderReader} on its own: {@link XRoadHeaderReader#read} on a {@link VerifiedMessage} made directly
 * from a parsed fixture (the test chooses which header elements the signature covers), and
 * {@link XRoadHeaderReader#validate} against the body's operation. Each refusal is asserted by its fault code
 * and by its logged reason ({@link GatewayException#getMessage()}).
 */
class XRoadHeaderReaderTest {

    private static final String OPERATION = "getBenefitData";

    /** The gateway as application.properties names it in X-Road. */
    private final XRoadHeaderReader reader = new XRoadHeaderReader(new ServiceIdentity("FI", "GOV", KELA, "kelmu", "v1"));

    // --- read: six headers, each once, each signed

    @Test
    void allSixHeadersPresentAndSignedAreRead() {
        XRoadHeaders headers = reader.read(verified(valid()));

        assertEquals(new XRoadIdentifier("SUBSYSTEM", "FI", "GOV", HVA, "sosiaalipalvelut", null, null), headers.client());
        assertEquals(new XRoadIdentifier("SERVICE", "FI", "GOV", KELA, "kelmu", OPERATION, "v1"), headers.service());
        assertEquals("7f3c2b1e-5d0a-4c1e-9a59-2f1f6b0d1c01", headers.id());
        assertEquals("FI" + USER, headers.userId());
        assertEquals(USER, headers.userHetu());
        assertEquals("ASIA-2026-0042", headers.issue());
        assertEquals("4.0", headers.protocolVersion());
    }

    @Test
    void everyRequestHeaderButTheSecurityHeaderIsEchoedInOrder() {
        Document doc = Signing.signedDocument(VALID_REQUEST, Signing.signerOf(HVA));
        List<Element> inHeader = Dom.children(Dom.soapHeader(doc.getDocumentElement()));
        assertEquals("Security", inHeader.get(0).getLocalName(), "the signer puts its Security header first");

        List<Element> echoed = reader.read(verified(doc)).headersToEcho();

        assertEquals(List.of("client", "service", "id", "userId", "issue", "protocolVersion"),
                echoed.stream().map(Element::getLocalName).toList());
        for (int i = 0; i < echoed.size(); i++) {
            assertSame(inHeader.get(i + 1), echoed.get(i), "the request's own element, not a copy");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("requestHeaders")
    void missingHeaderIsRefusedNamingIt(String name) {
        Document doc = valid();
        Element header = first(doc, XRoadHeaders.NS, name);
        header.getParentNode().removeChild(header);

        GatewayException e = refusedToRead(verified(doc), FaultCode.MISSING_HEADER, "X-Road header " + name + " missing");
        assertEquals("Missing header: '" + name + "'.", e.callerDetail());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("requestHeaders")
    void headerNotCoveredByTheSignatureIsRefused(String name) {
        refusedToRead(verifiedWithout(valid(), name), FaultCode.PART_NOT_SIGNED, "X-Road header " + name + " not signed");
    }

    static Stream<String> requestHeaders() {
        return XRoadHeaders.REQUEST_HEADERS.stream().map(QName::getLocalPart);
    }

    @Test
    void unknownXRoadHeaderInARequestIsRefused() {
        Document doc = valid();
        Element requestHash = doc.createElementNS(XRoadHeaders.NS, "xrd:requestHash");
        requestHash.setTextContent("AAAA");
        Dom.soapHeader(doc.getDocumentElement()).appendChild(requestHash);

        GatewayException e = refusedToRead(verified(doc), FaultCode.INVALID_HEADER,
                "unexpected X-Road header {" + XRoadHeaders.NS + "}requestHash");
        assertEquals("Header 'requestHash' is not allowed in a request.", e.callerDetail());
    }

    @Test
    void duplicateHeaderIsRefusedAsInconsistent() {
        Document doc = SoapHttp.parse(SoapHttp.fixture("duplicate-client-header.xml"));

        GatewayException e = refusedToRead(verified(doc), FaultCode.INCONSISTENT_HEADERS,
                "duplicate X-Road header {" + XRoadHeaders.NS + "}client");
        assertEquals("Header 'client' appears more than once.", e.callerDetail());
    }

    @Test
    void anUnsignedHeaderOfAnotherNamespaceIsNotTheReadersToRefuseAndIsEchoed() {
        Document doc = valid();
        Element other = doc.createElementNS("urn:other", "o:Other");
        Dom.soapHeader(doc.getDocumentElement()).appendChild(other);
        VerifiedMessage message = verified(doc);
        assertFalse(message.covers(other));

        List<Element> echoed = reader.read(message).headersToEcho();

        assertSame(other, echoed.get(echoed.size() - 1));
    }

    // --- validate: the values, against this gateway and the body's operation

    @Test
    void validHeadersForTheBodysOperationPass() {
        reader.validate(read(valid()), OPERATION);
    }

    @Test
    void protocolVersionOtherThanFourIsRefused() {
        Document doc = valid();
        first(doc, XRoadHeaders.NS, "protocolVersion").setTextContent("3.0");
        refusedToValidate(doc, OPERATION, FaultCode.INVALID_PROTOCOL_VERSION, "protocolVersion '3.0'");
    }

    @Test
    void clientOfObjectTypeServiceIsRefused() {
        Document doc = valid();
        first(doc, XRoadHeaders.NS, "client").setAttributeNS(XRoadHeaders.ID_NS, "id:objectType", "SERVICE");
        refusedToValidate(doc, OPERATION, FaultCode.INVALID_HEADER, "client objectType SERVICE");
    }

    @Test
    void serviceOfObjectTypeMemberIsRefused() {
        Document doc = valid();
        first(doc, XRoadHeaders.NS, "service").setAttributeNS(XRoadHeaders.ID_NS, "id:objectType", "MEMBER");
        refusedToValidate(doc, OPERATION, FaultCode.INVALID_HEADER, "service objectType MEMBER");
    }

    @Test
    void clientMemberCodeFailingTheYTunnusCheckIsRefused() {
        Document doc = valid();
        identifierPart(doc, "client", "memberCode").setTextContent("9000001-2");
        refusedToValidate(doc, OPERATION, FaultCode.INVALID_BUSINESS_ID,
                "client memberCode '9000001-2' fails the Y-tunnus check");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"010594Y9032", "SE010594Y9032", "fi010594Y9032"})
    void userIdWithoutTheFiPrefixIsRefused(String userId) {
        Document doc = valid();
        first(doc, XRoadHeaders.NS, "userId").setTextContent(userId);
        refusedToValidate(doc, OPERATION, FaultCode.INVALID_PERSONAL_IDENTITY_CODE, "userId fails the henkilötunnus check");
    }

    @Test
    void userIdWithAnInvalidHenkilotunnusIsRefused() {
        assertFalse(PersonalIdentityCode.isValid("010594Y9033"), "a wrong check character");
        Document doc = valid();
        first(doc, XRoadHeaders.NS, "userId").setTextContent("FI010594Y9033");
        refusedToValidate(doc, OPERATION, FaultCode.INVALID_PERSONAL_IDENTITY_CODE, "userId fails the henkilötunnus check");
    }

    @Test
    void serviceAddressedToAnotherMemberIsRefused() {
        Document doc = valid();
        identifierPart(doc, "service", "memberCode").setTextContent("0101263-6");
        GatewayException e = refusedToValidate(doc, OPERATION, FaultCode.INCONSISTENT_HEADERS,
                "service header SERVICE:FI/GOV/0101263-6/kelmu/getBenefitData/v1 is not this gateway");
        assertEquals("The service header does not address this service.", e.callerDetail());
    }

    @Test
    void serviceAddressedToAnotherSubsystemIsRefused() {
        Document doc = valid();
        identifierPart(doc, "service", "subsystemCode").setTextContent("other");
        refusedToValidate(doc, OPERATION, FaultCode.INCONSISTENT_HEADERS, "is not this gateway");
    }

    @Test
    void anotherServiceVersionIsRefused() {
        Document doc = valid();
        identifierPart(doc, "service", "serviceVersion").setTextContent("v2");
        GatewayException e = refusedToValidate(doc, OPERATION, FaultCode.INCONSISTENT_HEADERS, "serviceVersion v2");
        assertEquals("Unknown serviceVersion; this service is version v1.", e.callerDetail());
    }

    @Test
    void serviceCodeOtherThanTheBodysOperationIsRefused() {
        refusedToValidate(valid(), "getBasicSocialAssistance", FaultCode.INCONSISTENT_HEADERS,
                "serviceCode getBenefitData but body operation getBasicSocialAssistance");
    }

    // --- helpers

    /** The valid request fixture, parsed; no signature: {@link #verified} says what counts as signed. */
    private static Document valid() {
        return SoapHttp.parse(SoapHttp.fixture(VALID_REQUEST));
    }

    /** What the verifier returns for a signature over the Body and every X-Road header (and nothing else). */
    private static VerifiedMessage verified(Document doc) {
        return verifiedWithout(doc);
    }

    /** As {@link #verified(Document)}, but the signature does not cover the X-Road headers {@code uncovered}. */
    private static VerifiedMessage verifiedWithout(Document doc, String... uncovered) {
        Element envelope = doc.getDocumentElement();
        List<Element> covered = new ArrayList<>();
        covered.add(Dom.firstChild(envelope, Dom.SOAP_NS, "Body"));
        for (Element header : Dom.children(Dom.soapHeader(envelope))) {
            if (XRoadHeaders.NS.equals(header.getNamespaceURI()) && !List.of(uncovered).contains(header.getLocalName())) {
                covered.add(header);
            }
        }
        return new VerifiedMessage(envelope, null, new byte[0], Instant.now(), null, Set.copyOf(covered));
    }

    private XRoadHeaders read(Document doc) {
        return reader.read(verified(doc));
    }

    private static Element identifierPart(Document doc, String header, String part) {
        return (Element) first(doc, XRoadHeaders.NS, header).getElementsByTagNameNS(XRoadHeaders.ID_NS, part).item(0);
    }

    private GatewayException refusedToRead(VerifiedMessage message, FaultCode code, String reason) {
        return refused(() -> reader.read(message), code, reason);
    }

    private GatewayException refusedToValidate(Document doc, String operation, FaultCode code, String reason) {
        XRoadHeaders headers = read(doc);
        return refused(() -> reader.validate(headers, operation), code, reason);
    }

    private static GatewayException refused(Executable step, FaultCode code, String reason) {
        GatewayException e = assertThrows(GatewayException.class, step);
        assertEquals(code, e.faultCode(), e.getMessage());
        assertTrue(e.getMessage().contains(reason), () -> "logged reason: " + e.getMessage());
        return e;
    }
}
