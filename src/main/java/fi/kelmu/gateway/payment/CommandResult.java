package fi.kelmu.gateway.payment;

/**
 * The answer to a write (submit, modify, invalidate): the demand as that write committed it.
 *
 * @param commandId the gateway's id of the write (its outbox command)
 * @param demand the demand as committed by the write, the same text each time it is answered
 * @param replayed true when the idempotency key had been used before for the same request: nothing was written now
 *     and {@code demand} is the stored answer of the first time (a retry, or concurrent duplicates of one request)
 */
public record CommandResult(String commandId, PaymentDemand demand, boolean replayed) {
}
