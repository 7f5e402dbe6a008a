package fi.kelmu.gateway.identity;

import java.time.Duration;
import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * Settings of the replay cache (properties {@code kelmu.replay-cache.*}, docs/configuration.md).
 *
 * @param store         where message identities are remembered
 * @param purgeInterval how often expired entries of the database store are deleted
 */
public record ReplayCacheSettings(Store store, Duration purgeInterval) {

    public ReplayCacheSettings {
        if (purgeInterval.toMillis() <= 0) {
            throw new IllegalStateException("kelmu.replay-cache.purge-interval-seconds must be positive: "
                    + purgeInterval.toSeconds());
        }
    }

    /** Where the replay cache is kept. */
    public enum Store {
        /** The gateway's database ({@link JdbcReplayCache}): survives restarts, shared by replicas. The default. */
        DATABASE("database"),
        /** This process's memory ({@link InMemoryReplayCache}): lost on restart, not shared. */
        MEMORY("memory");

        private final String value;

        Store(String value) {
            this.value = value;
        }

        public String value() {
            return value;
        }

        public static Store parse(String value) {
            for (Store store : values()) {
                if (store.value.equals(value)) {
                    return store;
                }
            }
            throw new IllegalStateException("kelmu.replay-cache.store must be one of " + Arrays.stream(values())
                    .map(Store::value).collect(Collectors.joining(", ")) + ", not " + value);
        }
    }
}
