package fi.kelmu.gateway.identity;

import java.time.Instant;
import java.util.List;

/**
 * The database replay cache of a gateway that has its database to itself (H2, embedded in the one gateway process;
 * docs/security.md): every check is decided in memory, in constant time ({@link InMemoryReplayCache}), and the
 * database keeps what a restart needs to refuse the same messages again:
 *
 * <ul>
 *   <li>every request that reaches the access log leaves a record naming its organisation and X-Road id, durable
 *       before its answer leaves; its message-id key is that record ({@link ReplayClaim#messageIdKey});</li>
 *   <li>a message whose request leaves no record (the self-check, a refusal that names no valid client) has its
 *       message-id key written to table {@code replay_cache} by the access log's writer ({@link ReplayClaimLog}),
 *       soon after, not before, its answer: such an answer holds no personal data and changes nothing.</li>
 * </ul>
 *
 * A signature-value key is kept in memory only: the signature covers the X-Road id, so a message sent again has
 * the message id its first sending left. At start the unexpired keys of both kinds are read back
 * ({@code earlier}), after the access log's journal has restored what a crash took from the database. Replicas
 * share a PostgreSQL instead, where {@link JdbcReplayCache} decides each check in the database.
 */
public final class WriteBehindReplayCache implements ReplayCache {

    private final InMemoryReplayCache memory;
    private final ReplayClaimLog log;

    /**
     * @param memory  decides the checks
     * @param log     keeps the message-id keys of requests that leave no access record
     * @param earlier the unexpired keys kept before this start
     */
    public WriteBehindReplayCache(InMemoryReplayCache memory, ReplayClaimLog log, List<ReplayClaim> earlier) {
        this.memory = memory;
        this.log = log;
        for (ReplayClaim claim : earlier) {
            memory.firstSeenHash(claim.keyHash(), claim.expiresAt());
        }
    }

    @Override
    public boolean firstSeen(String key, Instant expiresAt) {
        String hash = ReplayClaim.hashOf(key);
        if (!memory.firstSeenHash(hash, expiresAt)) {
            return false;
        }
        if (ReplayClaim.isMessageIdKey(key)) {
            // when it cannot be kept, the message is refused (fail closed); its key stays in memory, so it is refused
            // again here as long as it could be accepted
            log.claim(new ReplayClaim(hash, expiresAt));
        }
        return true;
    }
}
