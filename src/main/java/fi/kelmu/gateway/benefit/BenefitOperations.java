package fi.kelmu.gateway.benefit;

import fi.kelmu.contract.benefit.v1.BenefitView;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/** The operations of BenefitInformationService and the views each can serve (R-VIEW-1..3). */
public final class BenefitOperations {

    public static final String GET_BENEFIT_DATA = "getBenefitData";
    public static final String GET_BASIC_SOCIAL_ASSISTANCE = "getBasicSocialAssistance";

    private BenefitOperations() {
    }

    /** Operations and the views each can serve: what the policy file is checked against. */
    public static Map<String, Set<String>> servedViews() {
        Set<String> benefitViews = Arrays.stream(BenefitView.values()).map(BenefitView::value)
                .collect(Collectors.toSet());
        return Map.of(GET_BENEFIT_DATA, benefitViews, GET_BASIC_SOCIAL_ASSISTANCE, Set.of("BASIC_SOCIAL_ASSISTANCE"));
    }
}
