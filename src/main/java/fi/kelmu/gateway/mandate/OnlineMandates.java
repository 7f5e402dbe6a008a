package fi.kelmu.gateway.mandate;

import java.time.Instant;
import java.util.Set;

/** Placeholder until the online check lands (helper branch mandate-online replaces this file). */
public record OnlineMandates(String user, String organisation, Set<String> codes, String requestId, Instant checkedAt,
        boolean fromCache) {
}
