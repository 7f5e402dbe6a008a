package fi.kelmu.gateway.identity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fi.kelmu.gateway.fault.FaultCode;
import fi.kelmu.gateway.fault.GatewayException;
import fi.kelmu.gateway.support.MutableClock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link WriteBehindReplayCache} (issue 10 item 5, docs/security.md): checks decided in memory, each accepted key
 * (message ids only) handed to the claim log once, keys stored before a start refused after it, and a key that cannot be kept refused.
 */
class WriteBehindReplayCacheTest {

    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-28T08:00:00Z"));
    private final Instant expiry = clock.instant().plusSeconds(600);
    private final List<ReplayClaim> claimed = new ArrayList<>();

    @Test
    void anAcceptedKeyIsClaimedOnceAndARepeatIsRefused() {
        WriteBehindReplayCache cache = new WriteBehindReplayCache(new InMemoryReplayCache(clock), claimed::add, List.of());
        assertTrue(cache.firstSeen("id:0201256-6:m1", expiry));
        assertFalse(cache.firstSeen("id:0201256-6:m1", expiry));
        assertEquals(List.of(new ReplayClaim(JdbcReplayCache.hash("id:0201256-6:m1"), expiry)), claimed,
                "stored as its hash, claimed only when first seen");
    }

    /** The signature covers the X-Road id: a message sent again carries the id its first sending left. */
    @Test
    void aSignatureKeyIsCheckedButNotClaimed() {
        WriteBehindReplayCache cache = new WriteBehindReplayCache(new InMemoryReplayCache(clock), claimed::add, List.of());
        assertTrue(cache.firstSeen("sig:abc", expiry));
        assertFalse(cache.firstSeen("sig:abc", expiry));
        assertEquals(List.of(), claimed);
    }

    @Test
    void aKeyStoredBeforeTheStartIsRefusedUntilItExpires() {
        List<ReplayClaim> earlier = List.of(new ReplayClaim(JdbcReplayCache.hash("id:0201256-6:m1"), expiry));
        WriteBehindReplayCache cache = new WriteBehindReplayCache(new InMemoryReplayCache(clock), claimed::add, earlier);
        assertFalse(cache.firstSeen("id:0201256-6:m1", expiry));
        clock.set(expiry.plusSeconds(1));
        assertTrue(cache.firstSeen("id:0201256-6:m1", clock.instant().plusSeconds(600)));
    }

    /** Fail closed: a message whose identity cannot be kept is refused, and so is every later sight of it. */
    @Test
    void aKeyTheLogCannotKeepIsRefused() {
        WriteBehindReplayCache cache = new WriteBehindReplayCache(new InMemoryReplayCache(clock), claim -> {
            throw new GatewayException(FaultCode.REPLAY_CHECK_UNAVAILABLE, null, "full");
        }, List.of());
        GatewayException e = assertThrows(GatewayException.class, () -> cache.firstSeen("id:0201256-6:m2", expiry));
        assertEquals(FaultCode.REPLAY_CHECK_UNAVAILABLE, e.faultCode());
        assertFalse(cache.firstSeen("id:0201256-6:m2", expiry));
    }
}
