package fi.kelmu.gateway.registry;

import fi.kelmu.gateway.fault.FaultCode;
import fi.kelmu.gateway.fault.GatewayException;
import fi.kelmu.gateway.transport.GatewayExchange;
import org.apache.camel.Exchange;

/**
 * Routing steps: which organisation type's adapter serves the caller. The caller is the registered
 * organisation that message security authenticated from the signing certificate.
 */
public final class OrganisationRouting {

    public void resolveCaller(Exchange exchange) {
        Organisation caller = GatewayExchange.organisation(exchange);
        exchange.getIn().setHeader(GatewayExchange.ORGANISATION_TYPE_HEADER, caller.type().name());
    }

    /** The routing step's otherwise-branch: no adapter serves this organisation type. */
    public void notServed(Exchange exchange) {
        Organisation caller = GatewayExchange.organisation(exchange);
        throw new GatewayException(FaultCode.ORGANISATION_TYPE_NOT_SERVED, null,
                "no backend adapter for organisation type " + caller.type() + " (" + caller.businessId() + ")");
    }
}
