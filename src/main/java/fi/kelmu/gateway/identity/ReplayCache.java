package fi.kelmu.gateway.identity;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Remembers message identities until they expire, so that a captured signed message cannot be sent again.
 * Behind an interface so that replicas can share one store.
 */
public interface ReplayCache {

    /**
     * Records {@code key} until {@code expiresAt}; returns false when the key was already recorded and has
     * not expired (a replay). Atomic: of two concurrent calls with one key, exactly one returns true.
     */
    boolean firstSeen(String key, Instant expiresAt);

    /**
     * Records every one of {@code keys} until {@code expiresAt}, or none of them: returns the keys already recorded
     * (empty when all are new, and then all are recorded). A store may do this in one round trip.
     */
    default List<String> seenBefore(List<String> keys, Instant expiresAt) {
        List<String> seen = new ArrayList<>();
        for (String key : keys) {
            if (!firstSeen(key, expiresAt)) {
                seen.add(key);
            }
        }
        return seen;
    }
}
