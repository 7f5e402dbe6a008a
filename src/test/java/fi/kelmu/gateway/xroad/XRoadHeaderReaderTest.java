package fi.kelmu.gateway.xroad;

import fi.kelmu.gateway.support.XRoadClientHeaders;

import static fi.kelmu.gateway.support.TestData.HVA;
import static fi.kelmu.gateway.support.TestData.KELA;
import static fi.kelmu.gateway.support.TestData.USER;
import static fi.kelmu.gateway.support.TestData.VALID_REQUEST;
import static fi.kelmu.gateway.support.Tampering.first;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
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
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import javax.xml.namespace.QName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
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
    private static final ServiceIdentity KELMU = new ServiceIdentity("FI", "GOV", KELA, "kelmu", "v1", false);

    /** With X-Road's default: only subsystems call. */
    private final XRoadHeaderReader reader = new XRoadHeaderReader(KELMU, MemberClients.REFUSED);

    // --- the header lists

    @Test
    void theRequestHeadersAreTheRequiredAndTheOptionalOnesEachOnce() {
        Set<QName> all = new HashSet<>(XRoadHeaders.REQUIRED_HEADERS);
        all.addAll(XRoadHeaders.OPTIONAL_HEADERS);
        assertEquals(XRoadHeaders.REQUIRED_HEADERS.size() + XRoadHeaders.OPTIONAL_HEADERS.size(), all.size(),
                "no header both required and optional");
        assertEquals(all, Set.copyOf(XRoadHeaders.REQUEST_HEADERS));
        assertEquals(all.size(), XRoadHeaders.REQUEST_HEADERS.size());
        assertEquals(List.of("client", "service", "id", "userId", "protocolVersion"), names(XRoadHeaders.REQUIRED_HEADERS),
                "X-Road requires client, id and protocolVersion; a request needs service, and this service userId");
        assertEquals(List.of("securityServer", "issue"), names(XRoadHeaders.OPTIONAL_HEADERS));
    }

    // --- read: the required headers once, the optional ones at most once, each signed

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
        assertNull(headers.securityServer(), "the fixture targets no security server");
    }

    @Test
    void withoutIssueTheHeadersAreReadAndPass() {
        Document doc = valid();
        XRoadClientHeaders.remove(doc, "issue");

        XRoadHeaders headers = reader.read(verified(doc));

        assertNull(headers.issue());
        assertEquals(List.of("client", "service", "id", "userId", "protocolVersion"),
                headers.headersToEcho().stream().map(Element::getLocalName).toList());
        reader.validate(headers, OPERATION);
    }

    @Test
    void aSignedSecurityServerHeaderIsReadAndEchoedInItsPlace() {
        Document doc = XRoadClientHeaders.withSecurityServer(valid(), "FI", "GOV", KELA, "ss1.kela.example");

        XRoadHeaders headers = reader.read(verified(doc));

        assertEquals(new SecurityServerIdentifier("FI", "GOV", KELA, "ss1.kela.example"), headers.securityServer());
        assertEquals("SERVER:FI/GOV/" + KELA + "/ss1.kela.example", headers.securityServer().toString());
        assertEquals(List.of("client", "service", "securityServer", "id", "userId", "issue", "protocolVersion"),
                headers.headersToEcho().stream().map(Element::getLocalName).toList());
        reader.validate(headers, OPERATION);
    }

    @Test
    void aSecurityServerOfAnotherMemberIsServed() {
        // the provider's security servers may belong to another member (hosting): their business, not the gateway's
        Document doc = XRoadClientHeaders.withSecurityServer(valid(), "FI", "COM", "1234567-1", "hosted-ss");
        reader.validate(read(doc), OPERATION);
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
    @MethodSource("requiredHeaders")
    void missingHeaderIsRefusedNamingIt(String name) {
        Document doc = valid();
        Element header = first(doc, XRoadHeaders.NS, name);
        header.getParentNode().removeChild(header);

        GatewayException e = refusedToRead(verified(doc), FaultCode.MISSING_HEADER, "X-Road header " + name + " missing");
        assertEquals("Missing header: '" + name + "'.", e.callerDetail());
    }

    static Stream<String> requiredHeaders() {
        return XRoadHeaders.REQUIRED_HEADERS.stream().map(QName::getLocalPart);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("requestHeaders")
    void headerNotCoveredByTheSignatureIsRefusedOptionalOnesToo(String name) {
        Document doc = XRoadClientHeaders.withSecurityServer(valid(), "FI", "GOV", KELA, "ss1");
        refusedToRead(verifiedWithout(doc, name), FaultCode.PART_NOT_SIGNED, "X-Road header " + name + " not signed");
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

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"issue", "securityServer"})
    void anOptionalHeaderTwiceIsRefusedAsInconsistent(String name) {
        Document doc = XRoadClientHeaders.withSecurityServer(valid(), "FI", "GOV", KELA, "ss1");
        Element header = first(doc, XRoadHeaders.NS, name);
        header.getParentNode().insertBefore(header.cloneNode(true), header);

        GatewayException e = refusedToRead(verified(doc), FaultCode.INCONSISTENT_HEADERS,
                "duplicate X-Road header {" + XRoadHeaders.NS + "}" + name);
        assertEquals("Header '" + name + "' appears more than once.", e.callerDetail());
    }

    @Test
    void securityServerOfAnotherObjectTypeIsRefused() {
        Document doc = XRoadClientHeaders.withSecurityServer(valid(), "FI", "GOV", KELA, "ss1");
        first(doc, XRoadHeaders.NS, "securityServer").setAttributeNS(XRoadHeaders.ID_NS, "id:objectType", "MEMBER");
        GatewayException e = refusedToRead(verified(doc), FaultCode.INVALID_HEADER, "securityServer objectType MEMBER");
        assertEquals("The securityServer header must be of objectType SERVER.", e.callerDetail());
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

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"GLOBALGROUP", "SERVER", "LOCALGROUP"})
    void clientOfAnObjectTypeThatIsNoClientIsRefused(String type) {
        Document doc = valid();
        first(doc, XRoadHeaders.NS, "client").setAttributeNS(XRoadHeaders.ID_NS, "id:objectType", type);
        GatewayException e = refusedToValidate(doc, OPERATION, FaultCode.INVALID_HEADER, "client objectType " + type);
        assertEquals("The client header must be a MEMBER or SUBSYSTEM.", e.callerDetail());
    }

    @Test
    void clientWithoutObjectTypeIsRefused() {
        Document doc = valid();
        first(doc, XRoadHeaders.NS, "client").removeAttributeNS(XRoadHeaders.ID_NS, "objectType");
        refusedToValidate(doc, OPERATION, FaultCode.INVALID_HEADER, "client objectType (none)");
    }

    @Test
    void subsystemClientWithoutSubsystemCodeIsRefused() {
        Document doc = valid();
        Element subsystem = identifierPart(doc, "client", "subsystemCode");
        subsystem.getParentNode().removeChild(subsystem);

        GatewayException e = refusedToValidate(doc, OPERATION, FaultCode.INVALID_HEADER,
                "client objectType SUBSYSTEM without subsystemCode: SUBSYSTEM:FI/GOV/" + HVA);
        assertEquals("A client of objectType SUBSYSTEM must name its subsystemCode.", e.callerDetail());
    }

    @Test
    void memberClientWithASubsystemCodeIsRefused() {
        Document doc = valid();
        first(doc, XRoadHeaders.NS, "client").setAttributeNS(XRoadHeaders.ID_NS, "id:objectType", "MEMBER");

        GatewayException e = refusedToValidate(doc, OPERATION, FaultCode.INVALID_HEADER,
                "client objectType MEMBER with subsystemCode 'sosiaalipalvelut'");
        assertEquals("A client with a subsystemCode must be of objectType SUBSYSTEM, not MEMBER.", e.callerDetail());
    }

    @Test
    void memberClientIsRefusedWhereOnlySubsystemsCall() {
        GatewayException e = refusedToValidate(memberClient(), OPERATION, FaultCode.INVALID_HEADER,
                "client MEMBER:FI/GOV/" + HVA + " is a member, and member clients are not accepted");
        assertTrue(e.callerDetail().contains("send a client of objectType SUBSYSTEM"), e.callerDetail());
    }

    @Test
    void memberClientIsServedWhenMemberClientsAreAccepted() {
        XRoadHeaderReader accepting = new XRoadHeaderReader(KELMU, MemberClients.ACCEPTED);
        XRoadHeaders headers = accepting.read(verified(memberClient()));

        accepting.validate(headers, OPERATION);

        assertEquals(new XRoadIdentifier("MEMBER", "FI", "GOV", HVA, null, null, null), headers.client());
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({
        "client,  xRoadInstance",
        "client,  memberClass",
        "client,  memberCode",
        "service, xRoadInstance",
        "service, memberClass",
        "service, memberCode",
        "service, serviceCode",
    })
    void identifierWithoutAPartItsObjectTypeNeedsIsRefused(String header, String part) {
        Document doc = valid();
        Element element = identifierPart(doc, header, part);
        element.getParentNode().removeChild(element);

        GatewayException e = refusedToValidate(doc, OPERATION, FaultCode.INVALID_HEADER, header + " " + part + " missing");
        assertEquals("The " + header + " header lacks its " + part + ".", e.callerDetail());
    }

    @ParameterizedTest(name = "{0} {1} = \"{2}\"")
    @CsvSource({
        "client,  subsystemCode,  sosiaali palvelut",
        "client,  subsystemCode,  sosiaali/palvelut",
        "client,  memberClass,    GOV*",
        "client,  xRoadInstance,  FI:test",
        "client,  subsystemCode,  äitiys",
        "service, subsystemCode,  kelmu#1",
        "service, serviceVersion, v 1",
        "service, serviceCode,    getBenefitData;",
    })
    void identifierPartWithCharactersXRoadDoesNotAllowIsRefused(String header, String part, String value) {
        Document doc = valid();
        identifierPart(doc, header, part).setTextContent(value);

        GatewayException e = refusedToValidate(doc, OPERATION, FaultCode.INVALID_HEADER,
                header + " " + part + " '" + value + "' is not an X-Road identifier");
        assertTrue(e.callerDetail().contains("X-Road identifier characters A-Z a-z 0-9 ' ( ) + , - . = ?"),
                e.callerDetail());
    }

    @Test
    void identifierPartOfEveryAllowedCharacterPasses() {
        Document doc = valid();
        identifierPart(doc, "client", "subsystemCode").setTextContent("Az09'()+,-.=?");
        reader.validate(read(doc), OPERATION);
    }

    @Test
    void identifierPartLongerThan255CharactersIsRefused() {
        Document doc = valid();
        identifierPart(doc, "client", "subsystemCode").setTextContent("a".repeat(256));
        refusedToValidate(doc, OPERATION, FaultCode.INVALID_HEADER, "client subsystemCode '" + "a".repeat(64)
                + "...' is not an X-Road identifier (256 characters)");
    }

    @ParameterizedTest(name = "\"{0}\"")
    @ValueSource(strings = {"", "7f3c2b1e 5d0a", "tab\tid"})
    void idEmptyOrWithWhiteSpaceIsRefused(String id) {
        Document doc = valid();
        first(doc, XRoadHeaders.NS, "id").setTextContent(id);
        GatewayException e = refusedToValidate(doc, OPERATION, FaultCode.INVALID_HEADER, "id of " + id.length()
                + " characters");
        assertEquals("The id must be 1 to 255 characters without white space (a UUID is recommended).", e.callerDetail());
    }

    @Test
    void idLongerThan255CharactersIsRefused() {
        Document doc = valid();
        first(doc, XRoadHeaders.NS, "id").setTextContent("x".repeat(256));
        refusedToValidate(doc, OPERATION, FaultCode.INVALID_HEADER, "id of 256 characters");
    }

    @ParameterizedTest(name = "{0} characters")
    @ValueSource(ints = {0, 1025})
    void issueSentEmptyOrLongerThan1024CharactersIsRefused(int length) {
        Document doc = valid();
        first(doc, XRoadHeaders.NS, "issue").setTextContent("i".repeat(length));
        GatewayException e = refusedToValidate(doc, OPERATION, FaultCode.INVALID_HEADER,
                "issue of " + length + " characters");
        assertEquals("The issue, when sent, must be 1 to 1024 characters.", e.callerDetail());
    }

    @Test
    void issueOf1024CharactersPasses() {
        Document doc = valid();
        first(doc, XRoadHeaders.NS, "issue").setTextContent("i".repeat(1024));
        reader.validate(read(doc), OPERATION);
    }

    @Test
    void securityServerOfAnotherXRoadInstanceIsRefusedAsInconsistent() {
        Document doc = XRoadClientHeaders.withSecurityServer(valid(), "EE", "GOV", KELA, "ss1");
        GatewayException e = refusedToValidate(doc, OPERATION, FaultCode.INCONSISTENT_HEADERS,
                "securityServer SERVER:EE/GOV/" + KELA + "/ss1 is not of this gateway's X-Road instance FI");
        assertEquals("The securityServer header names a security server of another X-Road instance; this service is in"
                + " instance FI.", e.callerDetail());
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"xRoadInstance", "memberClass", "memberCode", "serverCode"})
    void securityServerWithoutAPartIsRefused(String part) {
        Document doc = XRoadClientHeaders.withSecurityServer(valid(), "FI", "GOV", KELA, "ss1");
        Element element = identifierPart(doc, "securityServer", part);
        element.getParentNode().removeChild(element);
        refusedToValidate(doc, OPERATION, FaultCode.INVALID_HEADER, "securityServer " + part + " missing");
    }

    @Test
    void securityServerCodeWithCharactersXRoadDoesNotAllowIsRefused() {
        Document doc = XRoadClientHeaders.withSecurityServer(valid(), "FI", "GOV", KELA, "ss1_kela");
        refusedToValidate(doc, OPERATION, FaultCode.INVALID_HEADER,
                "securityServer serverCode 'ss1_kela' is not an X-Road identifier");
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
    void serviceWithoutServiceVersionIsServed() {
        Document doc = valid();
        Element version = identifierPart(doc, "service", "serviceVersion");
        version.getParentNode().removeChild(version);
        reader.validate(read(doc), OPERATION);
    }

    @Test
    void serviceWithoutServiceVersionIsRefusedWhenTheSettingRequiresIt() {
        Document doc = valid();
        Element version = identifierPart(doc, "service", "serviceVersion");
        version.getParentNode().removeChild(version);
        XRoadHeaderReader requiring = new XRoadHeaderReader(new ServiceIdentity("FI", "GOV", KELA, "kelmu", "v1", true),
                MemberClients.REFUSED);
        GatewayException e = assertThrows(GatewayException.class,
                () -> requiring.validate(requiring.read(verified(doc)), OPERATION));
        assertEquals(FaultCode.INVALID_HEADER, e.faultCode());
        assertEquals("The service header must name its serviceVersion; this service is version v1.", e.callerDetail());
        // with the version named, the same reader serves it
        requiring.validate(requiring.read(verified(valid())), OPERATION);
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

    /** The valid request with its client made the member itself: objectType MEMBER, no subsystemCode. */
    private static Document memberClient() {
        Document doc = valid();
        first(doc, XRoadHeaders.NS, "client").setAttributeNS(XRoadHeaders.ID_NS, "id:objectType", "MEMBER");
        Element subsystem = identifierPart(doc, "client", "subsystemCode");
        subsystem.getParentNode().removeChild(subsystem);
        return doc;
    }

    private static List<String> names(List<QName> headers) {
        return headers.stream().map(QName::getLocalPart).toList();
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
