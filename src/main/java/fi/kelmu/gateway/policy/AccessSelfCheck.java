package fi.kelmu.gateway.policy;

import fi.kelmu.contract.access.v1.AllowedPurpose;
import fi.kelmu.contract.access.v1.CheckAccess;
import fi.kelmu.contract.access.v1.CheckAccessResponse;
import fi.kelmu.contract.access.v1.IgnoredMandate;
import fi.kelmu.contract.access.v1.Mandate;
import fi.kelmu.contract.access.v1.Missing;
import fi.kelmu.contract.access.v1.PurposeCheck;
import fi.kelmu.gateway.mandate.ProvenMandates;
import fi.kelmu.gateway.registry.Organisation;
import fi.kelmu.gateway.registry.OrganisationRouting;
import fi.kelmu.gateway.transport.GatewayExchange;
import java.time.Clock;
import java.time.LocalDate;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.apache.camel.Exchange;

/**
 * The access self-check (R-MAND-5, issue 4 item 6): for the calling user and organisation, the mandates in
 * force today, the purposes and views they allow, and for one purpose everything that is missing (contract,
 * purpose, organisation type, mandate) and whom to ask. It speaks only of the caller, never of a client.
 */
public final class AccessSelfCheck {

    /** Whom an organisation asks about its contract: Kela's data disclosure (notes: Kelmu käyttöönotto). */
    static final String CONTRACT_CONTACT = "Kela's data disclosure service (tiedonvalitys@kela.fi), through the person "
            + "responsible for the Kela contract at ";

    private final AccessPolicy policy;
    private final Clock clock;

    public AccessSelfCheck(AccessPolicy policy, Clock clock) {
        this.policy = policy;
        this.clock = clock;
    }

    /** Route step: the request body is a CheckAccess; the mandates were proven by the previous step. */
    public void answer(Exchange exchange) {
        Object body = GatewayExchange.requestBody(exchange);
        if (!(body instanceof CheckAccess request)) {
            throw new IllegalStateException("expected checkAccess but the body is " + body);
        }
        exchange.getMessage().setBody(check(GatewayExchange.organisation(exchange),
                GatewayExchange.xroad(exchange).userHetu(), GatewayExchange.mandates(exchange),
                request.getPurpose()));
    }

    public CheckAccessResponse check(Organisation caller, String user, ProvenMandates proven, String purposeCode) {
        LocalDate today = OrganisationRouting.today(clock);
        String type = caller.type().name();
        CheckAccessResponse response = new CheckAccessResponse();
        response.setUser(user);
        fi.kelmu.contract.access.v1.Organisation org = new fi.kelmu.contract.access.v1.Organisation();
        org.setBusinessId(caller.businessId());
        org.setName(caller.name());
        org.setType(type);
        response.setOrganisation(org);
        response.setDate(today);
        response.setPolicyVersion(policy.version());
        Optional<PolicyPeriod> period = policy.periodOn(today);
        period.ifPresent(p -> response.setPolicyPeriod(p.id()));
        boolean contract = caller.contractOn(today).isPresent();
        response.setContractInForce(contract);
        response.setMandateProof(proven.proof());

        Set<String> inForce = policy.mandatesInForce(proven.codes(), type, today);
        for (String code : inForce) {
            Mandate m = new Mandate();
            m.setCode(code);
            m.setName(policy.mandateName(code));
            response.getMandate().add(m);
        }
        for (String code : new TreeSet<>(proven.codes())) {
            if (!inForce.contains(code)) {
                IgnoredMandate ignored = new IgnoredMandate();
                ignored.setCode(code);
                ignored.setReason("A " + type + " organisation cannot grant this mandate on " + today + " (R-MAND-2).");
                response.getIgnoredMandate().add(ignored);
            }
        }
        for (Purpose p : policy.purposesAllowed(inForce, type, today)) {
            AllowedPurpose allowed = new AllowedPurpose();
            allowed.setCode(p.code());
            allowed.setName(p.name());
            allowed.setMandate(p.mandate());
            allowed.setOperation(p.operation());
            allowed.getView().addAll(p.views());
            response.getAllowedPurpose().add(allowed);
        }
        if (purposeCode != null) {
            response.setPurposeCheck(purposeCheck(caller, purposeCode, contract, inForce, period, today));
        }
        return response;
    }

    /** Everything that stands between the user and the purpose, not only the first thing (R-MAND-5). */
    private PurposeCheck purposeCheck(Organisation caller, String code, boolean contract, Set<String> inForce,
            Optional<PolicyPeriod> period, LocalDate today) {
        PurposeCheck check = new PurposeCheck();
        check.setPurpose(code);
        String type = caller.type().name();
        String whom = null;
        if (!contract) {
            check.getMissing().add(missing("CONTRACT", null, caller.name() + " has no contract with Kela in force on "
                    + today + " (R-CONT-1)."));
            whom = CONTRACT_CONTACT + caller.name() + ".";
        }
        Purpose purpose = period.map(p -> p.purposes().get(code)).orElse(null);
        if (purpose == null) {
            check.getMissing().add(missing("PURPOSE", code, "Purpose " + code + " is not in force on " + today + "."));
        } else {
            if (!purpose.organisationTypes().contains(type)) {
                check.getMissing().add(missing("ORGANISATION_TYPE", type, "Purpose " + code + " is for "
                        + String.join(", ", new TreeSet<>(purpose.organisationTypes())) + " organisations, not " + type
                        + " (R-PURP-1)."));
            }
            if (!inForce.contains(purpose.mandate())) {
                check.getMissing().add(missing("MANDATE", purpose.mandate(), policy.missingMandateMessage(purpose, caller)));
                whom = (whom == null ? "" : whom + " ") + "The person who grants Suomi.fi mandates (valtuuttaja) at "
                        + caller.name() + ".";
            }
            if (purpose.operation() == null) {
                check.getMissing().add(missing("OPERATION", code, "Purpose " + code
                        + " is not served by this gateway's operations yet."));
            }
        }
        check.setAllowed(check.getMissing().isEmpty());
        check.setWhomToAsk(whom);
        return check;
    }

    private static Missing missing(String kind, String code, String explanation) {
        Missing m = new Missing();
        m.setKind(kind);
        m.setCode(code);
        m.setExplanation(explanation);
        return m;
    }
}
