package fi.kelmu.gateway.registry;

import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * An organisation that may call the gateway. {@code municipalities} is the area it acts for: an HVA's
 * member municipalities, a municipality's (or Helsinki's) own code, nothing for a kuntayhtymä.
 * {@code contracts} are its contract periods with Kela (R-CONT-1).
 */
public record Organisation(String businessId, String name, OrganisationType type, Set<String> municipalities,
        List<Contract> contracts) {

    public Organisation {
        municipalities = Set.copyOf(municipalities);
        contracts = List.copyOf(contracts);
    }

    /** One contract period, both ends inclusive; {@code to} null: until further notice. */
    public record Contract(LocalDate from, LocalDate to, String reference) {

        public boolean covers(LocalDate day) {
            return !day.isBefore(from) && (to == null || !day.isAfter(to));
        }
    }

    /** The contract in force on {@code day}, if any (R-CONT-1). */
    public Optional<Contract> contractOn(LocalDate day) {
        return contracts.stream().filter(c -> c.covers(day)).findFirst();
    }
}
