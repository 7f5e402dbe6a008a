package fi.kelmu.gateway.identity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fi.kelmu.gateway.GatewaySettings;
import fi.kelmu.gateway.config.GatewayConfig;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code kelmu.replay-cache.*}: the database unless memory is chosen; anything else refuses to start. */
class ReplayCacheSettingsTest {

    @Test
    void theDefaultIsTheDatabaseStorePurgedEveryMinute() {
        for (String mode : new String[] {"sandbox", "production"}) {
            ReplayCacheSettings settings = GatewaySettings.replayCache(GatewayConfig.load(Map.of("kelmu.mode", mode)));
            assertEquals(ReplayCacheSettings.Store.DATABASE, settings.store(), mode);
            assertEquals(Duration.ofSeconds(60), settings.purgeInterval(), mode);
        }
    }

    @Test
    void memoryIsChosenByName() {
        ReplayCacheSettings settings = GatewaySettings.replayCache(GatewayConfig.load(Map.of(
                "kelmu.replay-cache.store", "memory", "kelmu.replay-cache.purge-interval-seconds", "5")));
        assertEquals(ReplayCacheSettings.Store.MEMORY, settings.store());
        assertEquals(Duration.ofSeconds(5), settings.purgeInterval());
    }

    @Test
    void anUnknownStoreOrANonPositiveIntervalIsRefused() {
        IllegalStateException unknown = assertThrows(IllegalStateException.class, () -> GatewaySettings.replayCache(
                GatewayConfig.load(Map.of("kelmu.replay-cache.store", "redis"))));
        assertTrue(unknown.getMessage().contains("database, memory"), unknown.getMessage());
        IllegalStateException zero = assertThrows(IllegalStateException.class, () -> GatewaySettings.replayCache(
                GatewayConfig.load(Map.of("kelmu.replay-cache.purge-interval-seconds", "0"))));
        assertTrue(zero.getMessage().contains("kelmu.replay-cache.purge-interval-seconds"), zero.getMessage());
    }
}
