package fi.kelmu.gateway.transport;

import fi.kelmu.gateway.benefit.BenefitRequest;
import fi.kelmu.gateway.mandate.ProvenMandates;
import fi.kelmu.gateway.registry.Organisation;
import fi.kelmu.gateway.xroad.XRoadHeaders;
import org.apache.camel.Exchange;

/** Names and typed accessors of what the pipeline keeps on a Camel exchange. */
public final class GatewayExchange {

    public static final String XROAD = "kelmu.xroad";
    public static final String CORRELATION_ID = "kelmu.correlationId";
    public static final String BENEFIT_REQUEST = "kelmu.benefitRequest";
    public static final String ORGANISATION = "kelmu.organisation";
    /** The verified MandateAssertion of the request, when one was sent. */
    public static final String MANDATE_ASSERTION = "kelmu.mandateAssertion";
    /** The client (henkilötunnus) a data request is about, once it is known to be valid. */
    public static final String CLIENT_ID = "kelmu.clientId";
    /** Why the request's MandateAssertion was refused, thrown by the mandate step of the route. */
    public static final String MANDATE_ASSERTION_FAILURE = "kelmu.mandateAssertionFailure";
    /** The mandates proven for the user ({@link fi.kelmu.gateway.mandate.ProvenMandates}). */
    public static final String MANDATES = "kelmu.mandates";
    /** What the policy allowed ({@link fi.kelmu.gateway.policy.AccessDecision}). */
    public static final String ACCESS_DECISION = "kelmu.accessDecision";
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

    public static ProvenMandates mandates(Exchange exchange) {
        return required(exchange, MANDATES, ProvenMandates.class);
    }

    public static Organisation organisation(Exchange exchange) {
        return required(exchange, ORGANISATION, Organisation.class);
    }

    /**
     * The request body: in POJO mode the CXF consumer gives the list of SEI parameters, and the gateway's
     * operations take their wrapper element whole, as the first one.
     */
    public static Object requestBody(Exchange exchange) {
        Object body = exchange.getIn().getBody();
        return body instanceof java.util.List<?> list && !list.isEmpty() ? list.get(0) : body;
    }

    private static <T> T required(Exchange exchange, String name, Class<T> type) {
        T value = exchange.getProperty(name, type);
        if (value == null) {
            throw new IllegalStateException("exchange property " + name + " missing: route steps out of order");
        }
        return value;
    }
}
