package fi.kelmu.gateway.policy;

import java.util.List;
import java.util.Set;

/**
 * What the policy allowed for one request: the purpose (in the period in force), the mandate that
 * allowed it, how that mandate was proven, the views the response may contain, and the area (municipality
 * codes) an answer about a client must fall in: an HVA's member municipalities, a municipality's own code.
 */
public record AccessDecision(Purpose purpose, String periodId, String mandate, String mandateProof,
        List<String> views, Set<String> area) {

    public AccessDecision {
        views = List.copyOf(views);
        area = Set.copyOf(area);
    }
}
