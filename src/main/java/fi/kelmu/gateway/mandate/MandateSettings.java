package fi.kelmu.gateway.mandate;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * Settings of the mandate step (properties {@code kelmu.mandate.*}, docs/configuration.md).
 *
 * @param onlineCheck         when the online check is made ({@link MandateResolution.OnlineCheck})
 * @param service             the mandate service, present unless the online check is off
 * @param cache               how long an answer is reused for the same user and organisation (zero: never)
 * @param cacheMaxEntries     most answers held
 * @param issuerTrustStore    PKCS#12 store of the pinned mandate-assertion issuer certificates
 * @param issuerTrustPassword its password (empty for none)
 * @param clockSkew           tolerated clock difference when judging an assertion's validity
 * @param assertionMaxLifetime the longest an assertion may be valid (R-MAND-4)
 */
public record MandateSettings(MandateResolution.OnlineCheck onlineCheck, Optional<MandateServiceSettings> service,
        Duration cache, int cacheMaxEntries, Path issuerTrustStore, char[] issuerTrustPassword, Duration clockSkew,
        Duration assertionMaxLifetime) {

    /** Never the password. */
    @Override
    public String toString() {
        return "MandateSettings[onlineCheck=" + onlineCheck + ", service=" + service + ", cache=" + cache
                + ", issuerTrustStore=" + issuerTrustStore + ", assertionMaxLifetime=" + assertionMaxLifetime + "]";
    }
}
