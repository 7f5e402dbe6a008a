package fi.kelmu.gateway.policy;

import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The policy's answer to one {@link AccessQuestion}: every condition the request does not meet, in the order
 * of {@link Condition}, and when it meets them all, the decision. A data request is refused on the first unmet
 * condition; the self-check lists them all (R-MAND-5).
 *
 * @param period          the policy period in force on the date, if any (R-MAND-3)
 * @param mandatesInForce the proven mandates the caller's organisation type can grant on the date (R-MAND-2)
 * @param purpose         the purpose in force, or null when it is not
 * @param decision        what is allowed, or null when a condition is unmet
 */
public record Evaluation(LocalDate date, Optional<PolicyPeriod> period, Set<String> mandatesInForce,
        Purpose purpose, List<Unmet> unmet, AccessDecision decision) {

    public Evaluation {
        mandatesInForce = Set.copyOf(mandatesInForce);
        unmet = List.copyOf(unmet);
    }

    public boolean allowed() {
        return unmet.isEmpty();
    }

    /** The decision, or the fault of the first unmet condition. */
    public AccessDecision requireAllowed() {
        if (!unmet.isEmpty()) {
            throw unmet.get(0).refusal();
        }
        return decision;
    }
}
