package fi.kelmu.gateway.audit;

import fi.kelmu.gateway.fault.FaultCode;
import fi.kelmu.gateway.registry.OrganisationType;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * One access to personal data, as the access log keeps it (docs/access-log.md): who asked (organisation,
 * its type, the acting user), on what authority (mandate codes and how they were proven), why (purpose),
 * about whom (the client's henkilötunnus), what left (view names, never content) and whether it was
 * allowed. The time is kept to the microsecond, the precision both supported databases store.
 *
 * @param eventId            unique id of this event ({@link #newEventId()})
 * @param time               when the access happened, UTC
 * @param xroadId            the X-Road {@code id} header of the request
 * @param organisationId     Y-tunnus of the calling organisation
 * @param organisationType   its type; null when the organisation is not registered
 * @param userId             the X-Road {@code userId}: the acting user
 * @param mandates           mandate codes the access relied on (empty when refused before any was found)
 * @param mandateProof       how the mandates were proven, e.g. {@code assertion:<assertionId>} or
 *                           {@code online:<requestId>}; null when none was
 * @param purpose            purpose of use as the request named it; null in a refusal that could not read it
 * @param operation          the service operation, e.g. {@code getBenefitData}; null in a refusal that could not
 *                           tell it
 * @param personId           henkilötunnus of the client whose data was asked for; null in a refusal that could
 *                           not read a valid one
 * @param views              names of the views returned (empty when refused)
 * @param outcome            allowed or refused
 * @param faultCode          the fault returned when refused; null when allowed
 * @param correlationId      the gateway's correlation id of the request
 * @param details            what the operation did beyond its views, e.g. a payment demand's id, amount and payee
 *                           account masked to its last four digits (docs/payment-demands.md); null for none. At most
 *                           {@value #MAX_DETAILS} characters, no control characters.
 */
public record AccessRecord(String eventId, Instant time, String xroadId, String organisationId,
        OrganisationType organisationType, String userId, List<String> mandates, String mandateProof,
        String purpose, String operation, String personId, List<String> views, AccessOutcome outcome,
        FaultCode faultCode, String correlationId, String details) {

    /** Longest {@code details} (the database column's width). */
    public static final int MAX_DETAILS = 256;

    /** A record without details (every benefit query). */
    public AccessRecord(String eventId, Instant time, String xroadId, String organisationId,
            OrganisationType organisationType, String userId, List<String> mandates, String mandateProof,
            String purpose, String operation, String personId, List<String> views, AccessOutcome outcome,
            FaultCode faultCode, String correlationId) {
        this(eventId, time, xroadId, organisationId, organisationType, userId, mandates, mandateProof, purpose,
                operation, personId, views, outcome, faultCode, correlationId, null);
    }

    public AccessRecord {
        requireText(eventId, "eventId");
        Objects.requireNonNull(time, "time");
        time = time.truncatedTo(ChronoUnit.MICROS);
        requireText(xroadId, "xroadId");
        requireText(organisationId, "organisationId");
        requireText(userId, "userId");
        mandates = names(mandates, "mandates");
        requireTextOrNull(mandateProof, "mandateProof");
        if (outcome == AccessOutcome.ALLOWED) {
            requireText(purpose, "purpose");
            requireText(operation, "operation");
            requireText(personId, "personId");
        } else {
            // a refusal before the body was read may not know them (docs/access-log.md, "Refusals before the routes")
            requireTextOrNull(purpose, "purpose");
            requireTextOrNull(operation, "operation");
            requireTextOrNull(personId, "personId");
        }
        views = names(views, "views");
        Objects.requireNonNull(outcome, "outcome");
        if ((outcome == AccessOutcome.REFUSED) != (faultCode != null)) {
            throw new IllegalArgumentException("a refused access has a fault code and an allowed one has none: "
                    + outcome + " with " + faultCode);
        }
        requireText(correlationId, "correlationId");
        requireTextOrNull(details, "details");
        if (details != null && (details.length() > MAX_DETAILS || details.chars().anyMatch(Character::isISOControl))) {
            throw new IllegalArgumentException("details are at most " + MAX_DETAILS + " characters without control"
                    + " characters");
        }
    }

    /** This record with {@code details}. */
    public AccessRecord withDetails(String value) {
        return new AccessRecord(eventId, time, xroadId, organisationId, organisationType, userId, mandates,
                mandateProof, purpose, operation, personId, views, outcome, faultCode, correlationId, value);
    }

    /** A fresh, unique event id. */
    public static String newEventId() {
        return UUID.randomUUID().toString();
    }

    private static void requireText(String value, String name) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(name + " must be given");
        }
    }

    private static void requireTextOrNull(String value, String name) {
        if (value != null && value.isBlank()) {
            throw new IllegalArgumentException(name + " must be null or not blank");
        }
    }

    // codes and view names are identifiers: the database keeps a list as one comma-separated column
    private static List<String> names(List<String> names, String what) {
        List<String> copy = List.copyOf(Objects.requireNonNull(names, what));
        for (String n : copy) {
            if (n.isBlank() || n.indexOf(',') >= 0) {
                throw new IllegalArgumentException(what + " holds names, not blank and without commas: '" + n + "'");
            }
        }
        return copy;
    }
}
