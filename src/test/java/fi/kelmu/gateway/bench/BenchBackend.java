package fi.kelmu.gateway.bench;

import fi.kelmu.gateway.config.ResourceLocation;
import fi.kelmu.gateway.sandbox.Sandbox;
import fi.kelmu.gateway.sandbox.SandboxSettings;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;

/**
 * The sandbox's backend simulators (benefit and payment-demand backend on one server, and the mandate service)
 * in a process of their own, so that the benchmark's gateway runs with {@code kelmu.simulator.enabled=false}
 * and its CPU is its own. Settings as the sandbox defaults (application-sandbox.properties). Prints
 * {@code @@ ready BACKEND_URL MANDATE_URL}.
 */
public final class BenchBackend {

    /** The sandbox's mandate Web API client id and key (application-sandbox.properties), not secrets. */
    static final String MANDATE_CLIENT_ID = "KELMUSBX";
    static final String MANDATE_API_KEY = "SANDBOX-ONLY-mandate-api-key-not-a-secret";

    private BenchBackend() {
    }

    public static void main(String[] args) throws Exception {
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        SandboxSettings settings = new SandboxSettings(Optional.empty(), true, "127.0.0.1", 0,
                new ResourceLocation("classpath:sandbox/backend-demo-data.xml"), 0,
                new ResourceLocation("classpath:sandbox/mandate-demo-data.json"), MANDATE_CLIENT_ID, MANDATE_API_KEY);
        Sandbox sandbox = Sandbox.start(settings, List.of(), Clock.systemUTC());
        Runtime.getRuntime().addShutdownHook(new Thread(sandbox::close));
        out.println("@@ ready " + sandbox.backendUrl() + " " + sandbox.mandateServiceUrl());
        new CountDownLatch(1).await();
    }
}
