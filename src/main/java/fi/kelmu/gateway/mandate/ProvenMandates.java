package fi.kelmu.gateway.mandate;

import java.util.Set;

/**
 * The mandate codes a user was proven to hold from the calling organisation for one request (R-MAND-1),
 * and how: {@code assertion:<assertion id>}, {@code online:<request id>} or both joined by {@code +}.
 * The codes are as the proof states them; the policy decides which of them count (R-MAND-2).
 */
public record ProvenMandates(Set<String> codes, String proof) {

    public ProvenMandates {
        codes = Set.copyOf(codes);
    }
}
