package fi.kelmu.gateway.security;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * How a request proves where it comes from (property {@code kelmu.security.mode}, docs/security.md).
 */
public enum SecurityMode {

    /** The default: each request is signed by its organisation (WS-Security X.509), and answers are signed. */
    WS_SECURITY("ws-security"),
    /**
     * Behind an X-Road security server: plain SOAP over TLS from a configured security server, the caller named by
     * the X-Road client header; the security servers sign requests and answers.
     */
    XROAD_SECURITY_SERVER("xroad-security-server");

    private final String value;

    SecurityMode(String value) {
        this.value = value;
    }

    /** The property value naming this mode. */
    public String value() {
        return value;
    }

    public static SecurityMode parse(String value) {
        for (SecurityMode mode : values()) {
            if (mode.value.equals(value)) {
                return mode;
            }
        }
        throw new IllegalStateException("kelmu.security.mode must be one of " + Arrays.stream(values())
                .map(SecurityMode::value).collect(Collectors.joining(", ")) + ", not " + value);
    }
}
