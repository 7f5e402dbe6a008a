package fi.kelmu.gateway.security;

import java.nio.file.Path;
import java.time.Duration;

/**
 * Settings of X-Road mode ({@link SecurityMode#XROAD_SECURITY_SERVER}, properties {@code kelmu.xroad.security-servers.*}
 * and {@code kelmu.xroad.message-id-retention-seconds}, docs/configuration.md).
 *
 * @param store              PKCS#12 store of the TLS certificates of the security servers allowed to deliver requests
 * @param password           its password (empty for none)
 * @param messageIdRetention how long a client's X-Road message ids are remembered against replay
 */
public record SecurityServerSettings(Path store, char[] password, Duration messageIdRetention) {

    /** Never the password. */
    @Override
    public String toString() {
        return "SecurityServerSettings[store=" + store + ", messageIdRetention=" + messageIdRetention + "]";
    }
}
