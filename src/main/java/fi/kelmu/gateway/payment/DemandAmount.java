package fi.kelmu.gateway.payment;

import fi.kelmu.gateway.fault.FaultCode;
import fi.kelmu.gateway.fault.GatewayException;
import java.math.BigDecimal;

/**
 * What a payment demand asks Kela to pay to the demander: a sum in euros, kept as whole cents so that no rounding
 * ever happens, or the whole benefit for the demand's period.
 */
public sealed interface DemandAmount {

    /** The whole benefit for the period: Kela decides the sum when it pays (R-PAY-3). */
    DemandAmount WHOLE_BENEFIT = new WholeBenefit();

    /** A positive sum in euro cents. */
    record Sum(long cents) implements DemandAmount {

        public Sum {
            if (cents <= 0) {
                throw PaymentDemandRules.invalid("amount", "must be positive");
            }
        }

        /** The sum in euros with two decimals, e.g. {@code 125.50}. */
        public BigDecimal euros() {
            return BigDecimal.valueOf(cents, 2);
        }
    }

    /** See {@link #WHOLE_BENEFIT}. */
    record WholeBenefit() implements DemandAmount {
    }

    /**
     * A sum in euros as the contract carries it: positive, at most two decimals (trailing zeros do not count:
     * {@code 12.500} is {@code 12.50}). Anything else is {@link FaultCode#INVALID_PAYMENT_DEMAND} naming the field.
     */
    static DemandAmount euros(BigDecimal euros) {
        if (euros == null) {
            throw PaymentDemandRules.invalid("amount", "is required");
        }
        if (euros.signum() <= 0) {
            throw PaymentDemandRules.invalid("amount", "must be positive");
        }
        BigDecimal stripped = euros.stripTrailingZeros();
        if (stripped.scale() > 2) {
            throw PaymentDemandRules.invalid("amount", "has more than two decimals");
        }
        try {
            return new Sum(stripped.movePointRight(2).longValueExact());
        } catch (ArithmeticException e) {
            throw new GatewayException(FaultCode.INVALID_PAYMENT_DEMAND, "amount: is too large", "amount too large", e);
        }
    }

    /** See {@link #WHOLE_BENEFIT}. */
    static DemandAmount wholeBenefit() {
        return WHOLE_BENEFIT;
    }
}
