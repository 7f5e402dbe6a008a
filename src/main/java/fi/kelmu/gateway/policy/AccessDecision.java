package fi.kelmu.gateway.policy;

import java.util.List;

/**
 * What the policy allowed for one request: the purpose (in the period in force), the mandate that
 * allowed it, how that mandate was proven, and the views the response may contain.
 */
public record AccessDecision(Purpose purpose, String periodId, String mandate, String mandateProof,
        List<String> views) {

    public AccessDecision {
        views = List.copyOf(views);
    }
}
