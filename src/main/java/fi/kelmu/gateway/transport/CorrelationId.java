package fi.kelmu.gateway.transport;

import fi.kelmu.gateway.request.GatewayRequest;
import org.apache.cxf.message.Exchange;
import org.apache.cxf.message.Message;
import org.slf4j.MDC;

/**
 * Where the inbound chain keeps the request's {@link GatewayRequest} in the CXF exchange, and its correlation
 * id: created when the request arrives, put in the logging context (MDC key {@value #MDC_KEY}), returned in
 * every fault and as the {@value #HTTP_HEADER} HTTP header.
 */
public final class CorrelationId {

    public static final String MDC_KEY = "correlationId";
    public static final String HTTP_HEADER = "X-Correlation-Id";
    private static final String EXCHANGE_KEY = GatewayRequest.class.getName();

    private CorrelationId() {
    }

    /** Starts a request: a new context, with a new correlation id, in the CXF exchange and in the MDC. */
    public static GatewayRequest start(Message message) {
        GatewayRequest request = GatewayRequest.start();
        message.getExchange().put(EXCHANGE_KEY, request);
        MDC.put(MDC_KEY, request.correlationId());
        return request;
    }

    /** The context of the request this message belongs to; a new one if none was started. */
    public static GatewayRequest request(Message message) {
        Exchange exchange = message.getExchange();
        Object request = exchange == null ? null : exchange.get(EXCHANGE_KEY);
        if (request != null) {
            return (GatewayRequest) request;
        }
        return exchange == null ? GatewayRequest.start() : start(message);
    }

    /** The correlation id of the request this message belongs to. */
    public static String of(Message message) {
        return request(message).correlationId();
    }

    /** Puts an already established request into the exchange (a test harness feeding the routes directly). */
    public static void attach(GatewayRequest request, Message message) {
        message.getExchange().put(EXCHANGE_KEY, request);
    }
}
