package fi.kelmu.gateway.route;

import fi.kelmu.gateway.request.GatewayRequest;
import java.util.List;
import java.util.Optional;
import org.apache.camel.Exchange;

/** Where the route steps keep the request's {@link GatewayRequest} on a Camel exchange, and the body. */
public final class GatewayExchange {

    /** The exchange property holding the {@link GatewayRequest}. */
    public static final String REQUEST = "kelmu.request";
    /** Header the routing step chooses the adapter by: HVA, KUNTA, HELSINKI or KUNTAYHTYMA. */
    public static final String ORGANISATION_TYPE_HEADER = "KelmuOrganisationType";

    private GatewayExchange() {
    }

    /** The request context; bound by the first step of every service route. */
    public static GatewayRequest request(Exchange exchange) {
        return requestIfBound(exchange).orElseThrow(() ->
                new IllegalStateException("no request context on the exchange: route steps out of order"));
    }

    public static Optional<GatewayRequest> requestIfBound(Exchange exchange) {
        return Optional.ofNullable(exchange.getProperty(REQUEST, GatewayRequest.class));
    }

    /** The request's correlation id, or the exchange's id when the request never got a context. */
    public static String correlationId(Exchange exchange) {
        return requestIfBound(exchange).map(GatewayRequest::correlationId).orElse(exchange.getExchangeId());
    }

    /**
     * The request body: in POJO mode the CXF consumer gives the list of SEI parameters, and the gateway's
     * operations take their wrapper element whole, as the first one.
     */
    public static Object requestBody(Exchange exchange) {
        Object body = exchange.getIn().getBody();
        return body instanceof List<?> list && !list.isEmpty() ? list.get(0) : body;
    }

    /** The request body as {@code type}; another type means a route sends a body to the wrong step. */
    public static <T> T requestBody(Exchange exchange, Class<T> type) {
        Object body = requestBody(exchange);
        if (!type.isInstance(body)) {
            throw new IllegalStateException("expected " + type.getSimpleName() + " but the body is "
                    + (body == null ? "empty" : body.getClass().getName()));
        }
        return type.cast(body);
    }
}
