package fi.kelmu.gateway.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import fi.kelmu.gateway.sandbox.PaymentDecision.Decision;
import fi.kelmu.gateway.sandbox.PaymentDecision.Demand;
import fi.kelmu.gateway.sandbox.PaymentDecision.Outcome;
import fi.kelmu.gateway.sandbox.PaymentDecision.Payment;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * {@link PaymentDecision}: who gets one payment of a benefit when payment demands are on it (R-PAY-3), and to which
 * account across the year-end transfer (R-PAY-7).
 */
class PaymentDecisionTest {

    /** Länsi-Uusimaa's account (the HVA). */
    private static final String HVA_ACCOUNT = "FI4640060010000014";
    /** Espoo's account (the municipality). */
    private static final String ESPOO_ACCOUNT = "FI1680000110000028";
    /** Helsinki's account. */
    private static final String HELSINKI_ACCOUNT = "FI4615723500022334";

    private static final LocalDate NOV_1 = LocalDate.of(2026, 11, 1);
    private static final LocalDate NOV_30 = LocalDate.of(2026, 11, 30);

    /** The November 2026 payment: 600.00 gross, of which the distribution leaves {@code distributable}. */
    private static Payment november(String distributable) {
        return new Payment(NOV_1, NOV_30, eur("600.00"), eur(distributable), LocalDate.of(2026, 11, 2),
                LocalDate.of(2026, 11, 4));
    }

    private static BigDecimal eur(String amount) {
        return new BigDecimal(amount);
    }

    private static Outcome paid(String demandId, String amount, String account) {
        return new Outcome(demandId, Decision.PAID, eur(amount), account);
    }

    private static Outcome notPaid(String demandId, Decision decision) {
        return new Outcome(demandId, decision, eur("0.00"), null);
    }

    @Test
    @DisplayName("R-PAY-3: a demand covering the payment period is paid its sum when the distribution leaves enough")
    void aCoveringDemandIsPaidItsSumWhenEnoughIsLeftR_PAY_3() {
        Demand open = Demand.ofSum("D1", LocalDate.of(2026, 10, 1), null, eur("250.00"), HVA_ACCOUNT);

        assertEquals(List.of(paid("D1", "250.00", HVA_ACCOUNT)), PaymentDecision.decide(november("400.00"), List.of(open)));
    }

    @Test
    @DisplayName("R-PAY-3: a sum equal to what is left is enough")
    void aSumEqualToWhatIsLeftIsPaidR_PAY_3() {
        Demand exact = Demand.ofSum("D1", NOV_1, NOV_30, eur("400"), HVA_ACCOUNT);

        assertEquals(List.of(paid("D1", "400.00", HVA_ACCOUNT)), PaymentDecision.decide(november("400.00"), List.of(exact)));
    }

    @Test
    @DisplayName("R-PAY-3: a demand whose period does not cover the whole payment period gets nothing")
    void aDemandNotCoveringThePaymentPeriodGetsNothingR_PAY_3() {
        Demand startsMidMonth = Demand.ofSum("LATE", LocalDate.of(2026, 11, 15), null, eur("100.00"), HVA_ACCOUNT);
        Demand endsMidMonth = Demand.ofSum("EARLY", LocalDate.of(2026, 1, 1), LocalDate.of(2026, 11, 29),
                eur("100.00"), HVA_ACCOUNT);
        Demand ended = Demand.ofWholeBenefit("ENDED", LocalDate.of(2026, 1, 1), LocalDate.of(2026, 10, 31), HVA_ACCOUNT);

        assertEquals(List.of(notPaid("LATE", Decision.NOT_COVERED), notPaid("EARLY", Decision.NOT_COVERED),
                notPaid("ENDED", Decision.NOT_COVERED)),
                PaymentDecision.decide(november("600.00"), List.of(startsMidMonth, endsMidMonth, ended)));
    }

    @Test
    @DisplayName("R-PAY-3: a sum the distribution does not leave is not paid at all, not in part")
    void aSumLargerThanWhatIsLeftIsNotPaidR_PAY_3() {
        Demand tooMuch = Demand.ofSum("D1", NOV_1, null, eur("400.01"), HVA_ACCOUNT);

        assertEquals(List.of(notPaid("D1", Decision.NOT_ENOUGH)),
                PaymentDecision.decide(november("400.00"), List.of(tooMuch)));
    }

    @Test
    @DisplayName("R-PAY-3: when the distribution leaves nothing, neither a sum nor the whole benefit is paid")
    void nothingLeftPaysNoDemandR_PAY_3() {
        Demand sum = Demand.ofSum("SUM", NOV_1, null, eur("10.00"), HVA_ACCOUNT);
        Demand whole = Demand.ofWholeBenefit("WHOLE", NOV_1, null, HVA_ACCOUNT);

        assertEquals(List.of(notPaid("SUM", Decision.NOT_ENOUGH), notPaid("WHOLE", Decision.NOT_ENOUGH)),
                PaymentDecision.decide(november("0.00"), List.of(sum, whole)));
    }

    @Test
    @DisplayName("R-PAY-3: several demands share in order of registration; a later one takes what the earlier left")
    void severalDemandsShareInOrderOfRegistrationR_PAY_3() {
        Demand first = Demand.ofSum("FIRST", NOV_1, null, eur("200.00"), HVA_ACCOUNT);
        Demand second = Demand.ofSum("SECOND", NOV_1, null, eur("150.00"), HELSINKI_ACCOUNT);
        Demand third = Demand.ofSum("THIRD", NOV_1, null, eur("100.00"), ESPOO_ACCOUNT);

        assertEquals(List.of(paid("FIRST", "200.00", HVA_ACCOUNT), notPaid("SECOND", Decision.NOT_ENOUGH),
                paid("THIRD", "100.00", ESPOO_ACCOUNT)),
                PaymentDecision.decide(november("300.00"), List.of(first, second, third)));
        // the other order of registration serves the other demand first
        assertEquals(List.of(paid("SECOND", "150.00", HELSINKI_ACCOUNT), notPaid("FIRST", Decision.NOT_ENOUGH),
                paid("THIRD", "100.00", ESPOO_ACCOUNT)),
                PaymentDecision.decide(november("300.00"), List.of(second, first, third)));
    }

    @Test
    @DisplayName("R-PAY-3: a demand of the whole benefit takes the rest of the distribution, after earlier demands")
    void wholeBenefitTakesTheRestR_PAY_3() {
        Demand sum = Demand.ofSum("SUM", NOV_1, null, eur("150.00"), ESPOO_ACCOUNT);
        Demand whole = Demand.ofWholeBenefit("WHOLE", NOV_1, null, HVA_ACCOUNT);
        Demand later = Demand.ofSum("LATER", NOV_1, null, eur("1.00"), HELSINKI_ACCOUNT);

        assertEquals(List.of(paid("SUM", "150.00", ESPOO_ACCOUNT), paid("WHOLE", "250.00", HVA_ACCOUNT),
                notPaid("LATER", Decision.NOT_ENOUGH)),
                PaymentDecision.decide(november("400.00"), List.of(sum, whole, later)));
    }

    @Test
    @DisplayName("R-PAY-3: a whole-benefit demand registered first leaves nothing to a later sum")
    void wholeBenefitFirstLeavesNothingR_PAY_3() {
        Demand whole = Demand.ofWholeBenefit("WHOLE", NOV_1, NOV_30, HVA_ACCOUNT);
        Demand sum = Demand.ofSum("SUM", NOV_1, null, eur("150.00"), ESPOO_ACCOUNT);

        assertEquals(List.of(paid("WHOLE", "400.00", HVA_ACCOUNT), notPaid("SUM", Decision.NOT_ENOUGH)),
                PaymentDecision.decide(november("400.00"), List.of(whole, sum)));
    }

    @Test
    @DisplayName("R-PAY-7: put into payment in December 2022 and paid in January 2023, the payment goes to the municipality")
    void decemberPaymentPaidInJanuaryGoesToTheMunicipalityR_PAY_7() {
        Demand transferred = Demand.ofSum("ESPOO-1", LocalDate.of(2022, 6, 1), null, eur("200.00"), ESPOO_ACCOUNT)
                .withNewAccountFrom(HVA_ACCOUNT, LocalDate.of(2023, 1, 1));
        Payment december = new Payment(LocalDate.of(2022, 12, 1), LocalDate.of(2022, 12, 31), eur("500.00"),
                eur("500.00"), LocalDate.of(2022, 12, 28), LocalDate.of(2023, 1, 2));

        assertEquals(List.of(paid("ESPOO-1", "200.00", ESPOO_ACCOUNT)),
                PaymentDecision.decide(december, List.of(transferred)));
    }

    @Test
    @DisplayName("R-PAY-7: put into payment from 1.1.2023, the payment goes to the HVA's account")
    void paymentPutIntoPaymentFrom2023GoesToTheHvaR_PAY_7() {
        Demand transferred = Demand.ofSum("ESPOO-1", LocalDate.of(2022, 6, 1), null, eur("200.00"), ESPOO_ACCOUNT)
                .withNewAccountFrom(HVA_ACCOUNT, LocalDate.of(2023, 1, 1));
        Payment newYearsDay = new Payment(LocalDate.of(2023, 1, 1), LocalDate.of(2023, 1, 31), eur("500.00"),
                eur("500.00"), LocalDate.of(2023, 1, 1), LocalDate.of(2023, 1, 4));
        Payment january = new Payment(LocalDate.of(2023, 1, 1), LocalDate.of(2023, 1, 31), eur("500.00"),
                eur("500.00"), LocalDate.of(2023, 1, 30), LocalDate.of(2023, 2, 2));

        assertEquals(List.of(paid("ESPOO-1", "200.00", HVA_ACCOUNT)),
                PaymentDecision.decide(newYearsDay, List.of(transferred)));
        assertEquals(List.of(paid("ESPOO-1", "200.00", HVA_ACCOUNT)),
                PaymentDecision.decide(january, List.of(transferred)));
    }

    @Test
    @DisplayName("R-PAY-7: Helsinki's demand, never transferred, is paid to Helsinki's account in both years")
    void helsinkisDemandKeepsItsAccountR_PAY_7() {
        Demand helsinki = Demand.ofSum("HKI-1", LocalDate.of(2022, 6, 1), null, eur("200.00"), HELSINKI_ACCOUNT);
        Payment december = new Payment(LocalDate.of(2022, 12, 1), LocalDate.of(2022, 12, 31), eur("500.00"),
                eur("500.00"), LocalDate.of(2022, 12, 28), LocalDate.of(2023, 1, 2));

        assertEquals(List.of(paid("HKI-1", "200.00", HELSINKI_ACCOUNT)),
                PaymentDecision.decide(december, List.of(helsinki)));
    }

    @Test
    @DisplayName("no demands: nothing decided")
    void noDemandsNothingDecided() {
        assertEquals(List.of(), PaymentDecision.decide(november("400.00"), List.of()));
    }

    @Test
    @DisplayName("a distribution cannot leave more than the gross amount, nor a payment be paid before it is put into payment")
    void impossiblePaymentsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new Payment(NOV_1, NOV_30, eur("100.00"), eur("100.01"),
                LocalDate.of(2026, 11, 2), LocalDate.of(2026, 11, 4)));
        assertThrows(IllegalArgumentException.class, () -> new Payment(NOV_1, NOV_30, eur("100.00"), eur("50.00"),
                LocalDate.of(2026, 11, 4), LocalDate.of(2026, 11, 2)));
        assertThrows(IllegalArgumentException.class, () -> new Payment(NOV_1, NOV_30, eur("100.001"), eur("50.00"),
                LocalDate.of(2026, 11, 2), LocalDate.of(2026, 11, 4)));
        assertThrows(IllegalArgumentException.class, () -> new Payment(NOV_30, NOV_1, eur("100.00"), eur("50.00"),
                LocalDate.of(2026, 11, 2), LocalDate.of(2026, 11, 4)));
    }

    @Test
    @DisplayName("a demand asks a positive sum in cents, ends after it starts, and has a previous account only with its end")
    void impossibleDemandsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> Demand.ofSum("D", NOV_1, null, eur("0.00"), HVA_ACCOUNT));
        assertThrows(IllegalArgumentException.class, () -> Demand.ofSum("D", NOV_1, null, eur("1.005"), HVA_ACCOUNT));
        assertThrows(IllegalArgumentException.class, () -> Demand.ofSum("D", NOV_30, NOV_1, eur("1.00"), HVA_ACCOUNT));
        assertThrows(IllegalArgumentException.class,
                () -> new Demand("D", NOV_1, null, eur("1.00"), HVA_ACCOUNT, ESPOO_ACCOUNT, null));
    }
}
