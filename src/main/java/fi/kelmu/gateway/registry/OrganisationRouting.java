package fi.kelmu.gateway.registry;

import fi.kelmu.gateway.fault.FaultCode;
import fi.kelmu.gateway.fault.GatewayException;
import fi.kelmu.gateway.transport.GatewayExchange;
import org.apache.camel.Exchange;

/**
 * Routing steps: who is calling (in this version, the organisation named in the X-Road {@code client}
 * header) and which organisation type's adapter serves it.
 */
public final class OrganisationRouting {

    private final OrganisationRegistry registry;

    public OrganisationRouting(OrganisationRegistry registry) {
        this.registry = registry;
    }

    public void resolveCaller(Exchange exchange) {
        Organisation caller = registry.require(GatewayExchange.xroad(exchange).clientMemberCode());
        exchange.setProperty(GatewayExchange.ORGANISATION, caller);
        exchange.getIn().setHeader(GatewayExchange.ORGANISATION_TYPE_HEADER, caller.type().name());
    }

    /** The routing step's otherwise-branch: no adapter serves this organisation type. */
    public void notServed(Exchange exchange) {
        Organisation caller = GatewayExchange.organisation(exchange);
        throw new GatewayException(FaultCode.ORGANISATION_TYPE_NOT_SERVED, null,
                "no backend adapter for organisation type " + caller.type() + " (" + caller.businessId() + ")");
    }
}
