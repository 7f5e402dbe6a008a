package fi.kelmu.gateway;

import fi.kelmu.gateway.adapter.BackendSettings;
import fi.kelmu.gateway.audit.AccessLogSettings;
import fi.kelmu.gateway.audit.DatabaseSettings;
import fi.kelmu.gateway.config.GatewayConfig;
import fi.kelmu.gateway.config.ResourceLocation;
import fi.kelmu.gateway.identity.ReplayCacheSettings;
import fi.kelmu.gateway.mandate.MandateResolution;
import fi.kelmu.gateway.mandate.MandateServiceSettings;
import fi.kelmu.gateway.mandate.MandateSettings;
import fi.kelmu.gateway.payment.OutboxSettings;
import fi.kelmu.gateway.registry.OrganisationType;
import fi.kelmu.gateway.security.SecurityMode;
import fi.kelmu.gateway.security.SecurityServerSettings;
import fi.kelmu.gateway.security.SecuritySettings;
import fi.kelmu.gateway.security.XmlPreScan;
import fi.kelmu.gateway.transport.ListenerSettings;
import fi.kelmu.gateway.xroad.MemberClients;
import fi.kelmu.gateway.xroad.ServiceIdentity;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Every property of the running gateway (docs/configuration.md), read from the configuration into the settings
 * record of each capability: the only place that knows property keys, so a capability is given typed values
 * and never the configuration. The composition root reads each capability's settings as it wires it, so a
 * start fails at the first capability that cannot be built, naming the property that is missing or wrong.
 */
public final class GatewaySettings {

    /** The organisation types that have a backend adapter. */
    public static final List<OrganisationType> ADAPTER_TYPES = List.of(OrganisationType.HVA, OrganisationType.KUNTA,
            OrganisationType.HELSINKI);

    private GatewaySettings() {
    }

    /** Production mode: sandbox keys and simulators are refused. */
    public static boolean production(GatewayConfig config) {
        return !config.isSandbox();
    }

    /** Whether the sandbox simulators are to be started; production refuses them. */
    public static boolean simulators(GatewayConfig config) {
        boolean enabled = config.bool("kelmu.simulator.enabled");
        if (enabled && production(config)) {
            throw new IllegalStateException("production mode refuses to start the sandbox simulators");
        }
        return enabled;
    }

    public static ServiceIdentity serviceIdentity(GatewayConfig config) {
        return new ServiceIdentity(config.required("kelmu.xroad.instance"), config.required("kelmu.xroad.member-class"),
                config.required("kelmu.xroad.member-code"), config.get("kelmu.xroad.subsystem-code"),
                config.get("kelmu.xroad.service-version"), config.bool("kelmu.xroad.require-service-version"));
    }

    /** Whether a request may name a whole member as its X-Road client, not one of its subsystems. */
    public static MemberClients memberClients(GatewayConfig config) {
        return config.bool("kelmu.xroad.accept-member-clients") ? MemberClients.ACCEPTED : MemberClients.REFUSED;
    }

    public static ResourceLocation registryFile(GatewayConfig config) {
        return new ResourceLocation(config.required("kelmu.registry.file"));
    }

    public static ResourceLocation policyFile(GatewayConfig config) {
        return new ResourceLocation(config.required("kelmu.policy.file"));
    }

    /** Where the YAML routes are read from (the jar's copies when it does not exist). */
    public static Path routesDirectory(GatewayConfig config) {
        return Path.of(config.required("kelmu.routes.directory"));
    }

    public static ListenerSettings listener(GatewayConfig config) {
        Optional<ListenerSettings.Tls> tls = Optional.empty();
        if (config.bool("kelmu.tls.enabled")) {
            String clientAuth = config.required("kelmu.tls.client-auth");
            if (!List.of("none", "want", "need").contains(clientAuth)) {
                throw new IllegalStateException("kelmu.tls.client-auth must be none, want or need, not " + clientAuth);
            }
            tls = Optional.of(new ListenerSettings.Tls(Path.of(config.required("kelmu.tls.keystore.file")),
                    password(config, "kelmu.tls.keystore.password"), clientAuth,
                    clientAuth.equals("none") ? null : Path.of(config.required("kelmu.tls.truststore.file")),
                    password(config, "kelmu.tls.truststore.password")));
        }
        String host = config.required("kelmu.http.host");
        int port = config.integer("kelmu.http.port");
        return new ListenerSettings(host, port,
                config.integer("kelmu.request.max-bytes"), new XmlPreScan.Limits(
                        config.integer("kelmu.xml.max-element-depth"), config.integer("kelmu.xml.max-child-elements"),
                        config.integer("kelmu.xml.max-element-count"), config.integer("kelmu.xml.max-attribute-count"),
                        config.integer("kelmu.xml.max-attribute-size"), config.integer("kelmu.xml.max-text-length")),
                tls, ListenerSettings.publicUrl(config.get("kelmu.http.public-url"), host, port, tls.isPresent()),
                new ListenerSettings.Limits(config.millis("kelmu.http.idle-timeout-ms"),
                        config.millis("kelmu.http.request-read-timeout-ms"),
                        config.integer("kelmu.http.min-request-data-rate"), config.integer("kelmu.http.max-connections"),
                        Long.parseLong(config.required("kelmu.http.max-buffered-bytes"))));
    }

    /** How requests prove where they come from: WS-Security (the default) or X-Road mode. */
    public static SecurityMode securityMode(GatewayConfig config) {
        return SecurityMode.parse(config.required("kelmu.security.mode"));
    }

    /** X-Road mode: the security servers allowed to deliver requests, and how long message ids are remembered. */
    public static SecurityServerSettings securityServers(GatewayConfig config) {
        return new SecurityServerSettings(Path.of(config.required("kelmu.xroad.security-servers.file")),
                password(config, "kelmu.xroad.security-servers.password"),
                Duration.ofSeconds(config.integer("kelmu.xroad.message-id-retention-seconds")));
    }

    public static SecuritySettings security(GatewayConfig config) {
        String crlFiles = config.get("kelmu.security.crl.files");
        List<Path> crls = crlFiles == null ? List.of()
                : Arrays.stream(crlFiles.split(",")).map(String::strip).filter(f -> !f.isEmpty()).map(Path::of).toList();
        Optional<SecuritySettings.SigningKey> signing = config.bool("kelmu.security.response-signing.enabled")
                ? Optional.of(gatewayKey(config)) : Optional.empty();
        Optional<SecuritySettings.SigningKey> secondSigning = secondGatewayKey(config);
        return new SecuritySettings(Path.of(config.required("kelmu.security.truststore.file")),
                password(config, "kelmu.security.truststore.password"), crls,
                Duration.ofSeconds(config.integer("kelmu.security.crl.refresh-seconds")),
                config.bool("kelmu.security.revocation-check"), config.integer("kelmu.security.timestamp.ttl-seconds"),
                config.integer("kelmu.security.clock-skew-seconds"),
                Duration.ofSeconds(config.integer("kelmu.security.trust-cache-seconds")), signing, secondSigning);
    }

    /**
     * The gateway's own signing key ({@code kelmu.security.gateway-keystore.*}): it signs the answers in
     * WS-Security mode and the access log's checkpoints in both modes, so it is required in both.
     */
    public static SecuritySettings.SigningKey gatewayKey(GatewayConfig config) {
        return new SecuritySettings.SigningKey(Path.of(config.required("kelmu.security.gateway-keystore.file")),
                password(config, "kelmu.security.gateway-keystore.password"),
                config.required("kelmu.security.gateway-keystore.alias"));
    }

    /** The optional second key of the other family ({@code kelmu.security.gateway-second-keystore.*}). */
    public static Optional<SecuritySettings.SigningKey> secondGatewayKey(GatewayConfig config) {
        String second = config.get("kelmu.security.gateway-second-keystore.file");
        return second == null ? Optional.empty()
                : Optional.of(new SecuritySettings.SigningKey(Path.of(second),
                        password(config, "kelmu.security.gateway-second-keystore.password"),
                        config.required("kelmu.security.gateway-second-keystore.alias")));
    }

    /**
     * The gateway's keys as configured, for {@code access-log verify} to trust their certificates: the first and
     * the second, as far as they are set (none when {@code kelmu.security.gateway-keystore.file} is empty).
     */
    public static List<SecuritySettings.SigningKey> gatewayKeys(GatewayConfig config) {
        if (config.get("kelmu.security.gateway-keystore.file") == null) {
            return List.of();
        }
        return Stream.concat(Stream.of(gatewayKey(config)),
                secondGatewayKey(config).stream()).toList();
    }

    /** How often the access log's chain head is checkpointed when it moved ({@code kelmu.access-log.*}). */
    public static Duration checkpointInterval(GatewayConfig config) {
        int seconds = config.integer("kelmu.access-log.checkpoint-interval-seconds");
        if (seconds < 1) {
            throw new IllegalStateException("kelmu.access-log.checkpoint-interval-seconds must be at least 1: "
                    + seconds);
        }
        return Duration.ofSeconds(seconds);
    }

    public static MandateSettings mandates(GatewayConfig config) {
        MandateResolution.OnlineCheck mode = MandateResolution.OnlineCheck.parse(
                config.required("kelmu.mandate.online-check"));
        Optional<MandateServiceSettings> service = mode == MandateResolution.OnlineCheck.OFF ? Optional.empty()
                : Optional.of(mandateService(config));
        return new MandateSettings(mode, service, Duration.ofSeconds(config.integer("kelmu.mandate.cache-seconds")),
                config.integer("kelmu.mandate.cache-max-entries"),
                Path.of(config.required("kelmu.mandate.issuer-truststore.file")),
                password(config, "kelmu.mandate.issuer-truststore.password"),
                Duration.ofSeconds(config.integer("kelmu.security.clock-skew-seconds")),
                Duration.ofSeconds(config.integer("kelmu.mandate.assertion.max-lifetime-seconds")));
    }

    /**
     * {@code kelmu.mandate.service.*}; fails fast naming the missing property. Production refuses the sandbox
     * API key (a value starting {@code SANDBOX-}), as it refuses sandbox certificates.
     */
    public static MandateServiceSettings mandateService(GatewayConfig config) {
        String apiKey = config.required("kelmu.mandate.service.api-key");
        if (!config.isSandbox() && apiKey.startsWith("SANDBOX-")) {
            throw new IllegalStateException("production mode refuses the sandbox mandate service API key;"
                    + " set kelmu.mandate.service.api-key (environment "
                    + GatewayConfig.envName("kelmu.mandate.service.api-key") + ")");
        }
        return new MandateServiceSettings(URI.create(config.required("kelmu.mandate.service.base-url")),
                config.required("kelmu.mandate.service.client-id"), apiKey,
                config.millis("kelmu.mandate.service.connect-timeout-ms"),
                config.millis("kelmu.mandate.service.read-timeout-ms"));
    }

    /** {@code kelmu.access-log.*}: group commit and the refusal spool. */
    /** The last day before the year-end transfer ({@code kelmu.payment-demand.year-end-transfer.year-end}). */
    public static LocalDate yearEnd(GatewayConfig config) {
        return LocalDate.parse(config.required("kelmu.payment-demand.year-end-transfer.year-end"));
    }

    /** Where the scheduled year-end transfer writes its report. */
    public static Path yearEndReportDirectory(GatewayConfig config) {
        return Path.of(config.required("kelmu.payment-demand.year-end-transfer.report-dir"));
    }

    /** The payment-demand outbox ({@code kelmu.payment-demand.outbox.*}, docs/payment-demands.md). */
    public static OutboxSettings outbox(GatewayConfig config) {
        return new OutboxSettings(config.millis("kelmu.payment-demand.outbox.poll-ms"),
                config.integer("kelmu.payment-demand.outbox.batch-size"),
                config.millis("kelmu.payment-demand.outbox.backoff-base-ms"),
                config.millis("kelmu.payment-demand.outbox.backoff-max-ms"));
    }

    public static AccessLogSettings accessLog(GatewayConfig config) {
        return new AccessLogSettings(config.integer("kelmu.access-log.max-batch"),
                config.integer("kelmu.access-log.queue-capacity"), config.millis("kelmu.access-log.max-wait-ms"),
                Path.of(config.required("kelmu.access-log.spool-file")),
                Long.parseLong(config.required("kelmu.access-log.spool-max-bytes")),
                Path.of(config.required("kelmu.access-log.journal-file")),
                Duration.ofSeconds(config.integer("kelmu.access-log.journal-flush-seconds")));
    }

    /** {@code kelmu.db.*}; production has no default URL, so a missing one fails here. */
    public static DatabaseSettings database(GatewayConfig config) {
        return new DatabaseSettings(config.required("kelmu.db.url"), config.get("kelmu.db.user"),
                config.get("kelmu.db.password"), config.integer("kelmu.db.pool-size"),
                config.millis("kelmu.db.connect-timeout-ms"));
    }

    /** {@code kelmu.replay-cache.*}: the database store unless {@code memory} is chosen. */
    public static ReplayCacheSettings replayCache(GatewayConfig config) {
        return new ReplayCacheSettings(ReplayCacheSettings.Store.parse(config.required("kelmu.replay-cache.store")),
                Duration.ofSeconds(config.integer("kelmu.replay-cache.purge-interval-seconds")));
    }

    public static BackendSettings backend(GatewayConfig config, OrganisationType type) {
        String prefix = "kelmu.backend." + type.name().toLowerCase(java.util.Locale.ROOT) + ".";
        return new BackendSettings(URI.create(config.required(prefix + "base-url")),
                config.millis(prefix + "connect-timeout-ms"), config.millis(prefix + "read-timeout-ms"),
                config.integer(prefix + "breaker.failure-rate-percent"), config.integer(prefix + "breaker.window-calls"),
                config.integer(prefix + "breaker.minimum-calls"), config.millis(prefix + "breaker.open-ms"));
    }

    private static char[] password(GatewayConfig config, String key) {
        String value = config.get(key);
        return value == null ? new char[0] : value.toCharArray();
    }
}
