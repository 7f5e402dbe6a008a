package fi.kelmu.gateway.mandate;

/** Placeholder until the online check lands (helper branch mandate-online replaces this file). */
public interface MandateLookup {

    OnlineMandates mandatesInForce(String userHetu, String organisationBusinessId, String requestId);
}
