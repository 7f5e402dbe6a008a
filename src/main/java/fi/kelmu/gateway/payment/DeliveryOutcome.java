package fi.kelmu.gateway.payment;

/** What became of one delivery of an {@link OutboxCommand} to the backend. */
public sealed interface DeliveryOutcome {

    /** The backend has the command; Kela's status of the demand now, with a reason or null. */
    record Acknowledged(KelaStatus kelaStatus, String reason) implements DeliveryOutcome {

        public Acknowledged {
            if (kelaStatus == null) {
                throw new IllegalArgumentException("an acknowledgement carries Kela's status");
            }
        }
    }

    /** Kela refused the command on business grounds: delivered, the demand's status becomes REJECTED. */
    record Rejected(String reason) implements DeliveryOutcome {
    }

    /** The backend could not take it now (outage, timeout, server error): the command stays pending, retried later. */
    record RetryLater(String error) implements DeliveryOutcome {
    }
}
