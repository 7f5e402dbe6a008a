package fi.kelmu.gateway.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fi.kelmu.gateway.config.ResourceLocation;
import fi.kelmu.gateway.fault.FaultCode;
import fi.kelmu.gateway.fault.GatewayException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Purposes of use and their views (R-PURP-1, R-VIEW-1..3), from the real policy file and from bad ones. */
class PurposePolicyTest {

    private static final String GET_BENEFIT_DATA = "getBenefitData";
    private static final String GET_BASIC_SOCIAL_ASSISTANCE = "getBasicSocialAssistance";

    /** R-VIEW-1, in the order of BenefitView in xsd/benefit-information.xsd. */
    private static final List<String> BENEFIT_VIEWS = List.of("PENDING_APPLICATIONS", "BENEFIT_DECISIONS",
            "PAYMENTS", "INSURANCE_STATUS", "OVERPAYMENT_RECOVERY", "DRUG_COST_CEILING");

    private static final Map<String, Set<String>> SERVED = Map.of(
            GET_BENEFIT_DATA, Set.copyOf(BENEFIT_VIEWS),
            GET_BASIC_SOCIAL_ASSISTANCE, Set.of("BASIC_SOCIAL_ASSISTANCE"));

    private static PurposePolicy policy;

    @BeforeAll
    static void loadTheRealPolicy() {
        policy = PurposePolicy.load(new ResourceLocation("classpath:policy/kelmu-policy.xml"), SERVED);
    }

    private static GatewayException fault(FaultCode expected, Runnable call) {
        GatewayException e = assertThrows(GatewayException.class, call::run);
        assertEquals(expected, e.faultCode());
        return e;
    }

    @Nested
    @DisplayName("the committed policy file")
    class RealPolicy {

        @Test
        @DisplayName("loads and carries its version")
        void loadsWithItsVersion() {
            assertEquals("2023.1", policy.version());
        }

        @Test
        @DisplayName("R-VIEW-1: MUUT_ETUUDET on getBenefitData returns the six benefit views")
        void muutEtuudetReturnsTheSixBenefitViews() {
            Purpose purpose = policy.require("MUUT_ETUUDET", GET_BENEFIT_DATA);
            assertEquals("R-VIEW-1", purpose.rule());
            assertEquals(BENEFIT_VIEWS, purpose.views());
            assertEquals(BENEFIT_VIEWS, policy.viewsFor(purpose, List.of()));
        }

        @Test
        @DisplayName("R-VIEW-2: TOIMEENTULOTUKI returns only BASIC_SOCIAL_ASSISTANCE, on getBasicSocialAssistance")
        void toimeentulotukiReturnsOnlyBasicSocialAssistance() {
            Purpose purpose = policy.require("TOIMEENTULOTUKI", GET_BASIC_SOCIAL_ASSISTANCE);
            assertEquals("R-VIEW-2", purpose.rule());
            assertEquals(List.of("BASIC_SOCIAL_ASSISTANCE"), purpose.views());
            assertEquals(List.of("BASIC_SOCIAL_ASSISTANCE"), policy.viewsFor(purpose, List.of()));
        }

        @Test
        @DisplayName("R-VIEW-2: TOIMEENTULOTUKI is not served by getBenefitData")
        void toimeentulotukiIsNotServedByGetBenefitData() {
            fault(FaultCode.PURPOSE_NOT_FOR_OPERATION, () -> policy.require("TOIMEENTULOTUKI", GET_BENEFIT_DATA));
        }

        @Test
        @DisplayName("R-VIEW-3: KOTOUTUMISPALVELU_ETUUDET returns by default pending applications, decisions and payments")
        void kotoutumispalveluEtuudetDefaultsToPendingDecisionsPayments() {
            Purpose purpose = policy.require("KOTOUTUMISPALVELU_ETUUDET", GET_BENEFIT_DATA);
            assertEquals("R-VIEW-3", purpose.rule());
            assertEquals(List.of("PENDING_APPLICATIONS", "BENEFIT_DECISIONS", "PAYMENTS"),
                    policy.viewsFor(purpose, List.of()));
        }

        @ParameterizedTest(name = "{0}")
        @DisplayName("R-VIEW-3: a view outside the default three requested under KOTOUTUMISPALVELU_ETUUDET is refused with Client.ViewNotAllowed")
        @ValueSource(strings = {"INSURANCE_STATUS", "OVERPAYMENT_RECOVERY", "DRUG_COST_CEILING"})
        void viewOutsideKotoutumispalveluEtuudetIsRefused(String view) {
            Purpose purpose = policy.require("KOTOUTUMISPALVELU_ETUUDET", GET_BENEFIT_DATA);
            GatewayException e = fault(FaultCode.VIEW_NOT_ALLOWED,
                    () -> policy.viewsFor(purpose, List.of("PAYMENTS", view)));
            assertTrue(e.callerDetail().contains(view), e.callerDetail());
            assertEquals("Client.ViewNotAllowed", e.faultCode().code());
        }

        @Test
        @DisplayName("R-VIEW-1: requested views come back in policy order, deduplicated")
        void requestedViewsComeBackInPolicyOrderDeduplicated() {
            Purpose purpose = policy.require("MUUT_ETUUDET", GET_BENEFIT_DATA);
            assertEquals(List.of("PENDING_APPLICATIONS", "PAYMENTS", "DRUG_COST_CEILING"),
                    policy.viewsFor(purpose, List.of("DRUG_COST_CEILING", "PAYMENTS", "PENDING_APPLICATIONS",
                            "PAYMENTS", "DRUG_COST_CEILING")));
        }

        @Test
        @DisplayName("R-VIEW-3: a subset requested under KOTOUTUMISPALVELU_ETUUDET is returned as asked, in policy order")
        void subsetUnderKotoutumispalveluEtuudet() {
            Purpose purpose = policy.require("KOTOUTUMISPALVELU_ETUUDET", GET_BENEFIT_DATA);
            assertEquals(List.of("BENEFIT_DECISIONS", "PAYMENTS"),
                    policy.viewsFor(purpose, List.of("PAYMENTS", "BENEFIT_DECISIONS")));
        }

        @ParameterizedTest(name = "\"{0}\"")
        @DisplayName("R-PURP-1: a purpose the policy does not name is refused with Client.UnknownPurpose")
        @ValueSource(strings = {"TYP_PALVELU", "RINTAMALISALISTA", "muut_etuudet", "", "NO_SUCH_PURPOSE"})
        void unknownPurposeIsRefused(String code) {
            GatewayException e = fault(FaultCode.UNKNOWN_PURPOSE, () -> policy.require(code, GET_BENEFIT_DATA));
            assertTrue(e.callerDetail().contains(code), e.callerDetail());
        }

        @Test
        @DisplayName("R-PURP-1: a purpose asked of an operation that does not serve it is refused with Client.PurposeNotForOperation, naming the right operation")
        void purposeOnWrongOperationIsRefused() {
            GatewayException e = fault(FaultCode.PURPOSE_NOT_FOR_OPERATION,
                    () -> policy.require("MUUT_ETUUDET", GET_BASIC_SOCIAL_ASSISTANCE));
            assertTrue(e.callerDetail().contains(GET_BENEFIT_DATA), e.callerDetail());
            fault(FaultCode.PURPOSE_NOT_FOR_OPERATION,
                    () -> policy.require("KOTOUTUMISPALVELU_ETUUDET", GET_BASIC_SOCIAL_ASSISTANCE));
        }

        @Test
        @DisplayName("the purpose's views cannot be changed by a caller")
        void purposeViewsAreImmutable() {
            Purpose purpose = policy.require("MUUT_ETUUDET", GET_BENEFIT_DATA);
            assertThrows(UnsupportedOperationException.class, () -> purpose.views().add("X"));
        }
    }

    @Nested
    @DisplayName("R-PURP-1: organisation types per purpose")
    class OrganisationTypes {

        @ParameterizedTest(name = "{0} for {1}")
        @CsvSource({
            "MUUT_ETUUDET, getBenefitData, HVA",
            "MUUT_ETUUDET, getBenefitData, HELSINKI",
            "TOIMEENTULOTUKI, getBasicSocialAssistance, HVA",
            "TOIMEENTULOTUKI, getBasicSocialAssistance, HELSINKI",
            "KOTOUTUMISPALVELU_ETUUDET, getBenefitData, KUNTA",
            "KOTOUTUMISPALVELU_ETUUDET, getBenefitData, HELSINKI",
        })
        @DisplayName("allowed for the organisation types the table names")
        void allowedForItsOrganisationTypes(String code, String operation, String type) {
            policy.requireAllowedFor(policy.require(code, operation), type);
        }

        @ParameterizedTest(name = "{0} for {1}")
        @CsvSource({
            "MUUT_ETUUDET, getBenefitData, KUNTA",
            "MUUT_ETUUDET, getBenefitData, KUNTAYHTYMA",
            "TOIMEENTULOTUKI, getBasicSocialAssistance, KUNTA",
            "KOTOUTUMISPALVELU_ETUUDET, getBenefitData, HVA",
        })
        @DisplayName("refused for the others with Client.PurposeNotAllowed")
        void refusedForOtherOrganisationTypes(String code, String operation, String type) {
            GatewayException e = assertThrows(GatewayException.class,
                    () -> policy.requireAllowedFor(policy.require(code, operation), type));
            assertEquals(FaultCode.PURPOSE_NOT_ALLOWED, e.faultCode());
        }
    }

    @Nested
    @DisplayName("start-up validation of a policy file")
    class Validation {

        @TempDir
        Path dir;

        private ResourceLocation write(String purposes) throws IOException {
            Path file = dir.resolve("policy.xml");
            Files.writeString(file, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                    + "<policy xmlns=\"urn:fi:kelmu:config:policy:v1\" version=\"test\">\n" + purposes + "</policy>\n",
                    StandardCharsets.UTF_8);
            return new ResourceLocation(file.toString());
        }

        private IllegalStateException refused(ResourceLocation location) {
            return assertThrows(IllegalStateException.class, () -> PurposePolicy.load(location, SERVED));
        }

        @Test
        @DisplayName("a well-formed file written to disk loads (the temp-file helper itself is sound)")
        void validFileLoads() throws IOException {
            PurposePolicy loaded = PurposePolicy.load(write(
                    "<purpose code=\"MUUT_ETUUDET\" operation=\"getBenefitData\" orgTypes=\"HVA HELSINKI\"><view>PAYMENTS</view></purpose>\n"),
                    SERVED);
            assertEquals("test", loaded.version());
            assertEquals(List.of("PAYMENTS"), loaded.require("MUUT_ETUUDET", GET_BENEFIT_DATA).views());
        }

        @Test
        @DisplayName("a purpose naming an operation the gateway does not have is refused")
        void unknownOperationIsRefused() throws IOException {
            IllegalStateException e = refused(write(
                    "<purpose code=\"TYP_PALVELU\" operation=\"getDownloadableList\" orgTypes=\"HVA HELSINKI\"><view>PAYMENTS</view></purpose>\n"));
            assertTrue(e.getMessage().contains("getDownloadableList"), e.getMessage());
        }

        @Test
        @DisplayName("a view the purpose's operation does not serve is refused (R-VIEW-2: no benefit views on getBasicSocialAssistance)")
        void viewNotServedByTheOperationIsRefused() throws IOException {
            IllegalStateException e = refused(write(
                    "<purpose code=\"TOIMEENTULOTUKI\" operation=\"getBasicSocialAssistance\" orgTypes=\"HVA HELSINKI\">"
                            + "<view>BASIC_SOCIAL_ASSISTANCE</view><view>PAYMENTS</view></purpose>\n"));
            assertTrue(e.getMessage().contains("PAYMENTS"), e.getMessage());
        }

        @Test
        @DisplayName("BASIC_SOCIAL_ASSISTANCE is not a view of getBenefitData")
        void basicSocialAssistanceIsNotABenefitDataView() throws IOException {
            refused(write("<purpose code=\"MUUT_ETUUDET\" operation=\"getBenefitData\" orgTypes=\"HVA HELSINKI\">"
                    + "<view>BASIC_SOCIAL_ASSISTANCE</view></purpose>\n"));
        }

        @Test
        @DisplayName("a purpose defined twice is refused")
        void duplicatePurposeIsRefused() throws IOException {
            refused(write(
                    "<purpose code=\"MUUT_ETUUDET\" operation=\"getBenefitData\" orgTypes=\"HVA HELSINKI\"><view>PAYMENTS</view></purpose>\n"
                            + "<purpose code=\"MUUT_ETUUDET\" operation=\"getBenefitData\" orgTypes=\"HVA HELSINKI\"><view>BENEFIT_DECISIONS</view></purpose>\n"));
        }

        @Test
        @DisplayName("a purpose defined twice is refused by the policy itself too, not only by the schema")
        void duplicatePurposeIsRefusedByTheConstructor() {
            List<Purpose> twice = List.of(
                    new Purpose("MUUT_ETUUDET", GET_BENEFIT_DATA, Set.of("HVA"), List.of("PAYMENTS"), "R-VIEW-1"),
                    new Purpose("MUUT_ETUUDET", GET_BENEFIT_DATA, Set.of("HVA"), List.of("BENEFIT_DECISIONS"), "R-VIEW-1"));
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> new PurposePolicy("test", twice, SERVED));
            assertTrue(e.getMessage().contains("MUUT_ETUUDET"), e.getMessage());
        }

        @Test
        @DisplayName("a purpose that allows no view is refused")
        void purposeWithoutViewsIsRefused() throws IOException {
            IllegalStateException e = refused(write(
                    "<purpose code=\"MUUT_ETUUDET\" operation=\"getBenefitData\" orgTypes=\"HVA HELSINKI\"/>\n"));
            assertTrue(e.getMessage().contains("no view"), e.getMessage());
        }

        @ParameterizedTest(name = "{index}")
        @DisplayName("a file that is not valid against xsd/config/policy.xsd is refused")
        @ValueSource(strings = {
                // lower-case purpose code
                "<purpose code=\"muut_etuudet\" operation=\"getBenefitData\" orgTypes=\"HVA HELSINKI\"><view>PAYMENTS</view></purpose>\n",
                // operation missing
                "<purpose code=\"MUUT_ETUUDET\"><view>PAYMENTS</view></purpose>\n",
                // unknown element
                "<purpose code=\"MUUT_ETUUDET\" operation=\"getBenefitData\" orgTypes=\"HVA HELSINKI\"><tab>PAYMENTS</tab></purpose>\n",
                // no purpose at all
                ""
        })
        void schemaInvalidFileIsRefused(String purposes) throws IOException {
            refused(write(purposes));
        }

        @Test
        @DisplayName("a file in another namespace, or without a version, is refused")
        void wrongNamespaceOrNoVersionIsRefused() throws IOException {
            Path other = dir.resolve("other.xml");
            Files.writeString(other, "<policy xmlns=\"urn:example:other\" version=\"1\">"
                    + "<purpose code=\"MUUT_ETUUDET\" operation=\"getBenefitData\" orgTypes=\"HVA HELSINKI\"><view>PAYMENTS</view></purpose></policy>",
                    StandardCharsets.UTF_8);
            refused(new ResourceLocation(other.toString()));
            Path noVersion = dir.resolve("no-version.xml");
            Files.writeString(noVersion, "<policy xmlns=\"urn:fi:kelmu:config:policy:v1\">"
                    + "<purpose code=\"MUUT_ETUUDET\" operation=\"getBenefitData\" orgTypes=\"HVA HELSINKI\"><view>PAYMENTS</view></purpose></policy>",
                    StandardCharsets.UTF_8);
            refused(new ResourceLocation(noVersion.toString()));
        }

        @Test
        @DisplayName("a file with a DOCTYPE is refused: no DTDs or entities in configuration")
        void doctypeIsRefused() throws IOException {
            Path file = dir.resolve("dtd.xml");
            Files.writeString(file, "<?xml version=\"1.0\"?>\n<!DOCTYPE policy [<!ENTITY v \"PAYMENTS\">]>\n"
                    + "<policy xmlns=\"urn:fi:kelmu:config:policy:v1\" version=\"x\">"
                    + "<purpose code=\"MUUT_ETUUDET\" operation=\"getBenefitData\" orgTypes=\"HVA HELSINKI\"><view>&v;</view></purpose></policy>",
                    StandardCharsets.UTF_8);
            refused(new ResourceLocation(file.toString()));
        }

        @Test
        @DisplayName("a policy file that does not exist is refused, naming it")
        void missingFileIsRefused() {
            String missing = dir.resolve("missing.xml").toString();
            IllegalStateException e = refused(new ResourceLocation(missing));
            assertTrue(e.getMessage().contains(missing), e.getMessage());
        }
    }
}
