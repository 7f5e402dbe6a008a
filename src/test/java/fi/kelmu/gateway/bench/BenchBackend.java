package fi.kelmu.gateway.bench;

import fi.kelmu.gateway.config.ResourceLocation;
import fi.kelmu.gateway.sandbox.Sandbox;
import fi.kelmu.gateway.sandbox.SandboxSettings;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;

/**
 * The sandbox's backend simulators (benefit and payment-demand backend on one server, and the mandate service)
 * in a process of their own, so that the benchmark's gateway runs with {@code kelmu.simulator.enabled=false}
 * and its CPU is its own. Settings as the sandbox defaults (application-sandbox.properties). Beside them the
 * {@link BenefitAnswerMemo}, which answers a benefit query seen before from memory and passes the rest to the
 * simulator. Prints {@code @@ ready BACKEND_URL MANDATE_URL BENEFIT_MEMO_URL}: the simulators' backend base URL
 * (benefit and payment-demand backend), the mandate service's, and the benefit backend's base URL through the memo.
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
        URI backend = sandbox.backendUrl();
        String benefitData = backend.getPath() + "/benefit-data";
        BenefitAnswerMemo memo = BenefitAnswerMemo.start(backend.resolve("/"), Set.of(benefitData));
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            sandbox.close();
            out.println("@@ answer memo: " + memo.fromMemo() + " answered from memory, " + memo.passed()
                    + " passed to the simulator");
        }));
        out.println("@@ ready " + backend + " " + sandbox.mandateServiceUrl() + " "
                + memo.baseUrl().resolve(backend.getPath()));
        new CountDownLatch(1).await();
    }
}
