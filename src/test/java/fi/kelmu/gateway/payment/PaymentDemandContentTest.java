package fi.kelmu.gateway.payment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fi.kelmu.gateway.fault.FaultCode;
import fi.kelmu.gateway.fault.GatewayException;
import fi.kelmu.gateway.identifier.Iban;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.LocalDate;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The content rules of a payment demand (docs/payment-demands.md, "Content", R-PAY-2): each refusal asserted by its
 * fault code and by the field its detail names, and never by a detail that quotes the value.
 */
class PaymentDemandContentTest {

    static final String CLIENT = "010180-9026";
    static final Iban ACCOUNT = Iban.parse("FI21 1234 5600 0007 85");
    static final LocalDate START = LocalDate.of(2022, 9, 1);

    static DemandContent content(LocalDate start, LocalDate end, DemandAmount amount) {
        return new DemandContent(CLIENT, "YLEINEN_ASUMISTUKI", start, end, amount, LegalBasis.TOIMEENTULOTUKILAKI_23,
                ACCOUNT, "DNRO-2022-0815");
    }

    /** The refusal of {@code action}, asserted to be {@code code} with a detail that starts with {@code field}. */
    static GatewayException refused(FaultCode code, String field, Executable action) {
        GatewayException e = assertThrows(GatewayException.class, action);
        assertEquals(code, e.faultCode());
        if (field != null) {
            assertTrue(e.callerDetail() != null && e.callerDetail().startsWith(field + ":"), e.callerDetail());
        }
        return e;
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(LegalBasis.class)
    @DisplayName("R-PAY-2: each of the two legal bases is accepted by its code")
    void r_pay_2_eachAcceptedLegalBasisIsAccepted(LegalBasis basis) {
        assertEquals(basis, LegalBasis.accepted(basis.name()));
    }

    @ParameterizedTest(name = "\"{0}\"")
    @NullAndEmptySource
    @ValueSource(strings = {"SOSIAALIHUOLTOLAKI_29", "toimeentulotukilaki_23", "TOIMEENTULOTUKILAKI_23 ", "ULOSOTTOKAARI"})
    @DisplayName("R-PAY-2: any other legal basis is refused: send it to Kela on paper, and the text says so")
    void r_pay_2_anyOtherLegalBasisGoesOnPaper(String code) {
        GatewayException e = refused(FaultCode.PAYMENT_DEMAND_ON_PAPER, null, () -> LegalBasis.accepted(code));
        assertTrue(e.faultCode().isClientFault());
        assertTrue(e.faultCode().message().contains("on paper"), e.faultCode().message());
        assertTrue(e.faultCode().message().contains("TOIMEENTULOTUKILAKI_23")
                && e.faultCode().message().contains("ASIAKASMAKSULAKI_14"), "the text names the two accepted");
    }

    @Test
    @DisplayName("an amount in euros with up to two decimals is kept as whole cents")
    void amountsAreWholeCents() {
        assertEquals(new DemandAmount.Sum(12550), DemandAmount.euros(new BigDecimal("125.50")));
        assertEquals(new DemandAmount.Sum(12550), DemandAmount.euros(new BigDecimal("125.5")));
        assertEquals(new DemandAmount.Sum(12550), DemandAmount.euros(new BigDecimal("125.500")),
                "trailing zeros are no decimals");
        assertEquals(new DemandAmount.Sum(1), DemandAmount.euros(new BigDecimal("0.01")));
        assertEquals(new DemandAmount.Sum(100000), DemandAmount.euros(new BigDecimal("1E+3")));
        assertEquals(new BigDecimal("125.50"), new DemandAmount.Sum(12550).euros());
        assertEquals(DemandAmount.WHOLE_BENEFIT, DemandAmount.wholeBenefit());
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"0", "0.00", "-1", "-0.01"})
    @DisplayName("a zero or negative amount is refused, naming the amount")
    void zeroOrNegativeAmountsAreRefused(String euros) {
        GatewayException e = refused(FaultCode.INVALID_PAYMENT_DEMAND, "amount",
                () -> DemandAmount.euros(new BigDecimal(euros)));
        assertEquals("amount: must be positive", e.callerDetail());
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"125.505", "0.001", "1.999"})
    @DisplayName("an amount with three decimals is refused, naming the amount and not quoting it")
    void threeDecimalsAreRefused(String euros) {
        GatewayException e = refused(FaultCode.INVALID_PAYMENT_DEMAND, "amount",
                () -> DemandAmount.euros(new BigDecimal(euros)));
        assertEquals("amount: has more than two decimals", e.callerDetail());
        assertFalse(e.callerDetail().contains(euros));
    }

    @Test
    @DisplayName("a sum of cents is positive, and an absurdly large amount is refused")
    void sumsArePositiveAndBounded() {
        refused(FaultCode.INVALID_PAYMENT_DEMAND, "amount", () -> new DemandAmount.Sum(0));
        refused(FaultCode.INVALID_PAYMENT_DEMAND, "amount", () -> DemandAmount.euros(new BigDecimal("1E+30")));
        refused(FaultCode.INVALID_PAYMENT_DEMAND, "amount", () -> DemandAmount.euros(null));
    }

    @Test
    @DisplayName("a period ending before it starts is refused naming the period; one day, or no end, is a period")
    void periodEndBeforeStartIsRefused() {
        GatewayException e = refused(FaultCode.INVALID_PAYMENT_DEMAND, "period",
                () -> content(START, START.minusDays(1), DemandAmount.WHOLE_BENEFIT));
        assertEquals("period: ends before it starts", e.callerDetail());
        assertEquals(START, content(START, START, DemandAmount.WHOLE_BENEFIT).periodEnd());
        assertEquals(null, content(START, null, DemandAmount.WHOLE_BENEFIT).periodEnd());
        refused(FaultCode.INVALID_PAYMENT_DEMAND, "period", () -> content(null, null, DemandAmount.WHOLE_BENEFIT));
    }

    @Test
    @DisplayName("R-PAY-3: a period starting before the benefit's period is refused; from its first day it is taken")
    void r_pay_3_periodNotBeforeTheBenefitsPeriod() {
        DemandContent content = content(START, null, DemandAmount.WHOLE_BENEFIT);
        GatewayException e = refused(FaultCode.INVALID_PAYMENT_DEMAND, "period",
                () -> content.requireNotBefore(START.plusDays(1)));
        assertEquals("period: starts before the benefit's period", e.callerDetail());
        content.requireNotBefore(START);
        content.requireNotBefore(START.minusMonths(3));
    }

    @ParameterizedTest(name = "\"{0}\"")
    @ValueSource(strings = {"FI22 1234 5600 0007 85", "FI21 1234 5600 0007 8", "SE45 5000 0000 0583 9825 7466", "",
            "not an account"})
    @DisplayName("a payee account that is no valid Finnish IBAN is refused, naming the field and not the number")
    void badIbansAreRefused(String written) {
        GatewayException e = refused(FaultCode.INVALID_PAYMENT_DEMAND, "payeeAccount",
                () -> PaymentDemandRules.payeeAccount(written));
        assertFalse(e.callerDetail().contains("1234") || e.callerDetail().contains("5000"), e.callerDetail());
        assertEquals(ACCOUNT, PaymentDemandRules.payeeAccount("fi2112345600000785"));
    }

    @ParameterizedTest(name = "\"{0}\"")
    @NullAndEmptySource
    @ValueSource(strings = {"   ", "line\nbreak", "tab\there"})
    @DisplayName("a case reference must be 1-64 characters, not blank, without control characters")
    void badCaseReferencesAreRefused(String reference) {
        refused(FaultCode.INVALID_PAYMENT_DEMAND, "caseReference", () -> new DemandContent(CLIENT, "YLEINEN_ASUMISTUKI",
                START, null, DemandAmount.WHOLE_BENEFIT, LegalBasis.ASIAKASMAKSULAKI_14, ACCOUNT, reference));
    }

    @Test
    @DisplayName("a case reference of 64 characters is taken, of 65 refused")
    void caseReferenceLength() {
        new DemandContent(CLIENT, "B", START, null, DemandAmount.WHOLE_BENEFIT, LegalBasis.ASIAKASMAKSULAKI_14, ACCOUNT,
                "x".repeat(64));
        refused(FaultCode.INVALID_PAYMENT_DEMAND, "caseReference", () -> new DemandContent(CLIENT, "B", START, null,
                DemandAmount.WHOLE_BENEFIT, LegalBasis.ASIAKASMAKSULAKI_14, ACCOUNT, "x".repeat(65)));
    }

    @ParameterizedTest(name = "\"{0}\"")
    @NullAndEmptySource
    @ValueSource(strings = {"yleinen_asumistuki", "ASUMIS-TUKI",
            "XXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX"})
    @DisplayName("a benefit code is 1-64 of A-Z, 0-9 and _")
    void badBenefitCodesAreRefused(String code) {
        refused(FaultCode.INVALID_PAYMENT_DEMAND, "benefitCode", () -> new DemandContent(CLIENT, code, START, null,
                DemandAmount.WHOLE_BENEFIT, LegalBasis.ASIAKASMAKSULAKI_14, ACCOUNT, "ref"));
    }

    @Test
    @DisplayName("the client must be a valid henkilötunnus, refused as in every other operation")
    void clientMustBeAValidIdentityCode() {
        refused(FaultCode.INVALID_PERSONAL_IDENTITY_CODE, null, () -> new DemandContent("010180-9027", "B", START, null,
                DemandAmount.WHOLE_BENEFIT, LegalBasis.ASIAKASMAKSULAKI_14, ACCOUNT, "ref"));
    }

    @Test
    @DisplayName("required fields: amount, legal basis, payee account")
    void requiredFields() {
        refused(FaultCode.INVALID_PAYMENT_DEMAND, "amount", () -> new DemandContent(CLIENT, "B", START, null, null,
                LegalBasis.ASIAKASMAKSULAKI_14, ACCOUNT, "ref"));
        refused(FaultCode.INVALID_PAYMENT_DEMAND, "legalBasis", () -> new DemandContent(CLIENT, "B", START, null,
                DemandAmount.WHOLE_BENEFIT, null, ACCOUNT, "ref"));
        refused(FaultCode.INVALID_PAYMENT_DEMAND, "payeeAccount", () -> new DemandContent(CLIENT, "B", START, null,
                DemandAmount.WHOLE_BENEFIT, LegalBasis.ASIAKASMAKSULAKI_14, null, "ref"));
    }

    @Test
    @DisplayName("the content hash is one per content, whatever its written form, and differs with any field")
    void contentHashIsCanonical() {
        DemandContent a = content(START, null, DemandAmount.euros(new BigDecimal("125.5")));
        DemandContent same = new DemandContent(CLIENT, "YLEINEN_ASUMISTUKI", START, null,
                DemandAmount.euros(new BigDecimal("125.50")), LegalBasis.TOIMEENTULOTUKILAKI_23,
                Iban.parse("fi21 1234 5600 0007 85"), "DNRO-2022-0815");
        assertEquals(a.contentHash(), same.contentHash());
        assertTrue(a.contentHash().matches("[0-9a-f]{64}"));
        assertNotEquals(a.contentHash(), content(START, null, DemandAmount.euros(new BigDecimal("125.51"))).contentHash());
        assertNotEquals(a.contentHash(), content(START, START.plusDays(30), a.amount()).contentHash());
        assertNotEquals(a.contentHash(), content(START.plusDays(1), null, a.amount()).contentHash());
        assertNotEquals(a.contentHash(), content(START, null, DemandAmount.WHOLE_BENEFIT).contentHash());
        assertNotEquals(a.contentHash(), a.withPayeeAccount(Iban.parse("FI49 5000 9420 0287 30")).contentHash());
        assertNotEquals(a.contentHash(), new DemandContent(CLIENT, "YLEINEN_ASUMISTUKI", START, null, a.amount(),
                LegalBasis.ASIAKASMAKSULAKI_14, ACCOUNT, "DNRO-2022-0815").contentHash());
        assertNotEquals(a.contentHash(), new DemandContent("010594-9032", "YLEINEN_ASUMISTUKI", START, null,
                a.amount(), LegalBasis.TOIMEENTULOTUKILAKI_23, ACCOUNT, "DNRO-2022-0815").contentHash());
    }

    @Test
    @DisplayName("length prefixes keep fields apart: moving characters between two texts changes the hash")
    void lengthPrefixesKeepFieldsApart() {
        assertNotEquals(new DemandContent.Canonical().add("AB").add("C").sha256(),
                new DemandContent.Canonical().add("A").add("BC").sha256());
        assertNotEquals(new DemandContent.Canonical().add(null).sha256(), new DemandContent.Canonical().add("").sha256());
        assertNotEquals(new DemandContent.Canonical().add("-").sha256(), new DemandContent.Canonical().add(null).sha256());
    }

    @Test
    @DisplayName("a demand's text shows neither the client's identity code nor the whole account")
    void textRevealsNoIdentityCodeOrAccount() {
        String text = content(START, null, DemandAmount.WHOLE_BENEFIT).toString();
        assertFalse(text.contains(CLIENT), text);
        assertFalse(text.contains(ACCOUNT.value()), text);
        assertTrue(text.contains(ACCOUNT.masked()), text);
    }

    @Test
    @DisplayName("the outbox waits the base after a failure, doubling, never more than the maximum")
    void backoffDoublesUpToTheMaximum() {
        OutboxSettings settings = new OutboxSettings(Duration.ofSeconds(1), 10, Duration.ofSeconds(10),
                Duration.ofMinutes(1));
        assertEquals(Duration.ofSeconds(10), settings.backoff(1));
        assertEquals(Duration.ofSeconds(20), settings.backoff(2));
        assertEquals(Duration.ofSeconds(40), settings.backoff(3));
        assertEquals(Duration.ofMinutes(1), settings.backoff(4));
        assertEquals(Duration.ofMinutes(1), settings.backoff(1000));
        assertEquals(Duration.ofHours(1), OutboxSettings.DEFAULTS.backoff(Integer.MAX_VALUE));
        assertThrows(IllegalArgumentException.class, () -> settings.backoff(0));
        assertThrows(IllegalArgumentException.class,
                () -> new OutboxSettings(Duration.ofSeconds(1), 10, Duration.ofSeconds(10), Duration.ofSeconds(9)));
        assertThrows(IllegalArgumentException.class,
                () -> new OutboxSettings(Duration.ofSeconds(1), 0, Duration.ofSeconds(10), Duration.ofSeconds(10)));
    }
}
