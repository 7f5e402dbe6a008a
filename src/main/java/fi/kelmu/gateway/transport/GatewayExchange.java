package fi.kelmu.gateway.transport;

import fi.kelmu.gateway.benefit.BenefitRequest;
import fi.kelmu.gateway.registry.Organisation;
import fi.kelmu.gateway.xroad.XRoadHeaders;
import org.apache.camel.Exchange;

/** Names and typed accessors of what the pipeline keeps on a Camel exchange. */
public final class GatewayExchange {

    public static final String XROAD = "kelmu.xroad";
    public static final String CORRELATION_ID = "kelmu.correlationId";
    public static final String BENEFIT_REQUEST = "kelmu.benefitRequest";
    public static final String ORGANISATION = "kelmu.organisation";
    /** Header the routing step chooses the adapter by: HVA, KUNTA, HELSINKI or KUNTAYHTYMA. */
    public static final String ORGANISATION_TYPE_HEADER = "KelmuOrganisationType";

    private GatewayExchange() {
    }

    public static XRoadHeaders xroad(Exchange exchange) {
        return required(exchange, XROAD, XRoadHeaders.class);
    }

    public static String correlationId(Exchange exchange) {
        String id = exchange.getProperty(CORRELATION_ID, String.class);
        return id != null ? id : exchange.getExchangeId();
    }

    public static BenefitRequest benefitRequest(Exchange exchange) {
        return required(exchange, BENEFIT_REQUEST, BenefitRequest.class);
    }

    public static Organisation organisation(Exchange exchange) {
        return required(exchange, ORGANISATION, Organisation.class);
    }

    private static <T> T required(Exchange exchange, String name, Class<T> type) {
        T value = exchange.getProperty(name, type);
        if (value == null) {
            throw new IllegalStateException("exchange property " + name + " missing: route steps out of order");
        }
        return value;
    }
}
