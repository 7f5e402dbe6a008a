package fi.kelmu.gateway.adapter;

import java.util.Objects;

/**
 * What became of one delivery of an outbox command to the payment-demand backend
 * ({@link PaymentDemandBackend#deliver}). A value, never an exception: backend trouble is an ordinary outcome
 * for the outbox, which keeps the command and retries it (docs/payment-demands.md, "Outbox").
 */
public sealed interface DeliveryResult {

    /**
     * The backend took the command: Kela's status of the demand after it ({@code REGISTERED}, {@code IN_PAYMENT},
     * {@code PAID}, {@code INVALIDATED}, {@code REJECTED}) and its reason, if any. Mark the command delivered. A
     * repeated idempotency key is acknowledged with the first acknowledgement, so this is also the answer to a
     * command the backend had already taken.
     *
     * @param status Kela's status, as the contract's {@code DemandStatus} names it
     * @param reason the backend's reason, or null
     */
    record Acked(String status, String reason) implements DeliveryResult {
        public Acked {
            Objects.requireNonNull(status, "status");
        }
    }

    /**
     * The backend rejected the command for a business reason (HTTP 422): mark it delivered with status
     * {@code REJECTED} and this code as the reason; do not retry.
     *
     * @param code the backend's business code, e.g. {@code CLIENT_OUTSIDE_AREA} or {@code UNKNOWN_DEMAND};
     *             {@value PaymentDemandBackend#UNSPECIFIED_REJECTION} when a 422 carried no readable code
     */
    record Rejected(String code) implements DeliveryResult {
        public Rejected {
            Objects.requireNonNull(code, "code");
        }
    }

    /**
     * The command was not taken: the backend was unreachable, timed out, failed (5xx), or answered something the
     * gateway cannot use. Leave the command pending and retry it later with the same idempotency key.
     *
     * @param error what went wrong, for the log (no client data)
     */
    record Unavailable(String error) implements DeliveryResult {
        public Unavailable {
            Objects.requireNonNull(error, "error");
        }
    }
}
