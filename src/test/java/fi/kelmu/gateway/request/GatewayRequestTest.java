package fi.kelmu.gateway.request;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fi.kelmu.gateway.audit.AccessOutcome;
import fi.kelmu.gateway.audit.AccessReceipt;
import fi.kelmu.gateway.audit.AccessRecord;
import fi.kelmu.gateway.audit.StoredAccessRecord;
import fi.kelmu.gateway.mandate.ProvenMandates;
import fi.kelmu.gateway.registry.Organisation;
import fi.kelmu.gateway.registry.OrganisationType;
import fi.kelmu.gateway.support.TestRequests;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The request context: each part established once, in order, and never read before its step ran. */
class GatewayRequestTest {

    private static final Organisation HVA = new Organisation("9000001-1", "HVA", OrganisationType.HVA, Set.of("049"),
            List.of());

    @Test
    void everyRequestHasItsOwnCorrelationId() {
        assertNotEquals(GatewayRequest.start().correlationId(), GatewayRequest.start().correlationId());
    }

    @Test
    void partsNotYetEstablishedCannotBeReadSoStepsOutOfOrderFail() {
        GatewayRequest request = GatewayRequest.start();
        assertFalse(request.isAuthenticated());
        IllegalStateException e = assertThrows(IllegalStateException.class, request::caller);
        assertTrue(e.getMessage().contains("out of order"), e.getMessage());
        assertThrows(IllegalStateException.class, request::headers);
        assertThrows(IllegalStateException.class, request::mandates);
        assertThrows(IllegalStateException.class, request::decision);
        assertEquals(Optional.empty(), request.subject());
        assertEquals(Optional.empty(), request.validatedHeaders());
    }

    @Test
    void aPartIsEstablishedOnceAndNeverReplaced() {
        GatewayRequest request = TestRequests.authenticated(HVA, "010594Y9032", "getBenefitData");
        ProvenMandates first = new ProvenMandates(Set.of("ETUUSTIEDOT_MAKSUVAATIMUKSET"), "online:1");
        request.mandates(first);

        assertThrows(IllegalStateException.class, () -> request.mandates(new ProvenMandates(Set.of(), "online:2")));
        assertThrows(IllegalStateException.class, () -> request.operation("getBasicSocialAssistance"));
        assertEquals(first, request.mandates());
        assertEquals("getBenefitData", request.operation());
    }

    @Test
    void theReceiptOfTheAllowedRecordIsSetOnceAndAbsentUntilThen() {
        GatewayRequest request = TestRequests.authenticated(HVA, "010594Y9032", "getBenefitData");
        assertEquals(Optional.empty(), request.receipt(), "no receipt before the record is written");
        StoredAccessRecord stored = new StoredAccessRecord(7, record(), "0".repeat(64), "ab".repeat(32));
        request.receipt(stored);
        assertEquals(Optional.of(new AccessReceipt(7, "ab".repeat(32))), request.receipt());
        assertThrows(IllegalStateException.class, () -> request.receipt(new StoredAccessRecord(8, record(),
                "ab".repeat(32), "cd".repeat(32))));
        assertEquals(7, request.receipt().orElseThrow().sequence());
    }

    private static AccessRecord record() {
        return new AccessRecord(AccessRecord.newEventId(), Instant.now(), "x-1", HVA.businessId(), HVA.type(),
                "FI010594Y9032", List.of("ETUUSTIEDOT_MAKSUVAATIMUKSET"), "online:1", "MUUT_ETUUDET", "getBenefitData",
                "010180-9026", List.of("PAYMENTS"), AccessOutcome.ALLOWED, null, "corr-1");
    }

    @Test
    void headersAreEchoedOnlyOnceValidatedAgainstTheOperation() {
        GatewayRequest request = TestRequests.authenticated(HVA, "010594Y9032", "getBenefitData");
        assertTrue(request.validatedHeaders().isPresent());
        assertEquals("010594Y9032", request.userHetu());
    }

    @Test
    void theSubjectIsKeptAsSentAndItsClientOnlyWhenValid() {
        assertEquals(Optional.of("010180-9026"), new Subject("010180-9026", "MUUT_ETUUDET", List.of()).validClient());
        assertEquals(Optional.empty(), new Subject("010180-9027", "MUUT_ETUUDET", List.of()).validClient());
        assertEquals(Optional.empty(), new Subject(null, "MUUT_ETUUDET", List.of()).validClient());
    }
}
