package fi.kelmu.gateway.mandate;

import java.time.Instant;
import java.util.Objects;
import java.util.Set;

/**
 * The mandate service's answer: the codes {@code user} holds from {@code organisation}, in force at
 * {@code checkedAt}. {@code requestId} and {@code checkedAt} belong to the service call that produced the
 * answer; when {@code fromCache} is true that call was an earlier one (see {@link CachingMandateLookup}).
 *
 * @param user         the delegate's henkilötunnus
 * @param organisation the principal's Y-tunnus
 * @param codes        mandate codes in force, unmodifiable, possibly empty
 * @param requestId    request id of the service call that gave this answer
 * @param checkedAt    when that call was made
 * @param fromCache    whether this answer was served from the cache instead of a new call
 */
public record OnlineMandates(String user, String organisation, Set<String> codes, String requestId,
        Instant checkedAt, boolean fromCache) {

    public OnlineMandates {
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(organisation, "organisation");
        codes = Set.copyOf(codes);
        Objects.requireNonNull(requestId, "requestId");
        Objects.requireNonNull(checkedAt, "checkedAt");
    }

    public boolean holds(String code) {
        return codes.contains(code);
    }

    /** The same answer, marked as served from the cache. */
    OnlineMandates cached() {
        return new OnlineMandates(user, organisation, codes, requestId, checkedAt, true);
    }

    /** Never the full henkilötunnus: records end up in logs and exception messages. */
    @Override
    public String toString() {
        return "OnlineMandates[user=" + HetuMask.mask(user) + ", organisation=" + organisation
                + ", codes=" + codes + ", requestId=" + requestId + ", checkedAt=" + checkedAt
                + ", fromCache=" + fromCache + "]";
    }
}
