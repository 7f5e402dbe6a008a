package fi.kelmu.gateway.support;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import fi.kelmu.gateway.Gateway;
import fi.kelmu.gateway.audit.AccessLogQuery;
import fi.kelmu.gateway.audit.AccessRecord;
import fi.kelmu.gateway.audit.Database;
import fi.kelmu.gateway.audit.JdbcAccessLog;
import fi.kelmu.gateway.audit.StoredAccessRecord;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The gateway under test for a whole test class: a sandbox gateway ({@link TestGateway#startSandbox}) started
 * before the class's first test and closed after its last, optionally with WireMock servers (dynamic ports)
 * standing in for the backend, for the mandate service, or in front of the backend simulator.
 *
 * <pre>
 * &#64;RegisterExtension
 * static final GatewayExtension GATEWAY = GatewayExtension.sandbox().withBackend().build();
 * </pre>
 *
 * Its WireMock servers behave as if each were a {@code @RegisterExtension WireMockExtension} of the class:
 * started first (the gateway is configured with their URLs), stubs reset before each test, and the backend's
 * fails a test that sent it a request no stub matched. The class's own {@code @BeforeAll} methods run after
 * the gateway has started, its {@code @AfterAll} methods before it is closed.
 */
public final class GatewayExtension implements BeforeAllCallback, BeforeEachCallback, AfterEachCallback,
        AfterAllCallback {

    /** The path of the backend contract on the WireMock backend: every adapter's base URL ends with it. */
    public static final String BACKEND_CONTEXT = "/kela";
    /** Where the adapters POST a benefit-data query on the WireMock backend. */
    public static final String BACKEND_PATH = BACKEND_CONTEXT + "/benefit-data";
    private static final List<String> PAYMENT_BACKEND_URL_PROPERTIES = List.of("kelmu.payment-backend.hva.url",
            "kelmu.payment-backend.kunta.url", "kelmu.payment-backend.helsinki.url");
    private static final List<String> BACKEND_URL_PROPERTIES = List.of("kelmu.backend.hva.base-url",
            "kelmu.backend.kunta.base-url", "kelmu.backend.helsinki.base-url");

    private final Map<String, String> properties;
    private final List<ComputedProperties> computedProperties;
    private final WireMockExtension backend;
    private final WireMockExtension mandateService;
    private final SimulatorProxy simulatorProxy;
    private final List<WireMockExtension> started = new ArrayList<>();
    private Path directory;
    private Map<String, String> configuration;
    private Gateway gateway;
    private Database database;

    private GatewayExtension(Builder builder) {
        this.properties = Map.copyOf(builder.properties);
        this.computedProperties = List.copyOf(builder.computedProperties);
        this.backend = builder.backend ? wireMock(true) : null;
        this.mandateService = builder.mandateService ? wireMock(false) : null;
        this.simulatorProxy = builder.simulatorProxy ? new SimulatorProxy(wireMock(false)) : null;
    }

    /** A sandbox gateway with the sandbox's own simulators, unless the builder says otherwise. */
    public static Builder sandbox() {
        return new Builder();
    }

    private static WireMockExtension wireMock(boolean failOnUnmatchedRequests) {
        return WireMockExtension.newInstance().options(wireMockConfig().dynamicPort())
                .failOnUnmatchedRequests(failOnUnmatchedRequests).build();
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        for (WireMockExtension wireMock : wireMocks()) {
            wireMock.beforeAll(context);
            started.add(wireMock);
        }
        directory = Files.createTempDirectory("kelmu-test-gateway");
        Map<String, String> config = new HashMap<>();
        if (backend != null) {
            BACKEND_URL_PROPERTIES.forEach(key -> config.put(key, backend.baseUrl() + BACKEND_CONTEXT));
            // the payment-demand backends too (docs/payment-demands.md); a test of payment demands stubs their paths
            PAYMENT_BACKEND_URL_PROPERTIES.forEach(key -> config.put(key, backend.baseUrl()));
        }
        if (mandateService != null) {
            config.put("kelmu.mandate.service.base-url", mandateService.baseUrl());
        }
        config.putAll(properties);
        for (ComputedProperties computed : computedProperties) {
            config.putAll(computed.in(directory));
        }
        configuration = Map.copyOf(simulatorProxy != null ? simulatorProxy.gatewayOverrides(config) : config);
        gateway = TestGateway.startSandbox(configuration);
    }

    @Override
    public void beforeEach(ExtensionContext context) throws Exception {
        for (WireMockExtension wireMock : started) {
            wireMock.beforeEach(context);
        }
        if (simulatorProxy != null) {
            simulatorProxy.forward();
        }
    }

    @Override
    public void afterEach(ExtensionContext context) throws Exception {
        for (WireMockExtension wireMock : started) {
            wireMock.afterEach(context);
        }
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        try {
            if (database != null) {
                database.close();
                database = null;
            }
            if (gateway != null) {
                gateway.close();
            }
        } finally {
            for (WireMockExtension wireMock : started) {
                wireMock.afterAll(context);
            }
            started.clear();
            if (directory != null) {
                delete(directory);
            }
        }
    }

    public Gateway gateway() {
        if (gateway == null) {
            throw new IllegalStateException("the gateway is started before the class's first test");
        }
        return gateway;
    }

    /** The URL of BenefitInformationService. */
    public String serviceUrl() {
        return gateway().serviceUrl();
    }

    /** The URL of AccessService. */
    public String accessServiceUrl() {
        return gateway().accessServiceUrl();
    }

    /** The access-log records of one request, by its correlation id, as the gateway's database holds them. */
    public List<AccessRecord> accessRecordsOf(String correlationId) {
        return storedAccessRecordsOf(correlationId).stream().map(StoredAccessRecord::record).toList();
    }

    /** As {@link #accessRecordsOf}, with each record's sequence number and hashes. */
    public synchronized List<StoredAccessRecord> storedAccessRecordsOf(String correlationId) {
        if (database == null) {
            database = Database.open(gateway().config().required("kelmu.db.url"), "kelmu", "");
        }
        return new JdbcAccessLog(database.dataSource()).find(AccessLogQuery.all().withLimit(1_000_000)).stream()
                .filter(r -> r.record().correlationId().equals(correlationId)).toList();
    }

    /** The WireMock backend ({@link Builder#withBackend}): every backend adapter's base URL points at it. */
    public WireMockExtension backend() {
        return required(backend, "withBackend()");
    }

    /** The WireMock mandate service ({@link Builder#withMandateService}). */
    public WireMockExtension mandateService() {
        return required(mandateService, "withMandateService()");
    }

    /** The WireMock in front of the backend simulator ({@link Builder#withSimulatorProxy}). */
    public WireMockExtension simulatorProxy() {
        return required(simulatorProxy, "withSimulatorProxy()").wireMock();
    }

    /** Answers the adapters' benefit-data query on the WireMock backend with a test resource, status 200. */
    public void answerBenefitData(String resource) {
        byte[] answer;
        try (InputStream in = GatewayExtension.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalArgumentException("no test resource " + resource);
            }
            answer = in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        backend().stubFor(post(urlEqualTo(BACKEND_PATH)).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/xml").withBody(answer)));
    }

    /**
     * Starts another gateway configured as this one (the same WireMock servers and properties) with
     * {@code overrides} on top, but with an access log of its own. The caller closes it.
     */
    public Gateway startAnother(Map<String, String> overrides) throws Exception {
        if (simulatorProxy != null) {
            throw new IllegalStateException("a second gateway would start a second simulator on the proxy's port");
        }
        Map<String, String> config = new HashMap<>(configuration);
        config.remove("kelmu.db.url");
        config.putAll(overrides);
        return TestGateway.startSandbox(config);
    }

    private List<WireMockExtension> wireMocks() {
        List<WireMockExtension> result = new ArrayList<>();
        for (WireMockExtension wireMock : new WireMockExtension[] {backend, mandateService,
            simulatorProxy == null ? null : simulatorProxy.wireMock()}) {
            if (wireMock != null) {
                result.add(wireMock);
            }
        }
        return result;
    }

    private static <T> T required(T part, String builderMethod) {
        if (part == null) {
            throw new IllegalStateException("this gateway was built without " + builderMethod);
        }
        return part;
    }

    private static void delete(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }

    /** Properties computed when the gateway starts, in a temporary folder of the extension's own. */
    @FunctionalInterface
    public interface ComputedProperties {
        Map<String, String> in(Path folder) throws Exception;
    }

    /** What the gateway under test is started with. */
    public static final class Builder {

        private final Map<String, String> properties = new LinkedHashMap<>();
        private final List<ComputedProperties> computedProperties = new ArrayList<>();
        private boolean backend;
        private boolean mandateService;
        private boolean simulatorProxy;

        private Builder() {
        }

        public Builder property(String key, String value) {
            properties.put(key, value);
            return this;
        }

        public Builder properties(Map<String, String> values) {
            properties.putAll(values);
            return this;
        }

        /**
         * Properties computed when the gateway starts, from a temporary folder the extension owns (deleted
         * after the class): for files the configuration names, such as key stores, CRLs or an access log.
         */
        public Builder properties(ComputedProperties fromTemporaryFolder) {
            computedProperties.add(fromTemporaryFolder);
            return this;
        }

        /**
         * A WireMock backend: the base URL of every backend adapter (HVA, KUNTA, HELSINKI) is its
         * {@link #BACKEND_CONTEXT}; a request no stub matches fails the test.
         */
        public Builder withBackend() {
            backend = true;
            return this;
        }

        /** A WireMock mandate service at {@code kelmu.mandate.service.base-url}. */
        public Builder withMandateService() {
            mandateService = true;
            return this;
        }

        /**
         * A WireMock in front of the sandbox backend simulator ({@link SimulatorProxy}), forwarding every
         * request before each test: the demo data answers, WireMock records what the gateway asked.
         */
        public Builder withSimulatorProxy() {
            simulatorProxy = true;
            return this;
        }

        /**
         * An access log of the class's own, an H2 file in the extension's folder that the test reads while the
         * gateway runs ({@link GatewayExtension#accessRecordsOf}).
         */
        public Builder withOwnAccessLog() {
            return properties(dir -> Map.of("kelmu.db.url",
                    "jdbc:h2:file:" + dir.resolve("log").toAbsolutePath() + ";AUTO_SERVER=TRUE"));
        }

        public GatewayExtension build() {
            if (backend && simulatorProxy) {
                throw new IllegalStateException("the backend is either a WireMock stub or the proxied simulator");
            }
            return new GatewayExtension(this);
        }
    }
}
