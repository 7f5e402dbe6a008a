package fi.kelmu.gateway;

import fi.kelmu.gateway.adapter.BackendSettings;
import fi.kelmu.gateway.audit.AccessAudit;
import fi.kelmu.gateway.audit.Database;
import fi.kelmu.gateway.audit.JdbcAccessLog;
import fi.kelmu.gateway.adapter.BenefitBackendAdapter;
import fi.kelmu.gateway.benefit.BenefitQueries;
import fi.kelmu.gateway.config.GatewayConfig;
import fi.kelmu.gateway.config.ResourceLocation;
import fi.kelmu.gateway.fault.FaultTranslator;
import fi.kelmu.gateway.fault.RouteFaultPolicy;
import fi.kelmu.gateway.policy.AccessPolicy;
import fi.kelmu.gateway.policy.AccessSelfCheck;
import fi.kelmu.gateway.mandate.MandateResolution;
import fi.kelmu.gateway.registry.MunicipalityReference;
import fi.kelmu.gateway.registry.OrganisationRegistry;
import fi.kelmu.gateway.registry.OrganisationRouting;
import fi.kelmu.gateway.registry.OrganisationType;
import fi.kelmu.gateway.security.GatewaySecurity;
import fi.kelmu.gateway.security.XmlPreScan;
import fi.kelmu.gateway.transport.TlsListener;
import fi.kelmu.gateway.simulator.BackendSimulator;
import fi.kelmu.gateway.simulator.MandateServiceSimulator;
import fi.kelmu.gateway.mandate.MandateLookup;
import fi.kelmu.gateway.mandate.SuomiFiMandateClient;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import fi.kelmu.gateway.transport.ServiceEndpoints;
import fi.kelmu.gateway.transport.GatewayRequests;
import fi.kelmu.gateway.xroad.ServiceIdentity;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.camel.CamelContext;
import org.apache.camel.main.Main;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running gateway: reads the configuration, starts the sandbox simulator when configured, builds
 * the registry, policy and adapters, and starts Camel with the routes of {@code routes/}.
 */
public final class Gateway implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Gateway.class);

    private final Main main;
    /** What the gateway opened besides Camel (simulators, the database), closed in reverse order. */
    private final List<AutoCloseable> resources;
    private final GatewayConfig config;

    private Gateway(Main main, List<AutoCloseable> resources, GatewayConfig config) {
        this.main = main;
        this.resources = resources;
        this.config = config;
    }

    public static Gateway start(GatewayConfig initial) throws Exception {
        GatewayConfig config = initial;
        if (!config.isSandbox() && config.bool("kelmu.simulator.enabled")) {
            throw new IllegalStateException("production mode refuses to start the sandbox simulators");
        }
        List<AutoCloseable> resources = new ArrayList<>();
        try {
            if (config.bool("kelmu.simulator.enabled")) {
                BackendSimulator backend = BackendSimulator.start(config.required("kelmu.simulator.host"),
                        config.integer("kelmu.simulator.port"),
                        new ResourceLocation(config.required("kelmu.simulator.data-file")));
                resources.add(backend);
                config = config.with("kelmu.simulator.url", backend.baseUrl().toString());
                MandateServiceSimulator mandates = MandateServiceSimulator.start(config, Clock.systemUTC());
                resources.add(mandates);
                config = config.with("kelmu.simulator.mandate-url", mandates.baseUrl().toString());
            }
            Main main = new Main();
            main.setInitialProperties(config.toProperties());
            main.configure().withRoutesIncludePattern(routesPattern(config));
            bindBeans(main, config, resources);
            main.start();
            Gateway gateway = new Gateway(main, resources, config);
            LOG.info("kelmu-gateway started in {} mode: {} and {}", config.get("kelmu.mode"), gateway.serviceUrl(),
                    gateway.accessServiceUrl());
            return gateway;
        } catch (Exception | Error e) {
            closeAll(resources);
            throw e;
        }
    }

    private static void closeAll(List<AutoCloseable> resources) {
        for (int i = resources.size() - 1; i >= 0; i--) {
            try {
                resources.get(i).close();
            } catch (Exception e) {
                LOG.warn("closing {} failed", resources.get(i), e);
            }
        }
    }

    private static void bindBeans(Main main, GatewayConfig config, List<AutoCloseable> resources) {
        MunicipalityReference municipalities = MunicipalityReference.load();
        OrganisationRegistry registry = OrganisationRegistry.load(
                new ResourceLocation(config.required("kelmu.registry.file")), municipalities);
        AccessPolicy policy = AccessPolicy.load(new ResourceLocation(config.required("kelmu.policy.file")),
                servedViews());
        FaultTranslator translator = new FaultTranslator();
        ServiceIdentity identity = new ServiceIdentity(config.required("kelmu.xroad.instance"),
                config.required("kelmu.xroad.member-class"), config.required("kelmu.xroad.member-code"),
                config.get("kelmu.xroad.subsystem-code"), config.get("kelmu.xroad.service-version"));
        GatewaySecurity security = GatewaySecurity.configure(config, registry);

        String address = listenerAddress(config);
        XmlPreScan preScan = new XmlPreScan(new XmlPreScan.Limits(
                config.integer("kelmu.xml.max-element-depth"), config.integer("kelmu.xml.max-child-elements"),
                config.integer("kelmu.xml.max-element-count"), config.integer("kelmu.xml.max-attribute-count"),
                config.integer("kelmu.xml.max-attribute-size"), config.integer("kelmu.xml.max-text-length")));
        Map<String, Object> xmlLimits = xmlLimits(config);
        // both services share one pipeline, one listener and one replay cache
        for (var service : Map.of("benefitInformationService", ServiceEndpoints.BENEFIT_INFORMATION,
                "accessService", ServiceEndpoints.ACCESS).entrySet()) {
            main.bind(service.getKey(), ServiceEndpoints.create(service.getValue(), address,
                    config.integer("kelmu.request.max-bytes"), preScan, xmlLimits, identity, translator,
                    security.requestStages(), security.responseSigning()));
        }
        main.bind("gatewayRequests", new GatewayRequests());
        main.bind("routeFaultPolicy", new RouteFaultPolicy(translator));
        Clock clock = Clock.systemUTC();
        main.bind("benefitQueries", new BenefitQueries(policy, clock));
        main.bind("organisationRouting", new OrganisationRouting(clock));
        MandateResolution.OnlineCheck onlineCheck = MandateResolution.OnlineCheck.parse(
                config.required("kelmu.mandate.online-check"));
        MandateLookup lookup = onlineCheck == MandateResolution.OnlineCheck.OFF
                ? MandateResolution.NO_ONLINE_CHECK : SuomiFiMandateClient.fromConfig(config, clock);
        main.bind("mandateResolution", new MandateResolution(onlineCheck, lookup, policy.mandateCodes()));
        // the access log must be writable before the first request is accepted (issue 4 item 7)
        Database database = Database.open(config);
        resources.add(database);
        main.bind("accessAudit", new AccessAudit(new JdbcAccessLog(database.dataSource()), clock));
        main.bind("accessSelfCheck", new AccessSelfCheck(policy, clock));
        main.bind("hvaBackend", adapter(config, OrganisationType.HVA));
        main.bind("kuntaBackend", adapter(config, OrganisationType.KUNTA));
        main.bind("helsinkiBackend", adapter(config, OrganisationType.HELSINKI));
    }

    private static String listenerAddress(GatewayConfig config) {
        String scheme = config.bool("kelmu.tls.enabled") ? "https" : "http";
        if (config.bool("kelmu.tls.enabled")) {
            TlsListener.configure(config);
        }
        return scheme + "://" + config.required("kelmu.http.host") + ":" + config.integer("kelmu.http.port");
    }

    /** CXF's StAX reader limits, checked while parsing, before any element is kept. */
    static Map<String, Object> xmlLimits(GatewayConfig config) {
        return Map.of(
                "org.apache.cxf.stax.maxElementDepth", config.integer("kelmu.xml.max-element-depth"),
                "org.apache.cxf.stax.maxChildElements", config.integer("kelmu.xml.max-child-elements"),
                "org.apache.cxf.stax.maxElementCount", (long) config.integer("kelmu.xml.max-element-count"),
                "org.apache.cxf.stax.maxAttributeCount", config.integer("kelmu.xml.max-attribute-count"),
                "org.apache.cxf.stax.maxAttributeSize", config.integer("kelmu.xml.max-attribute-size"),
                "org.apache.cxf.stax.maxTextLength", config.integer("kelmu.xml.max-text-length"),
                "org.apache.cxf.stax.maxXMLCharacters", (long) config.integer("kelmu.request.max-bytes"));
    }

    /** Operations and the views each can serve: what the policy file is checked against. */
    static Map<String, Set<String>> servedViews() {
        Set<String> benefitViews = Arrays.stream(fi.kelmu.contract.benefit.v1.BenefitView.values())
                .map(fi.kelmu.contract.benefit.v1.BenefitView::value).collect(Collectors.toSet());
        return Map.of(BenefitQueries.GET_BENEFIT_DATA, benefitViews,
                BenefitQueries.GET_BASIC_SOCIAL_ASSISTANCE, Set.of("BASIC_SOCIAL_ASSISTANCE"));
    }

    static BenefitBackendAdapter adapter(GatewayConfig config, OrganisationType type) {
        String prefix = "kelmu.backend." + type.name().toLowerCase() + ".";
        return new BenefitBackendAdapter(type, new BackendSettings(
                URI.create(config.required(prefix + "base-url")),
                config.millis(prefix + "connect-timeout-ms"),
                config.millis(prefix + "read-timeout-ms"),
                config.integer(prefix + "breaker.failure-rate-percent"),
                config.integer(prefix + "breaker.window-calls"),
                config.integer(prefix + "breaker.minimum-calls"),
                config.millis(prefix + "breaker.open-ms")));
    }

    private static String routesPattern(GatewayConfig config) {
        Path dir = Path.of(config.required("kelmu.routes.directory"));
        if (Files.isDirectory(dir)) {
            LOG.info("loading routes from {}", dir.toAbsolutePath());
            return "file:" + dir + "/*.camel.yaml";
        }
        LOG.info("no routes folder at {}; using the routes packaged in the jar", dir.toAbsolutePath());
        return "classpath:routes/*.camel.yaml";
    }

    public CamelContext camelContext() {
        return main.getCamelContext();
    }

    public GatewayConfig config() {
        return config;
    }

    /** The URL of BenefitInformationService. */
    public String serviceUrl() {
        return url(ServiceEndpoints.BENEFIT_INFORMATION);
    }

    /** The URL of AccessService, the self-check. */
    public String accessServiceUrl() {
        return url(ServiceEndpoints.ACCESS);
    }

    private String url(ServiceEndpoints.ServiceContract service) {
        String scheme = config.bool("kelmu.tls.enabled") ? "https" : "http";
        return scheme + "://localhost:" + config.integer("kelmu.http.port") + service.path();
    }

    @Override
    public void close() {
        try {
            main.stop();
        } catch (RuntimeException e) {
            LOG.warn("stopping Camel failed", e);
        }
        closeAll(resources);
    }
}
