package fi.kelmu.gateway.policy;

import fi.kelmu.gateway.mandate.ProvenMandates;
import fi.kelmu.gateway.registry.Organisation;
import java.time.LocalDate;
import java.util.List;
import java.util.Objects;

/**
 * What the policy is asked about one request: who calls, through which operation (null: the self-check,
 * which asks about any operation that serves the purpose), for which purpose, with which proven mandates,
 * which views (none: all the purpose allows), on which Finnish date.
 */
public record AccessQuestion(Organisation caller, String operation, String purpose, ProvenMandates mandates,
        List<String> requestedViews, LocalDate date) {

    public AccessQuestion {
        Objects.requireNonNull(caller, "caller");
        Objects.requireNonNull(purpose, "purpose");
        Objects.requireNonNull(mandates, "mandates");
        requestedViews = List.copyOf(requestedViews);
        Objects.requireNonNull(date, "date");
    }
}
