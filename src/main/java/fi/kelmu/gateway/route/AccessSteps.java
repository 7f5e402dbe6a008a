package fi.kelmu.gateway.route;

import fi.kelmu.contract.access.v1.CheckAccess;
import fi.kelmu.gateway.policy.AccessSelfCheck;
import fi.kelmu.gateway.request.GatewayRequest;
import org.apache.camel.Exchange;

/** The AccessService's step: the self-check of the calling user (R-MAND-5). */
public final class AccessSteps {

    private final AccessSelfCheck selfCheck;

    public AccessSteps(AccessSelfCheck selfCheck) {
        this.selfCheck = selfCheck;
    }

    /** The body is a CheckAccess; the mandates were proven by the previous step. */
    public void answer(Exchange exchange) {
        CheckAccess body = GatewayExchange.requestBody(exchange, CheckAccess.class);
        GatewayRequest request = GatewayExchange.request(exchange);
        exchange.getMessage().setBody(selfCheck.check(request.caller(), request.userHetu(), request.mandates(),
                body.getPurpose()));
    }
}
