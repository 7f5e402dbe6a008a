package fi.kelmu.gateway.sandbox;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Who gets one payment of a benefit when payment demands are on it, as the sandbox payment-demand simulator
 * decides it (Kela decides it in production). Pure: no state, no clock, no I/O, so that the rules can be read
 * and tested here alone.
 * <ul>
 *   <li><b>R-PAY-3</b>: a payment for a payment period goes to a demand only if the demand's period covers the
 *       whole payment period, and only out of what the benefit's payment distribution leaves to share (the
 *       {@code distributable} amount). A demand of a sum is paid that sum if what is left is enough, else nothing;
 *       a demand of the whole benefit takes the rest, if any is left. Several demands on one client's benefit
 *       share it in their order of registration: an earlier demand is served first.</li>
 *   <li><b>R-PAY-7</b>: the account is the demand's previous payee account (the municipality's, after the
 *       year-end transfer) when the payment was put into payment before the date the new account takes over
 *       (1.1.2023 for the transfer): put into payment in December 2022 and paid in January 2023, the money goes to
 *       the municipality; put into payment from 2023, to the HVA's account.</li>
 * </ul>
 */
public final class PaymentDecision {

    /** What a payment run decided for one demand. */
    public enum Decision {
        /** paid to the demander */
        PAID,
        /** the demand's period does not cover the payment period */
        NOT_COVERED,
        /** the payment distribution does not leave enough for the demand */
        NOT_ENOUGH
    }

    /**
     * A valid demand on the benefit (not invalidated, not rejected).
     *
     * @param demandId             the demand
     * @param from                 first day the demand covers
     * @param to                   last day it covers, or null: open-ended
     * @param sum                  the sum asked in euros, or null: the whole benefit
     * @param payeeAccount         the demander's account
     * @param previousPayeeAccount R-PAY-7: the account of payments put into payment before {@code payeeAccountFrom},
     *                             or null
     * @param payeeAccountFrom     the day {@code payeeAccount} takes over, or null (with no previous account)
     */
    public record Demand(String demandId, LocalDate from, LocalDate to, BigDecimal sum, String payeeAccount,
            String previousPayeeAccount, LocalDate payeeAccountFrom) {

        public Demand {
            Objects.requireNonNull(demandId, "demandId");
            Objects.requireNonNull(from, "from");
            Objects.requireNonNull(payeeAccount, "payeeAccount");
            if (to != null && to.isBefore(from)) {
                throw new IllegalArgumentException("demand " + demandId + " ends before it starts");
            }
            if (sum != null && (sum.signum() <= 0 || !inCents(sum))) {
                throw new IllegalArgumentException("demand " + demandId + " asks no positive sum in euros and cents");
            }
            if ((previousPayeeAccount == null) != (payeeAccountFrom == null)) {
                throw new IllegalArgumentException("demand " + demandId
                        + ": a previous payee account and the day the new one takes over go together");
            }
        }

        /** A demand of a sum, with one account. */
        public static Demand ofSum(String demandId, LocalDate from, LocalDate to, BigDecimal sum, String account) {
            return new Demand(demandId, from, to, Objects.requireNonNull(sum, "sum"), account, null, null);
        }

        /** A demand of the whole benefit, with one account. */
        public static Demand ofWholeBenefit(String demandId, LocalDate from, LocalDate to, String account) {
            return new Demand(demandId, from, to, null, account, null, null);
        }

        /** The same demand after the year-end transfer (R-PAY-7): a new account from {@code from}. */
        public Demand withNewAccountFrom(String newAccount, LocalDate from) {
            return new Demand(demandId, this.from, to, sum, newAccount, payeeAccount, from);
        }

        public boolean wholeBenefit() {
            return sum == null;
        }

        /** R-PAY-3: the demand's period holds every day of the payment period. */
        boolean covers(LocalDate periodFrom, LocalDate periodTo) {
            return !from.isAfter(periodFrom) && (to == null || !to.isBefore(periodTo));
        }

        /** R-PAY-7: the account of a payment put into payment on {@code putIntoPayment}. */
        String accountFor(LocalDate putIntoPayment) {
            return previousPayeeAccount != null && putIntoPayment.isBefore(payeeAccountFrom)
                    ? previousPayeeAccount : payeeAccount;
        }
    }

    /**
     * One payment of a granted benefit.
     *
     * @param periodFrom     first day of the payment period
     * @param periodTo       last day of the payment period
     * @param grossAmount    the payment before the distribution
     * @param distributable  what the payment distribution leaves to share among demands, at most the gross amount
     * @param putIntoPayment the day it was put into payment
     * @param paid           the day it is paid
     */
    public record Payment(LocalDate periodFrom, LocalDate periodTo, BigDecimal grossAmount, BigDecimal distributable,
            LocalDate putIntoPayment, LocalDate paid) {

        public Payment {
            Objects.requireNonNull(periodFrom, "periodFrom");
            Objects.requireNonNull(periodTo, "periodTo");
            Objects.requireNonNull(grossAmount, "grossAmount");
            Objects.requireNonNull(distributable, "distributable");
            Objects.requireNonNull(putIntoPayment, "putIntoPayment");
            Objects.requireNonNull(paid, "paid");
            if (periodTo.isBefore(periodFrom)) {
                throw new IllegalArgumentException("payment period ends before it starts");
            }
            if (grossAmount.signum() < 0 || distributable.signum() < 0 || !inCents(grossAmount)
                    || !inCents(distributable)) {
                throw new IllegalArgumentException("payment amounts are euros and cents, not negative");
            }
            if (distributable.compareTo(grossAmount) > 0) {
                throw new IllegalArgumentException("the distribution cannot leave more than the gross amount");
            }
            if (paid.isBefore(putIntoPayment)) {
                throw new IllegalArgumentException("a payment is paid after it is put into payment, not before");
            }
        }
    }

    /**
     * The decision for one demand.
     *
     * @param demandId the demand
     * @param decision what was decided
     * @param amount   paid to the demander, in euros and cents ({@code 0.00} unless paid)
     * @param account  the account paid to, or null unless paid
     */
    public record Outcome(String demandId, Decision decision, BigDecimal amount, String account) {
    }

    private static final BigDecimal NOTHING = BigDecimal.ZERO.setScale(2);

    private PaymentDecision() {
    }

    /**
     * Decides {@code payment} for the client's valid demands on the benefit, given in their order of registration;
     * one outcome per demand, in the same order.
     */
    public static List<Outcome> decide(Payment payment, List<Demand> inOrderOfRegistration) {
        BigDecimal left = payment.distributable();
        List<Outcome> outcomes = new ArrayList<>(inOrderOfRegistration.size());
        for (Demand demand : inOrderOfRegistration) {
            if (!demand.covers(payment.periodFrom(), payment.periodTo())) {
                outcomes.add(new Outcome(demand.demandId(), Decision.NOT_COVERED, NOTHING, null));
                continue;
            }
            BigDecimal share;
            if (demand.wholeBenefit()) {
                share = left.signum() > 0 ? left : null;
            } else {
                share = demand.sum().compareTo(left) <= 0 ? demand.sum() : null;
            }
            if (share == null) {
                outcomes.add(new Outcome(demand.demandId(), Decision.NOT_ENOUGH, NOTHING, null));
                continue;
            }
            left = left.subtract(share);
            outcomes.add(new Outcome(demand.demandId(), Decision.PAID, cents(share),
                    demand.accountFor(payment.putIntoPayment())));
        }
        return List.copyOf(outcomes);
    }

    private static boolean inCents(BigDecimal amount) {
        return amount.stripTrailingZeros().scale() <= 2;
    }

    private static BigDecimal cents(BigDecimal amount) {
        return amount.setScale(2, RoundingMode.UNNECESSARY);
    }
}
