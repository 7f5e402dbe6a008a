package fi.kelmu.gateway.security;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fi.kelmu.gateway.Gateway;
import fi.kelmu.gateway.config.GatewayConfig;
import fi.kelmu.gateway.support.FreePort;
import fi.kelmu.gateway.support.TestGateway;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Production mode never runs with the published sandbox keys or the simulator. */
class ProductionModeTest {

    private static Map<String, String> production() {
        Map<String, String> config = new HashMap<>();
        config.put("kelmu.mode", "production");
        config.put("kelmu.http.port", Integer.toString(FreePort.find()));
        config.put("kelmu.http.host", "127.0.0.1");
        config.put("kelmu.registry.file", "classpath:registry/organisations-sandbox.xml");
        config.put("kelmu.backend.hva.base-url", "http://127.0.0.1:9/unused");
        config.put("kelmu.backend.kunta.base-url", "http://127.0.0.1:9/unused");
        config.put("kelmu.backend.helsinki.base-url", "http://127.0.0.1:9/unused");
        config.put("kelmu.security.truststore.file", TestGateway.pki().trustStore().toString());
        config.put("kelmu.security.truststore.password", "sandbox");
        config.put("kelmu.security.gateway-keystore.file", TestGateway.pki().gatewayKeyStore().toString());
        config.put("kelmu.security.gateway-keystore.password", "sandbox");
        return config;
    }

    @Test
    void productionRefusesToStartWithTheSandboxTrustStore() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> Gateway.start(GatewayConfig.load(production())).close());
        assertTrue(e.getMessage().contains("sandbox"), e.getMessage());
    }

    @Test
    void productionRefusesToStartTheSimulator() {
        Map<String, String> config = production();
        config.put("kelmu.simulator.enabled", "true");
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> Gateway.start(GatewayConfig.load(config)).close());
        assertTrue(e.getMessage().contains("simulator"), e.getMessage());
    }

    @Test
    void productionRequiresATrustStore() {
        Map<String, String> config = production();
        config.remove("kelmu.security.truststore.file");
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> Gateway.start(GatewayConfig.load(config)).close());
        assertTrue(e.getMessage().contains("kelmu.security.truststore.file"), e.getMessage());
    }
}
