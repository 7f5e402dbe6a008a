package fi.kelmu.gateway.route;

import fi.kelmu.contract.backend.paymentdemand.v1.ClientAnswer;
import fi.kelmu.contract.backend.paymentdemand.v1.DateRange;
import fi.kelmu.contract.backend.paymentdemand.v1.DemandList;
import fi.kelmu.gateway.adapter.PaymentDemandBackend;
import fi.kelmu.gateway.fault.FaultCode;
import fi.kelmu.gateway.fault.GatewayException;
import fi.kelmu.gateway.payment.DemandContent;
import fi.kelmu.gateway.request.GatewayRequest;
import java.time.LocalDate;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The payment-demand adapter of one organisation type (docs/payment-demands.md, "Backend contract"), its own
 * backend URL: before a write, where the client lives (an HVA acts only for clients of its area) and the benefit's
 * period (a demand may not start before it); for a list, Kela's current status of the demands. When the backend
 * cannot answer, a write is still taken (the outbox delivers it, and the backend checks it again then) and a list
 * answers with the statuses last acknowledged; a client the backend says is unknown or outside the area is refused
 * with the uniform fault.
 */
public final class PaymentBackendSteps {

    private static final Logger LOG = LoggerFactory.getLogger(PaymentBackendSteps.class);
    private static final Set<FaultCode> BACKEND_AWAY = Set.of(FaultCode.BACKEND_UNAVAILABLE, FaultCode.BACKEND_TIMEOUT,
            FaultCode.BACKEND_ERROR);

    /** Kela's status of one demand and its reason, as the backend lists it now. */
    record KelaView(String status, String reason) {
    }

    private final PaymentDemandBackend backend;

    public PaymentBackendSteps(PaymentDemandBackend backend) {
        this.backend = backend;
    }

    public PaymentDemandBackend backend() {
        return backend;
    }

    /** Area and benefit period of the demand a submit or modify states. */
    public void checkClient(Exchange exchange) {
        GatewayRequest request = GatewayExchange.request(exchange);
        DemandContent content = exchange.getProperty(PaymentDemandSteps.CONTENT, DemandContent.class);
        ClientAnswer answer;
        try {
            answer = backend.client(request.client(), content.benefitCode(), request.decision().area(),
                    request.correlationId());
        } catch (GatewayException e) {
            if (BACKEND_AWAY.contains(e.faultCode())) {
                LOG.warn("payment-demand backend could not check the client ({}): the demand is taken, and the backend"
                        + " checks it again when the outbox delivers it", e.faultCode().code());
                return;
            }
            throw e;
        }
        LocalDate benefitStart = answer.getBenefitPeriod().stream().map(DateRange::getFrom)
                .min(Comparator.naturalOrder()).orElseThrow(() -> new GatewayException(
                        FaultCode.INVALID_PAYMENT_DEMAND,
                        "benefit: the client has no decision or pending application of this benefit",
                        "no period of " + content.benefitCode() + " for the client"));
        content.requireNotBefore(benefitStart);
    }

    /** Kela's current status of the client's demands of the caller, for the list; nothing when the backend is away. */
    public void kelaStatus(Exchange exchange) {
        GatewayRequest request = GatewayExchange.request(exchange);
        DemandList list;
        try {
            list = backend.query(request.client(), request.caller().businessId(), request.decision().area(),
                    request.correlationId());
        } catch (GatewayException e) {
            if (BACKEND_AWAY.contains(e.faultCode())) {
                LOG.warn("payment-demand backend could not list the demands ({}): the list shows the statuses last"
                        + " acknowledged", e.faultCode().code());
                return;
            }
            throw e;
        }
        Map<String, KelaView> views = new HashMap<>();
        for (DemandList.Demand demand : list.getDemand()) {
            views.put(demand.getDemandId(), new KelaView(demand.getStatus().value(), demand.getReason()));
        }
        exchange.setProperty(PaymentDemandSteps.KELA_STATUS, views);
    }
}
