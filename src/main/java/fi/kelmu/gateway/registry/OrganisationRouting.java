package fi.kelmu.gateway.registry;

import fi.kelmu.gateway.fault.FaultCode;
import fi.kelmu.gateway.fault.GatewayException;
import fi.kelmu.gateway.transport.GatewayExchange;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneId;
import org.apache.camel.Exchange;

/**
 * Routing steps: whether the caller has a contract in force, and which organisation type's adapter serves
 * it. The caller is the registered organisation that message security authenticated from its certificate.
 */
public final class OrganisationRouting {

    private static final ZoneId FINLAND = ZoneId.of("Europe/Helsinki");
    private final Clock clock;

    public OrganisationRouting(Clock clock) {
        this.clock = clock;
    }

    /** R-CONT-1, R-CONT-3: only within a contract period in force today (Finnish date) is the caller served. */
    public void requireContract(Exchange exchange) {
        Organisation caller = GatewayExchange.organisation(exchange);
        LocalDate today = today(clock);
        if (caller.contractOn(today).isEmpty()) {
            String last = caller.contracts().isEmpty() ? "no contract"
                    : "last contract " + caller.contracts().get(caller.contracts().size() - 1);
            throw new GatewayException(FaultCode.NO_VALID_CONTRACT,
                    caller.contracts().isEmpty() ? null : "No contract period covers " + today + ".",
                    caller.businessId() + " has no contract in force on " + today + " (" + last + ")");
        }
    }

    /** The Finnish calendar date now: contracts and policy periods are in Finnish dates. */
    public static LocalDate today(Clock clock) {
        return LocalDate.now(clock.withZone(FINLAND));
    }

    /** Sets the header the routing step chooses the caller's organisation type's adapter by. */
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
