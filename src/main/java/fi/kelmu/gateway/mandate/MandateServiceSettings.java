package fi.kelmu.gateway.mandate;

import fi.kelmu.gateway.config.GatewayConfig;
import java.net.URI;
import java.time.Duration;
import java.util.Objects;

/**
 * Connection settings of the online mandate check (properties {@code kelmu.mandate.service.*}).
 *
 * @param baseUrl        base URL of the mandate service; {@code /service/ypa/api/organizationRoles/...} is appended
 * @param clientId       Web API client id, first part of the authorization header
 * @param apiKey         Web API key the requests are signed with: a secret, never logged
 * @param connectTimeout TCP connect timeout
 * @param readTimeout    time allowed for the whole answer once the request is sent
 */
public record MandateServiceSettings(URI baseUrl, String clientId, String apiKey, Duration connectTimeout,
        Duration readTimeout) {

    public MandateServiceSettings {
        Objects.requireNonNull(baseUrl, "baseUrl");
        Objects.requireNonNull(apiKey, "apiKey");
        if (clientId == null || clientId.isBlank() || clientId.chars().anyMatch(Character::isWhitespace)) {
            throw new IllegalArgumentException("mandate service client id must be set and hold no spaces");
        }
        if (apiKey.isEmpty()) {
            throw new IllegalArgumentException("mandate service api key must be set");
        }
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        Objects.requireNonNull(readTimeout, "readTimeout");
    }

    /**
     * Reads {@code kelmu.mandate.service.*}; fails fast naming the missing property. Production refuses the
     * sandbox API key (a value starting {@code SANDBOX-}), as it refuses sandbox certificates.
     */
    public static MandateServiceSettings fromConfig(GatewayConfig config) {
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

    /** Never the API key. */
    @Override
    public String toString() {
        return "MandateServiceSettings[baseUrl=" + baseUrl + ", clientId=" + clientId + ", apiKey=****, connectTimeout="
                + connectTimeout + ", readTimeout=" + readTimeout + "]";
    }
}
