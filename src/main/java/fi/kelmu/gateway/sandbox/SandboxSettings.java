package fi.kelmu.gateway.sandbox;

import fi.kelmu.gateway.config.ResourceLocation;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Settings of sandbox mode (properties {@code kelmu.simulator.*}, {@code kelmu.security.sandbox-pki.dir},
 * docs/configuration.md).
 *
 * @param pkiDirectory       where the demo PKI is created on first start, if anywhere
 * @param simulators         whether the backend and mandate service simulators are started
 * @param host               interface both simulators listen on
 * @param backendPort        the backend simulator's port (0: any free port)
 * @param backendData        its seed data
 * @param mandatePort        the mandate service simulator's port (0: any free port)
 * @param mandateData        its demo grants
 * @param mandateClientId    the client id the gateway signs mandate checks with
 * @param mandateApiKey      the sandbox API key it signs them with
 */
public record SandboxSettings(Optional<Path> pkiDirectory, boolean simulators, String host, int backendPort,
        ResourceLocation backendData, int mandatePort, ResourceLocation mandateData, String mandateClientId,
        String mandateApiKey) {
}
