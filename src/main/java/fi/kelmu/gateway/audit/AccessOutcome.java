package fi.kelmu.gateway.audit;

/** Whether a request that asked for personal data got it. */
public enum AccessOutcome {
    /** data was returned */
    ALLOWED,
    /** the request was refused with a fault; no data was returned */
    REFUSED
}
