package fi.kelmu.gateway.transport;

import fi.kelmu.gateway.fault.CorrelationId;
import fi.kelmu.gateway.fault.FaultCode;
import fi.kelmu.gateway.fault.GatewayException;
import fi.kelmu.gateway.mandate.MandateAssertion;
import fi.kelmu.gateway.mandate.MandateAssertionInterceptor;
import fi.kelmu.gateway.security.AuthenticatedCaller;
import fi.kelmu.gateway.xroad.XRoadHeaderInterceptor;
import fi.kelmu.gateway.xroad.XRoadHeaders;
import org.apache.camel.Exchange;
import org.apache.camel.component.cxf.common.message.CxfConstants;
import org.apache.cxf.message.Message;
import org.slf4j.MDC;

/** First route step: binds what the CXF pipeline validated (X-Road headers, correlation id) to the exchange. */
public final class GatewayRequests {

    public void bind(Exchange exchange) {
        Message cxfMessage = exchange.getIn().getHeader(CxfConstants.CAMEL_CXF_MESSAGE, Message.class);
        if (cxfMessage == null) {
            throw new IllegalStateException("route not fed by the CXF endpoint");
        }
        XRoadHeaders headers = XRoadHeaderInterceptor.of(cxfMessage);
        if (headers == null) {
            throw new IllegalStateException("X-Road headers were not validated before the route");
        }
        AuthenticatedCaller caller = AuthenticatedCaller.of(cxfMessage);
        if (caller == null) {
            throw new IllegalStateException("request reached the route without message security");
        }
        String correlationId = CorrelationId.of(cxfMessage);
        MDC.put(CorrelationId.MDC_KEY, correlationId);
        exchange.setProperty(GatewayExchange.CORRELATION_ID, correlationId);
        exchange.setProperty(GatewayExchange.XROAD, headers);
        // the caller is the organisation the certificate proved, never what a header claims
        exchange.setProperty(GatewayExchange.ORGANISATION, caller.organisation());
        MandateAssertion assertion = MandateAssertion.of(cxfMessage);
        if (assertion != null) {
            exchange.setProperty(GatewayExchange.MANDATE_ASSERTION, assertion);
        }
        GatewayException refusedAssertion = MandateAssertionInterceptor.failureOf(cxfMessage);
        if (refusedAssertion != null) {
            exchange.setProperty(GatewayExchange.MANDATE_ASSERTION_FAILURE, refusedAssertion);
        }
    }

    /** The dispatch step's otherwise-branch: an operation the WSDL has but no route serves. */
    public void unsupportedOperation(Exchange exchange) {
        throw new GatewayException(FaultCode.INVALID_REQUEST, "Unknown operation.",
                "no route for operation " + exchange.getIn().getHeader(CxfConstants.OPERATION_NAME));
    }
}
