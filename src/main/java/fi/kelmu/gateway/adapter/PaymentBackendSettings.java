package fi.kelmu.gateway.adapter;

import fi.kelmu.gateway.config.GatewayConfig;
import fi.kelmu.gateway.registry.OrganisationType;
import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;

/**
 * Connection settings of the payment-demand backend of one organisation type (properties
 * {@code kelmu.payment-backend.<type>.*}, docs/configuration.md): a demand goes to the backend of its demander's
 * type (docs/payment-demands.md, "Outbox").
 *
 * @param baseUrl        base URL of the contract {@code xsd/backend/payment-demand-backend.xsd};
 *                       {@code /payment-demands/...} is appended
 * @param connectTimeout TCP connect timeout
 * @param readTimeout    time allowed for the backend's answer once the request is sent
 */
public record PaymentBackendSettings(URI baseUrl, Duration connectTimeout, Duration readTimeout) {

    public PaymentBackendSettings {
        Objects.requireNonNull(baseUrl, "baseUrl");
        if (!"http".equals(baseUrl.getScheme()) && !"https".equals(baseUrl.getScheme())) {
            throw new IllegalArgumentException("payment-demand backend URL must be http or https: " + baseUrl);
        }
        requirePositive(connectTimeout, "connectTimeout");
        requirePositive(readTimeout, "readTimeout");
    }

    /**
     * The settings of {@code type}'s backend. Only the types that make payment demands (R-PAY-6) have one: HVA,
     * KUNTA (before 2023) and HELSINKI. Like {@code GatewaySettings.backend}, the one place these keys are read;
     * an unset URL fails here, naming the property.
     */
    public static PaymentBackendSettings from(GatewayConfig config, OrganisationType type) {
        if (type != OrganisationType.HVA && type != OrganisationType.KUNTA && type != OrganisationType.HELSINKI) {
            throw new IllegalArgumentException("no payment-demand backend for organisation type " + type);
        }
        String prefix = "kelmu.payment-backend." + type.name().toLowerCase(Locale.ROOT) + ".";
        URI url;
        try {
            url = URI.create(config.required(prefix + "url"));
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("configuration property " + prefix + "url is not a URL: " + e.getMessage(), e);
        }
        return new PaymentBackendSettings(url, config.millis(prefix + "connect-timeout-ms"),
                config.millis(prefix + "read-timeout-ms"));
    }

    private static void requirePositive(Duration duration, String name) {
        Objects.requireNonNull(duration, name);
        if (duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException(name + " must be positive: " + duration);
        }
    }
}
