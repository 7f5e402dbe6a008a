package fi.kelmu.gateway.transport;

import fi.kelmu.gateway.request.GatewayRequest;
import fi.kelmu.gateway.xroad.XRoadHeaderReader;
import org.apache.cxf.binding.soap.SoapMessage;
import org.apache.cxf.interceptor.Fault;
import org.apache.cxf.phase.AbstractPhaseInterceptor;
import org.apache.cxf.phase.Phase;
import org.apache.cxf.service.model.BindingOperationInfo;

/**
 * The last part of the inbound chain, once CXF has parsed and schema-validated the body and knows its
 * operation: the signed X-Road headers are checked against it ({@link XRoadHeaderReader#validate}), and the
 * operation completes the request's {@link GatewayRequest}. The routes dispatch on that operation.
 */
public final class XRoadHeaderInterceptor extends AbstractPhaseInterceptor<SoapMessage> {

    private final XRoadHeaderReader headerReader;

    public XRoadHeaderInterceptor(XRoadHeaderReader headerReader) {
        super(Phase.PRE_LOGICAL);
        this.headerReader = headerReader;
    }

    @Override
    public void handleMessage(SoapMessage message) throws Fault {
        GatewayRequest request = CorrelationId.request(message);
        if (!request.isAuthenticated()) {
            throw new IllegalStateException("X-Road headers reached before message security");
        }
        BindingOperationInfo binding = message.getExchange().getBindingOperationInfo();
        String operation = binding == null ? null : binding.getName().getLocalPart();
        headerReader.validate(request.headers(), operation);
        request.operation(operation);
    }
}
