package fi.kelmu.gateway.mandate;

/**
 * Asks which Suomi.fi mandate codes a user holds, in force now, from one organisation. Used when a request
 * carries no signed mandate assertion (property {@code kelmu.mandate.online-check}).
 *
 * <p>The mandate service evaluates validity itself and returns no dates: a revoked or expired mandate is
 * simply absent from the answer, so access stops at once (R-MAND-4). Implementations fail closed: any
 * failure is a {@link fi.kelmu.gateway.fault.GatewayException} with
 * {@link fi.kelmu.gateway.fault.FaultCode#MANDATE_SERVICE_UNAVAILABLE}, never an empty or partial answer.
 */
public interface MandateLookup {

    /**
     * The mandate codes {@code userHetu} holds from {@code organisationBusinessId}, in force now.
     *
     * @param userHetu               the acting user's henkilötunnus (the delegate)
     * @param organisationBusinessId the Y-tunnus of the organisation the user acts for (the principal, R-MAND-6)
     * @param requestId              id of this check, sent to the mandate service and logged with the outcome
     * @return the codes in force, possibly none
     * @throws fi.kelmu.gateway.fault.GatewayException {@code MANDATE_SERVICE_UNAVAILABLE} when the service
     *         could not give a complete, well-formed answer about exactly that user and organisation
     */
    OnlineMandates mandatesInForce(String userHetu, String organisationBusinessId, String requestId);
}
