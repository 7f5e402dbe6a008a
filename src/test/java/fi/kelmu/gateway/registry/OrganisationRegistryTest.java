package fi.kelmu.gateway.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fi.kelmu.gateway.config.ResourceLocation;
import fi.kelmu.gateway.fault.FaultCode;
import fi.kelmu.gateway.fault.GatewayException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The organisation registry (xsd/config/organisation-registry.xsd) checked against the municipality
 * reference data (reference/municipalities-2023.csv): an HVA acts for its member municipalities
 * (R-NOTE-1), a KUNTA and the City of Helsinki for themselves, a kuntayhtymä for none.
 */
class OrganisationRegistryTest {

    private static final String CSV = MunicipalityReference.RESOURCE;

    private static MunicipalityReference reference;
    private static OrganisationRegistry sandbox;
    private static List<String[]> csvRows;

    @BeforeAll
    static void load() throws IOException {
        reference = MunicipalityReference.load();
        sandbox = OrganisationRegistry.load(new ResourceLocation("classpath:registry/organisations-sandbox.xml"),
                reference);
        csvRows = new ArrayList<>();
        try (InputStream in = OrganisationRegistryTest.class.getClassLoader().getResourceAsStream(CSV)) {
            assertNotNull(in, CSV);
            String[] lines = new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\\R");
            assertTrue(lines[0].startsWith("municipality_code,municipality_name_fi,"), lines[0]);
            for (int i = 1; i < lines.length; i++) {
                if (!lines[i].isBlank()) {
                    csvRows.add(lines[i].split(",", -1));
                }
            }
        }
    }

    /** Codes of the CSV rows whose wellbeing_area_code column is {@code area}, read independently of the class under test. */
    private static Set<String> csvMembersOf(String area) {
        Set<String> codes = new TreeSet<>();
        for (String[] row : csvRows) {
            if (row[3].equals(area)) {
                codes.add(row[0]);
            }
        }
        return codes;
    }

    @Nested
    @DisplayName("MunicipalityReference")
    class Reference {

        @Test
        @DisplayName("lists the 309 municipalities of 1.1.2023, each with a unique three-digit code")
        void lists309Municipalities() {
            assertEquals(309, csvRows.size());
            Set<String> codes = new HashSet<>();
            for (String[] row : csvRows) {
                assertTrue(row[0].matches("[0-9]{3}"), row[0]);
                assertTrue(codes.add(row[0]), "code listed twice: " + row[0]);
                assertTrue(reference.isMunicipality(row[0]), row[0]);
                assertEquals(row[1], reference.name(row[0]));
            }
        }

        @Test
        @DisplayName("the 21 wellbeing services counties, Helsinki (90) and Åland (no area) together cover all 309 municipalities")
        void areasCoverEveryMunicipality() {
            Set<String> covered = new HashSet<>();
            for (int area = 1; area <= 21; area++) {
                Set<String> members = reference.membersOf(String.format("%02d", area));
                assertFalse(members.isEmpty(), "area " + area);
                for (String code : members) {
                    assertTrue(covered.add(code), code + " belongs to two areas");
                }
            }
            covered.addAll(reference.membersOf("90"));
            assertEquals(309 - 16, covered.size(), "all but the 16 Åland municipalities belong to an area");
        }

        @Test
        @DisplayName("Helsinki 091 is a municipality in its own area 90, alone")
        void helsinkiIsInArea90() {
            assertTrue(reference.isMunicipality("091"));
            assertEquals("Helsinki", reference.name("091"));
            assertEquals(Set.of("091"), reference.membersOf("90"));
        }

        @Test
        @DisplayName("Åland municipalities are municipalities but belong to no wellbeing area (outside the reform)")
        void alandMunicipalitiesAreInNoArea() {
            List<String> aland = csvRows.stream().filter(r -> r[4].equals("Ahvenanmaa")).map(r -> r[0]).toList();
            assertEquals(16, aland.size());
            assertTrue(aland.containsAll(List.of("478", "035", "941")), "Maarianhamina, Brändö, Vårdö");
            Set<String> inSomeArea = new HashSet<>(reference.membersOf("90"));
            for (int area = 1; area <= 21; area++) {
                inSomeArea.addAll(reference.membersOf(String.format("%02d", area)));
            }
            for (String code : aland) {
                assertTrue(reference.isMunicipality(code), code);
                assertFalse(inSomeArea.contains(code), code + " must not be in a wellbeing area");
            }
            assertTrue(reference.membersOf("").isEmpty());
        }

        @ParameterizedTest(name = "\"{0}\"")
        @DisplayName("an unknown area code has no members and an unknown code is no municipality")
        @ValueSource(strings = {"00", "22", "99", "3"})
        void unknownAreaHasNoMembers(String area) {
            assertTrue(reference.membersOf(area).isEmpty());
            assertFalse(reference.isMunicipality("000"));
            assertFalse(reference.isMunicipality("91"));
        }
    }

    @Nested
    @DisplayName("the sandbox registry")
    class SandboxRegistry {

        @Test
        @DisplayName("R-NOTE-1: Länsi-Uusimaa (area 03) acts for exactly its 10 member municipalities")
        void lansiUusimaaHasItsTenMembers() {
            Set<String> expected = Set.of("049", "078", "149", "224", "235", "257", "444", "710", "755", "927");
            assertEquals(expected, csvMembersOf("03"), "the reference CSV itself");
            Organisation hva = sandbox.require("9000001-1");
            assertEquals(OrganisationType.HVA, hva.type());
            assertEquals(expected, hva.municipalities());
            assertEquals("Espoo", reference.name("049"));
            assertEquals("Vihti", reference.name("927"));
        }

        @Test
        @DisplayName("R-NOTE-1: Vantaa–Kerava (area 04) acts for Vantaa 092 and Kerava 245")
        void vantaaKeravaHasTwoMembers() {
            Organisation hva = sandbox.require("9000003-8");
            assertEquals(OrganisationType.HVA, hva.type());
            assertEquals(Set.of("092", "245"), hva.municipalities());
            assertEquals(csvMembersOf("04"), hva.municipalities());
        }

        @Test
        @DisplayName("R-NOTE-1: every HVA's municipalities are exactly its members in the reference CSV")
        void everyHvaMatchesTheCsv() {
            int hvas = 0;
            for (Organisation o : sandbox.all()) {
                if (o.type() == OrganisationType.HVA) {
                    hvas++;
                    assertFalse(o.municipalities().isEmpty(), o.name());
                    String area = csvRows.stream().filter(r -> r[0].equals(o.municipalities().iterator().next()))
                            .findFirst().orElseThrow()[3];
                    assertEquals(csvMembersOf(area), o.municipalities(), o.name());
                }
            }
            assertEquals(3, hvas);
            assertEquals(23, sandbox.require("9000004-6").municipalities().size(), "Pirkanmaa");
        }

        @Test
        @DisplayName("a KUNTA acts only for itself")
        void kuntaActsOnlyForItself() {
            Organisation espoo = sandbox.require("9000005-4");
            assertEquals(OrganisationType.KUNTA, espoo.type());
            assertEquals(Set.of("049"), espoo.municipalities());
            assertEquals(Set.of("837"), sandbox.require("9000006-2").municipalities());
        }

        @Test
        @DisplayName("the City of Helsinki acts for 091 only")
        void helsinkiActsFor091() {
            Organisation helsinki = sandbox.require("9000007-0");
            assertEquals(OrganisationType.HELSINKI, helsinki.type());
            assertEquals(Set.of("091"), helsinki.municipalities());
        }

        @Test
        @DisplayName("a KUNTAYHTYMA acts for no municipality")
        void kuntayhtymaActsForNone() {
            Organisation ky = sandbox.require("9000008-9");
            assertEquals(OrganisationType.KUNTAYHTYMA, ky.type());
            assertTrue(ky.municipalities().isEmpty());
        }

        @Test
        @DisplayName("the sandbox registers its eight demo organisations, all findable by business id")
        void eightDemoOrganisations() {
            assertEquals(8, sandbox.all().size());
            for (Organisation o : sandbox.all()) {
                assertEquals(o, sandbox.find(o.businessId()).orElseThrow());
            }
        }

        @ParameterizedTest(name = "\"{0}\"")
        @DisplayName("require() of a business id not in the registry fails with Client.UnknownOrganisation")
        @ValueSource(strings = {"0246246-0", "9000002-0", "nonsense", ""})
        void unknownBusinessIdIsRefused(String businessId) {
            assertTrue(sandbox.find(businessId).isEmpty());
            GatewayException e = assertThrows(GatewayException.class, () -> sandbox.require(businessId));
            assertEquals(FaultCode.UNKNOWN_ORGANISATION, e.faultCode());
        }

        @Test
        @DisplayName("an organisation's municipalities cannot be changed by a caller")
        void municipalitiesAreImmutable() {
            Organisation hva = sandbox.require("9000001-1");
            assertThrows(UnsupportedOperationException.class, () -> hva.municipalities().add("091"));
        }
    }

    @Nested
    @DisplayName("a bad registry file is refused at load")
    class BadFiles {

        @TempDir
        Path dir;

        private ResourceLocation write(String organisations) throws IOException {
            Path file = dir.resolve("organisations.xml");
            Files.writeString(file, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                    + "<organisations xmlns=\"urn:fi:kelmu:config:organisations:v1\">\n" + organisations
                    + "</organisations>\n", StandardCharsets.UTF_8);
            return new ResourceLocation(file.toString());
        }

        private IllegalStateException refused(String organisations) throws IOException {
            ResourceLocation location = write(organisations);
            return assertThrows(IllegalStateException.class, () -> OrganisationRegistry.load(location, reference));
        }

        @Test
        @DisplayName("R-CONT-1: contract periods load; the one in force is found by date, both ends inclusive")
        void contractPeriodsLoadAndCoverTheirDays() throws IOException {
            OrganisationRegistry registry = OrganisationRegistry.load(write(
                    "<organisation businessId=\"0201256-6\" name=\"Test\" type=\"KUNTA\" municipalityCode=\"049\">"
                    + "<contract from=\"2019-01-01\" to=\"2022-12-31\"/><contract from=\"2024-01-01\"/></organisation>\n"),
                    reference);
            Organisation o = registry.require("0201256-6");
            assertTrue(o.contractOn(java.time.LocalDate.of(2022, 12, 31)).isPresent());
            assertTrue(o.contractOn(java.time.LocalDate.of(2023, 6, 1)).isEmpty(), "the gap between contracts");
            assertTrue(o.contractOn(java.time.LocalDate.of(2031, 1, 1)).isPresent(), "open-ended");
        }

        @Test
        @DisplayName("R-CONT-3: in the sandbox, the kuntayhtymä's contract ended 31.12.2022")
        void sandboxKuntayhtymaContractEndedAtTheTurnOf2023() {
            Organisation ky = sandbox.require("9000008-9");
            assertTrue(ky.contractOn(java.time.LocalDate.of(2022, 12, 31)).isPresent());
            assertTrue(ky.contractOn(java.time.LocalDate.of(2023, 1, 1)).isEmpty());
        }

        @ParameterizedTest(name = "{0}")
        @ValueSource(strings = {
            "<organisation businessId=\"0201256-6\" name=\"T\" type=\"HELSINKI\" municipalityCode=\"091\"><contract from=\"2023-01-01\" to=\"2022-01-01\"/></organisation>\n",
            "<organisation businessId=\"0201256-6\" name=\"T\" type=\"HELSINKI\" municipalityCode=\"091\"><contract from=\"2019-01-01\"/><contract from=\"2023-01-01\"/></organisation>\n",
            "<organisation businessId=\"0201256-6\" name=\"T\" type=\"HELSINKI\" municipalityCode=\"091\"><contract from=\"2019-01-01\" to=\"2023-06-30\"/><contract from=\"2023-01-01\" to=\"2024-01-01\"/></organisation>\n",
        })
        @DisplayName("a contract that ends before it starts, or contracts that overlap, are refused at load")
        void malformedContractsAreRefused(String organisation) throws IOException {
            refused(organisation);
        }

        @Test
        @DisplayName("a well-formed file written to disk loads (the temp-file helper itself is sound)")
        void validFileLoads() throws IOException {
            OrganisationRegistry registry = OrganisationRegistry.load(write(
                    "<organisation businessId=\"0201256-6\" name=\"Test HVA\" type=\"HVA\" wellbeingAreaCode=\"04\"/>\n"),
                    reference);
            assertEquals(Set.of("092", "245"), registry.require("0201256-6").municipalities());
        }

        @Test
        @DisplayName("a business id with the wrong Y-tunnus check digit is refused")
        void invalidCheckDigitIsRefused() throws IOException {
            IllegalStateException e = refused(
                    "<organisation businessId=\"9000001-2\" name=\"Bad\" type=\"HVA\" wellbeingAreaCode=\"03\"/>\n");
            assertTrue(e.getMessage().contains("9000001-2"), e.getMessage());
        }

        @Test
        @DisplayName("a business id with no possible check digit (remainder 1) is refused")
        void remainderOneBusinessIdIsRefused() throws IOException {
            refused("<organisation businessId=\"9000002-0\" name=\"Bad\" type=\"KUNTA\" municipalityCode=\"049\"/>\n");
        }

        @ParameterizedTest(name = "{0}")
        @DisplayName("an HVA with an unknown wellbeing-area code is refused")
        @ValueSource(strings = {"00", "22", "99"})
        void unknownWellbeingAreaIsRefused(String area) throws IOException {
            IllegalStateException e = refused("<organisation businessId=\"9000001-1\" name=\"Bad\" type=\"HVA\""
                    + " wellbeingAreaCode=\"" + area + "\"/>\n");
            assertTrue(e.getMessage().contains(area), e.getMessage());
        }

        @Test
        @DisplayName("an HVA without a wellbeing-area code is refused")
        void hvaWithoutAreaIsRefused() throws IOException {
            refused("<organisation businessId=\"9000001-1\" name=\"Bad\" type=\"HVA\"/>\n");
        }

        @ParameterizedTest(name = "{0}")
        @ValueSource(strings = {
            "<organisation businessId=\"9000001-1\" name=\"Helsinki as HVA\" type=\"HVA\" wellbeingAreaCode=\"90\"/>\n",
            "<organisation businessId=\"9000007-0\" name=\"Helsinki elsewhere\" type=\"HELSINKI\" municipalityCode=\"049\"/>\n",
            "<organisation businessId=\"9000005-4\" name=\"Helsinki as KUNTA\" type=\"KUNTA\" municipalityCode=\"091\"/>\n",
            "<organisation businessId=\"9000005-4\" name=\"Kunta with area\" type=\"KUNTA\" municipalityCode=\"049\" wellbeingAreaCode=\"03\"/>\n",
            "<organisation businessId=\"9000001-1\" name=\"HVA with kunta\" type=\"HVA\" wellbeingAreaCode=\"03\" municipalityCode=\"049\"/>\n",
            "<organisation businessId=\"9000008-9\" name=\"Kuntayhtyma with area\" type=\"KUNTAYHTYMA\" wellbeingAreaCode=\"03\"/>\n",
        })
        @DisplayName("an organisation whose codes do not fit its type is refused (Helsinki is HELSINKI only)")
        void codesThatDoNotFitTheTypeAreRefused(String organisation) throws IOException {
            refused(organisation);
        }

        @Test
        @DisplayName("a KUNTA without municipalityCode is refused")
        void kuntaWithoutMunicipalityCodeIsRefused() throws IOException {
            IllegalStateException e = refused(
                    "<organisation businessId=\"9000005-4\" name=\"Bad\" type=\"KUNTA\"/>\n");
            assertTrue(e.getMessage().contains("municipalityCode"), e.getMessage());
        }

        @Test
        @DisplayName("a HELSINKI without municipalityCode is refused")
        void helsinkiWithoutMunicipalityCodeIsRefused() throws IOException {
            refused("<organisation businessId=\"9000007-0\" name=\"Bad\" type=\"HELSINKI\"/>\n");
        }

        @Test
        @DisplayName("a KUNTA with a municipality code not in the reference data is refused")
        void kuntaWithUnknownMunicipalityIsRefused() throws IOException {
            refused("<organisation businessId=\"9000005-4\" name=\"Bad\" type=\"KUNTA\" municipalityCode=\"000\"/>\n");
        }

        @Test
        @DisplayName("the same business id registered twice is refused")
        void duplicateBusinessIdIsRefused() throws IOException {
            refused("<organisation businessId=\"9000005-4\" name=\"Espoo\" type=\"KUNTA\" municipalityCode=\"049\"/>\n"
                    + "<organisation businessId=\"9000005-4\" name=\"Espoo again\" type=\"KUNTA\" municipalityCode=\"049\"/>\n");
        }

        @Test
        @DisplayName("the same business id registered twice is refused by the registry itself too, not only by the schema")
        void duplicateBusinessIdIsRefusedByTheConstructor() {
            Organisation espoo = new Organisation("9000005-4", "Espoo", OrganisationType.KUNTA, Set.of("049"), java.util.List.of());
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> new OrganisationRegistry(List.of(espoo, espoo)));
            assertTrue(e.getMessage().contains("9000005-4"), e.getMessage());
        }

        @ParameterizedTest(name = "{index}")
        @DisplayName("a file not valid against xsd/config/organisation-registry.xsd is refused")
        @ValueSource(strings = {
                "<organisation businessId=\"90000011\" name=\"No dash\" type=\"HVA\" wellbeingAreaCode=\"03\"/>\n",
                "<organisation businessId=\"9000001-1\" name=\"Bad type\" type=\"SOTE\" wellbeingAreaCode=\"03\"/>\n",
                "<organisation businessId=\"9000001-1\" name=\"One-digit area\" type=\"HVA\" wellbeingAreaCode=\"3\"/>\n",
                "<organisation businessId=\"9000005-4\" name=\"Two-digit code\" type=\"KUNTA\" municipalityCode=\"49\"/>\n",
                "<organisation businessId=\"9000005-4\" type=\"KUNTA\" municipalityCode=\"049\"/>\n",
                ""
        })
        void schemaInvalidFileIsRefused(String organisations) throws IOException {
            refused(organisations);
        }
    }

    @Nested
    @DisplayName("R-PAY-8: HVA contacts for payment demands")
    class PaymentContacts {

        @TempDir
        Path dir;

        private ResourceLocation write(String organisations) throws IOException {
            Path file = dir.resolve("organisations.xml");
            Files.writeString(file, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                    + "<organisations xmlns=\"urn:fi:kelmu:config:organisations:v1\">\n" + organisations
                    + "</organisations>\n", StandardCharsets.UTF_8);
            return new ResourceLocation(file.toString());
        }

        @Test
        @DisplayName("R-PAY-8: every sandbox HVA has a contact: its name, an address and a valid Finnish IBAN")
        void r_pay_8_everySandboxHvaHasAContact() {
            int hvas = 0;
            Set<String> accounts = new HashSet<>();
            for (Organisation o : sandbox.all()) {
                if (o.type() == OrganisationType.HVA) {
                    hvas++;
                    Organisation.Contact contact = o.paymentContact().orElseThrow(() -> new AssertionError(o.name()));
                    assertFalse(contact.address().isBlank(), o.name());
                    assertEquals(18, contact.iban().value().length());
                    assertTrue(contact.iban().value().startsWith("FI"));
                    assertTrue(accounts.add(contact.iban().value()), "each HVA its own account");
                } else {
                    assertTrue(o.paymentContact().isEmpty(), o.name() + " is no HVA and has no contact");
                }
            }
            assertEquals(3, hvas);
            assertEquals("FI4312345600000001", sandbox.require("9000001-1").paymentContact().orElseThrow().iban().value(),
                    "written with spaces in the file, kept in electronic form");
        }

        @Test
        @DisplayName("R-PAY-7: every sandbox KUNTA maps through the reference CSV to an HVA registered in the sandbox")
        void r_pay_7_everySandboxMunicipalityHasItsHva() {
            int municipalities = 0;
            for (Organisation o : sandbox.all()) {
                if (o.type() == OrganisationType.KUNTA) {
                    municipalities++;
                    String code = o.municipalities().iterator().next();
                    String area = csvRows.stream().filter(r -> r[0].equals(code)).findFirst().orElseThrow()[3];
                    Organisation hva = sandbox.wellbeingAreaOf(code).orElseThrow(() -> new AssertionError(o.name()));
                    assertEquals(OrganisationType.HVA, hva.type());
                    assertEquals(csvMembersOf(area), hva.municipalities(), o.name() + " -> " + hva.name());
                    assertTrue(hva.paymentContact().isPresent(), hva.name());
                }
            }
            assertEquals(2, municipalities);
            assertEquals("9000001-1", sandbox.wellbeingAreaOf("049").orElseThrow().businessId(), "Espoo: Länsi-Uusimaa");
            assertEquals("9000004-6", sandbox.wellbeingAreaOf("837").orElseThrow().businessId(), "Tampere: Pirkanmaa");
        }

        @Test
        @DisplayName("Helsinki and a municipality of an unregistered area have no HVA")
        void helsinkiAndUnregisteredAreasHaveNoHva() {
            assertTrue(sandbox.wellbeingAreaOf(MunicipalityReference.HELSINKI).isEmpty());
            assertTrue(sandbox.wellbeingAreaOf("005").isEmpty(), "Alajärvi: Etelä-Pohjanmaa is not in the sandbox");
        }

        @Test
        @DisplayName("R-PAY-8: an HVA contact whose IBAN fails mod-97 is refused at load, without the number")
        void r_pay_8_anInvalidContactIbanIsRefused() throws IOException {
            ResourceLocation location = write("<organisation businessId=\"9000001-1\" name=\"HVA\" type=\"HVA\""
                    + " wellbeingAreaCode=\"03\"><contact address=\"Katu 1\" iban=\"FI22 1234 5600 0007 85\"/>"
                    + "</organisation>\n");
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> OrganisationRegistry.load(location, reference));
            assertTrue(e.getMessage().contains("IBAN"), e.getMessage());
            assertFalse(e.getMessage().contains("12345600"), e.getMessage());
        }

        @Test
        @DisplayName("R-PAY-8: a Swedish IBAN is refused: Kela pays HVAs to Finnish accounts")
        void r_pay_8_aForeignContactIbanIsRefused() throws IOException {
            ResourceLocation location = write("<organisation businessId=\"9000001-1\" name=\"HVA\" type=\"HVA\""
                    + " wellbeingAreaCode=\"03\"><contact address=\"Katu 1\" iban=\"SE45 5000 0000 0583 9825 7466\"/>"
                    + "</organisation>\n");
            assertThrows(IllegalStateException.class, () -> OrganisationRegistry.load(location, reference));
        }

        @Test
        @DisplayName("only an HVA may have a contact: a KUNTA with one is refused at load")
        void aContactOutsideAnHvaIsRefused() throws IOException {
            ResourceLocation location = write("<organisation businessId=\"9000005-4\" name=\"Espoo\" type=\"KUNTA\""
                    + " municipalityCode=\"049\"><contact address=\"Katu 1\" iban=\"FI21 1234 5600 0007 85\"/>"
                    + "</organisation>\n");
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> OrganisationRegistry.load(location, reference));
            assertTrue(e.getMessage().contains("only an HVA"), e.getMessage());
        }

        @Test
        @DisplayName("an HVA contact loads with its address and account; no contact is no contact")
        void aContactLoads() throws IOException {
            OrganisationRegistry registry = OrganisationRegistry.load(write(
                    "<organisation businessId=\"9000001-1\" name=\"HVA\" type=\"HVA\" wellbeingAreaCode=\"03\">"
                    + "<contract from=\"2023-01-01\"/><contact address=\"Katu 1, 02070 Espoo\""
                    + " iban=\"fi49 5000 9420 0287 30\"/></organisation>\n"
                    + "<organisation businessId=\"9000003-8\" name=\"HVA 2\" type=\"HVA\" wellbeingAreaCode=\"04\"/>\n"),
                    reference);
            Organisation.Contact contact = registry.require("9000001-1").paymentContact().orElseThrow();
            assertEquals("Katu 1, 02070 Espoo", contact.address());
            assertEquals("FI4950009420028730", contact.iban().value());
            assertTrue(registry.require("9000003-8").paymentContact().isEmpty());
        }
    }
}
