package fi.kelmu.gateway.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fi.kelmu.gateway.Gateway;
import fi.kelmu.gateway.benefit.BenefitOperations;
import fi.kelmu.gateway.config.ResourceLocation;
import fi.kelmu.gateway.fault.FaultCode;
import fi.kelmu.gateway.fault.GatewayException;
import fi.kelmu.gateway.mandate.ProvenMandates;
import fi.kelmu.gateway.registry.Organisation;
import fi.kelmu.gateway.registry.OrganisationType;
import java.time.LocalDate;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The one evaluation of access: every unmet condition in one answer, in the order a data request is refused
 * on them, and the decision (views and area) when none is unmet.
 */
class AccessEvaluationTest {

    private static final AccessPolicy POLICY = AccessPolicy.load(new ResourceLocation("classpath:policy/kelmu-policy.xml"),
            Gateway.servedViews());
    private static final LocalDate FROM_2023 = LocalDate.of(2024, 3, 1);
    private static final ProvenMandates ETUUSTIEDOT = new ProvenMandates(Set.of("ETUUSTIEDOT_MAKSUVAATIMUKSET"),
            "online:req-1");
    private static final ProvenMandates NONE = new ProvenMandates(Set.of(), "online:req-2");

    private static Organisation organisation(OrganisationType type, Set<String> area, boolean contract) {
        return new Organisation("9000001-1", "Demo organisation", type, area, contract
                ? List.of(new Organisation.Contract(LocalDate.of(2023, 1, 1), null, "C-1")) : List.of());
    }

    private static Evaluation evaluate(Organisation caller, String operation, String purpose, ProvenMandates mandates,
            List<String> views) {
        return POLICY.evaluate(new AccessQuestion(caller, operation, purpose, mandates, views, FROM_2023));
    }

    private static List<Condition> conditions(Evaluation evaluation) {
        return evaluation.unmet().stream().map(Unmet::condition).toList();
    }

    @Test
    void allowedRequestGetsTheDecisionWithItsViewsAndAreaR_VIEW_1() {
        Evaluation e = evaluate(organisation(OrganisationType.HVA, Set.of("049", "092"), true),
                BenefitOperations.GET_BENEFIT_DATA, "MUUT_ETUUDET", ETUUSTIEDOT, List.of("PAYMENTS"));

        assertTrue(e.allowed());
        assertEquals(List.of("PAYMENTS"), e.decision().views());
        assertEquals(Set.of("049", "092"), e.decision().area());
        assertEquals("ETUUSTIEDOT_MAKSUVAATIMUKSET", e.decision().mandate());
        assertEquals("online:req-1", e.decision().mandateProof());
        assertSame(e.decision(), e.requireAllowed());
    }

    @Test
    void everyUnmetConditionIsListedInRefusalOrderR_CONT_1_R_PURP_1_R_MAND_1() {
        // a municipality without a contract and without the mandate, asking an HVA/Helsinki purpose
        Evaluation e = evaluate(organisation(OrganisationType.KUNTA, Set.of("049"), false),
                BenefitOperations.GET_BASIC_SOCIAL_ASSISTANCE, "TOIMEENTULOTUKI", NONE, List.of());

        assertEquals(List.of(Condition.CONTRACT, Condition.ORGANISATION_TYPE, Condition.MANDATE), conditions(e));
        assertNull(e.decision());
        GatewayException first = assertThrows(GatewayException.class, e::requireAllowed);
        assertEquals(FaultCode.NO_VALID_CONTRACT, first.faultCode());
    }

    @Test
    void theDataRequestIsRefusedOnTheFirstUnmetConditionWithItsOwnFault() {
        Evaluation e = evaluate(organisation(OrganisationType.KUNTA, Set.of("049"), true),
                BenefitOperations.GET_BASIC_SOCIAL_ASSISTANCE, "TOIMEENTULOTUKI", NONE, List.of());

        assertEquals(List.of(Condition.ORGANISATION_TYPE, Condition.MANDATE), conditions(e));
        GatewayException refusal = assertThrows(GatewayException.class, e::requireAllowed);
        assertEquals(FaultCode.PURPOSE_NOT_ALLOWED, refusal.faultCode());
        assertTrue(refusal.getMessage().contains("asked by a KUNTA"), refusal.getMessage());
    }

    @Test
    void purposeOfAnotherOperationAndAViewItDoesNotAllowAreBothListedR_VIEW_1() {
        Evaluation wrongOperation = evaluate(organisation(OrganisationType.HVA, Set.of("049"), true),
                BenefitOperations.GET_BASIC_SOCIAL_ASSISTANCE, "MUUT_ETUUDET", ETUUSTIEDOT, List.of());
        assertEquals(List.of(Condition.OPERATION), conditions(wrongOperation));
        assertEquals(FaultCode.PURPOSE_NOT_FOR_OPERATION, wrongOperation.unmet().get(0).refusal().faultCode());

        Evaluation wrongView = evaluate(organisation(OrganisationType.HVA, Set.of("049"), true),
                BenefitOperations.GET_BENEFIT_DATA, "MUUT_ETUUDET", ETUUSTIEDOT, List.of("BASIC_SOCIAL_ASSISTANCE"));
        assertEquals(List.of(Condition.VIEW), conditions(wrongView));
        assertEquals("BASIC_SOCIAL_ASSISTANCE", wrongView.unmet().get(0).code());
        assertEquals(FaultCode.VIEW_NOT_ALLOWED, wrongView.unmet().get(0).refusal().faultCode());
    }

    @Test
    void anUnknownPurposeStopsThePurposeConditionsButNotTheContractOne() {
        Evaluation e = evaluate(organisation(OrganisationType.HVA, Set.of("049"), false),
                BenefitOperations.GET_BENEFIT_DATA, "NO_SUCH_PURPOSE", ETUUSTIEDOT, List.of());

        assertEquals(List.of(Condition.CONTRACT, Condition.PURPOSE), conditions(e));
        assertEquals(FaultCode.UNKNOWN_PURPOSE, e.unmet().get(1).refusal().faultCode());
        assertEquals("Purpose NO_SUCH_PURPOSE is not in force on 2024-03-01.", e.unmet().get(1).explanation());
    }

    @Test
    void anOrganisationWithoutAreaCannotBeServedAsNoAnswerCanBeConfinedToIt() {
        Evaluation e = evaluate(organisation(OrganisationType.HVA, Set.of(), true),
                BenefitOperations.GET_BENEFIT_DATA, "MUUT_ETUUDET", ETUUSTIEDOT, List.of());

        assertEquals(List.of(Condition.AREA), conditions(e));
        assertEquals(FaultCode.ORGANISATION_TYPE_NOT_SERVED, e.unmet().get(0).refusal().faultCode());
    }

    @Test
    void theSelfCheckAsksAboutAnyOperationAndLearnsWhenNoneServesThePurpose() {
        Evaluation served = evaluate(organisation(OrganisationType.HVA, Set.of("049"), true), null, "MUUT_ETUUDET",
                ETUUSTIEDOT, List.of());
        assertTrue(served.allowed());

        Purpose unserved = POLICY.periodOn(FROM_2023).orElseThrow().purposes().values().stream()
                .filter(p -> !p.served()).findFirst().orElseThrow();
        Evaluation notServed = evaluate(organisation(OrganisationType.HELSINKI, Set.of("091"), true), null,
                unserved.code(), new ProvenMandates(Set.of(unserved.mandate()), "assertion:a-1"), List.of());
        assertTrue(conditions(notServed).contains(Condition.OPERATION), conditions(notServed).toString());
    }
}
