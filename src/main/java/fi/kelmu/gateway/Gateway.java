package fi.kelmu.gateway;

import fi.kelmu.gateway.adapter.BenefitBackendAdapter;
import fi.kelmu.gateway.adapter.PaymentBackendSettings;
import fi.kelmu.gateway.adapter.PaymentDemandBackend;
import fi.kelmu.gateway.adapter.PaymentDemandDelivery;
import fi.kelmu.gateway.payment.JdbcPaymentDemands;
import fi.kelmu.gateway.payment.OutboxSettings;
import fi.kelmu.gateway.route.PaymentBackendSteps;
import fi.kelmu.gateway.route.PaymentDemandOutbox;
import fi.kelmu.gateway.route.PaymentDemandSteps;
import fi.kelmu.gateway.route.YearEndTransferStep;
import fi.kelmu.gateway.audit.AccessJournal;
import fi.kelmu.gateway.audit.AccessLogSettings;
import fi.kelmu.gateway.audit.Checkpoints;
import fi.kelmu.gateway.audit.Database;
import fi.kelmu.gateway.audit.GroupCommitAccessLog;
import fi.kelmu.gateway.audit.RefusalSpool;
import fi.kelmu.gateway.audit.JdbcAccessLog;
import fi.kelmu.gateway.audit.JdbcCheckpointStore;
import fi.kelmu.gateway.benefit.BenefitOperations;
import fi.kelmu.gateway.config.GatewayConfig;
import fi.kelmu.gateway.identity.CallerAuthentication;
import fi.kelmu.gateway.identity.InMemoryReplayCache;
import fi.kelmu.gateway.identity.JdbcReplayCache;
import fi.kelmu.gateway.identity.ReplayCache;
import fi.kelmu.gateway.identity.ReplayCacheSettings;
import fi.kelmu.gateway.identity.ReplayClaim;
import fi.kelmu.gateway.identity.WriteBehindReplayCache;
import fi.kelmu.gateway.payment.PaymentDemandOperations;
import fi.kelmu.gateway.mandate.MandateAssertion;
import fi.kelmu.gateway.mandate.MandateAssertionVerifier;
import fi.kelmu.gateway.mandate.MandateAssertions;
import fi.kelmu.gateway.mandate.MandateResolution;
import fi.kelmu.gateway.mandate.MandateSettings;
import fi.kelmu.gateway.mandate.SuomiFiMandateClient;
import fi.kelmu.gateway.policy.AccessPolicy;
import fi.kelmu.gateway.policy.AccessSelfCheck;
import fi.kelmu.gateway.registry.MunicipalityReference;
import fi.kelmu.gateway.registry.OrganisationRegistry;
import fi.kelmu.gateway.registry.OrganisationType;
import fi.kelmu.gateway.route.AccessSteps;
import fi.kelmu.gateway.route.AdapterStep;
import fi.kelmu.gateway.route.AuditSteps;
import fi.kelmu.gateway.route.BenefitSteps;
import fi.kelmu.gateway.route.FaultSteps;
import fi.kelmu.gateway.route.MandateSteps;
import fi.kelmu.gateway.route.PolicySteps;
import fi.kelmu.gateway.route.RequestSteps;
import fi.kelmu.gateway.route.RoutingSteps;
import fi.kelmu.gateway.security.GatewaySecurity;
import fi.kelmu.gateway.security.SecurityMode;
import fi.kelmu.gateway.security.SecurityServerDelivery;
import fi.kelmu.gateway.security.SecurityServerSettings;
import fi.kelmu.gateway.security.SecuritySettings;
import fi.kelmu.gateway.security.XmlPreScan;
import fi.kelmu.gateway.transport.FaultTranslator;
import fi.kelmu.gateway.transport.HttpListener;
import fi.kelmu.gateway.transport.InboundChain;
import fi.kelmu.gateway.transport.ListenerSettings;
import fi.kelmu.gateway.transport.MessageSecurityInterceptor;
import fi.kelmu.gateway.transport.ResponseSigning;
import fi.kelmu.gateway.transport.PreRouteRefusalInterceptor;
import fi.kelmu.gateway.transport.RequestCaptureInterceptor;
import fi.kelmu.gateway.transport.ServedWsdl;
import fi.kelmu.gateway.transport.ServiceEndpoints;
import fi.kelmu.gateway.transport.XRoadHeaderInterceptor;
import fi.kelmu.gateway.xroad.ServiceIdentity;
import fi.kelmu.gateway.xroad.XRoadHeaderReader;
import fi.kelmu.gateway.xroad.XRoadHeaders;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.camel.CamelContext;
import org.apache.camel.main.Main;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The composition root of one running gateway (docs/architecture.md): reads each capability's settings
 * ({@link GatewaySettings}), builds the capabilities, the inbound chain and the route steps, and starts Camel
 * with the routes of {@code routes/}. It is the production wiring and knows nothing of the sandbox; sandbox
 * mode starts its simulators first ({@link Launcher}) and points the configuration at them.
 */
public final class Gateway implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Gateway.class);

    private final Main main;
    /** What the gateway opened besides Camel (the database, what it was given), closed in reverse order. */
    private final List<AutoCloseable> resources;
    private final GatewayConfig config;
    private final ListenerSettings listener;

    private Gateway(Main main, List<AutoCloseable> resources, GatewayConfig config, ListenerSettings listener) {
        this.main = main;
        this.resources = resources;
        this.config = config;
        this.listener = listener;
    }

    public static Gateway start(GatewayConfig config) throws Exception {
        return start(config, List.of());
    }

    /** Starts the gateway; {@code owned} are closed with it (or at once, when it fails to start). */
    public static Gateway start(GatewayConfig config, List<AutoCloseable> owned) throws Exception {
        List<AutoCloseable> resources = new ArrayList<>(owned);
        try {
            GatewaySettings.simulators(config);
            ListenerSettings listener = GatewaySettings.listener(config);
            Main main = new Main();
            // Camel Main also reads classpath:application.properties (the gateway's defaults), whose values beat
            // initial properties: a route's {{placeholder}} then ignored overrides, the environment and the
            // configuration file. The gateway's resolved configuration is what the routes must see.
            main.setOverrideProperties(config.toProperties());
            main.configure().withRoutesIncludePattern(routesPattern(GatewaySettings.routesDirectory(config)));
            bind(main, config, listener, resources);
            main.start();
            Gateway gateway = new Gateway(main, resources, config, listener);
            LOG.info("kelmu-gateway started in {} mode ({}): {}, {} and {}", config.get("kelmu.mode"),
                    GatewaySettings.securityMode(config).value(), gateway.serviceUrl(),
                    gateway.paymentDemandServiceUrl(), gateway.accessServiceUrl());
            return gateway;
        } catch (Exception | Error e) {
            closeAll(resources);
            throw e;
        }
    }

    private static void bind(Main main, GatewayConfig config, ListenerSettings listener, List<AutoCloseable> resources) {
        boolean production = GatewaySettings.production(config);
        Clock clock = Clock.systemUTC();
        OrganisationRegistry registry = OrganisationRegistry.load(GatewaySettings.registryFile(config),
                MunicipalityReference.load());
        AccessPolicy policy = AccessPolicy.load(GatewaySettings.policyFile(config), servedViews());
        FaultTranslator translator = new FaultTranslator();

        // the inbound chain (docs/architecture.md): pre-scan, message proof, X-Road headers, caller and replay
        ServiceIdentity identity = GatewaySettings.serviceIdentity(config);
        for (ServiceEndpoints.ServiceContract contract : List.of(ServiceEndpoints.BENEFIT_INFORMATION,
                ServiceEndpoints.ACCESS, ServiceEndpoints.PAYMENT_DEMAND)) {
            ServedWsdl.requireVersion(contract.wsdl(), identity.serviceVersion());
        }
        XRoadHeaderReader headers = new XRoadHeaderReader(identity, GatewaySettings.memberClients(config));
        SecurityMode mode = GatewaySettings.securityMode(config);
        MessageSecurityInterceptor.MessageProof proof;
        Duration replayWindow;
        ResponseSigning responseSigning = null;
        if (mode == SecurityMode.XROAD_SECURITY_SERVER) {
            // behind an X-Road security server (docs/security.md): it signs, the gateway knows it by its TLS certificate
            requireClientCertificates(listener);
            SecurityServerSettings servers = GatewaySettings.securityServers(config);
            List<X509Certificate> pinned = GatewaySecurity.trustedCertificates(servers.store(), servers.password(),
                    production, "kelmu.xroad.security-servers.file");
            if (pinned.isEmpty()) {
                throw new IllegalStateException("kelmu.xroad.security-servers.file holds no security server certificate");
            }
            proof = new SecurityServerDelivery(pinned, clock)::verify;
            replayWindow = servers.messageIdRetention();
        } else {
            SecuritySettings securitySettings = GatewaySettings.security(config);
            GatewaySecurity security = GatewaySecurity.configure(securitySettings, production,
                    XRoadHeaders.REQUEST_HEADERS, Set.of(MandateAssertion.QNAME), clock);
            proof = (document, tlsPeer) -> security.verifier().verify(document);
            replayWindow = securitySettings.replayWindow();
            if (!security.responseKeys().isEmpty()) {
                responseSigning = ResponseSigning.of(security.responseKeys(), securitySettings.timestampTtlSeconds());
            }
        }
        // the access log's checkpoints are signed with the gateway's own key, in both modes (docs/access-log.md)
        GatewaySecurity.SigningKeyStore checkpointKey = GatewaySecurity.load(GatewaySettings.gatewayKey(config),
                production, "kelmu.security.gateway-keystore.file");
        Duration checkpointInterval = GatewaySettings.checkpointInterval(config);
        // the access log must be writable before the first request is accepted (docs/access-log.md); the
        // replay cache of the inbound chain lives in the same database
        Database database = Database.open(GatewaySettings.database(config));
        resources.add(database::closeAsOwner);
        AccessLogSettings logSettings = GatewaySettings.accessLog(config);
        JdbcAccessLog records = new JdbcAccessLog(database.dataSource());
        // where a commit is not durable by itself (H2), the log's own journal makes it so; after a crash it gives
        // back what the database lost, before the first request is accepted
        AccessJournal journal = null;
        boolean sharedDatabase = records.commitIsDurable();
        if (!sharedDatabase) {
            journal = new AccessJournal(logSettings.journalFile());
            journal.recover(records);
        }
        GroupCommitAccessLog accessLog = new GroupCommitAccessLog(records,
                new RefusalSpool(logSettings.spoolFile(), logSettings.spoolMaxBytes()), journal,
                logSettings.journalFlush(), database::evictConnections, logSettings.maxBatch(), logSettings.capacity(),
                logSettings.maxWait(), clock);
        resources.add(accessLog);
        // closed before the access log and the database: the last checkpoint is written as the gateway stops
        resources.add(new Checkpoints(new JdbcCheckpointStore(database.dataSource()), checkpointKey.privateKey(),
                checkpointKey.certificate(), clock).start(checkpointInterval));

        InboundChain chain = new InboundChain(
                new RequestCaptureInterceptor(listener.maxRequestBytes(), new XmlPreScan(listener.xmlLimits())),
                new MessageSecurityInterceptor(proof, headers, new CallerAuthentication(registry,
                        replayCache(GatewaySettings.replayCache(config), database, sharedDatabase, records,
                                accessLog, replayWindow, clock, resources), replayWindow,
                        PaymentDemandOperations.writeElements())),
                new XRoadHeaderInterceptor(headers), new PreRouteRefusalInterceptor(accessLog, clock));
        // the listener's limits and TLS, before the endpoints start on it
        HttpListener.configure(listener, production);
        // the services share one pipeline, one listener and one replay cache
        for (var service : Map.of("benefitInformationService", ServiceEndpoints.BENEFIT_INFORMATION,
                "accessService", ServiceEndpoints.ACCESS,
                "paymentDemandService", ServiceEndpoints.PAYMENT_DEMAND).entrySet()) {
            main.bind(service.getKey(), ServiceEndpoints.create(service.getValue(), listener.address(),
                    listener.publicUrl(), chain, listener.cxfXmlLimits(), translator, responseSigning));
        }

        MandateSettings mandates = GatewaySettings.mandates(config);
        MandateResolution resolution = new MandateResolution(mandates.onlineCheck(),
                SuomiFiMandateClient.of(mandates, clock), policy.mandateCodes());
        main.bind("mandateSteps", new MandateSteps(new MandateAssertions(mandateVerifier(mandates, production, clock)),
                resolution));
        main.bind("requestSteps", new RequestSteps());
        main.bind("faultSteps", new FaultSteps(translator));
        main.bind("benefitSteps", new BenefitSteps());
        main.bind("policySteps", new PolicySteps(policy, clock));
        main.bind("routingSteps", new RoutingSteps());
        main.bind("auditSteps", new AuditSteps(accessLog, clock));
        main.bind("accessSteps", new AccessSteps(new AccessSelfCheck(policy, clock)));
        Map<OrganisationType, PaymentDemandBackend> paymentBackends = new EnumMap<>(OrganisationType.class);
        for (OrganisationType type : GatewaySettings.ADAPTER_TYPES) {
            String name = type.name().toLowerCase(java.util.Locale.ROOT);
            main.bind(name + "Backend", new AdapterStep(
                    new BenefitBackendAdapter(type, GatewaySettings.backend(config, type))));
            PaymentDemandBackend paymentBackend = new PaymentDemandBackend(PaymentBackendSettings.from(config, type));
            paymentBackends.put(type, paymentBackend);
            main.bind(name + "PaymentBackend", new PaymentBackendSteps(paymentBackend));
        }

        // payment demands (docs/payment-demands.md): the store in the access log's database, its outbox delivered
        // to the backend of each demander's type
        OutboxSettings outbox = GatewaySettings.outbox(config);
        JdbcPaymentDemands paymentDemands = new JdbcPaymentDemands(database.dataSource(), outbox);
        main.bind("paymentDemandSteps", new PaymentDemandSteps(paymentDemands, clock));
        main.bind("paymentDemandOutbox", new PaymentDemandOutbox(paymentDemands,
                new PaymentDemandDelivery(paymentBackends, registry), outbox, clock));
        main.bind("yearEndTransferStep", new YearEndTransferStep(paymentDemands, registry,
                GatewaySettings.yearEnd(config), GatewaySettings.yearEndReportDirectory(config), clock));
    }

    /**
     * The replay cache (docs/security.md): in the database unless memory is chosen; closed before the database. On
     * PostgreSQL, which replicas share, the database decides each check; H2 is the one gateway's own, so its checks
     * are decided in memory and the accepted keys written with the access log's batches, journaled with them.
     *
     * @param shared whether the database may serve several gateways (PostgreSQL), or is this one's alone (H2)
     */
    private static ReplayCache replayCache(ReplayCacheSettings settings, Database database, boolean shared,
            JdbcAccessLog records, GroupCommitAccessLog accessLog, Duration replayWindow, Clock clock,
            List<AutoCloseable> resources) {
        if (settings.store() == ReplayCacheSettings.Store.MEMORY) {
            return new InMemoryReplayCache(clock);
        }
        JdbcReplayCache cache = JdbcReplayCache.withBackgroundPurge(database.dataSource(), clock,
                settings.purgeInterval());
        resources.add(cache);
        if (shared) {
            return cache;
        }
        // read after the access log's journal gave back what a crash took from the database. A record's time is
        // after its message's Created less the clock skew, so twice the window outlasts the message's own expiry.
        List<ReplayClaim> earlier = new ArrayList<>(JdbcReplayCache.unexpired(database.dataSource(), clock));
        earlier.addAll(records.messageIdClaims(clock.instant(), replayWindow.multipliedBy(2)));
        return new WriteBehindReplayCache(new InMemoryReplayCache(clock), accessLog, earlier);
    }

    /** X-Road mode knows security servers by their TLS client certificates, so the listener must require them. */
    private static void requireClientCertificates(ListenerSettings listener) {
        if (listener.tls().isEmpty() || !listener.tls().get().clientAuth().equals("need")) {
            throw new IllegalStateException("kelmu.security.mode=" + SecurityMode.XROAD_SECURITY_SERVER.value()
                    + " needs kelmu.tls.enabled=true and kelmu.tls.client-auth=need: the gateway knows the security"
                    + " servers by their TLS client certificates");
        }
    }

    /** R-MAND-1: mandate assertions are trusted only from the pinned issuer certificates. */
    private static MandateAssertionVerifier mandateVerifier(MandateSettings settings, boolean production, Clock clock) {
        List<X509Certificate> issuers = GatewaySecurity.trustedCertificates(settings.issuerTrustStore(),
                settings.issuerTrustPassword(), production, "kelmu.mandate.issuer-truststore.file");
        if (issuers.isEmpty()) {
            throw new IllegalStateException("kelmu.mandate.issuer-truststore.file holds no issuer certificate");
        }
        return new MandateAssertionVerifier(issuers, settings.clockSkew(), settings.assertionMaxLifetime(), clock);
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

    private static String routesPattern(Path dir) {
        if (Files.isDirectory(dir)) {
            LOG.info("loading routes from {}", dir.toAbsolutePath());
            return "file:" + dir + "/*" + PackagedRoutes.SUFFIX;
        }
        LOG.info("no routes folder at {}; using the routes packaged in the jar", dir.toAbsolutePath());
        return PackagedRoutes.pattern();
    }

    /** The configuration the gateway was started with. */
    public GatewayConfig config() {
        return config;
    }

    public CamelContext camelContext() {
        return main.getCamelContext();
    }

    /** The URL of BenefitInformationService. */
    public String serviceUrl() {
        return url(ServiceEndpoints.BENEFIT_INFORMATION);
    }

    /** The views each operation of this gateway serves, for the policy: benefit queries and payment demands. */
    public static Map<String, Set<String>> servedViews() {
        Map<String, Set<String>> views = new HashMap<>(BenefitOperations.servedViews());
        views.putAll(PaymentDemandOperations.servedViews());
        return Map.copyOf(views);
    }

    /** The URL of AccessService, the self-check. */
    public String accessServiceUrl() {
        return url(ServiceEndpoints.ACCESS);
    }

    /** The URL of PaymentDemandService. */
    public String paymentDemandServiceUrl() {
        return url(ServiceEndpoints.PAYMENT_DEMAND);
    }

    private String url(ServiceEndpoints.ServiceContract service) {
        return (listener.tls().isPresent() ? "https" : "http") + "://localhost:" + listener.port() + service.path();
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
