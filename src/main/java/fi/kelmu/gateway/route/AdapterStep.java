package fi.kelmu.gateway.route;

import fi.kelmu.gateway.adapter.BackendQuery;
import fi.kelmu.gateway.adapter.BenefitBackendAdapter;
import fi.kelmu.gateway.policy.AccessDecision;
import fi.kelmu.gateway.registry.Organisation;
import fi.kelmu.gateway.request.GatewayRequest;
import org.apache.camel.Exchange;

/**
 * The step of one organisation type's adapter route (docs/architecture.md steps 7 and 8): asks the backend for
 * the validated client, under the decision's purpose and views, confined to the decision's area.
 */
public final class AdapterStep {

    private final BenefitBackendAdapter adapter;

    public AdapterStep(BenefitBackendAdapter adapter) {
        this.adapter = adapter;
    }

    public BenefitBackendAdapter adapter() {
        return adapter;
    }

    public void query(Exchange exchange) {
        GatewayRequest request = GatewayExchange.request(exchange);
        Organisation caller = request.caller();
        AccessDecision decision = request.decision();
        exchange.getMessage().setBody(adapter.query(new BackendQuery(caller.businessId(), caller.type(),
                request.headers().userId(), request.client(), decision.purpose().code(), decision.views(),
                decision.area(), request.correlationId())));
    }
}
