package fi.kelmu.gateway.route;

import fi.kelmu.gateway.policy.AccessPolicy;
import fi.kelmu.gateway.policy.AccessQuestion;
import fi.kelmu.gateway.policy.FinnishDate;
import fi.kelmu.gateway.request.GatewayRequest;
import fi.kelmu.gateway.request.Subject;
import java.time.Clock;
import org.apache.camel.Exchange;

/** The policy's route steps (docs/architecture.md step 5), judged on the Finnish date of the request. */
public final class PolicySteps {

    private final AccessPolicy policy;
    private final Clock clock;

    public PolicySteps(AccessPolicy policy, Clock clock) {
        this.policy = policy;
        this.clock = clock;
    }

    /** R-CONT-1: without a contract in force the caller is refused before anything is asked on its behalf. */
    public void requireContract(Exchange exchange) {
        GatewayRequest request = GatewayExchange.request(exchange);
        policy.contract(request.caller(), FinnishDate.today(clock)).ifPresent(unmet -> {
            throw unmet.refusal();
        });
    }

    /**
     * The policy's decision on the request (R-CONT-1, R-PURP-1, R-MAND-1..3, R-VIEW-1..3): refused on the first
     * unmet condition, otherwise the decision (views, area) goes into the request context.
     */
    public void authorise(Exchange exchange) {
        GatewayRequest request = GatewayExchange.request(exchange);
        Subject subject = request.subject().orElseThrow(() ->
                new IllegalStateException("authorise before the service step named the subject"));
        request.decision(policy.evaluate(new AccessQuestion(request.caller(), request.operation(), subject.purpose(),
                request.mandates(), subject.requestedViews(), FinnishDate.today(clock))).requireAllowed());
    }
}
