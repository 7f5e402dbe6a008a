package fi.kelmu.gateway.adapter;

import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import fi.kelmu.contract.backend.paymentdemand.v1.Area;
import fi.kelmu.contract.backend.paymentdemand.v1.ClientAnswer;
import fi.kelmu.contract.backend.paymentdemand.v1.CommandKind;
import fi.kelmu.contract.backend.paymentdemand.v1.DateRange;
import fi.kelmu.contract.backend.paymentdemand.v1.DemandAmount;
import fi.kelmu.contract.backend.paymentdemand.v1.DemandCommand;
import fi.kelmu.contract.backend.paymentdemand.v1.DemandList;
import fi.kelmu.contract.backend.paymentdemand.v1.Demander;
import fi.kelmu.contract.backend.paymentdemand.v1.LegalBasis;
import fi.kelmu.contract.backend.paymentdemand.v1.OrganisationType;
import fi.kelmu.gateway.config.XmlConfigLoader;
import fi.kelmu.gateway.fault.FaultCode;
import fi.kelmu.gateway.fault.GatewayException;
import java.io.IOException;
import java.io.StringReader;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import javax.xml.transform.stream.StreamSource;
import javax.xml.validation.Schema;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.xml.sax.SAXException;

/**
 * The WireMock mappings shipped for integrators' test harnesses ({@code samples/wiremock/payment-demand-backend/},
 * samples/wiremock/README.md), served as an integrator would serve them, from their folder, and asked through the
 * gateway's own client {@link PaymentDemandBackend}: each mapping answers what the README says, and every answer
 * is valid against the contract {@code xsd/backend/payment-demand-backend.xsd} (the client validates each answer it
 * uses; the static bodies are validated here one by one).
 */
class PaymentDemandWireMockMappingsTest {

    private static final Path ROOT = Path.of(System.getProperty("kelmu.project.dir", "."))
            .resolve("samples/wiremock/payment-demand-backend");
    private static final String COMMANDS = "/payment-demands/commands";

    private static final String LANSI_UUSIMAA = "9000001-1";
    private static final Set<String> LANSI_UUSIMAA_AREA =
            Set.of("049", "078", "149", "224", "235", "257", "444", "710", "755", "927");

    private static WireMockServer wireMock;
    private static PaymentDemandBackend backend;

    @BeforeAll
    static void serveTheMappings() {
        wireMock = new WireMockServer(wireMockConfig().dynamicPort().usingFilesUnderDirectory(ROOT.toString()));
        wireMock.start();
        backend = new PaymentDemandBackend(new PaymentBackendSettings(URI.create(wireMock.baseUrl()),
                Duration.ofSeconds(2), Duration.ofSeconds(5)));
    }

    @AfterAll
    static void stop() {
        wireMock.stop();
    }

    @BeforeEach
    void freshCountsAndScenarios() {
        wireMock.resetRequests();
        wireMock.resetScenarios();
    }

    private static List<Path> mappingFiles() throws IOException {
        try (Stream<Path> files = Files.list(ROOT.resolve("mappings"))) {
            return files.filter(f -> f.toString().endsWith(".json")).sorted().toList();
        }
    }

    private static DemandCommand submit(String demandId, String clientId) {
        DemandCommand command = new DemandCommand();
        command.setKind(CommandKind.SUBMIT);
        command.setDemandId(demandId);
        Demander demander = new Demander();
        demander.setBusinessId(LANSI_UUSIMAA);
        demander.setOrganisationType(OrganisationType.HVA);
        command.setDemander(demander);
        command.setClientId(clientId);
        command.setBenefitCode("YLEINEN_ASUMISTUKI");
        DateRange period = new DateRange();
        period.setFrom(LocalDate.of(2026, 11, 1));
        command.setPeriod(period);
        DemandAmount amount = new DemandAmount();
        amount.setSum(new BigDecimal("250.00"));
        command.setAmount(amount);
        command.setLegalBasis(LegalBasis.TOIMEENTULOTUKILAKI_23);
        command.setPayeeAccount("FI4640060010000014");
        command.setCaseReference("LU-STS-2026-0042");
        Area area = new Area();
        area.getMunicipality().addAll(new TreeSet<>(LANSI_UUSIMAA_AREA));
        command.setArea(area);
        return command;
    }

    // --- the mappings as files

    @Test
    void everyMappingFileIsLoaded() throws IOException {
        assertEquals(mappingFiles().size(), wireMock.listAllStubMappings().getMappings().size());
        assertEquals(10, mappingFiles().size(), "the mappings the README lists");
    }

    @Test
    void everyStaticAnswerIsValidAgainstTheContractAndAnErrorIsABackendError() throws IOException, SAXException {
        Schema schema = XmlConfigLoader.schema(PaymentDemandBackend.SCHEMA_LOCATION);
        ObjectMapper json = new ObjectMapper();
        List<String> checked = new ArrayList<>();
        for (Path file : mappingFiles()) {
            JsonNode response = json.readTree(file.toFile()).path("response");
            boolean templated = response.path("transformers").toString().contains("response-template");
            String body = response.has("bodyFileName")
                    ? Files.readString(ROOT.resolve("__files").resolve(response.get("bodyFileName").asText()))
                    : response.path("body").asText(null);
            assertNotNull(body, file + " answers no body");
            if (templated) {
                continue; // rendered per request: validated by the client in the command tests below
            }
            schema.newValidator().validate(new StreamSource(new StringReader(body)));
            int status = response.path("status").asInt();
            assertEquals(status != 200, body.contains("<backendError"), file + ": HTTP " + status + " with " + body);
            checked.add(file.getFileName().toString());
        }
        assertEquals(8, checked.size(), "static answers: " + checked);
    }

    // --- the client check

    @Test
    void clientOkTellsTheHomeMunicipalityAndTheBenefitPeriod() {
        ClientAnswer answer = backend.client("010180-9026", "YLEINEN_ASUMISTUKI", LANSI_UUSIMAA_AREA, "corr-ok");

        assertEquals("049", answer.getHomeMunicipality());
        assertEquals(1, answer.getBenefitPeriod().size());
        assertEquals(LocalDate.of(2026, 11, 1), answer.getBenefitPeriod().get(0).getFrom());
        assertEquals(LocalDate.of(2027, 10, 31), answer.getBenefitPeriod().get(0).getTo());
        wireMock.verify(1, postRequestedFor(urlPathEqualTo("/payment-demands/client"))
                .withHeader("X-Correlation-Id", equalTo("corr-ok")));
    }

    @Test
    void aClientOutsideTheAreaIsRefusedAsUnknownToTheCaller() {
        GatewayException e = assertThrows(GatewayException.class,
                () -> backend.client("150372-9134", "TYOMARKKINATUKI", LANSI_UUSIMAA_AREA, "corr-outside"));

        assertEquals(FaultCode.CLIENT_OUTSIDE_AREA, e.faultCode());
        assertEquals(FaultCode.UNKNOWN_CLIENT, e.faultCode().sentAs());
    }

    @Test
    void aClientKelaDoesNotKnowIsUnknown() {
        GatewayException e = assertThrows(GatewayException.class,
                () -> backend.client("121212-999R", "KANSANELAKE", LANSI_UUSIMAA_AREA, "corr-unknown"));

        assertEquals(FaultCode.UNKNOWN_CLIENT, e.faultCode());
    }

    // --- commands

    @Test
    void aCommandIsAcknowledgedRegisteredWithItsOwnDemandId() {
        DeliveryResult result = backend.deliver("9000001-1:harness-1", "corr-ack", submit("HARNESS-DEMAND-1", "010180-9026"));

        assertEquals(new DeliveryResult.Acked("REGISTERED", null), result);
        wireMock.verify(1, postRequestedFor(urlPathEqualTo(COMMANDS))
                .withHeader(PaymentDemandBackend.IDEMPOTENCY_KEY_HEADER, equalTo("9000001-1:harness-1"))
                .withHeader("X-Correlation-Id", equalTo("corr-ack")));
    }

    @Test
    void aCommandForAClientKelaDoesNotKnowIsRejectedNotRetried() {
        DeliveryResult result = backend.deliver("9000001-1:harness-2", "corr-rejected",
                submit("HARNESS-DEMAND-2", "121212-999R"));

        assertEquals(new DeliveryResult.Rejected("CLIENT_NOT_FOUND"), result);
    }

    @Test
    void anOutageIsUnavailableFirstThenTheRetryIsAcknowledged() {
        String key = "9000001-1:harness-outage";
        DemandCommand command = submit("HARNESS-DEMAND-3", "310199Y968K");

        DeliveryResult first = backend.deliver(key, "corr-outage", command);
        DeliveryResult retry = backend.deliver(key, "corr-outage", command);

        DeliveryResult.Unavailable unavailable = assertInstanceOf(DeliveryResult.Unavailable.class, first);
        assertTrue(unavailable.error().contains("503"), unavailable.error());
        assertEquals(new DeliveryResult.Acked("REGISTERED", null), retry);
        wireMock.verify(2, postRequestedFor(urlPathEqualTo(COMMANDS))
                .withHeader(PaymentDemandBackend.IDEMPOTENCY_KEY_HEADER, equalTo(key)));
        assertEquals(2, wireMock.getAllServeEvents().size());
    }

    @Test
    void aCommandWithoutAnIdempotencyKeyIsRefused() throws IOException, InterruptedException {
        HttpResponse<String> response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(wireMock.baseUrl() + COMMANDS))
                        .header("Content-Type", "application/xml")
                        .POST(HttpRequest.BodyPublishers.ofString("<demandCommand/>")).build(),
                HttpResponse.BodyHandlers.ofString());

        assertEquals(400, response.statusCode());
        assertTrue(response.body().contains("MISSING_IDEMPOTENCY_KEY"), response.body());
        wireMock.verify(1, postRequestedFor(urlPathEqualTo(COMMANDS))
                .withHeader(PaymentDemandBackend.IDEMPOTENCY_KEY_HEADER, absent()));
    }

    // --- the list

    @Test
    void theListHoldsLansiUusimaasTwoDemandsWithThePayment() {
        DemandList list = backend.query("010180-9026", LANSI_UUSIMAA, LANSI_UUSIMAA_AREA, "corr-list");

        assertEquals(2, list.getDemand().size());
        DemandList.Demand paid = list.getDemand().get(0);
        assertEquals("PD-DEMO-0001", paid.getDemandId());
        assertEquals("PAID", paid.getStatus().value());
        assertEquals(new BigDecimal("250.00"), paid.getAmount().getSum());
        assertEquals(1, paid.getPayment().size());
        assertEquals(LocalDate.of(2026, 11, 4), paid.getPayment().get(0).getPaid());
        assertEquals("FI4640060010000014", paid.getPayment().get(0).getAccount());
        DemandList.Demand invalidated = list.getDemand().get(1);
        assertEquals("INVALIDATED", invalidated.getStatus().value());
        assertNotNull(invalidated.getAmount().getWholeBenefit());
        assertNull(invalidated.getAmount().getSum());
        assertFalse(invalidated.getReason().isBlank());
    }

    @Test
    void anyOtherListIsEmptyAndTheRefusalsHoldForTheListToo() {
        assertEquals(List.of(), backend.query("310199Y968K", LANSI_UUSIMAA, LANSI_UUSIMAA_AREA, "corr-none").getDemand());

        GatewayException outside = assertThrows(GatewayException.class,
                () -> backend.query("150372-9134", LANSI_UUSIMAA, LANSI_UUSIMAA_AREA, "corr-list-outside"));
        GatewayException unknown = assertThrows(GatewayException.class,
                () -> backend.query("121212-999R", LANSI_UUSIMAA, LANSI_UUSIMAA_AREA, "corr-list-unknown"));

        assertEquals(FaultCode.CLIENT_OUTSIDE_AREA, outside.faultCode());
        assertEquals(FaultCode.UNKNOWN_CLIENT, unknown.faultCode());
    }
}
