package fi.kelmu.gateway.sandbox;

import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sandbox mode's own wiring: the demo PKI created on first start, and the embedded simulators that answer in place
 * of Kela's systems: the benefit backend and the payment-demand backend on one server (each contract on its own
 * paths under one base URL), and the mandate service. The gateway itself runs the same code as in production;
 * only its configuration points at what this starts.
 */
public final class Sandbox implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Sandbox.class);

    private final SimulatorServer backendServer;
    private final BackendSimulator backend;
    private final PaymentDemandBackendSimulator paymentDemands;
    private final MandateServiceSimulator mandates;

    private Sandbox(SimulatorServer backendServer, BackendSimulator backend,
            PaymentDemandBackendSimulator paymentDemands, MandateServiceSimulator mandates) {
        this.backendServer = backendServer;
        this.backend = backend;
        this.paymentDemands = paymentDemands;
        this.mandates = mandates;
    }

    /**
     * Creates the demo PKI for {@code members} if it does not exist yet, and starts the simulators when the
     * settings ask for them; {@code clock} is the simulators' time (what day payments are paid, which mandates
     * are in force).
     */
    public static Sandbox start(SandboxSettings settings, List<SandboxPki.Member> members, Clock clock)
            throws IOException {
        settings.pkiDirectory().ifPresent(dir -> {
            SandboxPki pki = SandboxPki.ensure(dir, members);
            LOG.info("sandbox PKI (SANDBOX keys, password 'sandbox') in {}", pki.directory().toAbsolutePath());
        });
        if (!settings.simulators()) {
            return new Sandbox(null, null, null, null);
        }
        // Kela's backends share one server and base URL (kelmu.simulator.url), so the payment-demand backend's
        // URLs (kelmu.payment-backend.<type>.url) point where the benefit backend's do
        SimulatorServer server = SimulatorServer.create(settings.host(), settings.backendPort(), 4,
                "backend-simulator", BackendSimulator.CONTEXT_PATH);
        try {
            BackendSimulator backend = BackendSimulator.mount(server, settings.backendData());
            PaymentDemandBackendSimulator paymentDemands =
                    PaymentDemandBackendSimulator.mount(server, settings.backendData(), clock);
            server.start();
            return new Sandbox(server, backend, paymentDemands, MandateServiceSimulator.start(settings.host(),
                    settings.mandatePort(), settings.mandateData(), settings.mandateClientId(),
                    settings.mandateApiKey(), clock));
        } catch (IOException | RuntimeException e) {
            server.close();
            throw e;
        }
    }

    /** The backend simulator's base URL, or null when the simulators were not started. */
    public URI backendUrl() {
        return backend == null ? null : backend.baseUrl();
    }

    /**
     * The payment-demand backend simulator's base URL (the same as {@link #backendUrl()}), or null when the
     * simulators were not started.
     */
    public URI paymentDemandBackendUrl() {
        return paymentDemands == null ? null : paymentDemands.baseUrl();
    }

    /** The payment-demand backend simulator, for tests and demos; null when the simulators were not started. */
    public PaymentDemandBackendSimulator paymentDemandBackend() {
        return paymentDemands;
    }

    /** The mandate service simulator's base URL, or null when the simulators were not started. */
    public URI mandateServiceUrl() {
        return mandates == null ? null : mandates.baseUrl();
    }

    @Override
    public void close() {
        if (mandates != null) {
            mandates.close();
        }
        if (paymentDemands != null) {
            paymentDemands.close();
        }
        if (backend != null) {
            backend.close();
        }
        if (backendServer != null) {
            backendServer.close();
        }
    }
}
