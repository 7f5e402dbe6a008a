package fi.kelmu.gateway.payment;

/** The demander's side of a demand: in force, or invalidated by the demander (and then never changed again). */
public enum DemandState {
    ACTIVE,
    INVALIDATED
}
