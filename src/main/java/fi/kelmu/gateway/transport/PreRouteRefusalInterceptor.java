package fi.kelmu.gateway.transport;

import fi.kelmu.gateway.audit.AccessLog;
import fi.kelmu.gateway.audit.AccessOutcome;
import fi.kelmu.gateway.audit.AccessRecord;
import fi.kelmu.gateway.identifier.PersonalIdentityCode;
import fi.kelmu.gateway.registry.Organisation;
import fi.kelmu.gateway.request.GatewayRequest;
import fi.kelmu.gateway.xml.Dom;
import java.time.Clock;
import java.util.List;
import java.util.regex.Pattern;
import org.apache.cxf.binding.soap.SoapMessage;
import org.apache.cxf.interceptor.Fault;
import org.apache.cxf.phase.AbstractPhaseInterceptor;
import org.apache.cxf.phase.Phase;
import org.apache.cxf.service.model.BindingOperationInfo;
import org.w3c.dom.Element;

/**
 * Out-fault interceptor: a refusal raised before the routes (schema, SOAPAction, X-Road header values, replay,
 * a misplaced mandate assertion) of a caller whose message security passed is recorded in the access log like a
 * refusal in a route (docs/access-log.md, "Refusals before the routes"). What the record names comes from the
 * verified message and is bounded and checked here, never written as sent: the client only when it is a valid
 * henkilötunnus, the purpose only when it has a purpose code's shape, the operation only when the contract bound
 * one; otherwise the record leaves them empty. Requests that reached a route are the route's error policy's to
 * record, and requests whose caller is unknown concern nobody identifiable (only the application log has them).
 */
public final class PreRouteRefusalInterceptor extends AbstractPhaseInterceptor<SoapMessage> {

    private static final Pattern PURPOSE = Pattern.compile("[A-Z][A-Z0-9_]{0,63}");
    private static final Pattern X_ROAD_VALUE = Pattern.compile("[\\p{Graph}]{1,255}");
    private static final String UNREADABLE = "(unreadable)";

    private final AccessLog log;
    private final Clock clock;

    public PreRouteRefusalInterceptor(AccessLog log, Clock clock) {
        super(Phase.PRE_LOGICAL);
        addAfter(FaultTranslatorInterceptor.class.getName());
        this.log = log;
        this.clock = clock;
    }

    @Override
    public void handleMessage(SoapMessage message) throws Fault {
        GatewayRequest request = CorrelationId.request(message);
        if (!request.isAuthenticated() || request.inRoute()
                || !(message.getContent(Exception.class) instanceof FaultTranslator.GatewaySoapFault fault)) {
            return;
        }
        Element operation = bodyOperation(message);
        Organisation caller = request.caller();
        log.appendRefusal(new AccessRecord(AccessRecord.newEventId(), clock.instant(),
                bounded(request.headers().id()), caller.businessId(), caller.type(),
                bounded(request.headers().userId()), List.of(), null,
                operation == null ? null : purpose(Dom.childText(operation, operation.getNamespaceURI(), "purpose")),
                boundOperation(message), operation == null ? null
                        : client(Dom.childText(operation, operation.getNamespaceURI(), "clientId")),
                List.of(), AccessOutcome.REFUSED, fault.faultCode(), request.correlationId()));
    }

    /** The operation the contract bound for the body, if CXF got that far. */
    private static String boundOperation(SoapMessage message) {
        BindingOperationInfo binding = message.getExchange() == null ? null
                : message.getExchange().getBindingOperationInfo();
        return binding == null ? null : binding.getName().getLocalPart();
    }

    /** The body's operation element of the request, as parsed; null when there is none. */
    private static Element bodyOperation(SoapMessage message) {
        Element body = RequestDocument.body(message);
        List<Element> children = body == null ? List.of() : Dom.children(body);
        return children.isEmpty() ? null : children.get(0);
    }

    private static String client(String value) {
        return value != null && PersonalIdentityCode.isValid(value.strip())
                ? PersonalIdentityCode.parse(value.strip()).value() : null;
    }

    private static String purpose(String value) {
        return value != null && PURPOSE.matcher(value.strip()).matches() ? value.strip() : null;
    }

    /** An X-Road header value as the record can keep it: the value when it fits, else a marker. */
    private static String bounded(String value) {
        return value != null && X_ROAD_VALUE.matcher(value).matches() ? value : UNREADABLE;
    }
}
