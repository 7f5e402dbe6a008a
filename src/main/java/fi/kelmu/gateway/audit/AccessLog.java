package fi.kelmu.gateway.audit;

import java.util.List;

/**
 * The access log (docs/access-log.md): a durable, append-only, hash-chained record of every request that
 * reads personal data. A request's data may leave only after {@link #append} has returned. Every method
 * reports a database it cannot use as {@link fi.kelmu.gateway.fault.GatewayException} with
 * {@link fi.kelmu.gateway.fault.FaultCode#ACCESS_LOG_UNAVAILABLE}.
 */
public interface AccessLog {

    /**
     * Writes the record durably, chained to the one before it.
     *
     * @throws fi.kelmu.gateway.fault.GatewayException with
     *         {@link fi.kelmu.gateway.fault.FaultCode#ACCESS_LOG_UNAVAILABLE} when it could not be written;
     *         the caller must then return no data
     */
    StoredAccessRecord append(AccessRecord record);

    /**
     * Writes the record of a refusal without failing the refusal: the caller's fault is sent either way. A record
     * that cannot be written now is kept to be written later where the implementation can (a spool), and is at
     * least in the application log.
     */
    void appendRefusal(AccessRecord record);

    /** The records that match, in sequence order. */
    List<StoredAccessRecord> find(AccessLogQuery query);

    /** Checks the whole chain: every record present, unchanged, and the last one the chain head names. */
    ChainVerification verify();
}
