package fi.kelmu.gateway.benefit;

import java.util.List;

/** A validated request for one client's data: the client, the purpose and the views to return. */
public record BenefitRequest(String operation, String personId, String purpose, List<String> views) {

    public BenefitRequest {
        views = List.copyOf(views);
    }
}
