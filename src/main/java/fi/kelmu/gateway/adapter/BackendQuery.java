package fi.kelmu.gateway.adapter;

import fi.kelmu.gateway.registry.OrganisationType;
import java.util.List;
import java.util.Set;

/**
 * What an adapter asks of the benefit backend: for whom, by whom, under which purpose, which views, and
 * within which area (the requester's municipalities, docs/mandates-and-policy.md).
 */
public record BackendQuery(String requesterBusinessId, OrganisationType requesterType, String userId,
        String personId, String purpose, List<String> views, Set<String> area, String correlationId) {

    public BackendQuery {
        views = List.copyOf(views);
        area = Set.copyOf(new java.util.TreeSet<>(area));
    }
}
