package fi.kelmu.gateway.identity;

import java.time.Instant;

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
}
