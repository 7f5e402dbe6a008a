package fi.kelmu.gateway.policy;

import fi.kelmu.contract.access.v1.AllowedPurpose;
import fi.kelmu.contract.access.v1.CheckAccessResponse;
import fi.kelmu.contract.access.v1.IgnoredMandate;
import fi.kelmu.contract.access.v1.Mandate;
import fi.kelmu.contract.access.v1.Missing;
import fi.kelmu.contract.access.v1.PurposeCheck;
import fi.kelmu.gateway.mandate.ProvenMandates;
import fi.kelmu.gateway.registry.Organisation;
import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The access self-check (R-MAND-5, docs/mandates-and-policy.md): for the calling user and organisation, the mandates in
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

    public CheckAccessResponse check(Organisation caller, String user, ProvenMandates proven, String purposeCode) {
        LocalDate today = FinnishDate.today(clock);
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
            allowed.getOperation().addAll(p.operations());
            allowed.getView().addAll(p.views());
            response.getAllowedPurpose().add(allowed);
        }
        if (purposeCode != null) {
            response.setPurposeCheck(purposeCheck(policy.evaluate(new AccessQuestion(caller, null, purposeCode, proven,
                    List.of(), today)), caller, purposeCode));
        }
        return response;
    }

    /** Everything that stands between the user and the purpose, not only the first thing (R-MAND-5). */
    private static PurposeCheck purposeCheck(Evaluation evaluation, Organisation caller, String code) {
        PurposeCheck check = new PurposeCheck();
        check.setPurpose(code);
        List<String> whom = new ArrayList<>();
        for (Unmet unmet : evaluation.unmet()) {
            check.getMissing().add(missing(unmet.condition().name(), unmet.code(), unmet.explanation()));
            if (unmet.condition() == Condition.CONTRACT) {
                whom.add(CONTRACT_CONTACT + caller.name() + ".");
            } else if (unmet.condition() == Condition.MANDATE) {
                whom.add("The person who grants Suomi.fi mandates (valtuuttaja) at " + caller.name() + ".");
            }
        }
        check.setAllowed(evaluation.allowed());
        check.setWhomToAsk(whom.isEmpty() ? null : String.join(" ", whom));
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
