package fi.kelmu.gateway.adapter;

import fi.kelmu.gateway.registry.OrganisationType;
import java.util.List;

/** What an adapter asks of the benefit backend: for whom, by whom, under which purpose, which views. */
public record BackendQuery(String requesterBusinessId, OrganisationType requesterType, String userId,
        String personId, String purpose, List<String> views, String correlationId) {

    public BackendQuery {
        views = List.copyOf(views);
    }
}
