package fi.kelmu.gateway.route;

import fi.kelmu.gateway.transport.FaultTranslator;
import org.apache.camel.Exchange;

/**
 * The error policy of every route (routes/gateway-error-policy.camel.yaml): the exception becomes the
 * fault-table SOAP fault that the CXF consumer sends back.
 */
public final class FaultSteps {

    private final FaultTranslator translator;

    public FaultSteps(FaultTranslator translator) {
        this.translator = translator;
    }

    public void toFault(Exchange exchange) {
        Throwable failure = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        if (failure == null) {
            failure = new IllegalStateException("error policy invoked without an exception");
        }
        exchange.getMessage().setBody(translator.translate(failure, GatewayExchange.correlationId(exchange)));
    }
}
