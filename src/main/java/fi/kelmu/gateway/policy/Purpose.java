package fi.kelmu.gateway.policy;

import java.util.List;
import java.util.Set;

/**
 * A purpose of use (käyttötarkoitus) in one policy period (R-PURP-1): the mandate it needs, the
 * organisation types it is allowed for, the operations that serve it (none: not served by this gateway
 * yet), the views it may return, in order, and what a caller of another type is told when the rule gives a
 * reason (e.g. R-PAY-6; null: the generic text).
 */
public record Purpose(String code, String name, String mandate, List<String> operations,
        Set<String> organisationTypes, List<String> views, String rule, String organisationTypeRefusal) {

    public Purpose {
        operations = List.copyOf(operations);
        organisationTypes = Set.copyOf(organisationTypes);
        views = List.copyOf(views);
    }

    /** Whether an operation of this gateway serves it. */
    public boolean served() {
        return !operations.isEmpty();
    }

    /** Whether {@code operation} serves it. */
    public boolean servedBy(String operation) {
        return operations.contains(operation);
    }
}
