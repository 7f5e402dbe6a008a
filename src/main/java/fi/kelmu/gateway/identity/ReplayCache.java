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
     * Records {@code keys} until {@code expiresAt} and returns those already recorded (empty when all are new).
     * This default records them one by one, so a new key is recorded even when another was seen; a store may do it
     * in one round trip and record none of them then ({@link JdbcReplayCache#seenBefore}).
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
