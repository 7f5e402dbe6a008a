package fi.kelmu.gateway.policy;

import java.time.LocalDate;
import java.util.Map;
import java.util.Set;

/**
 * The rules in force from one date to another (R-MAND-3): which organisation types may grant each
 * mandate (R-MAND-2) and the purposes of use (R-PURP-1). {@code to} is the last day in force, or null.
 */
public record PolicyPeriod(String id, LocalDate from, LocalDate to, Map<String, Set<String>> grantableBy,
        Map<String, Purpose> purposes) {

    public PolicyPeriod {
        grantableBy = Map.copyOf(grantableBy);
        purposes = Map.copyOf(purposes);
    }

    public boolean covers(LocalDate date) {
        return !date.isBefore(from) && (to == null || !date.isAfter(to));
    }

    boolean overlaps(PolicyPeriod other) {
        LocalDate end = to == null ? LocalDate.MAX : to;
        LocalDate otherEnd = other.to == null ? LocalDate.MAX : other.to;
        return !from.isAfter(otherEnd) && !other.from.isAfter(end);
    }

    /** R-MAND-2: whether an organisation of this type can grant the mandate in this period. */
    public boolean grantable(String mandate, String organisationType) {
        return grantableBy.getOrDefault(mandate, Set.of()).contains(organisationType);
    }

    @Override
    public String toString() {
        return id + " [" + from + ".." + (to == null ? "" : to) + "]";
    }
}
