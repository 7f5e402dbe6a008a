package fi.kelmu.gateway.policy;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A purpose of use (käyttötarkoitus) in one policy period (R-PURP-1): the mandate it needs, the
 * organisation types it is allowed for, the operation that serves it (none: not served by this gateway
 * yet) and the views it may return, in order.
 */
public record Purpose(String code, String name, String mandate, String operation, Set<String> organisationTypes,
        List<String> views, String rule) {

    public Purpose {
        organisationTypes = Set.copyOf(organisationTypes);
        views = List.copyOf(views);
    }

    public Optional<String> servedBy() {
        return Optional.ofNullable(operation);
    }
}
