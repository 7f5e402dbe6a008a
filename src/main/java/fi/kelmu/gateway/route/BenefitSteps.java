package fi.kelmu.gateway.route;

import fi.kelmu.contract.backend.v1.BenefitDataResult;
import fi.kelmu.contract.benefit.v1.BenefitView;
import fi.kelmu.contract.benefit.v1.GetBasicSocialAssistance;
import fi.kelmu.contract.benefit.v1.GetBenefitData;
import fi.kelmu.gateway.benefit.BenefitRequest;
import fi.kelmu.gateway.benefit.BenefitResponseMapper;
import fi.kelmu.gateway.fault.FaultCode;
import fi.kelmu.gateway.fault.GatewayException;
import fi.kelmu.gateway.identifier.InvalidIdentifierException;
import fi.kelmu.gateway.identifier.PersonalIdentityCode;
import fi.kelmu.gateway.request.GatewayRequest;
import fi.kelmu.gateway.request.Subject;
import java.util.List;
import org.apache.camel.Exchange;
import org.apache.camel.InvalidPayloadException;

/**
 * Route steps of BenefitInformationService: what a request names (client, purpose, views), the client
 * validated before anything is asked of a backend, and the backend's answer mapped to the response.
 */
public final class BenefitSteps {

    private final BenefitResponseMapper mapper = new BenefitResponseMapper();

    /**
     * Reads whom and why the request asks about, unchecked, so that a refusal at any later step can be recorded
     * against the client it named. getBasicSocialAssistance names no views: its purpose gives them (R-VIEW-2).
     */
    public void subject(Exchange exchange) {
        Object body = GatewayExchange.requestBody(exchange);
        Subject subject;
        if (body instanceof GetBenefitData q) {
            subject = new Subject(q.getClientId(), q.getPurpose(),
                    q.getView().stream().map(BenefitView::value).distinct().toList());
        } else if (body instanceof GetBasicSocialAssistance q) {
            subject = new Subject(q.getClientId(), q.getPurpose(), List.of());
        } else {
            return; // an operation no route serves: the dispatch refuses it
        }
        GatewayExchange.request(exchange).subject(subject);
    }

    /** The client must be a valid henkilötunnus: the caller's mistake whatever its rights. */
    public void validateClient(Exchange exchange) {
        requireValidClient(GatewayExchange.request(exchange));
    }

    /** The subject's client as the request's validated client, or the caller's fault (every service's step). */
    static void requireValidClient(GatewayRequest request) {
        String clientId = request.subject().map(Subject::clientId).orElse(null);
        try {
            request.client(PersonalIdentityCode.parse(clientId).value());
        } catch (InvalidIdentifierException e) {
            throw new GatewayException(FaultCode.INVALID_PERSONAL_IDENTITY_CODE,
                    "The clientId is not a valid henkilötunnus.", "clientId invalid: " + e.getMessage());
        }
    }

    public void benefitDataResponse(Exchange exchange) throws InvalidPayloadException {
        BenefitDataResult result = exchange.getMessage().getMandatoryBody(BenefitDataResult.class);
        exchange.getMessage().setBody(mapper.benefitData(answered(exchange), result));
    }

    public void basicSocialAssistanceResponse(Exchange exchange) throws InvalidPayloadException {
        BenefitDataResult result = exchange.getMessage().getMandatoryBody(BenefitDataResult.class);
        exchange.getMessage().setBody(mapper.basicSocialAssistance(answered(exchange), result));
    }

    /** What the backend was asked: the validated client, under the decision's purpose and views. */
    private static BenefitRequest answered(Exchange exchange) {
        GatewayRequest request = GatewayExchange.request(exchange);
        return new BenefitRequest(request.operation(), request.client(), request.decision().purpose().code(),
                request.decision().views());
    }
}
