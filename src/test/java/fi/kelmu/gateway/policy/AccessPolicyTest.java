package fi.kelmu.gateway.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fi.kelmu.gateway.config.ResourceLocation;
import fi.kelmu.gateway.fault.FaultCode;
import fi.kelmu.gateway.fault.GatewayException;
import fi.kelmu.gateway.mandate.ProvenMandates;
import fi.kelmu.gateway.registry.Organisation;
import fi.kelmu.gateway.registry.OrganisationType;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The access policy (R-MAND-2, R-MAND-3, R-PURP-1, R-VIEW-1..3) from the committed policy file, judged on
 * a date before and a date after 1.1.2023, and the start-up validation of bad files.
 */
class AccessPolicyTest {

    private static final String GET_BENEFIT_DATA = "getBenefitData";
    private static final String GET_BASIC_SOCIAL_ASSISTANCE = "getBasicSocialAssistance";
    private static final LocalDate BEFORE_2023 = LocalDate.of(2022, 6, 15);
    private static final LocalDate FROM_2023 = LocalDate.of(2024, 3, 1);

    /** R-VIEW-1, in the order of BenefitView in xsd/benefit-information.xsd. */
    private static final List<String> BENEFIT_VIEWS = List.of("PENDING_APPLICATIONS", "BENEFIT_DECISIONS",
            "PAYMENTS", "INSURANCE_STATUS", "OVERPAYMENT_RECOVERY", "DRUG_COST_CEILING");
    /** The gateway's operations: benefit queries and payment demands. */
    private static final Map<String, Set<String>> SERVED = fi.kelmu.gateway.Gateway.servedViews();

    /**
     * R-MAND-2 as DOMAIN.md states it (from 1.1.2023), and the state before (the policy file's
     * interpretation: HVAs not yet served, the four R-MAND-3 mandates did not exist).
     */
    private static final Map<String, Set<String>> MATRIX_FROM_2023 = Map.of(
            "ETUUSTIEDOT_MAKSUVAATIMUKSET", Set.of("HVA", "KUNTA", "HELSINKI"),
            "TYOMARKKINATUKI_AINEISTOT", Set.of("KUNTA", "HELSINKI"),
            "LASTENHOIDON_TUKI_AINEISTOT", Set.of("KUNTA", "HELSINKI"),
            "TOIMEENTULOTUKI_SOSIAALIPALVELUT", Set.of("HVA", "HELSINKI"),
            "TYOMARKKINATUKI_300_PAIVAA", Set.of("HVA", "HELSINKI"),
            "RINTAMALISA", Set.of("HVA", "HELSINKI"),
            "KOTOUTUMISPALVELUT", Set.of("HVA", "KUNTA", "HELSINKI"));
    private static final Map<String, Set<String>> MATRIX_BEFORE_2023 = Map.of(
            "ETUUSTIEDOT_MAKSUVAATIMUKSET", Set.of("KUNTA", "HELSINKI"),
            "TYOMARKKINATUKI_AINEISTOT", Set.of("KUNTA", "HELSINKI"),
            "LASTENHOIDON_TUKI_AINEISTOT", Set.of("KUNTA", "HELSINKI"),
            "TOIMEENTULOTUKI_SOSIAALIPALVELUT", Set.of(),
            "TYOMARKKINATUKI_300_PAIVAA", Set.of(),
            "RINTAMALISA", Set.of(),
            "KOTOUTUMISPALVELUT", Set.of());

    private static AccessPolicy policy;

    @BeforeAll
    static void loadTheRealPolicy() {
        policy = AccessPolicy.load(new ResourceLocation("classpath:policy/kelmu-policy.xml"), SERVED);
    }

    /** An organisation with a contract in force on every date these tests judge (R-CONT-1 is not their subject). */
    private static Organisation org(OrganisationType type) {
        return new Organisation("9000001-1", "Demo organisation", type, Set.of("049"),
                List.of(new Organisation.Contract(LocalDate.of(2000, 1, 1), null, "C-TEST")));
    }

    private static GatewayException fault(FaultCode expected, Runnable call) {
        GatewayException e = assertThrows(GatewayException.class, call::run);
        assertEquals(expected, e.faultCode(), e.getMessage());
        return e;
    }

    static Stream<Arguments> everyMatrixCell() {
        List<Arguments> cells = new ArrayList<>();
        for (String mandate : MATRIX_FROM_2023.keySet()) {
            for (String type : List.of("HVA", "KUNTA", "HELSINKI")) {
                cells.add(Arguments.of(mandate, type, FROM_2023, MATRIX_FROM_2023.get(mandate).contains(type)));
                cells.add(Arguments.of(mandate, type, BEFORE_2023, MATRIX_BEFORE_2023.get(mandate).contains(type)));
            }
        }
        return cells.stream();
    }

    @ParameterizedTest(name = "{0} for {1} on {2}: {3}")
    @MethodSource("everyMatrixCell")
    @DisplayName("R-MAND-2, R-MAND-3: every mandate x organisation type cell, before and from 1.1.2023, counts only where the matrix says")
    void everyMatrixCellCountsOnlyWhereTheMatrixSays(String mandate, String type, LocalDate date, boolean allowed) {
        assertEquals(allowed, policy.grantable(mandate, type, date));
        assertEquals(allowed ? Set.of(mandate) : Set.of(), policy.mandatesInForce(Set.of(mandate), type, date));
    }

    @Test
    @DisplayName("the committed policy loads with its version and both periods")
    void loadsWithItsVersionAndPeriods() {
        assertEquals("2023.2", policy.version());
        assertEquals("before-2023", policy.periodOn(LocalDate.of(2022, 12, 31)).orElseThrow().id());
        assertEquals("from-2023", policy.periodOn(LocalDate.of(2023, 1, 1)).orElseThrow().id());
    }

    @Nested
    @DisplayName("decisions from 1.1.2023")
    class From2023 {

        private final ProvenMandates etuustiedot = new ProvenMandates(Set.of("ETUUSTIEDOT_MAKSUVAATIMUKSET"), "online:t");

        @Test
        @DisplayName("R-VIEW-1: MUUT_ETUUDET for an HVA with ETUUSTIEDOT_MAKSUVAATIMUKSET returns the six benefit views")
        void muutEtuudetForHvaReturnsTheSixViews() {
            AccessDecision d = policy.decide("MUUT_ETUUDET", GET_BENEFIT_DATA, org(OrganisationType.HVA), etuustiedot,
                    List.of(), FROM_2023);
            assertEquals(BENEFIT_VIEWS, d.views());
            assertEquals("ETUUSTIEDOT_MAKSUVAATIMUKSET", d.mandate());
            assertEquals("online:t", d.mandateProof());
            assertEquals("from-2023", d.periodId());
        }

        @Test
        @DisplayName("R-VIEW-2: TOIMEENTULOTUKI returns only BASIC_SOCIAL_ASSISTANCE")
        void toimeentulotukiReturnsOnlyBasicSocialAssistance() {
            AccessDecision d = policy.decide("TOIMEENTULOTUKI", GET_BASIC_SOCIAL_ASSISTANCE, org(OrganisationType.HELSINKI),
                    etuustiedot, List.of(), FROM_2023);
            assertEquals(List.of("BASIC_SOCIAL_ASSISTANCE"), d.views());
        }

        @Test
        @DisplayName("R-VIEW-3: KOTOUTUMISPALVELU_ETUUDET for a municipality returns pending, decisions and payments")
        void kotoutumispalveluEtuudetReturnsThreeViews() {
            AccessDecision d = policy.decide("KOTOUTUMISPALVELU_ETUUDET", GET_BENEFIT_DATA, org(OrganisationType.KUNTA),
                    etuustiedot, List.of(), FROM_2023);
            assertEquals(List.of("PENDING_APPLICATIONS", "BENEFIT_DECISIONS", "PAYMENTS"), d.views());
        }

        @ParameterizedTest(name = "{0}")
        @ValueSource(strings = {"INSURANCE_STATUS", "OVERPAYMENT_RECOVERY", "DRUG_COST_CEILING"})
        @DisplayName("R-VIEW-3: a view outside KOTOUTUMISPALVELU_ETUUDET is refused with Client.ViewNotAllowed, not dropped")
        void viewOutsideThePurposeIsRefused(String view) {
            GatewayException e = fault(FaultCode.VIEW_NOT_ALLOWED, () -> policy.decide("KOTOUTUMISPALVELU_ETUUDET",
                    GET_BENEFIT_DATA, org(OrganisationType.KUNTA), etuustiedot, List.of("PAYMENTS", view), FROM_2023));
            assertTrue(e.callerDetail().contains(view), e.callerDetail());
        }

        @Test
        @DisplayName("R-VIEW-1: requested views come back in policy order, deduplicated")
        void requestedViewsInPolicyOrder() {
            Purpose purpose = policy.require("MUUT_ETUUDET", GET_BENEFIT_DATA, FROM_2023);
            assertEquals(List.of("PENDING_APPLICATIONS", "PAYMENTS", "DRUG_COST_CEILING"),
                    policy.viewsFor(purpose, List.of("DRUG_COST_CEILING", "PAYMENTS", "PENDING_APPLICATIONS", "PAYMENTS")));
        }

        @Test
        @DisplayName("R-MAND-1, R-MAND-5: without the purpose's mandate the request is refused with Client.MandateMissing naming the mandate and whom to ask")
        void missingMandateIsNamedWithWhomToAsk() {
            ProvenMandates other = new ProvenMandates(Set.of("TOIMEENTULOTUKI_SOSIAALIPALVELUT"), "online:t");
            GatewayException e = fault(FaultCode.MANDATE_MISSING, () -> policy.decide("MUUT_ETUUDET", GET_BENEFIT_DATA,
                    org(OrganisationType.HVA), other, List.of(), FROM_2023));
            assertTrue(e.callerDetail().contains("ETUUSTIEDOT_MAKSUVAATIMUKSET"), e.callerDetail());
            assertTrue(e.callerDetail().contains("valtuuttaja"), e.callerDetail());
            assertTrue(e.callerDetail().contains("Demo organisation"), e.callerDetail());
        }

        @Test
        @DisplayName("R-MAND-2: a mandate the organisation type cannot grant does not count even when a proof names it")
        void ungrantableMandateDoesNotCount() {
            // TOIMEENTULOTUKI_SOSIAALIPALVELUT cannot be granted by a KUNTA; KOTOUTUMISPALVELU_ETUUDET needs ETUUSTIEDOT
            assertEquals(Set.of("KOTOUTUMISPALVELUT"), policy.mandatesInForce(
                    Set.of("TOIMEENTULOTUKI_SOSIAALIPALVELUT", "KOTOUTUMISPALVELUT", "NOT_A_MANDATE"), "KUNTA", FROM_2023));
        }

        @ParameterizedTest(name = "{0} for {1}")
        @CsvSource({
            "MUUT_ETUUDET, getBenefitData, KUNTA",
            "MUUT_ETUUDET, getBenefitData, KUNTAYHTYMA",
            "TOIMEENTULOTUKI, getBasicSocialAssistance, KUNTA",
            "KOTOUTUMISPALVELU_ETUUDET, getBenefitData, HVA",
        })
        @DisplayName("R-PURP-1: a purpose not allowed for the organisation type is refused with Client.PurposeNotAllowed, whatever the mandates")
        void purposeNotAllowedForTheType(String code, String operation, String type) {
            fault(FaultCode.PURPOSE_NOT_ALLOWED, () -> policy.decide(code, operation,
                    org(OrganisationType.valueOf(type)), etuustiedot, List.of(), FROM_2023));
        }

        @ParameterizedTest(name = "\"{0}\"")
        @ValueSource(strings = {"muut_etuudet", "", "NO_SUCH_PURPOSE"})
        @DisplayName("R-PURP-1: a purpose the policy does not name is refused with Client.UnknownPurpose")
        void unknownPurposeIsRefused(String code) {
            fault(FaultCode.UNKNOWN_PURPOSE, () -> policy.require(code, GET_BENEFIT_DATA, FROM_2023));
        }

        @Test
        @DisplayName("R-PURP-1: a purpose served by another operation, or by none here yet, is refused with Client.PurposeNotForOperation")
        void purposeOnWrongOperation() {
            GatewayException e = fault(FaultCode.PURPOSE_NOT_FOR_OPERATION,
                    () -> policy.require("MUUT_ETUUDET", GET_BASIC_SOCIAL_ASSISTANCE, FROM_2023));
            assertTrue(e.callerDetail().contains(GET_BENEFIT_DATA), e.callerDetail());
            fault(FaultCode.PURPOSE_NOT_FOR_OPERATION, () -> policy.require("TYP_PALVELU", GET_BENEFIT_DATA, FROM_2023));
        }

        @Test
        @DisplayName("R-MAND-5: the purposes a Helsinki user's mandates allow are listed for the self-check")
        void purposesAllowedForHelsinki() {
            List<String> codes = policy.purposesAllowed(Set.of("ETUUSTIEDOT_MAKSUVAATIMUKSET", "RINTAMALISA"), "HELSINKI",
                    FROM_2023).stream().map(Purpose::code).toList();
            // R-PURP-2: Helsinki has all three ETUUSTIEDOT purposes, and (R-PAY-6) still makes payment demands
            assertEquals(List.of("KOTOUTUMISPALVELU_ETUUDET", "MAKSUVAATIMUKSET", "MUUT_ETUUDET", "RINTAMALISALISTA",
                    "TOIMEENTULOTUKI"), codes);
        }
    }

    @Nested
    @DisplayName("decisions before 1.1.2023 (R-MAND-3: the rules then in force)")
    class Before2023 {

        private final ProvenMandates etuustiedot = new ProvenMandates(Set.of("ETUUSTIEDOT_MAKSUVAATIMUKSET"), "online:t");

        @Test
        @DisplayName("a municipality could use MUUT_ETUUDET and TOIMEENTULOTUKI before 2023, and cannot from 2023")
        void municipalitySocialServicesPurposesEndedWithTheReform() {
            policy.decide("MUUT_ETUUDET", GET_BENEFIT_DATA, org(OrganisationType.KUNTA), etuustiedot, List.of(), BEFORE_2023);
            policy.decide("TOIMEENTULOTUKI", GET_BASIC_SOCIAL_ASSISTANCE, org(OrganisationType.KUNTA), etuustiedot,
                    List.of(), BEFORE_2023);
            fault(FaultCode.PURPOSE_NOT_ALLOWED, () -> policy.decide("MUUT_ETUUDET", GET_BENEFIT_DATA,
                    org(OrganisationType.KUNTA), etuustiedot, List.of(), FROM_2023));
        }

        @Test
        @DisplayName("an HVA was not served before 2023")
        void hvaNotServedBefore2023() {
            fault(FaultCode.PURPOSE_NOT_ALLOWED, () -> policy.decide("MUUT_ETUUDET", GET_BENEFIT_DATA,
                    org(OrganisationType.HVA), etuustiedot, List.of(), BEFORE_2023));
        }

        @Test
        @DisplayName("KOTOUTUMISPALVELU_ETUUDET is a purpose of the reform: not in force before 2023")
        void kotoutumispalveluEtuudetNotInForceBefore2023() {
            GatewayException e = fault(FaultCode.UNKNOWN_PURPOSE, () -> policy.require("KOTOUTUMISPALVELU_ETUUDET",
                    GET_BENEFIT_DATA, BEFORE_2023));
            assertTrue(e.callerDetail().contains("not in force"), e.callerDetail());
        }

        @Test
        @DisplayName("no period before 2019: nothing is in force")
        void nothingInForceBeforeTheFirstPeriod() {
            fault(FaultCode.UNKNOWN_PURPOSE, () -> policy.require("MUUT_ETUUDET", GET_BENEFIT_DATA, LocalDate.of(2018, 1, 1)));
        }
    }

    @Nested
    @DisplayName("start-up validation of a policy file")
    class Validation {

        private static final String MANDATES = "<mandate code=\"ETUUSTIEDOT_MAKSUVAATIMUKSET\" name=\"e\"/>\n"
                + "<mandate code=\"RINTAMALISA\" name=\"r\"/>\n";
        private static final String GRANT = "<grant mandate=\"ETUUSTIEDOT_MAKSUVAATIMUKSET\" orgTypes=\"HVA HELSINKI\"/>\n";
        private static final String PURPOSE = "<purpose code=\"MUUT_ETUUDET\" mandate=\"ETUUSTIEDOT_MAKSUVAATIMUKSET\" "
                + "orgTypes=\"HVA HELSINKI\" operation=\"getBenefitData\"><view>PAYMENTS</view></purpose>\n";

        @TempDir
        Path dir;

        private ResourceLocation write(String mandates, String periods) throws IOException {
            Path file = dir.resolve("policy.xml");
            Files.writeString(file, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                    + "<policy xmlns=\"urn:fi:kelmu:config:policy:v2\" version=\"test\">\n" + mandates + periods
                    + "</policy>\n", StandardCharsets.UTF_8);
            return new ResourceLocation(file.toString());
        }

        private static String period(String id, String from, String to, String content) {
            return "<period id=\"" + id + "\" from=\"" + from + "\"" + (to == null ? "" : " to=\"" + to + "\"") + ">\n"
                    + content + "</period>\n";
        }

        private IllegalStateException refused(ResourceLocation location, String expectedInMessage) {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> AccessPolicy.load(location, SERVED));
            assertTrue(e.getMessage().contains(expectedInMessage), e.getMessage());
            return e;
        }

        @Test
        @DisplayName("a sound file loads, and changing the data changes the decision without code")
        void soundFileLoadsAndDrivesDecisions() throws IOException {
            AccessPolicy loaded = AccessPolicy.load(write(MANDATES, period("p", "2023-01-01", null, GRANT + PURPOSE)), SERVED);
            assertEquals(List.of("PAYMENTS"), loaded.decide("MUUT_ETUUDET", GET_BENEFIT_DATA, org(OrganisationType.HVA),
                    new ProvenMandates(Set.of("ETUUSTIEDOT_MAKSUVAATIMUKSET"), "x"), List.of(), FROM_2023).views());
        }

        @Test
        @DisplayName("R-MAND-3: overlapping periods are refused at start-up")
        void overlappingPeriodsAreRefused() throws IOException {
            refused(write(MANDATES, period("a", "2019-01-01", "2023-01-01", GRANT + PURPOSE)
                    + period("b", "2023-01-01", null, GRANT + PURPOSE)), "overlap");
        }

        @Test
        @DisplayName("two open-ended periods overlap and are refused")
        void twoOpenPeriodsAreRefused() throws IOException {
            refused(write(MANDATES, period("a", "2019-01-01", null, GRANT + PURPOSE)
                    + period("b", "2023-01-01", null, GRANT + PURPOSE)), "overlap");
        }

        @Test
        @DisplayName("a period ending before it starts is refused")
        void backwardsPeriodIsRefused() throws IOException {
            refused(write(MANDATES, period("a", "2023-01-01", "2022-01-01", GRANT + PURPOSE)), "ends before");
        }

        @Test
        @DisplayName("a grant of an unknown mandate code is refused")
        void unknownMandateInGrantIsRefused() throws IOException {
            refused(write(MANDATES, period("a", "2023-01-01", null, GRANT
                    + "<grant mandate=\"NO_SUCH_MANDATE\" orgTypes=\"HVA\"/>\n" + PURPOSE)), "NO_SUCH_MANDATE");
        }

        @Test
        @DisplayName("a purpose needing an unknown mandate code is refused")
        void unknownMandateInPurposeIsRefused() throws IOException {
            refused(write(MANDATES, period("a", "2023-01-01", null, GRANT
                    + PURPOSE.replace("mandate=\"ETUUSTIEDOT_MAKSUVAATIMUKSET\"", "mandate=\"NO_SUCH_MANDATE\""))),
                    "NO_SUCH_MANDATE");
        }

        @Test
        @DisplayName("an unknown organisation type is refused by the schema")
        void unknownOrganisationTypeIsRefused() throws IOException {
            assertThrows(IllegalStateException.class, () -> AccessPolicy.load(write(MANDATES, period("a", "2023-01-01",
                    null, GRANT.replace("HVA HELSINKI", "HVA SEURAKUNTA") + PURPOSE)), SERVED));
        }

        @Test
        @DisplayName("R-PURP-1: a purpose allowed for a type that cannot be granted its mandate is refused")
        void purposeForTypeWithoutTheMandateIsRefused() throws IOException {
            refused(write(MANDATES, period("a", "2023-01-01", null, GRANT
                    + PURPOSE.replace("orgTypes=\"HVA HELSINKI\"", "orgTypes=\"HVA KUNTA\""))), "cannot be granted by KUNTA");
        }

        @Test
        @DisplayName("a purpose naming an operation the gateway does not have is refused")
        void unknownOperationIsRefused() throws IOException {
            refused(write(MANDATES, period("a", "2023-01-01", null, GRANT
                    + PURPOSE.replace("getBenefitData", "getDownloadableList"))), "getDownloadableList");
        }

        @Test
        @DisplayName("R-VIEW-2: a view the purpose's operation does not serve is refused")
        void viewNotServedIsRefused() throws IOException {
            refused(write(MANDATES, period("a", "2023-01-01", null, GRANT
                    + PURPOSE.replace("<view>PAYMENTS</view>", "<view>BASIC_SOCIAL_ASSISTANCE</view>"))), "BASIC_SOCIAL_ASSISTANCE");
        }

        @Test
        @DisplayName("a served purpose that allows no view is refused")
        void purposeWithoutViewsIsRefused() throws IOException {
            refused(write(MANDATES, period("a", "2023-01-01", null, GRANT
                    + PURPOSE.replace("<view>PAYMENTS</view>", ""))), "no view");
        }

        @Test
        @DisplayName("a purpose defined twice in a period is refused")
        void duplicatePurposeIsRefused() throws IOException {
            refused(write(MANDATES, period("a", "2023-01-01", null, GRANT + PURPOSE + PURPOSE)), "twice");
        }

        @Test
        @DisplayName("a mandate defined twice is refused")
        void duplicateMandateIsRefused() throws IOException {
            refused(write(MANDATES + "<mandate code=\"RINTAMALISA\" name=\"again\"/>\n",
                    period("a", "2023-01-01", null, GRANT + PURPOSE)), "twice");
        }
    }
}
