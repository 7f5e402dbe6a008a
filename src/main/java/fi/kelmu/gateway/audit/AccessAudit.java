package fi.kelmu.gateway.audit;

import fi.kelmu.contract.benefit.v1.GetBasicSocialAssistance;
import fi.kelmu.contract.benefit.v1.GetBenefitData;
import fi.kelmu.gateway.benefit.BenefitRequest;
import fi.kelmu.gateway.fault.FaultCode;
import fi.kelmu.gateway.fault.GatewayException;
import fi.kelmu.gateway.identifier.PersonalIdentityCode;
import fi.kelmu.gateway.mandate.ProvenMandates;
import fi.kelmu.gateway.policy.AccessDecision;
import fi.kelmu.gateway.registry.Organisation;
import fi.kelmu.gateway.transport.GatewayExchange;
import fi.kelmu.gateway.xroad.XRoadHeaders;
import java.time.Clock;
import java.util.List;
import org.apache.camel.Exchange;
import org.apache.camel.component.cxf.common.message.CxfConstants;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Route steps that keep the access log (ARCHITECTURE.md step 6, issue 4 item 7): one record per data
 * request about an identifiable client, allowed or refused. The allowed record is the last step before
 * the response, so when it cannot be written the request fails and no data leaves.
 */
public final class AccessAudit {

    private static final Logger LOG = LoggerFactory.getLogger(AccessAudit.class);

    private final AccessLog log;
    private final Clock clock;

    public AccessAudit(AccessLog log, Clock clock) {
        this.log = log;
        this.clock = clock;
    }

    /** Last step of a data route: the record of what was returned; throws ACCESS_LOG_UNAVAILABLE if unwritten. */
    public void recordAllowed(Exchange exchange) {
        AccessDecision decision = exchange.getProperty(GatewayExchange.ACCESS_DECISION, AccessDecision.class);
        if (decision == null) {
            throw new IllegalStateException("a data route reached its access record without a policy decision");
        }
        String personId = exchange.getProperty(GatewayExchange.CLIENT_ID, String.class);
        log.append(record(exchange, personId, decision.purpose().code(), List.of(decision.mandate()),
                decision.mandateProof(), decision.views(), AccessOutcome.ALLOWED, null));
    }

    /**
     * Error-policy step: the record of a refused or failed data request. Requests that name no valid
     * client, or that never got past authentication, concern nobody identifiable and are only in the
     * application log. A record that cannot be written is logged; the caller gets the fault either way.
     */
    public void recordRefused(Exchange exchange) {
        Throwable failure = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        if (exchange.getProperty(GatewayExchange.XROAD) == null || exchange.getProperty(GatewayExchange.ORGANISATION) == null) {
            return;
        }
        Request request = request(exchange);
        if (request == null) {
            return;
        }
        FaultCode code = failure instanceof GatewayException g ? g.faultCode() : FaultCode.INTERNAL_ERROR;
        ProvenMandates proven = exchange.getProperty(GatewayExchange.MANDATES, ProvenMandates.class);
        try {
            log.append(record(exchange, request.personId(), request.purpose(),
                    proven == null ? List.of() : proven.codes().stream().sorted().toList(),
                    proven == null ? null : proven.proof(), List.of(), AccessOutcome.REFUSED, code));
        } catch (RuntimeException e) {
            LOG.error("the access-log record of a refused request ({}) could not be written: {}", code.code(),
                    e.getMessage(), e);
        }
    }

    private AccessRecord record(Exchange exchange, String personId, String purpose, List<String> mandates,
            String proof, List<String> views, AccessOutcome outcome, FaultCode code) {
        XRoadHeaders xroad = GatewayExchange.xroad(exchange);
        Organisation caller = GatewayExchange.organisation(exchange);
        String operation = exchange.getIn().getHeader(CxfConstants.OPERATION_NAME, String.class);
        return new AccessRecord(AccessRecord.newEventId(), clock.instant(), xroad.id(), caller.businessId(),
                caller.type(), xroad.userId(), mandates, proof, purpose, operation == null ? "unknown" : operation,
                personId, views, outcome, code, GatewayExchange.correlationId(exchange));
    }

    private record Request(String personId, String purpose) {
    }

    /** The client and purpose the request names, when the client is a valid henkilötunnus. */
    private static Request request(Exchange exchange) {
        BenefitRequest prepared = exchange.getProperty(GatewayExchange.BENEFIT_REQUEST, BenefitRequest.class);
        if (prepared != null) {
            // the request was validated and the body may already be the backend's answer
            return new Request(prepared.personId(), prepared.purpose());
        }
        Object body = GatewayExchange.requestBody(exchange);
        String clientId;
        String purpose;
        if (body instanceof GetBenefitData q) {
            clientId = q.getClientId();
            purpose = q.getPurpose();
        } else if (body instanceof GetBasicSocialAssistance q) {
            clientId = q.getClientId();
            purpose = q.getPurpose();
        } else {
            return null;
        }
        if (clientId == null || purpose == null || purpose.isBlank() || !PersonalIdentityCode.isValid(clientId)) {
            return null;
        }
        return new Request(PersonalIdentityCode.parse(clientId).value(), purpose);
    }
}
