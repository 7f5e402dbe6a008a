package fi.kelmu.gateway.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fi.kelmu.gateway.Gateway;
import fi.kelmu.gateway.config.ResourceLocation;
import fi.kelmu.gateway.fault.FaultCode;
import fi.kelmu.gateway.fault.GatewayException;
import fi.kelmu.gateway.mandate.ProvenMandates;
import fi.kelmu.gateway.payment.PaymentDemandOperations;
import fi.kelmu.gateway.registry.Organisation;
import fi.kelmu.gateway.registry.OrganisationType;
import java.time.LocalDate;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Who may list, submit, modify and invalidate payment demands, by the policy's periods (R-PAY-4..6): from 1.1.2023
 * the HVA and the City of Helsinki, no longer a municipality, which is told why; before it a municipality could.
 */
class PaymentDemandPolicyTest {

    private static final AccessPolicy POLICY = AccessPolicy.load(
            new ResourceLocation("classpath:policy/kelmu-policy.xml"), Gateway.servedViews());
    private static final LocalDate IN_2022 = LocalDate.of(2022, 12, 31);
    private static final LocalDate IN_2023 = LocalDate.of(2023, 1, 1);
    private static final ProvenMandates MAKSUVAATIMUKSET = new ProvenMandates(Set.of("ETUUSTIEDOT_MAKSUVAATIMUKSET"),
            "online:req-1");

    private static Evaluation evaluate(OrganisationType type, String operation, ProvenMandates mandates,
            LocalDate date) {
        Organisation caller = new Organisation("9000001-1", "Demo", type, Set.of("049"),
                List.of(new Organisation.Contract(LocalDate.of(2019, 1, 1), null, "C-1")));
        return POLICY.evaluate(new AccessQuestion(caller, operation, PaymentDemandOperations.PURPOSE, mandates,
                List.of(), date));
    }

    @ParameterizedTest
    @ValueSource(strings = {"listPaymentDemands", "submitPaymentDemand", "modifyPaymentDemand",
            "invalidatePaymentDemand"})
    void r_pay_6_fromTheStartOf2023AnHvaAndHelsinkiMayAndAMunicipalityIsToldWhyNot(String operation) {
        for (OrganisationType allowed : List.of(OrganisationType.HVA, OrganisationType.HELSINKI)) {
            Evaluation e = evaluate(allowed, operation, MAKSUVAATIMUKSET, IN_2023);
            assertTrue(e.allowed(), allowed + ": " + e.unmet());
            assertEquals(List.of(PaymentDemandOperations.VIEW), e.decision().views());
        }
        GatewayException refusal = assertThrows(GatewayException.class,
                () -> evaluate(OrganisationType.KUNTA, operation, MAKSUVAATIMUKSET, IN_2023).requireAllowed());
        assertEquals(FaultCode.PURPOSE_NOT_ALLOWED, refusal.faultCode());
        assertTrue(refusal.callerDetail().contains("From 1.1.2023 payment demands are made by the wellbeing services"
                + " county (HVA) or the City of Helsinki"), refusal.callerDetail());
    }

    @ParameterizedTest
    @ValueSource(strings = {"listPaymentDemands", "submitPaymentDemand", "modifyPaymentDemand",
            "invalidatePaymentDemand"})
    void r_pay_6_before2023AMunicipalityCouldAndAnHvaDidNotExistYet(String operation) {
        assertTrue(evaluate(OrganisationType.KUNTA, operation, MAKSUVAATIMUKSET, IN_2022).allowed());
        assertTrue(evaluate(OrganisationType.HELSINKI, operation, MAKSUVAATIMUKSET, IN_2022).allowed());
        assertEquals(FaultCode.PURPOSE_NOT_ALLOWED, assertThrows(GatewayException.class,
                () -> evaluate(OrganisationType.HVA, operation, MAKSUVAATIMUKSET, IN_2022).requireAllowed())
                .faultCode());
    }

    @ParameterizedTest
    @EnumSource(value = OrganisationType.class, names = {"HVA", "HELSINKI"})
    void r_pay_5_withoutTheMandateNoPaymentDemand(OrganisationType type) {
        GatewayException refusal = assertThrows(GatewayException.class, () -> evaluate(type,
                PaymentDemandOperations.SUBMIT, new ProvenMandates(Set.of("KOTOUTUMISPALVELUT"), "online:req-2"),
                IN_2023).requireAllowed());
        assertEquals(FaultCode.MANDATE_MISSING, refusal.faultCode());
    }

    @ParameterizedTest
    @ValueSource(strings = {"getBenefitData", "getBasicSocialAssistance"})
    void theBenefitOperationsDoNotServeThePaymentDemandPurpose(String operation) {
        assertEquals(FaultCode.PURPOSE_NOT_FOR_OPERATION, assertThrows(GatewayException.class,
                () -> evaluate(OrganisationType.HVA, operation, MAKSUVAATIMUKSET, IN_2023).requireAllowed())
                .faultCode());
    }
}
