package fi.kelmu.gateway.registry;

import java.util.Set;

/**
 * An organisation that may call the gateway. {@code municipalities} is the area it acts for: an HVA's
 * member municipalities, a municipality's (or Helsinki's) own code, nothing for a kuntayhtymä.
 */
public record Organisation(String businessId, String name, OrganisationType type, Set<String> municipalities) {

    public Organisation {
        municipalities = Set.copyOf(municipalities);
    }
}
