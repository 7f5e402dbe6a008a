package fi.kelmu.gateway.adapter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fi.kelmu.gateway.config.GatewayConfig;
import fi.kelmu.gateway.registry.OrganisationType;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** {@link PaymentBackendSettings#from}: {@code kelmu.payment-backend.<type>.*} per demander type. */
class PaymentBackendSettingsTest {

    private static final String SIMULATOR = "http://127.0.0.1:40123/kela/benefit-backend/v1";

    @ParameterizedTest
    @EnumSource(value = OrganisationType.class, names = {"HVA", "KUNTA", "HELSINKI"})
    void sandboxPointsEveryDemanderTypeAtTheSimulatorWithTheDefaultTimeouts(OrganisationType type) {
        GatewayConfig config = GatewayConfig.load(Map.of("kelmu.mode", "sandbox", "kelmu.simulator.url", SIMULATOR));

        PaymentBackendSettings settings = PaymentBackendSettings.from(config, type);

        assertEquals(URI.create(SIMULATOR), settings.baseUrl());
        assertEquals(Duration.ofMillis(2000), settings.connectTimeout());
        assertEquals(Duration.ofMillis(5000), settings.readTimeout());
    }

    @Test
    void eachTypeReadsItsOwnProperties() {
        GatewayConfig config = GatewayConfig.load(Map.of("kelmu.mode", "production",
                "kelmu.payment-backend.kunta.url", "https://kela.example/payment-demands-kunta",
                "kelmu.payment-backend.kunta.connect-timeout-ms", "750",
                "kelmu.payment-backend.kunta.read-timeout-ms", "9000",
                "kelmu.payment-backend.hva.url", "https://kela.example/payment-demands-hva"));

        PaymentBackendSettings kunta = PaymentBackendSettings.from(config, OrganisationType.KUNTA);
        PaymentBackendSettings hva = PaymentBackendSettings.from(config, OrganisationType.HVA);

        assertEquals(new PaymentBackendSettings(URI.create("https://kela.example/payment-demands-kunta"),
                Duration.ofMillis(750), Duration.ofMillis(9000)), kunta);
        assertEquals(URI.create("https://kela.example/payment-demands-hva"), hva.baseUrl());
        assertEquals(Duration.ofMillis(5000), hva.readTimeout());
    }

    @Test
    void productionHasNoDefaultUrlAndSaysWhichPropertyIsMissing() {
        GatewayConfig config = GatewayConfig.load(Map.of("kelmu.mode", "production"));

        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> PaymentBackendSettings.from(config, OrganisationType.HELSINKI));

        assertTrue(e.getMessage().contains("kelmu.payment-backend.helsinki.url"), e.getMessage());
    }

    /** R-PAY-6: payment demands are made by HVAs, municipalities (before 2023) and Helsinki; no one else. */
    @Test
    void aJointMunicipalAuthorityHasNoPaymentDemandBackendR_PAY_6() {
        GatewayConfig config = GatewayConfig.load(Map.of("kelmu.mode", "sandbox", "kelmu.simulator.url", SIMULATOR));

        assertThrows(IllegalArgumentException.class,
                () -> PaymentBackendSettings.from(config, OrganisationType.KUNTAYHTYMA));
    }

    @Test
    void onlyHttpUrlsAndPositiveTimeouts() {
        assertThrows(IllegalArgumentException.class, () -> new PaymentBackendSettings(URI.create("file:/tmp/kela"),
                Duration.ofSeconds(1), Duration.ofSeconds(1)));
        assertThrows(IllegalArgumentException.class, () -> new PaymentBackendSettings(URI.create(SIMULATOR),
                Duration.ZERO, Duration.ofSeconds(1)));
        assertThrows(IllegalArgumentException.class, () -> new PaymentBackendSettings(URI.create(SIMULATOR),
                Duration.ofSeconds(1), Duration.ofSeconds(-1)));
    }
}
