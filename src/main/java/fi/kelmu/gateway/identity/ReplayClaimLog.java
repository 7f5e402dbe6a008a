package fi.kelmu.gateway.identity;

/**
 * Where a {@link WriteBehindReplayCache} keeps the message-id keys it accepted: the access log's writer
 * ({@code audit.GroupCommitAccessLog}). A claim that an access record of the same organisation and X-Road id
 * covers needs no row of its own (the record is kept, durably, before its answer leaves); one that no record
 * covers within a grace period is written to {@code replay_cache} in the transaction of a later batch, journaled
 * with it.
 */
public interface ReplayClaimLog {

    /**
     * Queues {@code claim} until a record covers it or it is written.
     *
     * @throws fi.kelmu.gateway.fault.GatewayException {@code Server.ReplayCheckUnavailable} when it cannot be
     *         queued (too many waiting, or the log is closed): a message whose identity cannot be kept is refused
     */
    void claim(ReplayClaim claim);
}
