package fi.kelmu.gateway.registry;

import fi.kelmu.contract.config.organisations.v1.Organisations;
import fi.kelmu.gateway.config.ResourceLocation;
import fi.kelmu.gateway.config.XmlConfigLoader;
import fi.kelmu.gateway.fault.FaultCode;
import fi.kelmu.gateway.fault.GatewayException;
import fi.kelmu.gateway.identifier.BusinessId;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The organisations that may use the service, seeded from a configuration file
 * ({@code xsd/config/organisation-registry.xsd}) and checked at start-up: valid Y-tunnus, known
 * wellbeing-area and municipality codes.
 */
public final class OrganisationRegistry {

    private final Map<String, Organisation> byBusinessId;

    public OrganisationRegistry(Collection<Organisation> organisations) {
        Map<String, Organisation> map = new LinkedHashMap<>();
        for (Organisation o : organisations) {
            if (map.put(o.businessId(), o) != null) {
                throw new IllegalStateException("organisation registered twice: " + o.businessId());
            }
        }
        this.byBusinessId = Map.copyOf(map);
    }

    public static OrganisationRegistry load(ResourceLocation location, MunicipalityReference reference) {
        Organisations file = XmlConfigLoader.load(location, Organisations.class,
                XmlConfigLoader.schema("xsd/config/organisation-registry.xsd"));
        return new OrganisationRegistry(file.getOrganisation().stream()
                .map(o -> toOrganisation(o, reference, location)).toList());
    }

    private static Organisation toOrganisation(Organisations.Organisation o, MunicipalityReference reference,
            ResourceLocation location) {
        String where = location + ", organisation " + o.getBusinessId();
        if (!BusinessId.isValid(o.getBusinessId())) {
            throw new IllegalStateException(where + ": not a valid Y-tunnus");
        }
        OrganisationType type = OrganisationType.valueOf(o.getType().value());
        Set<String> municipalities;
        switch (type) {
            case HVA -> {
                if (o.getWellbeingAreaCode() == null) {
                    throw new IllegalStateException(where + ": an HVA needs wellbeingAreaCode");
                }
                municipalities = reference.membersOf(o.getWellbeingAreaCode());
                if (municipalities.isEmpty()) {
                    throw new IllegalStateException(where + ": unknown wellbeing-area code " + o.getWellbeingAreaCode());
                }
            }
            case KUNTA, HELSINKI -> {
                if (o.getMunicipalityCode() == null || !reference.isMunicipality(o.getMunicipalityCode())) {
                    throw new IllegalStateException(where + ": needs a known municipalityCode");
                }
                municipalities = Set.of(o.getMunicipalityCode());
            }
            default -> municipalities = Set.of();
        }
        return new Organisation(o.getBusinessId(), o.getName(), type, municipalities);
    }

    public Optional<Organisation> find(String businessId) {
        return Optional.ofNullable(byBusinessId.get(businessId));
    }

    /** The registered organisation, or the {@code Client.UnknownOrganisation} fault. */
    public Organisation require(String businessId) {
        return find(businessId).orElseThrow(() -> new GatewayException(FaultCode.UNKNOWN_ORGANISATION, null,
                "organisation " + businessId + " is not in the registry"));
    }

    public Collection<Organisation> all() {
        return byBusinessId.values();
    }
}
