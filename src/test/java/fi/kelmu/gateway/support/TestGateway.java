package fi.kelmu.gateway.support;

import fi.kelmu.gateway.Gateway;
import fi.kelmu.gateway.config.GatewayConfig;
import java.util.HashMap;
import java.util.Map;

/** Starts a gateway in sandbox mode on a free port, with extra configuration for the test. */
public final class TestGateway {

    private TestGateway() {
    }

    public static Gateway startSandbox(Map<String, String> extra) throws Exception {
        Map<String, String> overrides = new HashMap<>(extra);
        overrides.put("kelmu.mode", "sandbox");
        overrides.putIfAbsent("kelmu.http.port", Integer.toString(FreePort.find()));
        overrides.putIfAbsent("kelmu.http.host", "127.0.0.1");
        return Gateway.start(GatewayConfig.load(overrides));
    }
}
