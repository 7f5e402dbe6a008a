package fi.kelmu.gateway.fault;

import java.util.UUID;
import org.apache.cxf.message.Exchange;
import org.apache.cxf.message.Message;
import org.slf4j.MDC;

/**
 * The correlation id of one request: created when the request arrives, put in the logging context
 * (MDC key {@value #MDC_KEY}), returned in every fault and as the {@value #HTTP_HEADER} HTTP header.
 */
public final class CorrelationId {

    public static final String MDC_KEY = "correlationId";
    public static final String HTTP_HEADER = "X-Correlation-Id";
    private static final String EXCHANGE_KEY = CorrelationId.class.getName();

    private CorrelationId() {
    }

    /** Starts a request: a new id in the CXF exchange and in the MDC. */
    public static String start(Message message) {
        String id = UUID.randomUUID().toString();
        message.getExchange().put(EXCHANGE_KEY, id);
        MDC.put(MDC_KEY, id);
        return id;
    }

    /** The id of the request this message belongs to; a new one if none was started. */
    public static String of(Message message) {
        Exchange exchange = message.getExchange();
        Object id = exchange == null ? null : exchange.get(EXCHANGE_KEY);
        if (id == null) {
            return exchange == null ? UUID.randomUUID().toString() : start(message);
        }
        return id.toString();
    }
}
