package fi.kelmu.gateway.policy;

import java.util.List;
import java.util.Set;

/**
 * A purpose of use (käyttötarkoitus): the operation that serves it, the organisation types it is allowed for
 * and the views it may return, in order.
 */
public record Purpose(String code, String operation, Set<String> organisationTypes, List<String> views, String rule) {

    public Purpose {
        organisationTypes = Set.copyOf(organisationTypes);
        views = List.copyOf(views);
    }
}
