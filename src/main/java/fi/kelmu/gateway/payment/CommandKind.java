package fi.kelmu.gateway.payment;

/** What one write of a demand did, and so what its outbox command tells the backend. */
public enum CommandKind {
    SUBMIT,
    MODIFY,
    INVALIDATE,
    /** The year-end move of a municipality's demand to its HVA (R-PAY-7). */
    TRANSFER
}
