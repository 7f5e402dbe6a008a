package fi.kelmu.gateway.route;

import fi.kelmu.gateway.audit.AccessLog;
import fi.kelmu.gateway.audit.AccessOutcome;
import fi.kelmu.gateway.audit.AccessRecord;
import fi.kelmu.gateway.fault.FaultCode;
import fi.kelmu.gateway.fault.GatewayException;
import fi.kelmu.gateway.mandate.ProvenMandates;
import fi.kelmu.gateway.policy.AccessDecision;
import fi.kelmu.gateway.registry.Organisation;
import fi.kelmu.gateway.request.GatewayRequest;
import fi.kelmu.gateway.request.Subject;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import org.apache.camel.Exchange;

/**
 * Route steps that keep the access log (docs/architecture.md step 6, docs/access-log.md): one record per data
 * request about an identifiable client, allowed or refused. The allowed record is the last step before the
 * response, so when it cannot be written the request fails and no data leaves.
 */
public final class AuditSteps {

    private final AccessLog log;
    private final Clock clock;

    public AuditSteps(AccessLog log, Clock clock) {
        this.log = log;
        this.clock = clock;
    }

    /**
     * Last step of a data route: the record of what was returned, whose receipt the answer carries; throws
     * ACCESS_LOG_UNAVAILABLE if unwritten.
     */
    public void recordAllowed(Exchange exchange) {
        GatewayRequest request = GatewayExchange.request(exchange);
        AccessDecision decision = request.decision();
        // the answer gives the caller the record's receipt (docs/access-log.md, "Receipts")
        request.receipt(log.append(record(request, request.client(), decision.purpose().code(),
                List.of(decision.mandate()), decision.mandateProof(), decision.views(), AccessOutcome.ALLOWED, null)));
    }

    /**
     * Error-policy step: the record of a refused or failed data request. Requests that name no valid
     * client, or that never got past authentication, concern nobody identifiable and are only in the
     * application log. A record that cannot be written now is spooled ({@link AccessLog#appendRefusal}); the caller
     * gets the fault either way.
     */
    public void recordRefused(Exchange exchange) {
        GatewayRequest request = GatewayExchange.requestIfBound(exchange).orElse(null);
        if (request == null || !request.isAuthenticated()) {
            return;
        }
        Subject subject = request.subject().orElse(null);
        Optional<String> client = subject == null ? Optional.empty() : subject.validClient();
        if (client.isEmpty() || subject.purpose() == null || subject.purpose().isBlank()) {
            return;
        }
        Throwable failure = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        FaultCode code = failure instanceof GatewayException g ? g.faultCode() : FaultCode.INTERNAL_ERROR;
        ProvenMandates proven = request.mandatesIfProven().orElse(null);
        log.appendRefusal(record(request, client.get(), subject.purpose(),
                proven == null ? List.of() : proven.codes().stream().sorted().toList(),
                proven == null ? null : proven.proof(), List.of(), AccessOutcome.REFUSED, code));
    }

    private AccessRecord record(GatewayRequest request, String personId, String purpose, List<String> mandates,
            String proof, List<String> views, AccessOutcome outcome, FaultCode code) {
        Organisation caller = request.caller();
        return new AccessRecord(AccessRecord.newEventId(), clock.instant(), request.headers().id(),
                caller.businessId(), caller.type(), request.headers().userId(), mandates, proof, purpose,
                request.operation(), personId, views, outcome, code, request.correlationId(),
                request.accessDetails().orElse(null));
    }
}
