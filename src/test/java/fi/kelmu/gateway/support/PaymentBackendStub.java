package fi.kelmu.gateway.support;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.matching;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BooleanSupplier;

/**
 * A WireMock standing in for Kela's payment-demand backend (xsd/backend/payment-demand-backend.xsd), stubbed by the
 * test: the client check, the commands of the outbox and the query, each either answering or down (503). It counts
 * the commands it received and answered by their {@code Idempotency-Key}, which is what "delivered exactly once"
 * means at the backend.
 */
public final class PaymentBackendStub implements AutoCloseable {

    public static final String NS = "urn:fi:kela:kelmu:backend:payment-demand:v1";
    public static final String CLIENT_PATH = "/payment-demands/client";
    public static final String COMMANDS_PATH = "/payment-demands/commands";
    public static final String QUERY_PATH = "/payment-demands/query";
    private static final String UNAVAILABLE = "<backendError xmlns=\"" + NS + "\" code=\"SERVICE_UNAVAILABLE\">"
            + "<message>down for the test</message></backendError>";

    private final WireMockServer server;

    private PaymentBackendStub(WireMockServer server) {
        this.server = server;
    }

    /** Started on a free port, with no stubs (every request answered 404 until the test stubs it). */
    public static PaymentBackendStub start() {
        WireMockServer server = new WireMockServer(wireMockConfig().dynamicPort().containerThreads(40));
        server.start();
        return new PaymentBackendStub(server);
    }

    /** For {@code kelmu.payment-backend.<type>.url}. */
    public String baseUrl() {
        return server.baseUrl();
    }

    /** The gateway properties pointing all three payment-demand backends here. */
    public Map<String, String> gatewayProperties() {
        return Map.of("kelmu.payment-backend.hva.url", baseUrl(), "kelmu.payment-backend.kunta.url", baseUrl(),
                "kelmu.payment-backend.helsinki.url", baseUrl());
    }

    public WireMockServer server() {
        return server;
    }

    /** The backend is up: {@code clientId} lives in {@code municipality} with one benefit period; commands acked. */
    public PaymentBackendStub up(String clientId, String municipality, String periodFrom, String periodTo,
            Duration commandDelay) {
        server.resetMappings();
        server.stubFor(post(urlPathEqualTo(CLIENT_PATH)).willReturn(xml(200, "<clientAnswer xmlns=\"" + NS
                + "\" homeMunicipality=\"" + municipality + "\"><clientId>" + clientId + "</clientId><benefitPeriod from=\""
                + periodFrom + "\" to=\"" + periodTo + "\"/></clientAnswer>")));
        server.stubFor(post(urlPathEqualTo(COMMANDS_PATH)).withHeader("Idempotency-Key", matching("[\\x21-\\x7E]{1,200}"))
                .willReturn(xml(200, "<demandAck xmlns=\"" + NS + "\" status=\"REGISTERED\"><demandId>"
                        + "{{xPath request.body \"//*[local-name()='demandId']/text()\"}}</demandId></demandAck>")
                        .withTransformers("response-template")
                        .withFixedDelay((int) commandDelay.toMillis())));
        server.stubFor(post(urlPathEqualTo(QUERY_PATH)).willReturn(xml(200, "<demandList xmlns=\"" + NS + "\"/>")));
        return this;
    }

    /** The backend is down: every path answers 503 SERVICE_UNAVAILABLE. */
    public PaymentBackendStub down() {
        server.resetMappings();
        for (String path : List.of(CLIENT_PATH, COMMANDS_PATH, QUERY_PATH)) {
            server.stubFor(post(urlPathEqualTo(path)).willReturn(xml(503, UNAVAILABLE)));
        }
        return this;
    }

    private static com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder xml(int status, String body) {
        return aResponse().withStatus(status).withHeader("Content-Type", "application/xml; charset=UTF-8")
                .withBody(body);
    }

    /** Commands received with {@code key}, whatever the answer. */
    public int commandsReceived(String key) {
        return (int) commands().stream().filter(e -> key.equals(e.getRequest().getHeader("Idempotency-Key"))).count();
    }

    /** Commands with {@code key} the backend answered 200 (acknowledged: the demand exists at Kela). */
    public int commandsAcknowledged(String key) {
        return (int) commands().stream().filter(e -> key.equals(e.getRequest().getHeader("Idempotency-Key")))
                .filter(e -> e.getResponse().getStatus() == 200).count();
    }

    /** Every Idempotency-Key received on the commands path, with how many times it was answered 200. */
    public Map<String, Integer> acknowledgedByKey() {
        Map<String, Integer> counts = new TreeMap<>();
        for (ServeEvent e : commands()) {
            String key = e.getRequest().getHeader("Idempotency-Key");
            counts.merge(key, e.getResponse().getStatus() == 200 ? 1 : 0, Integer::sum);
        }
        return counts;
    }

    /** Every command request received, whatever the answer. */
    public int commandRequests() {
        return commands().size();
    }

    private List<ServeEvent> commands() {
        return server.getAllServeEvents().stream()
                .filter(e -> e.getRequest().getUrl().startsWith(COMMANDS_PATH)).toList();
    }

    /** Waits for {@code condition} until {@code timeout}; false when it never held. */
    public static boolean await(Duration timeout, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (condition.getAsBoolean()) {
                return true;
            }
            Thread.sleep(100);
        }
        return condition.getAsBoolean();
    }

    @Override
    public void close() {
        server.stop();
    }
}
