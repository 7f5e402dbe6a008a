package fi.kelmu.gateway.route;

import fi.kelmu.contract.paymentdemand.v1.DemandAnswer;
import fi.kelmu.contract.paymentdemand.v1.InvalidatePaymentDemand;
import fi.kelmu.contract.paymentdemand.v1.InvalidatePaymentDemandResponse;
import fi.kelmu.contract.paymentdemand.v1.ListPaymentDemands;
import fi.kelmu.contract.paymentdemand.v1.ListPaymentDemandsResponse;
import fi.kelmu.contract.paymentdemand.v1.ModifyPaymentDemand;
import fi.kelmu.contract.paymentdemand.v1.ModifyPaymentDemandResponse;
import fi.kelmu.contract.paymentdemand.v1.SubmitPaymentDemand;
import fi.kelmu.contract.paymentdemand.v1.SubmitPaymentDemandResponse;
import fi.kelmu.gateway.fault.FaultCode;
import fi.kelmu.gateway.fault.GatewayException;
import fi.kelmu.gateway.identity.ReplayClaim;
import fi.kelmu.gateway.payment.CommandResult;
import fi.kelmu.gateway.payment.DemandContent;
import fi.kelmu.gateway.payment.JdbcPaymentDemands;
import fi.kelmu.gateway.payment.PaymentDemand;
import fi.kelmu.gateway.payment.PaymentDemandMapper;
import fi.kelmu.gateway.payment.PaymentDemandOperations;
import fi.kelmu.gateway.registry.Organisation;
import fi.kelmu.gateway.request.GatewayRequest;
import fi.kelmu.gateway.request.Subject;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.camel.Exchange;

/**
 * Route steps of PaymentDemandService (docs/payment-demands.md): what a request names (the client, the demand),
 * the demand checked by the rules, and the store's answer. A write is committed with its idempotency key, the
 * calling organisation's Y-tunnus and the X-Road id, before the caller learns of it; the same key again gets the
 * stored answer (R-PAY-4, "Exactly once").
 */
public final class PaymentDemandSteps {

    /** Exchange property: the demand as stated, checked ({@link DemandContent}). */
    static final String CONTENT = "kelmu.paymentDemand.content";
    /** Exchange property: the demand the request names (modify, invalidate), the caller's own. */
    static final String NAMED = "kelmu.paymentDemand.named";
    /** Exchange property: Kela's view of the client's demands, by demand id, when the backend gave it (list). */
    static final String KELA_STATUS = "kelmu.paymentDemand.kelaStatus";

    /** Longest idempotency key sent as it is. */
    static final int PLAIN_KEY_MAX = 200;

    private final JdbcPaymentDemands demands;
    private final Clock clock;

    public PaymentDemandSteps(JdbcPaymentDemands demands, Clock clock) {
        this.demands = demands;
        this.clock = clock;
    }

    /**
     * Reads whom the request is about, unchecked, so that a refusal at any later step is recorded against the
     * client: the client named, or for an invalidation the client of the caller's demand it names. The access
     * record's details: the demand id named, the amount and the payee account masked to its last four.
     */
    public void subject(Exchange exchange) {
        GatewayRequest request = GatewayExchange.request(exchange);
        Object body = GatewayExchange.requestBody(exchange);
        String client;
        String details;
        if (body instanceof ListPaymentDemands q) {
            client = q.getClientId();
            details = null;
        } else if (body instanceof SubmitPaymentDemand q) {
            client = q.getDemand().getClientId();
            details = PaymentDemandMapper.accessDetails(null, q.getDemand());
        } else if (body instanceof ModifyPaymentDemand q) {
            client = q.getDemand().getClientId();
            details = PaymentDemandMapper.accessDetails(q.getDemandId(), q.getDemand());
            own(request, q.getDemandId()).ifPresent(d -> exchange.setProperty(NAMED, d));
        } else if (body instanceof InvalidatePaymentDemand q) {
            Optional<PaymentDemand> named = own(request, q.getDemandId());
            named.ifPresent(d -> exchange.setProperty(NAMED, d));
            client = named.map(d -> d.content().clientId()).orElse(null);
            details = PaymentDemandMapper.accessDetails(q.getDemandId(), null);
        } else {
            return; // an operation no route serves: the dispatch refuses it
        }
        request.subject(new Subject(client, PaymentDemandOperations.PURPOSE, List.of()));
        if (details != null) {
            request.accessDetails(details);
        }
    }

    /**
     * The client named must be a valid henkilötunnus ({@code Client.InvalidPersonalIdentityCode} otherwise, as in
     * the benefit queries). An invalidation names a demand, not a client: when the demand is not the caller's own
     * (unknown, or another organisation's) there is no client to check, and {@link #requireOwnDemand} refuses it
     * after the policy with {@code Client.UnknownPaymentDemand}, the same answer for both (R-PAY-4).
     */
    public void validateClient(Exchange exchange) {
        GatewayRequest request = GatewayExchange.request(exchange);
        if (GatewayExchange.requestBody(exchange) instanceof InvalidatePaymentDemand
                && exchange.getProperty(NAMED) == null) {
            return;
        }
        BenefitSteps.requireValidClient(request);
    }

    /** The demand a submit or modify states, checked by the rules (R-PAY-2 first, then amount, period, account). */
    public void content(Exchange exchange) {
        Object body = GatewayExchange.requestBody(exchange);
        fi.kelmu.contract.paymentdemand.v1.DemandContent stated = body instanceof SubmitPaymentDemand s
                ? s.getDemand() : GatewayExchange.requestBody(exchange, ModifyPaymentDemand.class).getDemand();
        exchange.setProperty(CONTENT, PaymentDemandMapper.content(stated));
    }

    /**
     * Modify and invalidate act on the caller's own demand only: another organisation's demand is refused exactly
     * as one that does not exist, so that no one learns of others' demands. A modification keeps the client.
     */
    public void requireOwnDemand(Exchange exchange) {
        PaymentDemand named = exchange.getProperty(NAMED, PaymentDemand.class);
        if (named == null) {
            throw new GatewayException(FaultCode.UNKNOWN_PAYMENT_DEMAND, null,
                    "no demand of " + GatewayExchange.request(exchange).caller().businessId() + " with that id");
        }
        DemandContent content = exchange.getProperty(CONTENT, DemandContent.class);
        if (content != null && !content.clientId().equals(named.content().clientId())) {
            throw new GatewayException(FaultCode.INVALID_PAYMENT_DEMAND, "clientId: a demand's client cannot change",
                    "modify of " + named.demandId() + " names another client");
        }
    }

    public void list(Exchange exchange) {
        GatewayRequest request = GatewayExchange.request(exchange);
        @SuppressWarnings("unchecked")
        Map<String, PaymentBackendSteps.KelaView> kela = exchange.getProperty(KELA_STATUS, Map.class);
        ListPaymentDemandsResponse response = new ListPaymentDemandsResponse();
        for (PaymentDemand demand : demands.list(request.caller().businessId(), request.client())) {
            fi.kelmu.contract.paymentdemand.v1.PaymentDemand answer = PaymentDemandMapper.toContract(demand);
            PaymentBackendSteps.KelaView current = kela == null ? null : kela.get(demand.demandId());
            if (current != null) {
                // Kela's status as its backend tells it now (a payment made since the last acknowledgement)
                answer.getStatus().setCode(current.status());
                answer.getStatus().setReason(current.reason());
            }
            response.getPaymentDemand().add(answer);
        }
        exchange.getMessage().setBody(response);
    }

    public void submit(Exchange exchange) {
        GatewayRequest request = GatewayExchange.request(exchange);
        Organisation caller = request.caller();
        CommandResult result = demands.submit(idempotencyKey(request), caller.businessId(), caller.type().name(),
                exchange.getProperty(CONTENT, DemandContent.class), clock.instant());
        answer(exchange, new SubmitPaymentDemandResponse(), result);
    }

    public void modify(Exchange exchange) {
        GatewayRequest request = GatewayExchange.request(exchange);
        PaymentDemand named = exchange.getProperty(NAMED, PaymentDemand.class);
        CommandResult result = demands.modify(idempotencyKey(request), request.caller().businessId(),
                named.demandId(), exchange.getProperty(CONTENT, DemandContent.class), clock.instant());
        answer(exchange, new ModifyPaymentDemandResponse(), result);
    }

    public void invalidate(Exchange exchange) {
        GatewayRequest request = GatewayExchange.request(exchange);
        PaymentDemand named = exchange.getProperty(NAMED, PaymentDemand.class);
        InvalidatePaymentDemand asked = GatewayExchange.requestBody(exchange, InvalidatePaymentDemand.class);
        CommandResult result = demands.invalidate(idempotencyKey(request), request.caller().businessId(),
                named.demandId(), asked.getReason(), clock.instant());
        answer(exchange, new InvalidatePaymentDemandResponse(), result);
    }

    /** The answer of a write: the demand as the command left it, and whether it is the stored answer of a retry. */
    private static void answer(Exchange exchange, DemandAnswer response, CommandResult result) {
        response.setPaymentDemand(PaymentDemandMapper.toContract(result.demand()));
        response.setRepeated(result.replayed());
        exchange.getMessage().setBody(response);
    }

    /** The caller's demand with {@code demandId}; empty for an unknown id and for another organisation's demand. */
    private Optional<PaymentDemand> own(GatewayRequest request, String demandId) {
        return demands.find(demandId).filter(d -> d.demanderId().equals(request.caller().businessId()));
    }

    /**
     * Exactly once: the calling organisation and the X-Road id of its message (docs/payment-demands.md); when that
     * is not up to {@value #PLAIN_KEY_MAX} printable ASCII characters (what the backend's Idempotency-Key header
     * takes), the hex SHA-256 of it, which is as unique.
     */
    static String idempotencyKey(GatewayRequest request) {
        String key = request.caller().businessId() + ":" + request.headers().id();
        if (key.length() <= PLAIN_KEY_MAX && key.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
            return key;
        }
        return "sha256:" + ReplayClaim.hashOf(key);
    }
}
