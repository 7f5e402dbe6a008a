package fi.kelmu.gateway.mandate;

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

    /** Never the API key. */
    @Override
    public String toString() {
        return "MandateServiceSettings[baseUrl=" + baseUrl + ", clientId=" + clientId + ", apiKey=****, connectTimeout="
                + connectTimeout + ", readTimeout=" + readTimeout + "]";
    }
}
