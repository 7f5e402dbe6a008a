package fi.kelmu.gateway.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fi.kelmu.contract.backend.paymentdemand.v1.Area;
import fi.kelmu.contract.backend.paymentdemand.v1.ClientAnswer;
import fi.kelmu.contract.backend.paymentdemand.v1.ClosedDateRange;
import fi.kelmu.contract.backend.paymentdemand.v1.CommandKind;
import fi.kelmu.contract.backend.paymentdemand.v1.DateRange;
import fi.kelmu.contract.backend.paymentdemand.v1.DemandAmount;
import fi.kelmu.contract.backend.paymentdemand.v1.DemandCommand;
import fi.kelmu.contract.backend.paymentdemand.v1.DemandList;
import fi.kelmu.contract.backend.paymentdemand.v1.Demander;
import fi.kelmu.contract.backend.paymentdemand.v1.LegalBasis;
import fi.kelmu.contract.backend.paymentdemand.v1.OrganisationType;
import fi.kelmu.contract.backend.paymentdemand.v1.PaymentRun;
import fi.kelmu.contract.backend.paymentdemand.v1.PaymentRunDecision;
import fi.kelmu.contract.backend.paymentdemand.v1.PaymentRunResult;
import fi.kelmu.gateway.adapter.DeliveryResult;
import fi.kelmu.gateway.adapter.PaymentBackendSettings;
import fi.kelmu.gateway.adapter.PaymentDemandBackend;
import fi.kelmu.gateway.config.GatewayConfig;
import fi.kelmu.gateway.config.ResourceLocation;
import fi.kelmu.gateway.config.XmlConfigLoader;
import fi.kelmu.gateway.fault.FaultCode;
import fi.kelmu.gateway.fault.GatewayException;
import jakarta.xml.bind.JAXBContext;
import jakarta.xml.bind.JAXBException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import javax.xml.stream.XMLStreamException;
import javax.xml.validation.Schema;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The sandbox's {@link PaymentDemandBackendSimulator}, as the sandbox starts it (on the benefit backend simulator's
 * server, any free port), asked through the gateway's own client {@link PaymentDemandBackend} with the sandbox's
 * configuration: the client check, commands deduplicated by idempotency key, the business rejections, the list,
 * the year-end transfer and the payment run. The simulator's state lives as long as the class; each test works
 * on demands of its own.
 */
class PaymentDemandBackendSimulatorTest {

    /** The simulators' clock: 10.11.2026. */
    private static final Instant NOW = Instant.parse("2026-11-10T08:00:00Z");

    private static final String LANSI_UUSIMAA = "9000001-1";
    private static final String VANTAA_KERAVA = "9000003-8";
    private static final String ESPOO = "9000005-4";
    private static final String HELSINKI = "9000007-0";
    /** Länsi-Uusimaa's member municipalities (reference/municipalities-2023.csv). */
    private static final Set<String> LANSI_UUSIMAA_AREA =
            Set.of("049", "078", "149", "224", "235", "257", "444", "710", "755", "927");

    private static final String LIVES_IN_ESPOO = "010180-9026";
    private static final String LIVES_IN_VANTAA = "150372-9134";
    private static final String LIVES_IN_TAMPERE = "290895-924F";
    private static final String LIVES_IN_HELSINKI = "040506A935A";
    private static final String LIVES_IN_HANKO = "310199Y968K";
    private static final String UNKNOWN_TO_KELA = "121212-999R";

    private static final String HVA_ACCOUNT = "FI4640060010000014";
    private static final String ESPOO_ACCOUNT = "FI1680000110000028";
    private static final String HELSINKI_ACCOUNT = "FI4615723500022334";

    private static Sandbox sandbox;
    private static PaymentDemandBackendSimulator simulator;
    private static PaymentDemandBackend hvaBackend;
    private static PaymentDemandBackend kuntaBackend;
    private static PaymentDemandBackend helsinkiBackend;

    @BeforeAll
    static void startTheSandboxSimulators() throws IOException {
        SandboxSettings settings = new SandboxSettings(Optional.empty(), true, "127.0.0.1", 0,
                new ResourceLocation("classpath:sandbox/backend-demo-data.xml"), 0,
                new ResourceLocation("classpath:sandbox/mandate-demo-data.json"), "KELMUTST", "test-api-key");
        sandbox = Sandbox.start(settings, List.of(), Clock.fixed(NOW, ZoneOffset.UTC));
        simulator = sandbox.paymentDemandBackend();
        // the configuration the launcher gives the gateway: the sandbox profile pointed at the simulator
        GatewayConfig config = GatewayConfig.load(Map.of("kelmu.mode", "sandbox",
                "kelmu.simulator.url", sandbox.backendUrl().toString()));
        hvaBackend = backend(config, fi.kelmu.gateway.registry.OrganisationType.HVA);
        kuntaBackend = backend(config, fi.kelmu.gateway.registry.OrganisationType.KUNTA);
        helsinkiBackend = backend(config, fi.kelmu.gateway.registry.OrganisationType.HELSINKI);
    }

    private static PaymentDemandBackend backend(GatewayConfig config, fi.kelmu.gateway.registry.OrganisationType type) {
        return new PaymentDemandBackend(PaymentBackendSettings.from(config, type));
    }

    @AfterAll
    static void stop() {
        sandbox.close();
    }

    // --- the commands the tests send

    private static DemandCommand submit(String demandId, String demander, OrganisationType type, String clientId,
            String benefitCode, LocalDate from, String sum, String account, Set<String> area) {
        DemandCommand command = new DemandCommand();
        command.setKind(CommandKind.SUBMIT);
        command.setDemandId(demandId);
        Demander who = new Demander();
        who.setBusinessId(demander);
        who.setOrganisationType(type);
        command.setDemander(who);
        command.setClientId(clientId);
        command.setBenefitCode(benefitCode);
        DateRange period = new DateRange();
        period.setFrom(from);
        command.setPeriod(period);
        DemandAmount amount = new DemandAmount();
        if (sum == null) {
            amount.setWholeBenefit(new DemandAmount.WholeBenefit());
        } else {
            amount.setSum(new BigDecimal(sum));
        }
        command.setAmount(amount);
        command.setLegalBasis(LegalBasis.TOIMEENTULOTUKILAKI_23);
        command.setPayeeAccount(account);
        command.setCaseReference("CASE-" + demandId);
        Area municipalities = new Area();
        // sorted: a command built again from the same demand is the same content
        municipalities.getMunicipality().addAll(new TreeSet<>(area));
        command.setArea(municipalities);
        return command;
    }

    /** Länsi-Uusimaa's demand of {@code sum} on the client's kansaneläke from 1.1.2026. */
    private static DemandCommand hvaSubmit(String demandId, String sum) {
        return submit(demandId, LANSI_UUSIMAA, OrganisationType.HVA, LIVES_IN_ESPOO, "KANSANELAKE",
                LocalDate.of(2026, 1, 1), sum, HVA_ACCOUNT, LANSI_UUSIMAA_AREA);
    }

    private static DemandCommand as(CommandKind kind, DemandCommand command) {
        command.setKind(kind);
        return command;
    }

    private static Optional<DemandList.Demand> listed(PaymentDemandBackend backend, String clientId, String demander,
            Set<String> area, String demandId) {
        return backend.query(clientId, demander, area, "corr-list").getDemand().stream()
                .filter(d -> d.getDemandId().equals(demandId)).findFirst();
    }

    // --- the client check

    @Test
    @DisplayName("the sandbox serves the payment-demand backend on the benefit backend's server and base URL")
    void theSandboxServesItWhereTheBenefitBackendIs() {
        assertEquals(sandbox.backendUrl(), sandbox.paymentDemandBackendUrl());
        assertEquals(sandbox.backendUrl(), hvaBackend.settings().baseUrl());
    }

    @Test
    @DisplayName("the client check tells the home municipality and the periods of the benefit's decisions and applications")
    void clientCheckTellsWhereTheClientLivesAndTheBenefitsPeriods() {
        ClientAnswer answer = hvaBackend.client(LIVES_IN_TAMPERE, "YLEINEN_ASUMISTUKI", Set.of("837", "211"), "corr-1");

        assertEquals(LIVES_IN_TAMPERE, answer.getClientId());
        assertEquals("837", answer.getHomeMunicipality());
        List<String> periods = answer.getBenefitPeriod().stream().map(p -> p.getFrom() + ".." + p.getTo()).toList();
        // two decisions and a pending application of yleinen asumistuki, earliest first
        assertEquals(List.of("2025-06-01..2025-12-31", "2026-03-01..2026-12-31", "2026-11-01..2027-10-31"), periods);
        assertEquals(List.of(), hvaBackend.client(LIVES_IN_TAMPERE, "OPINTORAHA", Set.of("837"), "corr-2")
                .getBenefitPeriod(), "no periods of a benefit the client does not have");
    }

    @Test
    @DisplayName("an HVA's client check of a client outside its area is refused, and of a client Kela does not know")
    void clientCheckOutsideTheAreaOrOfAnUnknownClientIsRefused() {
        GatewayException outside = assertThrows(GatewayException.class,
                () -> hvaBackend.client(LIVES_IN_VANTAA, "TYOMARKKINATUKI", LANSI_UUSIMAA_AREA, "corr-3"));
        GatewayException unknown = assertThrows(GatewayException.class,
                () -> hvaBackend.client(UNKNOWN_TO_KELA, "TYOMARKKINATUKI", LANSI_UUSIMAA_AREA, "corr-4"));

        assertEquals(FaultCode.CLIENT_OUTSIDE_AREA, outside.faultCode());
        assertEquals(FaultCode.UNKNOWN_CLIENT, outside.faultCode().sentAs(), "the caller cannot tell the two apart");
        assertEquals(FaultCode.UNKNOWN_CLIENT, unknown.faultCode());
    }

    // --- exactly once

    @Test
    @DisplayName("a command delivered twice under its key is registered once and acknowledged alike both times")
    void aRepeatedKeyIsRegisteredOnce() {
        String key = LANSI_UUSIMAA + ":xroad-id-dedupe-1";
        int before = simulator.demandCount();

        DeliveryResult first = hvaBackend.deliver(key, "corr-5", hvaSubmit("SIM-DEDUPE-1", "120.00"));
        DeliveryResult again = hvaBackend.deliver(key, "corr-5b", hvaSubmit("SIM-DEDUPE-1", "120.00"));

        assertEquals(new DeliveryResult.Acked("REGISTERED", null), first);
        assertEquals(first, again);
        assertEquals(2, simulator.commandsReceived(key));
        assertEquals(before + 1, simulator.demandCount());
        assertEquals(1, hvaBackend.query(LIVES_IN_ESPOO, LANSI_UUSIMAA, LANSI_UUSIMAA_AREA, "corr-6").getDemand()
                .stream().filter(d -> d.getDemandId().equals("SIM-DEDUPE-1")).count());
    }

    @Test
    @DisplayName("the same key with other content is refused with 409 and changes nothing; the outbox keeps the command")
    void aKeyReusedForOtherContentIsAConflict() {
        String key = LANSI_UUSIMAA + ":xroad-id-conflict-1";
        assertInstanceOf(DeliveryResult.Acked.class, hvaBackend.deliver(key, "corr-7", hvaSubmit("SIM-CONFLICT-1", "80.00")));

        DeliveryResult other = hvaBackend.deliver(key, "corr-8", hvaSubmit("SIM-CONFLICT-1", "95.00"));

        DeliveryResult.Unavailable conflict = assertInstanceOf(DeliveryResult.Unavailable.class, other);
        assertTrue(conflict.error().contains("409") && conflict.error().contains("IDEMPOTENCY_CONFLICT"), conflict.error());
        assertEquals(new BigDecimal("80.00"), listed(hvaBackend, LIVES_IN_ESPOO, LANSI_UUSIMAA, LANSI_UUSIMAA_AREA,
                "SIM-CONFLICT-1").orElseThrow().getAmount().getSum());
        assertEquals(2, simulator.commandsReceived(key));
    }

    // --- business rejections

    @Test
    @DisplayName("a submit for a client outside the demander's area is rejected, and the key answers the same again")
    void submitOutsideTheAreaIsRejectedForGood() {
        String key = LANSI_UUSIMAA + ":xroad-id-outside-1";
        DemandCommand vantaa = submit("SIM-OUTSIDE-1", LANSI_UUSIMAA, OrganisationType.HVA, LIVES_IN_VANTAA,
                "TYOMARKKINATUKI", LocalDate.of(2026, 2, 1), "50.00", HVA_ACCOUNT, LANSI_UUSIMAA_AREA);

        assertEquals(new DeliveryResult.Rejected("CLIENT_OUTSIDE_AREA"), hvaBackend.deliver(key, "corr-9", vantaa));
        assertEquals(new DeliveryResult.Rejected("CLIENT_OUTSIDE_AREA"), hvaBackend.deliver(key, "corr-9", vantaa));
        assertEquals(2, simulator.commandsReceived(key));
    }

    @Test
    @DisplayName("a submit for a client Kela does not know is rejected")
    void submitForAnUnknownClientIsRejected() {
        DemandCommand unknown = submit("SIM-UNKNOWN-1", LANSI_UUSIMAA, OrganisationType.HVA, UNKNOWN_TO_KELA,
                "KANSANELAKE", LocalDate.of(2026, 2, 1), "50.00", HVA_ACCOUNT, LANSI_UUSIMAA_AREA);

        assertEquals(new DeliveryResult.Rejected("CLIENT_NOT_FOUND"),
                hvaBackend.deliver(LANSI_UUSIMAA + ":xroad-id-unknown-1", "corr-10", unknown));
    }

    @Test
    @DisplayName("a demand's period may not start before the benefit's earliest decision or pending application")
    void periodBeforeTheBenefitIsRejected() {
        // the client's yleinen asumistuki is one pending application, from 1.11.2026
        DemandCommand october = submit("SIM-PERIOD-1", LANSI_UUSIMAA, OrganisationType.HVA, LIVES_IN_ESPOO,
                "YLEINEN_ASUMISTUKI", LocalDate.of(2026, 10, 1), "50.00", HVA_ACCOUNT, LANSI_UUSIMAA_AREA);
        DemandCommand november = submit("SIM-PERIOD-2", LANSI_UUSIMAA, OrganisationType.HVA, LIVES_IN_ESPOO,
                "YLEINEN_ASUMISTUKI", LocalDate.of(2026, 11, 1), "50.00", HVA_ACCOUNT, LANSI_UUSIMAA_AREA);
        DemandCommand noSuchBenefit = submit("SIM-PERIOD-3", LANSI_UUSIMAA, OrganisationType.HVA, LIVES_IN_ESPOO,
                "OPINTORAHA", LocalDate.of(2026, 11, 1), "50.00", HVA_ACCOUNT, LANSI_UUSIMAA_AREA);

        assertEquals(new DeliveryResult.Rejected("PERIOD_BEFORE_BENEFIT"),
                hvaBackend.deliver(LANSI_UUSIMAA + ":xroad-id-period-1", "corr-11", october));
        assertEquals(new DeliveryResult.Acked("REGISTERED", null),
                hvaBackend.deliver(LANSI_UUSIMAA + ":xroad-id-period-2", "corr-12", november));
        assertEquals(new DeliveryResult.Rejected("PERIOD_BEFORE_BENEFIT"),
                hvaBackend.deliver(LANSI_UUSIMAA + ":xroad-id-period-3", "corr-13", noSuchBenefit));
    }

    @Test
    @DisplayName("only the demander modifies or invalidates a demand; an invalidated demand cannot be modified")
    void onlyTheDemanderModifiesAndInvalidated() {
        hvaBackend.deliver(LANSI_UUSIMAA + ":owner-1", "corr-14", hvaSubmit("SIM-OWNER-1", "60.00"));
        DemandCommand byAnother = as(CommandKind.MODIFY, hvaSubmit("SIM-OWNER-1", "10.00"));
        byAnother.getDemander().setBusinessId(VANTAA_KERAVA);

        assertEquals(new DeliveryResult.Rejected("UNKNOWN_DEMAND"),
                hvaBackend.deliver(VANTAA_KERAVA + ":owner-2", "corr-15", byAnother));
        assertEquals(new DeliveryResult.Acked("REGISTERED", null), hvaBackend.deliver(LANSI_UUSIMAA + ":owner-3",
                "corr-16", as(CommandKind.MODIFY, hvaSubmit("SIM-OWNER-1", "70.00"))));
        DemandCommand invalidate = as(CommandKind.INVALIDATE, hvaSubmit("SIM-OWNER-1", "70.00"));
        invalidate.setReason("the client repaid the assistance");
        assertEquals(new DeliveryResult.Acked("INVALIDATED", "the client repaid the assistance"),
                hvaBackend.deliver(LANSI_UUSIMAA + ":owner-4", "corr-17", invalidate));
        assertEquals(new DeliveryResult.Rejected("DEMAND_INVALIDATED"), hvaBackend.deliver(LANSI_UUSIMAA + ":owner-5",
                "corr-18", as(CommandKind.MODIFY, hvaSubmit("SIM-OWNER-1", "75.00"))));

        DemandList.Demand listed = listed(hvaBackend, LIVES_IN_ESPOO, LANSI_UUSIMAA, LANSI_UUSIMAA_AREA, "SIM-OWNER-1")
                .orElseThrow();
        assertEquals("INVALIDATED", listed.getStatus().value());
        assertEquals(new BigDecimal("70.00"), listed.getAmount().getSum(), "the modification, not the refused one");
    }

    // --- the list

    @Test
    @DisplayName("the list holds the demander's own demands on the client only")
    void theListHoldsOnlyTheDemandersOwnDemands() {
        Set<String> helsinki = Set.of("091");
        helsinkiBackend.deliver(HELSINKI + ":list-1", "corr-19", submit("SIM-LIST-1", HELSINKI,
                OrganisationType.HELSINKI, LIVES_IN_HELSINKI, "OPINTORAHA", LocalDate.of(2026, 4, 1), "40.00",
                HELSINKI_ACCOUNT, helsinki));

        DemandList own = helsinkiBackend.query(LIVES_IN_HELSINKI, HELSINKI, helsinki, "corr-20");
        DemandList others = helsinkiBackend.query(LIVES_IN_HELSINKI, ESPOO, helsinki, "corr-21");

        assertEquals(List.of("SIM-LIST-1"), own.getDemand().stream().map(DemandList.Demand::getDemandId).toList());
        assertEquals("REGISTERED", own.getDemand().get(0).getStatus().value());
        assertEquals(List.of(), others.getDemand());
        GatewayException outside = assertThrows(GatewayException.class,
                () -> hvaBackend.query(LIVES_IN_HELSINKI, LANSI_UUSIMAA, LANSI_UUSIMAA_AREA, "corr-22"));
        assertEquals(FaultCode.CLIENT_OUTSIDE_AREA, outside.faultCode());
    }

    // --- the year-end transfer (R-PAY-7)

    @Test
    @DisplayName("R-PAY-7: a municipality's demand moves to the HVA, which then lists it; an HVA's demand does not move")
    void aMunicipalitysDemandIsTransferredToTheHvaR_PAY_7() {
        Set<String> espoo = Set.of("049");
        DemandCommand espoos = submit("SIM-TRANSFER-1", ESPOO, OrganisationType.KUNTA, LIVES_IN_ESPOO, "KANSANELAKE",
                LocalDate.of(2025, 6, 1), "90.00", ESPOO_ACCOUNT, espoo);
        assertEquals(new DeliveryResult.Acked("REGISTERED", null), kuntaBackend.deliver(ESPOO + ":transfer-1",
                "corr-23", espoos));

        DemandCommand transfer = as(CommandKind.TRANSFER, submit("SIM-TRANSFER-1", LANSI_UUSIMAA, OrganisationType.HVA,
                LIVES_IN_ESPOO, "KANSANELAKE", LocalDate.of(2025, 6, 1), "90.00", HVA_ACCOUNT, LANSI_UUSIMAA_AREA));
        transfer.setPreviousPayeeAccount(ESPOO_ACCOUNT);
        transfer.setPayeeAccountFrom(LocalDate.of(2023, 1, 1));
        assertEquals(new DeliveryResult.Acked("REGISTERED", null),
                hvaBackend.deliver("year-end-transfer:SIM-TRANSFER-1", "corr-24", transfer));

        DemandList.Demand moved = listed(hvaBackend, LIVES_IN_ESPOO, LANSI_UUSIMAA, LANSI_UUSIMAA_AREA, "SIM-TRANSFER-1")
                .orElseThrow();
        assertEquals(HVA_ACCOUNT, moved.getPayeeAccount());
        assertEquals(ESPOO_ACCOUNT, moved.getPreviousPayeeAccount());
        assertEquals(Optional.empty(), listed(kuntaBackend, LIVES_IN_ESPOO, ESPOO, espoo, "SIM-TRANSFER-1"));

        DemandCommand hvasOwn = as(CommandKind.TRANSFER, hvaSubmit("SIM-NOT-MOVED-1", "10.00"));
        hvaBackend.deliver(LANSI_UUSIMAA + ":not-moved-1", "corr-25", hvaSubmit("SIM-NOT-MOVED-1", "10.00"));
        hvasOwn.setPreviousPayeeAccount(ESPOO_ACCOUNT);
        hvasOwn.setPayeeAccountFrom(LocalDate.of(2023, 1, 1));
        assertEquals(new DeliveryResult.Rejected("TRANSFER_NOT_ALLOWED"),
                hvaBackend.deliver("year-end-transfer:SIM-NOT-MOVED-1", "corr-26", hvasOwn));
    }

    // --- the payment run (R-PAY-3)

    @Test
    @DisplayName("R-PAY-3: a payment run pays the client's demands in order of registration out of the distribution,"
            + " and the list shows each payment")
    void aPaymentRunPaysInOrderOfRegistrationR_PAY_3() throws Exception {
        Set<String> area = LANSI_UUSIMAA_AREA;
        DemandCommand sum = submit("SIM-RUN-1", LANSI_UUSIMAA, OrganisationType.HVA, LIVES_IN_HANKO,
                "SAIRAUSPAIVARAHA", LocalDate.of(2026, 6, 1), "300.00", HVA_ACCOUNT, area);
        DemandCommand whole = submit("SIM-RUN-2", LANSI_UUSIMAA, OrganisationType.HVA, LIVES_IN_HANKO,
                "SAIRAUSPAIVARAHA", LocalDate.of(2026, 6, 1), null, HVA_ACCOUNT, area);
        DemandCommand later = submit("SIM-RUN-3", LANSI_UUSIMAA, OrganisationType.HVA, LIVES_IN_HANKO,
                "SAIRAUSPAIVARAHA", LocalDate.of(2026, 11, 1), "5.00", HVA_ACCOUNT, area);
        hvaBackend.deliver(LANSI_UUSIMAA + ":run-1", "corr-27", sum);
        hvaBackend.deliver(LANSI_UUSIMAA + ":run-2", "corr-28", whole);
        hvaBackend.deliver(LANSI_UUSIMAA + ":run-3", "corr-29", later);

        PaymentRunResult october = paymentRun(LIVES_IN_HANKO, "SAIRAUSPAIVARAHA", LocalDate.of(2026, 10, 1),
                LocalDate.of(2026, 10, 31), "719.40", "500.00", LocalDate.of(2026, 10, 1), LocalDate.of(2026, 10, 2));

        assertEquals(List.of("SIM-RUN-1 PAID 300.00 " + HVA_ACCOUNT, "SIM-RUN-2 PAID 200.00 " + HVA_ACCOUNT,
                "SIM-RUN-3 NOT_COVERED 0.00 null"), describe(october));
        DemandList.Demand first = listed(hvaBackend, LIVES_IN_HANKO, LANSI_UUSIMAA, area, "SIM-RUN-1").orElseThrow();
        assertEquals("PAID", first.getStatus().value());
        assertEquals(1, first.getPayment().size());
        assertEquals(new BigDecimal("300.00"), first.getPayment().get(0).getAmount());
        assertEquals(LocalDate.of(2026, 10, 2), first.getPayment().get(0).getPaid());
        assertEquals(LocalDate.of(2026, 10, 1), first.getPayment().get(0).getPutIntoPayment());
        assertEquals("REGISTERED", listed(hvaBackend, LIVES_IN_HANKO, LANSI_UUSIMAA, area, "SIM-RUN-3").orElseThrow()
                .getStatus().value());

        // December's payment is put into payment before the simulator's today and paid after it
        PaymentRunResult december = paymentRun(LIVES_IN_HANKO, "SAIRAUSPAIVARAHA", LocalDate.of(2026, 12, 1),
                LocalDate.of(2026, 12, 31), "446.46", "250.00", LocalDate.of(2026, 11, 9), LocalDate.of(2026, 12, 2));

        assertEquals(List.of("SIM-RUN-1 NOT_ENOUGH 0.00 null", "SIM-RUN-2 PAID 250.00 " + HVA_ACCOUNT,
                "SIM-RUN-3 NOT_ENOUGH 0.00 null"), describe(december));
        assertEquals("IN_PAYMENT", listed(hvaBackend, LIVES_IN_HANKO, LANSI_UUSIMAA, area, "SIM-RUN-2").orElseThrow()
                .getStatus().value());
        assertNull(december.getPayment().get(0).getAccount());
    }

    @Test
    @DisplayName("an invalidated demand takes no part in a payment run")
    void anInvalidatedDemandIsNotPaid() throws Exception {
        DemandCommand demand = submit("SIM-RUN-INVALID-1", LANSI_UUSIMAA, OrganisationType.HVA, LIVES_IN_ESPOO,
                "YLEINEN_ASUMISTUKI", LocalDate.of(2026, 11, 15), "30.00", HVA_ACCOUNT, LANSI_UUSIMAA_AREA);
        hvaBackend.deliver(LANSI_UUSIMAA + ":run-invalid-1", "corr-30", demand);
        hvaBackend.deliver(LANSI_UUSIMAA + ":run-invalid-2", "corr-31", as(CommandKind.INVALIDATE, demand));

        PaymentRunResult run = paymentRun(LIVES_IN_ESPOO, "YLEINEN_ASUMISTUKI", LocalDate.of(2026, 12, 1),
                LocalDate.of(2026, 12, 31), "300.00", "300.00", LocalDate.of(2026, 11, 25), LocalDate.of(2026, 12, 2));

        assertTrue(describe(run).stream().noneMatch(d -> d.startsWith("SIM-RUN-INVALID-1")), describe(run).toString());
    }

    private static List<String> describe(PaymentRunResult result) {
        return result.getPayment().stream()
                .map(p -> p.getDemandId() + " " + p.getDecision().value() + " " + p.getAmount() + " " + p.getAccount())
                .toList();
    }

    /** POSTs a payment run to the simulator's sandbox-only path; the answer is checked against the contract. */
    private static PaymentRunResult paymentRun(String clientId, String benefitCode, LocalDate from, LocalDate to,
            String gross, String distributable, LocalDate putIntoPayment, LocalDate paid)
            throws IOException, InterruptedException, JAXBException, XMLStreamException {
        PaymentRun run = new PaymentRun();
        run.setClientId(clientId);
        run.setBenefitCode(benefitCode);
        ClosedDateRange period = new ClosedDateRange();
        period.setFrom(from);
        period.setTo(to);
        run.setPaymentPeriod(period);
        run.setGrossAmount(new BigDecimal(gross));
        run.setDistributable(new BigDecimal(distributable));
        run.setPutIntoPayment(putIntoPayment);
        run.setPaid(paid);
        JAXBContext jaxb = JAXBContext.newInstance(PaymentRun.class, PaymentRunResult.class);
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        jaxb.createMarshaller().marshal(run, body);
        HttpResponse<byte[]> response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(simulator.baseUrl() + "/payment-demands/payment-runs"))
                        .header("Content-Type", "application/xml")
                        .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, response.statusCode(), new String(response.body(), StandardCharsets.UTF_8));
        Schema schema = XmlConfigLoader.schema(PaymentDemandBackend.SCHEMA_LOCATION);
        PaymentRunResult result = XmlConfigLoader.unmarshalDocument(jaxb, new ByteArrayInputStream(response.body()),
                PaymentRunResult.class, schema);
        assertTrue(result.getPayment().stream().allMatch(p -> (p.getDecision() == PaymentRunDecision.PAID)
                == (p.getAccount() != null)), "an account exactly for the payments made");
        return result;
    }
}
