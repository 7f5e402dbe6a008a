package fi.kelmu.gateway.route;

import fi.kelmu.gateway.fault.FaultCode;
import fi.kelmu.gateway.fault.GatewayException;
import fi.kelmu.gateway.registry.Organisation;
import org.apache.camel.Exchange;

/**
 * The routing step (docs/architecture.md step 7): which organisation type's adapter serves the caller. The
 * caller is the registered organisation that message security authenticated from its certificate.
 */
public final class RoutingSteps {

    /** Sets the header the routing step chooses the caller's organisation type's adapter by. */
    public void byOrganisationType(Exchange exchange) {
        exchange.getIn().setHeader(GatewayExchange.ORGANISATION_TYPE_HEADER,
                GatewayExchange.request(exchange).caller().type().name());
    }

    /** The routing step's otherwise-branch: no adapter serves this organisation type. */
    public void notServed(Exchange exchange) {
        Organisation caller = GatewayExchange.request(exchange).caller();
        throw new GatewayException(FaultCode.ORGANISATION_TYPE_NOT_SERVED, null,
                "no backend adapter for organisation type " + caller.type() + " (" + caller.businessId() + ")");
    }
}
