package fi.kelmu.gateway.mandate;

import fi.kelmu.gateway.fault.FaultCode;
import fi.kelmu.gateway.fault.GatewayException;
import fi.kelmu.gateway.registry.Organisation;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Which mandates the user holds from the calling organisation, and how that was proven
 * (docs/architecture.md step 4, R-MAND-1, R-MAND-6). The proof is a verified MandateAssertion for this user
 * and this organisation, or the online check, as {@code kelmu.mandate.online-check} says:
 * <ul>
 *   <li>{@code allowed}: the assertion when one is sent, otherwise the online check;</li>
 *   <li>{@code required}: the online check always; an assertion, if sent, must also fit, and only mandates
 *       both confirm count;</li>
 *   <li>{@code off}: an assertion is required.</li>
 * </ul>
 * Which of the proven mandates count is the policy's decision (R-MAND-2), made later.
 */
public final class MandateResolution {

    public enum OnlineCheck {
        ALLOWED, REQUIRED, OFF;

        public static OnlineCheck parse(String value) {
            try {
                return valueOf(value.strip().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException("kelmu.mandate.online-check must be allowed, required or off, not '"
                        + value + "'");
            }
        }
    }

    /** The lookup when the online check is off: never asked, since an assertion is then required. */
    public static final MandateLookup NO_ONLINE_CHECK = (user, organisation, requestId) -> {
        throw new IllegalStateException("the online mandate check is off");
    };

    private final OnlineCheck mode;
    private final MandateLookup lookup;
    private final Set<String> serviceMandates;

    /**
     * @param serviceMandates the mandate codes of this service (the policy's); whatever else a proof names
     *                        (another service's roles) is dropped here, so it never reaches a decision or a
     *                        record
     */
    public MandateResolution(OnlineCheck mode, MandateLookup lookup, Set<String> serviceMandates) {
        this.mode = mode;
        this.lookup = lookup;
        this.serviceMandates = Set.copyOf(serviceMandates);
    }

    public OnlineCheck mode() {
        return mode;
    }

    /**
     * The mandates proven for {@code user} acting for {@code caller}, from the request's verified assertion
     * (if it sent one) and the online check as the mode says.
     *
     * @param requestId id of this request, sent to the mandate service with an online check
     */
    public ProvenMandates prove(String user, Organisation caller, Optional<MandateAssertion> sent, String requestId) {
        MandateAssertion assertion = sent.orElse(null);
        if (assertion != null) {
            requireFits(assertion, user, caller);
        }
        if (assertion != null && mode != OnlineCheck.REQUIRED) {
            return new ProvenMandates(ofService(assertion.mandates()), "assertion:" + assertion.id());
        }
        if (assertion == null && mode == OnlineCheck.OFF) {
            throw new GatewayException(FaultCode.MANDATE_REQUIRED, null,
                    "no MandateAssertion and kelmu.mandate.online-check=off");
        }
        OnlineMandates online = lookup.mandatesInForce(user, caller.businessId(), requestId);
        String onlineProof = "online:" + online.requestId() + (online.fromCache() ? "(cached)" : "");
        if (assertion == null) {
            return new ProvenMandates(ofService(online.codes()), onlineProof);
        }
        Set<String> both = ofService(assertion.mandates());
        both.retainAll(online.codes());
        return new ProvenMandates(both, "assertion:" + assertion.id() + "+" + onlineProof);
    }

    private Set<String> ofService(java.util.Collection<String> codes) {
        Set<String> known = new TreeSet<>(codes);
        known.retainAll(serviceMandates);
        return known;
    }

    /** Issue 4 item 1: the assertion must name the X-Road userId and the authenticated organisation. */
    private static void requireFits(MandateAssertion assertion, String user, Organisation caller) {
        if (!user.equals(assertion.user())) {
            throw new GatewayException(FaultCode.MANDATE_ASSERTION_MISMATCH, null,
                    "assertion " + assertion.id() + " is for another user than userId");
        }
        if (!caller.businessId().equals(assertion.organisation())) {
            throw new GatewayException(FaultCode.MANDATE_ASSERTION_MISMATCH, null, "assertion " + assertion.id()
                    + " names organisation " + assertion.organisation() + ", the caller is " + caller.businessId());
        }
    }

}
