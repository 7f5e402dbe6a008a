package fi.kelmu.gateway.policy;

import fi.kelmu.contract.config.policy.v2.Policy;
import fi.kelmu.gateway.config.ResourceLocation;
import fi.kelmu.gateway.config.XmlConfigLoader;
import fi.kelmu.gateway.fault.FaultCode;
import fi.kelmu.gateway.fault.GatewayException;
import fi.kelmu.gateway.mandate.ProvenMandates;
import fi.kelmu.gateway.registry.Organisation;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The access policy as data (docs/architecture.md step 5): mandates x organisation types (R-MAND-2) and
 * purposes (R-PURP-1, R-VIEW-1..3) in periods of validity (R-MAND-3). A request is judged by the period
 * in force on its date. The file is validated when loaded: a mistake in it stops the gateway from
 * starting rather than deciding a request wrongly.
 */
public final class AccessPolicy {

    private final String version;
    private final Map<String, String> mandateNames;
    private final List<PolicyPeriod> periods;

    public AccessPolicy(String version, Map<String, String> mandateNames, List<PolicyPeriod> periods,
            Map<String, Set<String>> viewsByOperation) {
        this.version = version;
        this.mandateNames = Map.copyOf(mandateNames);
        List<PolicyPeriod> sorted = new ArrayList<>(periods);
        sorted.sort(Comparator.comparing(PolicyPeriod::from));
        for (int i = 0; i < sorted.size(); i++) {
            PolicyPeriod period = sorted.get(i);
            if (period.to() != null && period.to().isBefore(period.from())) {
                throw invalid("period " + period + " ends before it starts");
            }
            for (int j = 0; j < i; j++) {
                if (sorted.get(j).overlaps(period)) {
                    throw invalid("periods " + sorted.get(j) + " and " + period + " overlap");
                }
            }
            validate(period, viewsByOperation);
        }
        this.periods = List.copyOf(sorted);
    }

    private void validate(PolicyPeriod period, Map<String, Set<String>> viewsByOperation) {
        for (String mandate : period.grantableBy().keySet()) {
            requireKnownMandate(period, "grant", mandate);
        }
        for (Purpose p : period.purposes().values()) {
            requireKnownMandate(period, "purpose " + p.code(), p.mandate());
            for (String type : p.organisationTypes()) {
                // R-PURP-1 needs the mandate: a purpose for a type that cannot be granted it is a mistake
                if (!period.grantable(p.mandate(), type)) {
                    throw invalid("period " + period.id() + ": purpose " + p.code() + " is allowed for " + type
                            + " but mandate " + p.mandate() + " cannot be granted by " + type);
                }
            }
            if (p.served() && p.views().isEmpty()) {
                throw invalid("period " + period.id() + ": purpose " + p.code() + " allows no view");
            }
            for (String operation : p.operations()) {
                Set<String> known = viewsByOperation.get(operation);
                if (known == null) {
                    throw invalid("period " + period.id() + ": purpose " + p.code() + " names unknown operation "
                            + operation);
                }
                for (String view : p.views()) {
                    if (!known.contains(view)) {
                        throw invalid("period " + period.id() + ": purpose " + p.code() + " names view " + view
                                + " that operation " + operation + " does not serve");
                    }
                }
            }
        }
    }

    private void requireKnownMandate(PolicyPeriod period, String where, String mandate) {
        if (!mandateNames.containsKey(mandate)) {
            throw invalid("period " + period.id() + ": " + where + " names unknown mandate " + mandate);
        }
    }

    private IllegalStateException invalid(String reason) {
        return new IllegalStateException("policy " + version + ": " + reason);
    }

    public static AccessPolicy load(ResourceLocation location, Map<String, Set<String>> viewsByOperation) {
        Policy file = XmlConfigLoader.load(location, Policy.class, XmlConfigLoader.schema("xsd/config/policy.xsd"));
        Map<String, String> mandates = new LinkedHashMap<>();
        for (Policy.Mandate m : file.getMandate()) {
            if (mandates.put(m.getCode(), m.getName()) != null) {
                throw new IllegalStateException("policy " + file.getVersion() + ": mandate " + m.getCode()
                        + " defined twice");
            }
        }
        List<PolicyPeriod> periods = new ArrayList<>();
        Set<String> ids = new LinkedHashSet<>();
        for (Policy.Period p : file.getPeriod()) {
            if (!ids.add(p.getId())) {
                throw new IllegalStateException("policy " + file.getVersion() + ": period id " + p.getId() + " twice");
            }
            Map<String, Set<String>> grants = new LinkedHashMap<>();
            for (Policy.Period.Grant g : p.getGrant()) {
                if (grants.put(g.getMandate(), Set.copyOf(g.getOrgTypes())) != null) {
                    throw new IllegalStateException("policy " + file.getVersion() + ": period " + p.getId()
                            + " grants mandate " + g.getMandate() + " twice");
                }
            }
            Map<String, Purpose> purposes = new LinkedHashMap<>();
            for (Policy.Period.Purpose x : p.getPurpose()) {
                Purpose purpose = new Purpose(x.getCode(), x.getName() == null ? x.getCode() : x.getName(),
                        x.getMandate(), x.getOperation(), Set.copyOf(x.getOrgTypes()), x.getView(), x.getRule(),
                        x.getOrgTypeRefusal());
                if (purposes.put(purpose.code(), purpose) != null) {
                    throw new IllegalStateException("policy " + file.getVersion() + ": period " + p.getId()
                            + " defines purpose " + purpose.code() + " twice");
                }
            }
            periods.add(new PolicyPeriod(p.getId(), p.getFrom(), p.getTo(), grants, purposes));
        }
        return new AccessPolicy(file.getVersion(), mandates, periods, viewsByOperation);
    }

    public String version() {
        return version;
    }

    /** The mandate codes of this service. */
    public Set<String> mandateCodes() {
        return mandateNames.keySet();
    }

    public String mandateName(String code) {
        return mandateNames.getOrDefault(code, code);
    }

    /** The period in force on {@code date}, if any (R-MAND-3). */
    public Optional<PolicyPeriod> periodOn(LocalDate date) {
        return periods.stream().filter(p -> p.covers(date)).findFirst();
    }

    /** R-MAND-2: whether an organisation of this type can grant the mandate on {@code date}. */
    public boolean grantable(String mandate, String organisationType, LocalDate date) {
        return periodOn(date).map(p -> p.grantable(mandate, organisationType)).orElse(false);
    }

    /**
     * The mandates that count for a request (R-MAND-1, R-MAND-2): those proven for the user that the
     * caller's organisation type can grant on {@code date}. Anything else a proof names is ignored.
     */
    public Set<String> mandatesInForce(Set<String> proven, String organisationType, LocalDate date) {
        return inForce(periodOn(date), proven, organisationType);
    }

    private static Set<String> inForce(Optional<PolicyPeriod> period, Set<String> proven, String organisationType) {
        Set<String> inForce = new TreeSet<>();
        period.ifPresent(p -> proven.stream().filter(code -> p.grantable(code, organisationType)).forEach(inForce::add));
        return inForce;
    }

    /**
     * The one evaluation of access (R-CONT-1, R-MAND-1..3, R-PURP-1, R-VIEW-1..3): every condition the
     * question does not meet, in the order of {@link Condition}, and the decision when it meets them all. A
     * refusal names what is missing and whom to ask (R-MAND-5), and nothing about the client.
     */
    public Evaluation evaluate(AccessQuestion q) {
        Organisation caller = q.caller();
        String type = caller.type().name();
        LocalDate date = q.date();
        List<Unmet> unmet = new ArrayList<>();
        contract(caller, date).ifPresent(unmet::add);
        Optional<PolicyPeriod> period = periodOn(date);
        Set<String> inForce = inForce(period, q.mandates().codes(), type);
        Purpose purpose = period.map(p -> p.purposes().get(q.purpose())).orElse(null);
        if (purpose == null) {
            unmet.add(purposeNotInForce(period, q.purpose(), date));
        } else {
            operation(purpose, q.operation()).ifPresent(unmet::add);
            if (!purpose.organisationTypes().contains(type)) {
                unmet.add(new Unmet(Condition.ORGANISATION_TYPE, type, "Purpose " + purpose.code() + " is for "
                        + String.join(", ", new TreeSet<>(purpose.organisationTypes())) + " organisations, not " + type
                        + " (R-PURP-1).", new GatewayException(FaultCode.PURPOSE_NOT_ALLOWED,
                                purpose.organisationTypeRefusal() != null ? purpose.organisationTypeRefusal()
                                        : "Purpose '" + purpose.code() + "' is not available to organisation type "
                                                + type + ".",
                                "purpose " + purpose.code() + " (" + purpose.organisationTypes() + ") asked by a " + type)));
            }
            if (!inForce.contains(purpose.mandate())) {
                unmet.add(new Unmet(Condition.MANDATE, purpose.mandate(), missingMandateMessage(purpose, caller),
                        new GatewayException(FaultCode.MANDATE_MISSING, missingMandateMessage(purpose, caller),
                                "user holds " + q.mandates().codes() + " (" + q.mandates().proof() + "), in force for "
                                        + type + " on " + date + ": " + inForce + "; purpose " + purpose.code()
                                        + " needs " + purpose.mandate())));
            }
            q.requestedViews().stream().filter(view -> !purpose.views().contains(view)).findFirst()
                    .ifPresent(view -> unmet.add(viewNotAllowed(purpose, view)));
        }
        if (caller.municipalities().isEmpty()) {
            unmet.add(new Unmet(Condition.AREA, type, caller.name() + " acts for no municipality, so no answer about"
                    + " a client can be confined to its area.", new GatewayException(
                            FaultCode.ORGANISATION_TYPE_NOT_SERVED, null, "no area (municipalities) for "
                                    + caller.businessId() + " of type " + type)));
        }
        AccessDecision decision = unmet.isEmpty() ? new AccessDecision(purpose, period.orElseThrow().id(),
                purpose.mandate(), q.mandates().proof(), viewsFor(purpose, q.requestedViews()), caller.municipalities())
                : null;
        return new Evaluation(date, period, inForce, purpose, unmet, decision);
    }

    /** R-CONT-1, R-CONT-3: an organisation is served only within a contract period in force on {@code date}. */
    public Optional<Unmet> contract(Organisation caller, LocalDate date) {
        if (caller.contractOn(date).isPresent()) {
            return Optional.empty();
        }
        String last = caller.contracts().isEmpty() ? "no contract"
                : "last contract " + caller.contracts().get(caller.contracts().size() - 1);
        return Optional.of(new Unmet(Condition.CONTRACT, null, caller.name() + " has no contract with Kela in force on "
                + date + " (R-CONT-1).", new GatewayException(FaultCode.NO_VALID_CONTRACT,
                        caller.contracts().isEmpty() ? null : "No contract period covers " + date + ".",
                        caller.businessId() + " has no contract in force on " + date + " (" + last + ")")));
    }

    private Unmet purposeNotInForce(Optional<PolicyPeriod> period, String code, LocalDate date) {
        GatewayException refusal;
        if (period.isEmpty()) {
            refusal = new GatewayException(FaultCode.UNKNOWN_PURPOSE, "No purpose of use is in force on " + date + ".",
                    "policy " + version + " has no period on " + date);
        } else {
            boolean elsewhere = periods.stream().anyMatch(p -> p.purposes().containsKey(code));
            refusal = new GatewayException(FaultCode.UNKNOWN_PURPOSE,
                    // a code the policy does not know is the caller's text: not quoted back in the fault
                    elsewhere ? "Purpose '" + code + "' is not in force on " + date + "." : null,
                    "purpose " + code + " not in period " + period.get() + " of policy " + version);
        }
        return new Unmet(Condition.PURPOSE, code, "Purpose " + code + " is not in force on " + date + ".", refusal);
    }

    /** The purpose must be served by the operation asked; the self-check (no operation) by any operation. */
    private static Optional<Unmet> operation(Purpose purpose, String operation) {
        String code = purpose.code();
        if (operation == null ? purpose.served() : purpose.servedBy(operation)) {
            return Optional.empty();
        }
        GatewayException refusal = new GatewayException(FaultCode.PURPOSE_NOT_FOR_OPERATION,
                !purpose.served() ? "Purpose '" + code + "' is not served by this service."
                        : "Purpose '" + code + "' is served by operation " + String.join(", ", purpose.operations())
                                + ".",
                "purpose " + code + " asked of operation " + operation);
        return Optional.of(new Unmet(Condition.OPERATION, code, "Purpose " + code
                + " is not served by this gateway's operations yet.", refusal));
    }

    /**
     * The purpose, if it is in force on {@code date} and served by {@code operation} (R-PURP-1, R-MAND-3);
     * otherwise the fault that says which of the two is wrong.
     */
    public Purpose require(String code, String operation, LocalDate date) {
        Optional<PolicyPeriod> period = periodOn(date);
        Purpose purpose = period.map(p -> p.purposes().get(code)).orElse(null);
        if (purpose == null) {
            throw purposeNotInForce(period, code, date).refusal();
        }
        operation(purpose, operation).ifPresent(u -> {
            throw u.refusal();
        });
        return purpose;
    }

    /**
     * The decision for one data request, or the fault of the first condition it does not meet: contract,
     * purpose in force and served here, allowed for the organisation type, the mandate it needs held and
     * grantable, then the views ({@link #evaluate}).
     */
    public AccessDecision decide(String purposeCode, String operation, Organisation caller, ProvenMandates proven,
            List<String> requestedViews, LocalDate date) {
        return evaluate(new AccessQuestion(caller, operation, purposeCode, proven, requestedViews, date))
                .requireAllowed();
    }

    /** R-MAND-5: what is missing and whom to ask. */
    public String missingMandateMessage(Purpose purpose, Organisation caller) {
        return "Purpose " + purpose.code() + " needs mandate " + purpose.mandate() + " from " + caller.name()
                + "; the user holds none in force. Ask its mandate administrator (valtuuttaja), or use checkAccess.";
    }

    /** The purposes in force on {@code date} that the organisation type and these mandates allow. */
    public List<Purpose> purposesAllowed(Set<String> mandatesInForce, String organisationType, LocalDate date) {
        return periodOn(date).map(p -> p.purposes().values().stream()
                .filter(x -> x.organisationTypes().contains(organisationType) && mandatesInForce.contains(x.mandate()))
                .sorted(Comparator.comparing(Purpose::code)).toList()).orElse(List.of());
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
                throw viewNotAllowed(purpose, view).refusal();
            }
        }
        return purpose.views().stream().filter(requested::contains).toList();
    }

    /** R-VIEW-1..3: a requested view the purpose does not allow. */
    private static Unmet viewNotAllowed(Purpose purpose, String view) {
        String text = "View " + view + " is not allowed under purpose " + purpose.code() + ".";
        return new Unmet(Condition.VIEW, view, text, new GatewayException(FaultCode.VIEW_NOT_ALLOWED, text,
                "view " + view + " requested under " + purpose.code()));
    }
}
