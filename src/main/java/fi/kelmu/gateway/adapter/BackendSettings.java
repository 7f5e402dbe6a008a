package fi.kelmu.gateway.adapter;

import java.net.URI;
import java.time.Duration;

/**
 * Connection settings of one backend adapter (properties {@code kelmu.backend.<type>.*}).
 *
 * @param baseUrl                base URL of the backend contract; {@code /benefit-data} is appended
 * @param connectTimeout         TCP connect timeout
 * @param readTimeout            time allowed for the backend's answer once connected
 * @param breakerFailureRate     percentage of failed calls in the window that opens the breaker
 * @param breakerWindow          number of recent calls the failure rate is computed over
 * @param breakerMinimumCalls    calls needed in the window before the rate counts
 * @param breakerOpenDuration    how long the breaker stays open before letting trial calls through
 */
public record BackendSettings(URI baseUrl, Duration connectTimeout, Duration readTimeout, int breakerFailureRate,
        int breakerWindow, int breakerMinimumCalls, Duration breakerOpenDuration) {
}
