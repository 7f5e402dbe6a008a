package fi.kelmu.gateway.payment;

import fi.kelmu.gateway.registry.OrganisationType;

/**
 * One write of a demand to deliver to the payment-demand backend, as the outbox hands it to a {@link Delivery}.
 *
 * @param commandId the gateway's id of the write
 * @param idempotencyKey to send as the {@code Idempotency-Key} header: the backend answers a key it has seen with
 *     its first acknowledgement, which makes a redelivery (after a crash between delivery and marking) harmless
 * @param kind what the write did
 * @param demand the demand as the write committed it
 * @param demanderType the organisation type whose backend takes the command (the demand's demander's, the HVA after
 *     a transfer)
 * @param attempts the attempts made before this one
 */
public record OutboxCommand(String commandId, String idempotencyKey, CommandKind kind, PaymentDemand demand,
        OrganisationType demanderType, int attempts) {
}
