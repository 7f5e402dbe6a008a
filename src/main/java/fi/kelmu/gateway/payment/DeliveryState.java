package fi.kelmu.gateway.payment;

import java.time.Instant;

/** Whether the backend has the latest command of a demand: still pending, after some attempts, or delivered. */
public sealed interface DeliveryState {

    /** Not yet acknowledged by the backend; {@code attempts} made so far, each answered by an outage or timeout. */
    record Pending(int attempts) implements DeliveryState {

        public Pending {
            if (attempts < 0) {
                throw new IllegalArgumentException("attempts must not be negative: " + attempts);
            }
        }
    }

    /** Acknowledged (or rejected on business grounds) by the backend at {@code deliveredAt}. */
    record Delivered(Instant deliveredAt) implements DeliveryState {

        public Delivered {
            if (deliveredAt == null) {
                throw new IllegalArgumentException("a delivery has a time");
            }
        }
    }
}
