package fi.kelmu.gateway.transport;

import org.apache.cxf.binding.soap.SoapMessage;
import org.apache.cxf.interceptor.Fault;
import org.apache.cxf.phase.AbstractPhaseInterceptor;
import org.apache.cxf.phase.Phase;

/**
 * Out-fault interceptor: whatever failed (an interceptor, schema validation, the route), the caller
 * gets the fault-table fault with the request's correlation id.
 */
public final class FaultTranslatorInterceptor extends AbstractPhaseInterceptor<SoapMessage> {

    private final FaultTranslator translator;

    public FaultTranslatorInterceptor(FaultTranslator translator) {
        super(Phase.PRE_LOGICAL);
        this.translator = translator;
    }

    @Override
    public void handleMessage(SoapMessage message) throws Fault {
        Exception failure = message.getContent(Exception.class);
        if (failure == null) {
            return;
        }
        message.setContent(Exception.class, translator.translate(failure, CorrelationId.of(message)));
    }
}
