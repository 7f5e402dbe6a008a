package fi.kelmu.gateway.route;

import fi.kelmu.gateway.mandate.MandateAssertions;
import fi.kelmu.gateway.mandate.MandateResolution;
import fi.kelmu.gateway.request.GatewayRequest;
import org.apache.camel.Exchange;

/**
 * The mandate step (docs/architecture.md step 4, R-MAND-1, R-MAND-6): the request's MandateAssertion, if it
 * carries one, is verified here, and the user's mandates from the calling organisation are proven by it or by
 * the online check. A refusal is thrown here, so the error policy records it like any other.
 */
public final class MandateSteps {

    private final MandateAssertions assertions;
    private final MandateResolution resolution;

    public MandateSteps(MandateAssertions assertions, MandateResolution resolution) {
        this.assertions = assertions;
        this.resolution = resolution;
    }

    public void prove(Exchange exchange) {
        GatewayRequest request = GatewayExchange.request(exchange);
        request.mandates(resolution.prove(request.userHetu(), request.caller(), assertions.verify(request.message()),
                request.correlationId()));
    }
}
