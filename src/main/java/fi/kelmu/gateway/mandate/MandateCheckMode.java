package fi.kelmu.gateway.mandate;

import fi.kelmu.gateway.config.GatewayConfig;
import java.util.Locale;

/** Property {@code kelmu.mandate.online-check}: when the online mandate check is used. */
public enum MandateCheckMode {
    /** Used when a request carries no MandateAssertion. */
    ALLOWED,
    /**
     * Every request is checked online; an assertion, if sent, must also be valid, and only mandates both
     * confirm count.
     */
    REQUIRED,
    /** Never used: a MandateAssertion is required. */
    OFF;

    public static MandateCheckMode fromConfig(GatewayConfig config) {
        String value = config.required("kelmu.mandate.online-check");
        try {
            return valueOf(value.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("kelmu.mandate.online-check must be allowed, required or off, not " + value);
        }
    }
}
