package fi.kelmu.gateway.payment;

import fi.kelmu.gateway.fault.FaultCode;
import fi.kelmu.gateway.fault.GatewayException;
import java.util.regex.Pattern;

/**
 * The legal grounds on which a payment demand may be made through the service (R-PAY-2): section 23 of the Social
 * Assistance Act and section 14 of the Client Fees Act. The contract does not enumerate them, so that any other
 * basis reaches {@link #accepted} and is refused with a text that says where such a demand goes instead.
 */
public enum LegalBasis {
    /** Toimeentulotukilaki (1412/1997) § 23: social assistance paid in advance of a pending benefit. */
    TOIMEENTULOTUKILAKI_23,
    /** Laki sosiaali- ja terveydenhuollon asiakasmaksuista (734/1992) § 14: client fees. */
    ASIAKASMAKSULAKI_14;

    private static final Pattern LOGGABLE = Pattern.compile("[A-Za-z0-9_]{1,64}");

    /**
     * The basis of {@code code}, or {@link FaultCode#PAYMENT_DEMAND_ON_PAPER} for any other (R-PAY-2): such a demand
     * still goes to Kela on paper, and the fault's text says so and names the two accepted.
     */
    public static LegalBasis accepted(String code) {
        for (LegalBasis basis : values()) {
            if (basis.name().equals(code)) {
                return basis;
            }
        }
        // the log names a code of the expected shape; anything else is not repeated
        String shown = code != null && LOGGABLE.matcher(code).matches() ? code : "(not a basis code)";
        throw new GatewayException(FaultCode.PAYMENT_DEMAND_ON_PAPER, null,
                "R-PAY-2: legal basis " + shown + " is not accepted through the service");
    }
}
