package fi.kelmu.gateway.policy;

import fi.kelmu.contract.config.policy.v1.Policy;
import fi.kelmu.gateway.config.ResourceLocation;
import fi.kelmu.gateway.config.XmlConfigLoader;
import fi.kelmu.gateway.fault.FaultCode;
import fi.kelmu.gateway.fault.GatewayException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Purposes of use and the views each returns (R-PURP-1, R-VIEW-1..3), as data from the policy file,
 * checked at start-up against the operations and views the gateway serves. A purpose the file does not
 * name is refused; so is a view the purpose does not allow.
 */
public final class PurposePolicy {

    private final String version;
    private final Map<String, Purpose> purposes;

    public PurposePolicy(String version, List<Purpose> purposes, Map<String, Set<String>> viewsByOperation) {
        this.version = version;
        Map<String, Purpose> map = new LinkedHashMap<>();
        for (Purpose p : purposes) {
            Set<String> known = viewsByOperation.get(p.operation());
            if (known == null) {
                throw new IllegalStateException("policy " + version + ": purpose " + p.code()
                        + " names unknown operation " + p.operation());
            }
            for (String view : p.views()) {
                if (!known.contains(view)) {
                    throw new IllegalStateException("policy " + version + ": purpose " + p.code()
                            + " names view " + view + " that operation " + p.operation() + " does not serve");
                }
            }
            if (p.views().isEmpty()) {
                throw new IllegalStateException("policy " + version + ": purpose " + p.code() + " allows no view");
            }
            if (map.put(p.code(), p) != null) {
                throw new IllegalStateException("policy " + version + ": purpose " + p.code() + " defined twice");
            }
        }
        this.purposes = Map.copyOf(map);
    }

    public static PurposePolicy load(ResourceLocation location, Map<String, Set<String>> viewsByOperation) {
        Policy file = XmlConfigLoader.load(location, Policy.class, XmlConfigLoader.schema("xsd/config/policy.xsd"));
        List<Purpose> purposes = file.getPurpose().stream()
                .map(p -> new Purpose(p.getCode(), p.getOperation(), java.util.Set.copyOf(p.getOrgTypes()), p.getView(),
                        p.getRule()))
                .toList();
        return new PurposePolicy(file.getVersion(), purposes, viewsByOperation);
    }

    public String version() {
        return version;
    }

    /**
     * The purpose, if it is known and served by {@code operation} (R-PURP-1); otherwise the fault that
     * says which of the two is wrong.
     */
    public Purpose require(String code, String operation) {
        Purpose purpose = purposes.get(code);
        if (purpose == null) {
            throw new GatewayException(FaultCode.UNKNOWN_PURPOSE, "Purpose '" + code + "' is not known.",
                    "purpose " + code + " not in policy " + version);
        }
        if (!purpose.operation().equals(operation)) {
            throw new GatewayException(FaultCode.PURPOSE_NOT_FOR_OPERATION,
                    "Purpose '" + code + "' is served by operation " + purpose.operation() + ".",
                    "purpose " + code + " asked of operation " + operation);
        }
        return purpose;
    }

    /** R-PURP-1: the purpose must be allowed for the calling organisation's type. */
    public void requireAllowedFor(Purpose purpose, String organisationType) {
        if (!purpose.organisationTypes().contains(organisationType)) {
            throw new GatewayException(FaultCode.PURPOSE_NOT_ALLOWED,
                    "Purpose '" + purpose.code() + "' is not available to organisation type " + organisationType + ".",
                    "purpose " + purpose.code() + " (" + purpose.organisationTypes() + ") asked by a " + organisationType);
        }
    }

    /**
     * The views to return: the requested ones, or all the purpose allows when none is requested. A
     * requested view the purpose does not allow is refused, not silently dropped (R-VIEW-1..3).
     */
    public List<String> viewsFor(Purpose purpose, List<String> requested) {
        if (requested.isEmpty()) {
            return purpose.views();
        }
        for (String view : requested) {
            if (!purpose.views().contains(view)) {
                throw new GatewayException(FaultCode.VIEW_NOT_ALLOWED,
                        "View " + view + " is not allowed under purpose " + purpose.code() + ".",
                        "view " + view + " requested under " + purpose.code());
            }
        }
        return purpose.views().stream().filter(requested::contains).toList();
    }
}
