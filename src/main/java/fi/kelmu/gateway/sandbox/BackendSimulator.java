package fi.kelmu.gateway.sandbox;

import com.sun.net.httpserver.HttpExchange;
import fi.kelmu.contract.backend.v1.BackendError;
import fi.kelmu.contract.backend.v1.BenefitDataQuery;
import fi.kelmu.contract.backend.v1.BenefitDataResult;
import fi.kelmu.contract.backend.v1.BenefitDataResults;
import fi.kelmu.contract.backend.v1.View;
import fi.kelmu.gateway.config.ResourceLocation;
import fi.kelmu.gateway.config.XmlBinding;
import fi.kelmu.gateway.config.XmlConfigLoader;
import jakarta.xml.bind.JAXBContext;
import jakarta.xml.bind.JAXBException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.xml.stream.XMLStreamException;
import javax.xml.validation.Schema;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sandbox stand-in for Kela's benefit backend: serves the backend contract
 * ({@code xsd/backend/benefit-backend.xsd}) on loopback from seeded demo data, so the adapters run the
 * same code in sandbox mode as against the real backend.
 */
public final class BackendSimulator implements AutoCloseable {

    public static final String CONTEXT_PATH = "/kela/benefit-backend/v1";
    private static final Logger LOG = LoggerFactory.getLogger(BackendSimulator.class);
    private static final List<View> ALL_VIEWS = List.of(View.values());

    private final Map<String, BenefitDataResult> clients;
    /** Queries read and answers written with unmarshallers, validators and marshallers reused. */
    private final XmlBinding xml;
    private final SimulatorServer server;
    /** Whether closing this closes the server: not when it shares the sandbox's server with other simulators. */
    private final boolean ownsServer;

    private BackendSimulator(Map<String, BenefitDataResult> clients, JAXBContext jaxb, Schema schema,
            SimulatorServer server, boolean ownsServer) {
        this.clients = clients;
        this.xml = new XmlBinding(jaxb, schema);
        this.server = server;
        this.ownsServer = ownsServer;
    }

    /** Starts on {@code host:port} (port 0: any free port) with the demo data at {@code seed}. */
    public static BackendSimulator start(String host, int port, ResourceLocation seed) throws IOException {
        SimulatorServer server = SimulatorServer.create(host, port, 4, "backend-simulator", CONTEXT_PATH);
        try {
            BackendSimulator simulator = mount(server, seed, true);
            server.start();
            return simulator;
        } catch (RuntimeException e) {
            server.close();
            throw e;
        }
    }

    /**
     * Serves the benefit backend's paths on {@code server}, not yet started, which the caller owns and closes: the
     * sandbox serves Kela's backends on one server, each contract on its own paths.
     */
    static BackendSimulator mount(SimulatorServer server, ResourceLocation seed) {
        return mount(server, seed, false);
    }

    private static BackendSimulator mount(SimulatorServer server, ResourceLocation seed, boolean ownsServer) {
        Schema schema = XmlConfigLoader.schema("xsd/backend/benefit-backend.xsd");
        JAXBContext jaxb;
        try {
            jaxb = JAXBContext.newInstance(BenefitDataQuery.class, BenefitDataResult.class, BenefitDataResults.class,
                    BackendError.class);
        } catch (JAXBException e) {
            throw new IllegalStateException("backend contract classes do not bind", e);
        }
        Map<String, BenefitDataResult> clients = new HashMap<>();
        for (BenefitDataResult r : XmlConfigLoader.load(seed, BenefitDataResults.class, schema).getBenefitDataResult()) {
            if (!r.getViews().containsAll(ALL_VIEWS)) {
                throw new IllegalStateException(seed + ": seed record of a client must hold every view");
            }
            clients.put(r.getPersonId(), r);
        }
        BackendSimulator simulator = new BackendSimulator(Map.copyOf(clients), jaxb, schema, server, ownsServer);
        server.handle("/benefit-data", simulator::handleBenefitData);
        LOG.info("sandbox backend simulator serving {} demo clients at {}", clients.size(), simulator.baseUrl());
        return simulator;
    }

    public URI baseUrl() {
        return server.baseUrl();
    }

    private void handleBenefitData(HttpExchange http) throws IOException {
        try (http) {
            if (!"POST".equals(http.getRequestMethod())) {
                respond(http, 405, error("METHOD_NOT_ALLOWED", "POST only"));
                return;
            }
            BenefitDataQuery query;
            try (InputStream in = http.getRequestBody()) {
                query = xml.unmarshal(in, BenefitDataQuery.class);
            } catch (JAXBException | XMLStreamException e) {
                respond(http, 400, error("INVALID_QUERY", "query does not conform to the backend contract"));
                return;
            }
            BenefitDataResult full = clients.get(query.getPersonId());
            if (full == null) {
                respond(http, 404, error("CLIENT_NOT_FOUND", null));
                return;
            }
            if (!query.getArea().getMunicipality().contains(full.getHomeMunicipality())) {
                respond(http, 403, error("CLIENT_OUTSIDE_AREA", "the client's home municipality is not in the area"));
                return;
            }
            respond(http, 200, only(full, query.getView()));
        } catch (RuntimeException e) {
            LOG.error("simulator failed", e);
            respond(http, 500, error("INTERNAL", null));
        }
    }

    /** A copy of the client's record with only the sections of the views asked for. */
    private static BenefitDataResult only(BenefitDataResult full, List<View> views) {
        BenefitDataResult r = new BenefitDataResult();
        r.setPersonId(full.getPersonId());
        r.setHomeMunicipality(full.getHomeMunicipality());
        r.getViews().addAll(views.stream().distinct().toList());
        if (views.contains(View.PENDING_APPLICATIONS)) {
            r.getApplication().addAll(full.getApplication());
        }
        if (views.contains(View.BENEFIT_DECISIONS)) {
            r.getDecision().addAll(full.getDecision());
        }
        if (views.contains(View.PAYMENTS)) {
            r.getPayment().addAll(full.getPayment());
        }
        if (views.contains(View.INSURANCE_STATUS)) {
            r.setInsurance(full.getInsurance());
        }
        if (views.contains(View.OVERPAYMENT_RECOVERY)) {
            r.getRecovery().addAll(full.getRecovery());
        }
        if (views.contains(View.DRUG_COST_CEILING)) {
            r.getDrugCostCeiling().addAll(full.getDrugCostCeiling());
        }
        if (views.contains(View.BASIC_SOCIAL_ASSISTANCE)) {
            r.getSocialAssistanceDecision().addAll(full.getSocialAssistanceDecision());
            r.getSocialAssistancePayment().addAll(full.getSocialAssistancePayment());
        }
        return r;
    }

    private static Object error(String code, String message) {
        BackendError error = new BackendError();
        error.setCode(code);
        error.setMessage(message);
        return error;
    }

    private void respond(HttpExchange http, int status, Object body) throws IOException {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        try {
            xml.marshal(body, buffer);
        } catch (JAXBException e) {
            throw new IOException("response does not marshal", e);
        }
        SimulatorServer.send(http, status, "application/xml; charset=UTF-8", buffer.toByteArray());
    }

    @Override
    public void close() {
        if (ownsServer) {
            server.close();
        }
    }
}
