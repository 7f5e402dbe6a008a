package fi.kelmu.gateway.audit;

import java.time.Duration;

/**
 * Settings of the gateway's database (properties {@code kelmu.db.*}, docs/configuration.md).
 *
 * @param url            JDBC URL: an H2 file (sandbox) or PostgreSQL (production)
 * @param user           database user
 * @param password       its password, possibly null
 * @param poolSize       most connections the pool keeps open
 * @param connectTimeout longest wait for a connection
 */
public record DatabaseSettings(String url, String user, String password, int poolSize, Duration connectTimeout) {

    /** Never the password. */
    @Override
    public String toString() {
        return "DatabaseSettings[url=" + url + ", user=" + user + ", poolSize=" + poolSize + ", connectTimeout="
                + connectTimeout + "]";
    }
}
