package fi.kelmu.gateway.payment;

/** Kela's status of a demand, as the backend's acknowledgement of the latest delivered command says. */
public enum KelaStatus {
    /** Kela has the demand; nothing paid under it yet. */
    REGISTERED,
    /** A payment under the demand is being made. */
    IN_PAYMENT,
    /** Kela has paid under the demand (R-PAY-3 decided what). */
    PAID,
    /** Kela has the demand's invalidation. */
    INVALIDATED,
    /** Kela refused the demand, with a reason. */
    REJECTED
}
