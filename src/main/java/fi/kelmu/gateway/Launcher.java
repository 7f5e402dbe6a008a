package fi.kelmu.gateway;

import fi.kelmu.gateway.config.GatewayConfig;
import fi.kelmu.gateway.config.ResourceLocation;
import fi.kelmu.gateway.registry.MunicipalityReference;
import fi.kelmu.gateway.registry.OrganisationRegistry;
import fi.kelmu.gateway.sandbox.Sandbox;
import fi.kelmu.gateway.sandbox.SandboxPki;
import fi.kelmu.gateway.sandbox.SandboxSettings;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Optional;

/**
 * Starts the gateway in the configured mode. In sandbox mode it first runs the sandbox's own wiring (demo PKI,
 * simulators) and points the configuration at the simulators' addresses; then, in both modes, the same
 * production wiring ({@link Gateway}) starts.
 */
public final class Launcher {

    private Launcher() {
    }

    public static Gateway start(GatewayConfig config) throws Exception {
        if (GatewaySettings.production(config)) {
            return Gateway.start(config);
        }
        SandboxSettings settings = sandboxSettings(config);
        OrganisationRegistry registry = OrganisationRegistry.load(GatewaySettings.registryFile(config),
                MunicipalityReference.load());
        Sandbox sandbox = Sandbox.start(settings, registry.all().stream()
                .map(o -> new SandboxPki.Member(o.businessId(), o.name())).toList(), Clock.systemUTC());
        GatewayConfig pointed = config;
        if (settings.simulators()) {
            pointed = pointed.with("kelmu.simulator.url", sandbox.backendUrl().toString())
                    .with("kelmu.simulator.mandate-url", sandbox.mandateServiceUrl().toString());
        }
        return Gateway.start(pointed, List.of(sandbox));
    }

    /** {@code kelmu.simulator.*} and the sandbox PKI folder; read only in sandbox mode. */
    static SandboxSettings sandboxSettings(GatewayConfig config) {
        boolean simulators = GatewaySettings.simulators(config);
        String pki = config.get("kelmu.security.sandbox-pki.dir");
        return new SandboxSettings(Optional.ofNullable(pki).map(Path::of), simulators,
                config.required("kelmu.simulator.host"), config.integer("kelmu.simulator.port"),
                new ResourceLocation(config.required("kelmu.simulator.data-file")),
                config.integer("kelmu.simulator.mandate-port"),
                new ResourceLocation(config.required("kelmu.simulator.mandate-data-file")),
                simulators ? config.required("kelmu.mandate.service.client-id") : null,
                simulators ? config.required("kelmu.mandate.service.api-key") : null);
    }
}
