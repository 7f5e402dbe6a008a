package fi.kelmu.gateway.identity;

import static fi.kelmu.gateway.support.TestData.ESPOO;
import static fi.kelmu.gateway.support.TestData.HVA;
import static fi.kelmu.gateway.support.TestData.KELA;
import static fi.kelmu.gateway.support.TestData.USER;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fi.kelmu.gateway.config.ResourceLocation;
import fi.kelmu.gateway.fault.FaultCode;
import fi.kelmu.gateway.fault.GatewayException;
import fi.kelmu.gateway.identifier.BusinessId;
import fi.kelmu.gateway.registry.MunicipalityReference;
import fi.kelmu.gateway.registry.Organisation;
import fi.kelmu.gateway.registry.OrganisationRegistry;
import fi.kelmu.gateway.registry.OrganisationType;
import fi.kelmu.gateway.security.VerifiedMessage;
import fi.kelmu.gateway.support.MutableClock;
import fi.kelmu.gateway.support.Signing;
import fi.kelmu.gateway.support.SoapHttp;
import fi.kelmu.gateway.support.TestData;
import fi.kelmu.gateway.xml.Dom;
import fi.kelmu.gateway.xroad.XRoadHeaders;
import fi.kelmu.gateway.xroad.XRoadIdentifier;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import javax.xml.namespace.QName;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/**
 * {@link CallerAuthentication} on its own, with the sandbox registry and an {@link InMemoryReplayCache} on a
 * clock the test moves: the caller is the organisation its certificate proves, registered, the same as the
 * TLS peer's; a message id or signature value is accepted once per replay window. Each refusal is asserted by
 * its fault code and by its logged reason ({@link GatewayException#getMessage()}).
 */
class CallerAuthenticationTest {

    /** The timestamp TTL plus twice the clock skew, as {@code SecuritySettings.replayWindow()} makes it. */
    private static final Duration REPLAY_WINDOW = Duration.ofSeconds(300 + 2 * 60);
    /** A Y-tunnus that passes the check but belongs to no organisation of the sandbox registry. */
    private static final String UNREGISTERED = "9000011-8";

    private static OrganisationRegistry registry;
    private static X509Certificate hvaCertificate;
    private static X509Certificate espooCertificate;

    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-02T08:30:00Z"));
    private final CallerAuthentication authentication = new CallerAuthentication(registry,
            new InMemoryReplayCache(clock), REPLAY_WINDOW);

    @BeforeAll
    static void loadTheSandboxRegistryAndCertificates() {
        registry = OrganisationRegistry.load(new ResourceLocation("classpath:registry/organisations-sandbox.xml"),
                MunicipalityReference.load());
        hvaCertificate = Signing.signerOf(HVA).certificate();
        espooCertificate = Signing.signerOf(ESPOO).certificate();
    }

    // --- who calls

    @Test
    void certificateOfTheClientHeadersOrganisationAuthenticatesItsRegisteredOrganisation() {
        Organisation caller = authentication.authenticate(message(hvaCertificate), headers(HVA, "id-1"), null);

        assertEquals(HVA, caller.businessId());
        assertEquals(OrganisationType.HVA, caller.type());
    }

    @Test
    void certificateOfAnotherOrganisationThanTheClientMemberCodeIsRefused() {
        assertRefused(() -> authentication.authenticate(message(espooCertificate), headers(HVA, "id-1"), null),
                FaultCode.ORGANISATION_MISMATCH, "certificate proves " + ESPOO + " but client/memberCode is " + HVA);
    }

    @Test
    void certificateThatNamesNoYTunnusIsRefused() {
        X509Certificate anonymous = Signing.signerIssuedByCa(HVA, "CN=Somebody, O=Somebody, C=FI",
                clock.instant().minusSeconds(3600), clock.instant().plusSeconds(3600)).certificate();

        assertRefused(() -> authentication.authenticate(message(anonymous), headers(HVA, "id-1"), null),
                FaultCode.ORGANISATION_MISMATCH, "names no organisation (Y-tunnus)");
    }

    @Test
    void tlsPeerOfAnotherOrganisationThanTheSignatureIsRefused() {
        assertRefused(() -> authentication.authenticate(message(hvaCertificate), headers(HVA, "id-1"), espooCertificate),
                FaultCode.ORGANISATION_MISMATCH,
                "TLS client certificate names " + ESPOO + " but the message signature " + HVA);
    }

    @Test
    void tlsPeerOfTheSameOrganisationAsTheSignatureIsAccepted() {
        X509Certificate sameOrganisationOtherKey = Signing.signerIssuedByCa(HVA, null,
                clock.instant().minusSeconds(3600), clock.instant().plusSeconds(3600)).certificate();

        Organisation caller = authentication.authenticate(message(hvaCertificate), headers(HVA, "id-1"),
                sameOrganisationOtherKey);

        assertEquals(HVA, caller.businessId());
    }

    @Test
    void unregisteredOrganisationIsRefused() {
        assertTrue(BusinessId.isValid(UNREGISTERED), "a well-formed Y-tunnus: refused for the registry alone");
        X509Certificate unregistered = Signing.signerIssuedByCa(UNREGISTERED, null,
                clock.instant().minusSeconds(3600), clock.instant().plusSeconds(3600)).certificate();

        assertRefused(() -> authentication.authenticate(message(unregistered), headers(UNREGISTERED, "id-1"), null),
                FaultCode.UNKNOWN_ORGANISATION, "organisation " + UNREGISTERED + " is not in the registry");
    }

    // --- replay

    @Test
    void replayByMessageIdIsRefused() {
        authentication.authenticate(message(hvaCertificate), headers(HVA, "id-1"), null);

        // newly signed (another signature value), the same X-Road id
        assertRefused(() -> authentication.authenticate(message(hvaCertificate), headers(HVA, "id-1"), null),
                FaultCode.REPLAYED_MESSAGE, "X-Road message id id-1 of " + HVA + " seen before");
    }

    @Test
    void replayBySignatureValueIsRefused() {
        VerifiedMessage captured = message(hvaCertificate);
        authentication.authenticate(captured, headers(HVA, "id-1"), null);

        // the same signature value, whatever id the message now claims
        assertRefused(() -> authentication.authenticate(captured, headers(HVA, "id-2"), null),
                FaultCode.REPLAYED_MESSAGE, "signature value seen before");
    }

    @Test
    void theSameMessageIdFromAnotherOrganisationIsNotAReplay() {
        authentication.authenticate(message(hvaCertificate), headers(HVA, "id-1"), null);

        Organisation espoo = authentication.authenticate(message(espooCertificate), headers(ESPOO, "id-1"), null);

        assertEquals(ESPOO, espoo.businessId());
    }

    @Test
    void aMessageIdIsRefusedThroughoutTheReplayWindowAndAcceptedAfterIt() {
        VerifiedMessage first = message(hvaCertificate);
        authentication.authenticate(first, headers(HVA, "id-1"), null);

        clock.set(first.created().plus(REPLAY_WINDOW).minusSeconds(1));
        assertRefused(() -> authentication.authenticate(message(hvaCertificate), headers(HVA, "id-1"), null),
                FaultCode.REPLAYED_MESSAGE, "seen before");

        clock.set(first.created().plus(REPLAY_WINDOW).plusSeconds(1));
        authentication.authenticate(message(hvaCertificate), headers(HVA, "id-1"), null);
    }

    @Test
    void messageDeliveredByASecurityServerIsTheClientHeadersRegisteredOrganisation() {
        Organisation caller = authentication.authenticate(delivered(), headers(ESPOO, "id-1"), espooCertificate);
        assertEquals(ESPOO, caller.businessId());
    }

    @Test
    void messageDeliveredByASecurityServerForAnUnregisteredMemberIsRefused() {
        assertRefused(() -> authentication.authenticate(delivered(), headers(UNREGISTERED, "id-1"), null),
                FaultCode.UNKNOWN_ORGANISATION, UNREGISTERED);
    }

    @Test
    void messageDeliveredByASecurityServerIsRefusedAsAReplayOfItsIdWithinTheWindowOnly() {
        authentication.authenticate(delivered(), headers(HVA, "id-1"), null);
        // another member may use the same id
        authentication.authenticate(delivered(), headers(ESPOO, "id-1"), null);
        clock.set(clock.instant().plus(REPLAY_WINDOW).minusSeconds(1));
        assertRefused(() -> authentication.authenticate(delivered(), headers(HVA, "id-1"), null),
                FaultCode.REPLAYED_MESSAGE, "X-Road message id id-1 of " + HVA + " seen before");
        clock.set(clock.instant().plusSeconds(2));
        authentication.authenticate(delivered(), headers(HVA, "id-1"), null);
    }

    // --- exactly-once writes (docs/payment-demands.md): their idempotency store answers a message sent again

    private static final String PAYMENT_DEMAND_NS = "urn:fi:kelmu:payment-demand:v1";

    @Test
    void aPaymentDemandWriteSentAgainIsNotRefusedAsAReplay() {
        CallerAuthentication writes = new CallerAuthentication(registry, new InMemoryReplayCache(clock), REPLAY_WINDOW,
                Set.of(new QName(PAYMENT_DEMAND_NS, "submitPaymentDemand")));
        VerifiedMessage submit = bodyMessage("submitPaymentDemand", true);
        writes.authenticate(submit, headers(HVA, "id-1"), null);
        writes.authenticate(submit, headers(HVA, "id-1"), null);

        // a read is refused as always, and so is a write whose body the signature does not cover
        VerifiedMessage list = bodyMessage("listPaymentDemands", true);
        writes.authenticate(list, headers(HVA, "id-2"), null);
        assertRefused(() -> writes.authenticate(list, headers(HVA, "id-2"), null), FaultCode.REPLAYED_MESSAGE,
                "seen before");
        VerifiedMessage uncovered = bodyMessage("submitPaymentDemand", false);
        writes.authenticate(uncovered, headers(HVA, "id-3"), null);
        assertRefused(() -> writes.authenticate(uncovered, headers(HVA, "id-3"), null), FaultCode.REPLAYED_MESSAGE,
                "seen before");
    }

    /** A message whose Body holds one element of {@code operation} of PaymentDemandService. */
    private VerifiedMessage bodyMessage(String operation, boolean bodyCovered) {
        Document doc = SoapHttp.parse(("<s:Envelope xmlns:s=\"" + Dom.SOAP_NS + "\"><s:Body><pd:" + operation
                + " xmlns:pd=\"" + PAYMENT_DEMAND_NS + "\"/></s:Body></s:Envelope>").getBytes(StandardCharsets.UTF_8));
        Element body = Dom.firstChild(doc.getDocumentElement(), Dom.SOAP_NS, "Body");
        byte[] signatureValue = UUID.randomUUID().toString().getBytes(StandardCharsets.US_ASCII);
        return new VerifiedMessage(doc.getDocumentElement(), hvaCertificate, signatureValue, clock.instant(),
                clock.instant().plusSeconds(300), bodyCovered ? Set.of(body) : Set.of());
    }

    // --- helpers

    /** A message a configured security server delivered now (X-Road mode): no signature of its own. */
    private VerifiedMessage delivered() {
        return VerifiedMessage.deliveredBy(hvaCertificate, SoapHttp.parse(SoapHttp.fixture(TestData.VALID_REQUEST))
                .getDocumentElement(), clock.instant());
    }

    /** A message the verifier accepted, signed now by {@code certificate}'s key, with a signature value of its own. */
    private VerifiedMessage message(X509Certificate certificate) {
        byte[] signatureValue = UUID.randomUUID().toString().getBytes(StandardCharsets.US_ASCII);
        return new VerifiedMessage(null, certificate, signatureValue, clock.instant(), clock.instant().plusSeconds(300),
                Set.of());
    }

    /** Signed X-Road headers of a request of {@code memberCode} with X-Road message id {@code id}. */
    private static XRoadHeaders headers(String memberCode, String id) {
        XRoadIdentifier client = new XRoadIdentifier("SUBSYSTEM", "FI", "GOV", memberCode, "sosiaalipalvelut", null, null);
        XRoadIdentifier service = new XRoadIdentifier("SERVICE", "FI", "GOV", KELA, "kelmu", "getBenefitData", "v1");
        return new XRoadHeaders(client, service, id, "FI" + USER, "ASIA-1", XRoadHeaders.PROTOCOL_VERSION, List.of());
    }

    private static void assertRefused(Executable step, FaultCode code, String reason) {
        GatewayException e = assertThrows(GatewayException.class, step);
        assertEquals(code, e.faultCode(), e.getMessage());
        assertTrue(e.getMessage().contains(reason), () -> "logged reason: " + e.getMessage());
    }
}
