package fi.kelmu.gateway.benefit;

import fi.kelmu.contract.backend.v1.BenefitDataResult;
import fi.kelmu.contract.benefit.v1.BenefitView;
import fi.kelmu.contract.benefit.v1.GetBasicSocialAssistance;
import fi.kelmu.contract.benefit.v1.GetBenefitData;
import fi.kelmu.gateway.fault.FaultCode;
import fi.kelmu.gateway.fault.GatewayException;
import fi.kelmu.gateway.identifier.InvalidIdentifierException;
import fi.kelmu.gateway.identifier.PersonalIdentityCode;
import fi.kelmu.gateway.policy.AccessDecision;
import fi.kelmu.gateway.policy.AccessPolicy;
import fi.kelmu.gateway.registry.OrganisationRouting;
import fi.kelmu.gateway.transport.GatewayExchange;
import java.time.Clock;
import java.util.List;
import org.apache.camel.Exchange;
import org.apache.camel.InvalidPayloadException;

/**
 * Route steps of the benefit information operations: validate the request (client, purpose, views)
 * before anything is asked of a backend, and map the backend's answer to the response.
 */
public final class BenefitQueries {

    public static final String GET_BENEFIT_DATA = "getBenefitData";
    public static final String GET_BASIC_SOCIAL_ASSISTANCE = "getBasicSocialAssistance";

    private final AccessPolicy policy;
    private final Clock clock;
    private final BenefitResponseMapper mapper = new BenefitResponseMapper();

    public BenefitQueries(AccessPolicy policy, Clock clock) {
        this.policy = policy;
        this.clock = clock;
    }

    public void prepareBenefitData(Exchange exchange) {
        GetBenefitData body = body(exchange, GetBenefitData.class);
        List<String> requested = body.getView().stream().map(BenefitView::value).distinct().toList();
        prepare(exchange, GET_BENEFIT_DATA, body.getClientId(), body.getPurpose(), requested);
    }

    public void prepareBasicSocialAssistance(Exchange exchange) {
        GetBasicSocialAssistance body = body(exchange, GetBasicSocialAssistance.class);
        prepare(exchange, GET_BASIC_SOCIAL_ASSISTANCE, body.getClientId(), body.getPurpose(), List.of()); // R-VIEW-2
    }

    /**
     * The client first (a malformed henkilötunnus is the caller's mistake whatever its rights), then the
     * policy's decision at the request's Finnish date: purpose, organisation type, mandate, views
     * (R-PURP-1, R-MAND-1..3, R-VIEW-1..3).
     */
    private void prepare(Exchange exchange, String operation, String clientId, String purposeCode, List<String> views) {
        String personId = requireValidClient(clientId);
        exchange.setProperty(GatewayExchange.CLIENT_ID, personId);
        AccessDecision decision = policy.decide(purposeCode, operation, GatewayExchange.organisation(exchange),
                GatewayExchange.mandates(exchange), views, OrganisationRouting.today(clock));
        exchange.setProperty(GatewayExchange.ACCESS_DECISION, decision);
        exchange.setProperty(GatewayExchange.BENEFIT_REQUEST, new BenefitRequest(operation, personId,
                decision.purpose().code(), decision.views()));
    }

    public void benefitDataResponse(Exchange exchange) throws InvalidPayloadException {
        BenefitDataResult result = exchange.getMessage().getMandatoryBody(BenefitDataResult.class);
        exchange.getMessage().setBody(mapper.benefitData(GatewayExchange.benefitRequest(exchange), result));
    }

    public void basicSocialAssistanceResponse(Exchange exchange) throws InvalidPayloadException {
        BenefitDataResult result = exchange.getMessage().getMandatoryBody(BenefitDataResult.class);
        exchange.getMessage().setBody(mapper.basicSocialAssistance(GatewayExchange.benefitRequest(exchange), result));
    }

    private static String requireValidClient(String clientId) {
        try {
            return PersonalIdentityCode.parse(clientId).value();
        } catch (InvalidIdentifierException e) {
            throw new GatewayException(FaultCode.INVALID_PERSONAL_IDENTITY_CODE,
                    "The clientId is not a valid henkilötunnus.", "clientId invalid: " + e.getMessage());
        }
    }

    private static <T> T body(Exchange exchange, Class<T> type) {
        Object body = GatewayExchange.requestBody(exchange);
        if (!type.isInstance(body)) {
            throw new IllegalStateException("expected " + type.getSimpleName() + " but the body is "
                    + (body == null ? "empty" : body.getClass().getName()));
        }
        return type.cast(body);
    }
}
