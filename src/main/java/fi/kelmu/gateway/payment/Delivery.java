package fi.kelmu.gateway.payment;

/**
 * Delivers one outbox command to the payment-demand backend, carrying its idempotency key. Called while the
 * command's row is locked; a {@link RuntimeException} counts as {@link DeliveryOutcome.RetryLater}.
 */
@FunctionalInterface
public interface Delivery {

    DeliveryOutcome deliver(OutboxCommand command);
}
