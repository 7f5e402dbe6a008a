package fi.kelmu.gateway.registry;

import fi.kelmu.contract.config.organisations.v1.Organisations;
import fi.kelmu.gateway.config.ResourceLocation;
import fi.kelmu.gateway.config.XmlConfigLoader;
import fi.kelmu.gateway.fault.FaultCode;
import fi.kelmu.gateway.fault.GatewayException;
import fi.kelmu.gateway.identifier.BusinessId;
import fi.kelmu.gateway.identifier.Iban;
import fi.kelmu.gateway.identifier.InvalidIdentifierException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The organisations that may use the service, seeded from a configuration file
 * ({@code xsd/config/organisation-registry.xsd}) and checked at start-up: valid Y-tunnus, known
 * wellbeing-area and municipality codes, and an HVA's payment-demand contact a valid Finnish IBAN (R-PAY-8).
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
        String area = o.getWellbeingAreaCode();
        String municipality = o.getMunicipalityCode();
        Set<String> municipalities;
        switch (type) {
            case HVA -> {
                // Helsinki organises its own social services: it is HELSINKI, never an HVA
                if (area == null || area.equals(MunicipalityReference.HELSINKI_AREA) || municipality != null) {
                    throw new IllegalStateException(where + ": an HVA needs a wellbeingAreaCode other than "
                            + MunicipalityReference.HELSINKI_AREA + " and no municipalityCode");
                }
                municipalities = reference.membersOf(area);
                if (municipalities.isEmpty()) {
                    throw new IllegalStateException(where + ": unknown wellbeing-area code " + area);
                }
            }
            case KUNTA, HELSINKI -> {
                boolean helsinki = MunicipalityReference.HELSINKI.equals(municipality);
                if (municipality == null || !reference.isMunicipality(municipality) || area != null
                        || helsinki != (type == OrganisationType.HELSINKI)) {
                    throw new IllegalStateException(where + ": " + type + " needs its own known municipalityCode ("
                            + MunicipalityReference.HELSINKI + " for HELSINKI and only for it) and no wellbeingAreaCode");
                }
                municipalities = Set.of(municipality);
            }
            default -> {
                if (area != null || municipality != null) {
                    throw new IllegalStateException(where + ": a KUNTAYHTYMA has no area or municipality code");
                }
                municipalities = Set.of();
            }
        }
        return new Organisation(o.getBusinessId(), o.getName(), type, municipalities, contracts(o, where),
                contact(o, type, where));
    }

    /** R-PAY-8: an HVA's contact for payment demands, its account a valid Finnish IBAN; no other type has one. */
    private static Organisation.Contact contact(Organisations.Organisation o, OrganisationType type, String where) {
        Organisations.Organisation.Contact contact = o.getContact();
        if (contact == null) {
            return null;
        }
        if (type != OrganisationType.HVA) {
            throw new IllegalStateException(where + ": only an HVA has a payment-demand contact");
        }
        if (contact.getAddress().isBlank()) {
            throw new IllegalStateException(where + ": the contact's address is empty");
        }
        try {
            return new Organisation.Contact(contact.getAddress(), Iban.parse(contact.getIban()));
        } catch (InvalidIdentifierException e) {
            throw new IllegalStateException(where + ": the contact's IBAN is not valid: " + e.getMessage(), e);
        }
    }

    /** Contract periods, each well-formed and none overlapping another (R-CONT-1). */
    private static List<Organisation.Contract> contracts(Organisations.Organisation o, String where) {
        List<Organisation.Contract> contracts = new ArrayList<>();
        for (Organisations.Organisation.Contract c : o.getContract()) {
            if (c.getTo() != null && c.getTo().isBefore(c.getFrom())) {
                throw new IllegalStateException(where + ": contract ends before it starts (" + c.getFrom() + ")");
            }
            Organisation.Contract contract = new Organisation.Contract(c.getFrom(), c.getTo(), c.getReference());
            for (Organisation.Contract other : contracts) {
                boolean separate = (other.to() != null && other.to().isBefore(contract.from()))
                        || (contract.to() != null && contract.to().isBefore(other.from()));
                if (!separate) {
                    throw new IllegalStateException(where + ": contracts from " + other.from() + " and "
                            + contract.from() + " overlap");
                }
            }
            contracts.add(contract);
        }
        return contracts;
    }

    public Optional<Organisation> find(String businessId) {
        return Optional.ofNullable(byBusinessId.get(businessId));
    }

    /** The registered organisation, or the {@code Client.UnknownOrganisation} fault. */
    public Organisation require(String businessId) {
        return find(businessId).orElseThrow(() -> new GatewayException(FaultCode.UNKNOWN_ORGANISATION, null,
                "organisation " + businessId + " is not in the registry"));
    }

    /**
     * The HVA whose area holds the municipality {@code municipalityCode}: the organiser of its social services from
     * 1.1.2023, to which its payment demands move (R-PAY-7). Empty when the registry has no such HVA (Helsinki, Åland,
     * or an HVA not registered).
     */
    public Optional<Organisation> wellbeingAreaOf(String municipalityCode) {
        return byBusinessId.values().stream()
                .filter(o -> o.type() == OrganisationType.HVA && o.municipalities().contains(municipalityCode))
                .findFirst();
    }

    public Collection<Organisation> all() {
        return byBusinessId.values();
    }
}
