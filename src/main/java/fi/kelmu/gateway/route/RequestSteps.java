package fi.kelmu.gateway.route;

import fi.kelmu.gateway.fault.FaultCode;
import fi.kelmu.gateway.fault.GatewayException;
import fi.kelmu.gateway.request.GatewayRequest;
import fi.kelmu.gateway.transport.CorrelationId;
import org.apache.camel.Exchange;
import org.apache.camel.component.cxf.common.message.CxfConstants;
import org.apache.cxf.message.Message;
import org.slf4j.MDC;

/** The first step of every service route, and its dispatch's otherwise-branch. */
public final class RequestSteps {

    /**
     * Binds the request context the inbound chain established to the exchange. Dispatch follows the operation
     * the service contract bound for the (signed) body, never a header of the transport.
     */
    public void bind(Exchange exchange) {
        Message cxfMessage = exchange.getIn().getHeader(CxfConstants.CAMEL_CXF_MESSAGE, Message.class);
        if (cxfMessage == null) {
            throw new IllegalStateException("route not fed by the CXF endpoint");
        }
        GatewayRequest request = CorrelationId.request(cxfMessage);
        if (!request.isAuthenticated()) {
            throw new IllegalStateException("request reached the route without message security");
        }
        request.enterRoute();
        MDC.put(CorrelationId.MDC_KEY, request.correlationId());
        exchange.setProperty(GatewayExchange.REQUEST, request);
        exchange.getIn().setHeader(CxfConstants.OPERATION_NAME, request.operation());
    }

    /** The dispatch step's otherwise-branch: an operation the WSDL has but no route serves. */
    public void unsupportedOperation(Exchange exchange) {
        throw new GatewayException(FaultCode.INVALID_REQUEST, "Unknown operation.",
                "no route for operation " + GatewayExchange.request(exchange).operation());
    }
}
