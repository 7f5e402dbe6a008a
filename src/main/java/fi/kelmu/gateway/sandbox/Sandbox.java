package fi.kelmu.gateway.sandbox;

import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sandbox mode's own wiring: the demo PKI created on first start, and the embedded backend and mandate service
 * simulators that answer in place of Kela's systems. The gateway itself runs the same code as in production;
 * only its configuration points at what this starts.
 */
public final class Sandbox implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Sandbox.class);

    private final BackendSimulator backend;
    private final MandateServiceSimulator mandates;

    private Sandbox(BackendSimulator backend, MandateServiceSimulator mandates) {
        this.backend = backend;
        this.mandates = mandates;
    }

    /**
     * Creates the demo PKI for {@code members} if it does not exist yet, and starts the simulators when the
     * settings ask for them.
     */
    public static Sandbox start(SandboxSettings settings, List<SandboxPki.Member> members, Clock clock)
            throws IOException {
        settings.pkiDirectory().ifPresent(dir -> {
            SandboxPki pki = SandboxPki.ensure(dir, members);
            LOG.info("sandbox PKI (SANDBOX keys, password 'sandbox') in {}", pki.directory().toAbsolutePath());
        });
        if (!settings.simulators()) {
            return new Sandbox(null, null);
        }
        BackendSimulator backend = BackendSimulator.start(settings.host(), settings.backendPort(), settings.backendData());
        try {
            return new Sandbox(backend, MandateServiceSimulator.start(settings.host(), settings.mandatePort(),
                    settings.mandateData(), settings.mandateClientId(), settings.mandateApiKey(), clock));
        } catch (IOException | RuntimeException e) {
            backend.close();
            throw e;
        }
    }

    /** The backend simulator's base URL, or null when the simulators were not started. */
    public URI backendUrl() {
        return backend == null ? null : backend.baseUrl();
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
        if (backend != null) {
            backend.close();
        }
    }
}
