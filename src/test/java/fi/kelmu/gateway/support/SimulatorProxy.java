package fi.kelmu.gateway.support;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import fi.kelmu.gateway.sandbox.BackendSimulator;
import java.util.HashMap;
import java.util.Map;

/**
 * A WireMock server in front of a sandbox gateway's backend simulator: the simulator answers with the demo
 * data, WireMock records what the gateway asked, so a test can prove a refused request reached no backend.
 */
public final class SimulatorProxy {

    private final WireMockExtension wireMock;
    private final int simulatorPort = FreePort.find();

    public SimulatorProxy(WireMockExtension wireMock) {
        this.wireMock = wireMock;
    }

    /** Gateway overrides: the simulator on a known port, every backend adapter through the proxy. */
    public Map<String, String> gatewayOverrides(Map<String, String> extra) {
        String viaProxy = wireMock.baseUrl() + BackendSimulator.CONTEXT_PATH;
        Map<String, String> overrides = new HashMap<>(extra);
        overrides.put("kelmu.simulator.enabled", "true");
        overrides.put("kelmu.simulator.port", Integer.toString(simulatorPort));
        overrides.put("kelmu.backend.hva.base-url", viaProxy);
        overrides.put("kelmu.backend.kunta.base-url", viaProxy);
        overrides.put("kelmu.backend.helsinki.base-url", viaProxy);
        return overrides;
    }

    /** Forwards every request to the simulator; call before each test (the extension resets its stubs). */
    public void forward() {
        wireMock.stubFor(any(anyUrl()).willReturn(aResponse().proxiedFrom("http://127.0.0.1:" + simulatorPort)));
    }

    public WireMockExtension wireMock() {
        return wireMock;
    }
}
