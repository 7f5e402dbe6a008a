package fi.kelmu.gateway.sandbox;

import com.sun.net.httpserver.HttpExchange;
import fi.kelmu.contract.backend.paymentdemand.v1.BackendError;
import fi.kelmu.contract.backend.paymentdemand.v1.ClientAnswer;
import fi.kelmu.contract.backend.paymentdemand.v1.ClientQuery;
import fi.kelmu.contract.backend.paymentdemand.v1.ClosedDateRange;
import fi.kelmu.contract.backend.paymentdemand.v1.DateRange;
import fi.kelmu.contract.backend.paymentdemand.v1.DemandAck;
import fi.kelmu.contract.backend.paymentdemand.v1.DemandCommand;
import fi.kelmu.contract.backend.paymentdemand.v1.DemandContent;
import fi.kelmu.contract.backend.paymentdemand.v1.DemandList;
import fi.kelmu.contract.backend.paymentdemand.v1.DemandQuery;
import fi.kelmu.contract.backend.paymentdemand.v1.DemandStatus;
import fi.kelmu.contract.backend.paymentdemand.v1.OrganisationType;
import fi.kelmu.contract.backend.paymentdemand.v1.Payment;
import fi.kelmu.contract.backend.paymentdemand.v1.PaymentRun;
import fi.kelmu.contract.backend.paymentdemand.v1.PaymentRunDecision;
import fi.kelmu.contract.backend.paymentdemand.v1.PaymentRunResult;
import fi.kelmu.contract.backend.v1.BenefitDataResult;
import fi.kelmu.contract.backend.v1.BenefitDataResults;
import fi.kelmu.gateway.config.ResourceLocation;
import fi.kelmu.gateway.config.XmlBinding;
import fi.kelmu.gateway.config.XmlConfigLoader;
import jakarta.xml.bind.JAXBContext;
import jakarta.xml.bind.JAXBException;
import jakarta.xml.bind.Marshaller;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import javax.xml.stream.XMLStreamException;
import javax.xml.validation.Schema;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sandbox stand-in for Kela's payment-demand backend: serves the contract
 * {@code xsd/backend/payment-demand-backend.xsd} next to the benefit backend (the same server and base URL, its
 * own paths), so that the gateway's client and outbox run the same code in sandbox mode as against Kela.
 * <p>
 * The clients, their home municipalities and the periods of their benefit decisions and pending applications are
 * those of the benefit backend's demo data ({@code sandbox/backend-demo-data.xml}). Demands live in memory, in
 * their order of registration; every method that reads or changes them holds this object's lock. Commands are
 * deduplicated by their {@code Idempotency-Key}: the same key with the same content answers the first answer and
 * changes nothing, the same key with other content is refused (409). The sandbox-only payment run makes a payment
 * of a benefit by {@link PaymentDecision} (R-PAY-3, R-PAY-7) and records it on the demands paid.
 */
public final class PaymentDemandBackendSimulator implements AutoCloseable {

    /** The request header of a command's idempotency key. */
    public static final String IDEMPOTENCY_KEY_HEADER = "Idempotency-Key";

    private static final Logger LOG = LoggerFactory.getLogger(PaymentDemandBackendSimulator.class);
    /** Where "today" is: a payment paid after it is still in payment. */
    private static final ZoneId FINLAND = ZoneId.of("Europe/Helsinki");
    private static final String SCHEMA_LOCATION = "xsd/backend/payment-demand-backend.xsd";
    private static final String XML = "application/xml; charset=UTF-8";

    /** A client of the demo data: where the client lives and the periods of each benefit. */
    private record Client(String homeMunicipality, Map<String, List<Period>> periodsByBenefit) {

        List<Period> periods(String benefitCode) {
            return periodsByBenefit.getOrDefault(benefitCode, List.of());
        }

        /** The first day of the benefit's earliest period, if the client has the benefit at all. */
        Optional<LocalDate> benefitStart(String benefitCode) {
            return periods(benefitCode).stream().map(Period::from).min(Comparator.naturalOrder());
        }
    }

    private record Period(LocalDate from, LocalDate to) {
    }

    /** An answer to send: status and body. */
    private record Answer(int status, byte[] body) {
    }

    /** The first answer given under an idempotency key, and the content it answered. */
    private record Keyed(String content, Answer answer) {
    }

    /** A demand as Kela holds it: its content, status, reason and payments, and when it was registered. */
    private static final class Entry {
        final long registration;
        final DemandList.Demand demand = new DemandList.Demand();

        Entry(long registration) {
            this.registration = registration;
        }
    }

    private final Map<String, Client> clients;
    private final JAXBContext jaxb;
    private final Schema schema;
    /** Requests read with unmarshallers and validators reused. */
    private final XmlBinding xml;
    private final Clock clock;
    private final SimulatorServer server;
    private final boolean ownsServer;

    /** By demand id, in order of registration; guarded by {@code this}. */
    private final Map<String, Entry> demands = new LinkedHashMap<>();
    /** The first answer per idempotency key; guarded by {@code this}. */
    private final Map<String, Keyed> answered = new HashMap<>();
    /** Guarded by {@code this}. */
    private long registrations;
    private final Map<String, AtomicInteger> received = new ConcurrentHashMap<>();

    private PaymentDemandBackendSimulator(Map<String, Client> clients, JAXBContext jaxb, Schema schema, Clock clock,
            SimulatorServer server, boolean ownsServer) {
        this.clients = clients;
        this.jaxb = jaxb;
        this.schema = schema;
        this.xml = new XmlBinding(jaxb, schema);
        this.clock = clock;
        this.server = server;
        this.ownsServer = ownsServer;
    }

    /**
     * Starts on its own server on {@code host:port} (port 0: any free port), under the benefit backend's context
     * path, with the clients of {@code seed} (the benefit backend's demo data); {@code clock} says what day it is.
     */
    public static PaymentDemandBackendSimulator start(String host, int port, ResourceLocation seed, Clock clock)
            throws IOException {
        SimulatorServer server = SimulatorServer.create(host, port, 2, "payment-demand-backend-simulator",
                BackendSimulator.CONTEXT_PATH);
        try {
            PaymentDemandBackendSimulator simulator = mount(server, seed, clock, true);
            server.start();
            return simulator;
        } catch (RuntimeException e) {
            server.close();
            throw e;
        }
    }

    /** Serves the contract's paths on {@code server}, not yet started, which the caller owns and closes. */
    static PaymentDemandBackendSimulator mount(SimulatorServer server, ResourceLocation seed, Clock clock) {
        return mount(server, seed, clock, false);
    }

    private static PaymentDemandBackendSimulator mount(SimulatorServer server, ResourceLocation seed, Clock clock,
            boolean ownsServer) {
        JAXBContext jaxb;
        try {
            jaxb = JAXBContext.newInstance(ClientQuery.class, ClientAnswer.class, DemandCommand.class,
                    DemandAck.class, DemandQuery.class, DemandList.class, PaymentRun.class, PaymentRunResult.class,
                    BackendError.class);
        } catch (JAXBException e) {
            throw new IllegalStateException("payment-demand backend contract classes do not bind", e);
        }
        Map<String, Client> clients = clients(seed);
        PaymentDemandBackendSimulator simulator = new PaymentDemandBackendSimulator(clients, jaxb,
                XmlConfigLoader.schema(SCHEMA_LOCATION), clock, server, ownsServer);
        server.handle("/payment-demands/client", simulator::handleClient);
        server.handle("/payment-demands/commands", simulator::handleCommand);
        server.handle("/payment-demands/query", simulator::handleQuery);
        server.handle("/payment-demands/payment-runs", simulator::handlePaymentRun);
        LOG.info("sandbox payment-demand backend simulator serving {} demo clients at {}", clients.size(),
                simulator.baseUrl());
        return simulator;
    }

    /** The clients of the benefit backend's demo data, with the periods of their decisions and applications. */
    private static Map<String, Client> clients(ResourceLocation seed) {
        Schema benefitSchema = XmlConfigLoader.schema("xsd/backend/benefit-backend.xsd");
        Map<String, Client> clients = new HashMap<>();
        for (BenefitDataResult r : XmlConfigLoader.load(seed, BenefitDataResults.class, benefitSchema)
                .getBenefitDataResult()) {
            Map<String, List<Period>> periods = new HashMap<>();
            r.getDecision().forEach(d -> periods.computeIfAbsent(d.getBenefitCode(), b -> new ArrayList<>())
                    .add(new Period(d.getPeriod().getFrom(), d.getPeriod().getTo())));
            r.getApplication().stream().filter(a -> a.getAppliedFrom() != null)
                    .forEach(a -> periods.computeIfAbsent(a.getBenefitCode(), b -> new ArrayList<>())
                            .add(new Period(a.getAppliedFrom(), a.getAppliedTo())));
            periods.replaceAll((benefit, list) -> list.stream().sorted(Comparator.comparing(Period::from)).toList());
            clients.put(r.getPersonId(), new Client(r.getHomeMunicipality(), Map.copyOf(periods)));
        }
        return Map.copyOf(clients);
    }

    /** The base URL of the contract: {@code /payment-demands/...} follows it. */
    public URI baseUrl() {
        return server.baseUrl();
    }

    /** How many commands arrived with {@code idempotencyKey}, repeats included; for tests. */
    public int commandsReceived(String idempotencyKey) {
        AtomicInteger count = received.get(idempotencyKey);
        return count == null ? 0 : count.get();
    }

    /** How many demands the simulator holds (each once, however often its commands arrived); for tests. */
    public synchronized int demandCount() {
        return demands.size();
    }

    // --- /payment-demands/client

    private void handleClient(HttpExchange http) throws IOException {
        serve(http, () -> {
            ClientQuery query = parse(http, ClientQuery.class);
            if (query == null) {
                return error(400, "INVALID_QUERY", "the query does not conform to the contract");
            }
            Client client = clients.get(query.getClientId());
            if (client == null) {
                return error(404, "CLIENT_NOT_FOUND", null);
            }
            if (!query.getArea().getMunicipality().contains(client.homeMunicipality())) {
                return error(403, "CLIENT_OUTSIDE_AREA", "the client's home municipality is not in the area");
            }
            ClientAnswer answer = new ClientAnswer();
            answer.setClientId(query.getClientId());
            answer.setHomeMunicipality(client.homeMunicipality());
            for (Period p : client.periods(query.getBenefitCode())) {
                DateRange range = new DateRange();
                range.setFrom(p.from());
                range.setTo(p.to());
                answer.getBenefitPeriod().add(range);
            }
            return answer(200, answer);
        });
    }

    // --- /payment-demands/commands

    private void handleCommand(HttpExchange http) throws IOException {
        serve(http, () -> {
            String key = http.getRequestHeaders().getFirst(IDEMPOTENCY_KEY_HEADER);
            if (key == null || key.isBlank()) {
                return error(400, "MISSING_IDEMPOTENCY_KEY", "a command needs an Idempotency-Key header");
            }
            received.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
            DemandCommand command = parse(http, DemandCommand.class);
            if (command == null) {
                return error(400, "INVALID_COMMAND", "the command does not conform to the contract");
            }
            String content = marshalToString(command);
            synchronized (this) {
                Keyed first = answered.get(key);
                if (first != null) {
                    return first.content().equals(content) ? first.answer()
                            : error(409, "IDEMPOTENCY_CONFLICT", "the key was used before for another command");
                }
                Answer answer = apply(command);
                // an acknowledgement or a rejection is the key's answer for good; a malformed command is not
                if (answer.status() == 200 || answer.status() == 422) {
                    answered.put(key, new Keyed(content, answer));
                }
                return answer;
            }
        });
    }

    /** Carries out one command; the caller holds the lock. */
    private Answer apply(DemandCommand command) {
        Answer malformed = malformed(command);
        if (malformed != null) {
            return malformed;
        }
        String id = command.getDemandId();
        Entry entry = demands.get(id);
        switch (command.getKind()) {
            case SUBMIT -> {
                if (entry != null) {
                    return error(422, "DEMAND_EXISTS", "a demand with this id is registered");
                }
                if (command.getArea() == null) {
                    return error(400, "INVALID_COMMAND", "a submit carries the demander's area");
                }
                Answer refused = refusedContent(command);
                if (refused != null) {
                    return refused;
                }
                entry = new Entry(++registrations);
                copyContent(command, entry.demand);
                entry.demand.setStatus(DemandStatus.REGISTERED);
                demands.put(id, entry);
                return ack(entry);
            }
            case MODIFY -> {
                if (!ownedBy(entry, command) || !entry.demand.getClientId().equals(command.getClientId())) {
                    return error(422, "UNKNOWN_DEMAND", null);
                }
                if (entry.demand.getStatus() == DemandStatus.INVALIDATED) {
                    return error(422, "DEMAND_INVALIDATED", "an invalidated demand cannot be modified");
                }
                Answer refused = refusedContent(command);
                if (refused != null) {
                    return refused;
                }
                copyContent(command, entry.demand);
                return ack(entry);
            }
            case INVALIDATE -> {
                if (!ownedBy(entry, command)) {
                    return error(422, "UNKNOWN_DEMAND", null);
                }
                if (entry.demand.getStatus() != DemandStatus.INVALIDATED) {
                    entry.demand.setStatus(DemandStatus.INVALIDATED);
                    entry.demand.setReason(command.getReason());
                }
                return ack(entry);
            }
            case TRANSFER -> {
                if (entry == null || !entry.demand.getClientId().equals(command.getClientId())) {
                    return error(422, "UNKNOWN_DEMAND", null);
                }
                if (entry.demand.getStatus() == DemandStatus.INVALIDATED) {
                    return error(422, "DEMAND_INVALIDATED", "an invalidated demand is not transferred");
                }
                // R-PAY-7: a municipality's demand moves to the HVA; Helsinki's and the HVAs' stay where they are
                if (entry.demand.getDemander().getOrganisationType() != OrganisationType.KUNTA
                        || command.getDemander().getOrganisationType() != OrganisationType.HVA) {
                    return error(422, "TRANSFER_NOT_ALLOWED", "only a municipality's demand moves, to an HVA");
                }
                if (command.getPreviousPayeeAccount() == null) {
                    return error(400, "INVALID_COMMAND", "a transfer keeps the previous account and its end");
                }
                copyContent(command, entry.demand);
                return ack(entry);
            }
            default -> throw new IllegalStateException("unknown command kind " + command.getKind());
        }
    }

    /** Content the schema cannot refuse but the contract does (400), or null. */
    private Answer malformed(DemandCommand command) {
        DateRange period = command.getPeriod();
        if (period.getTo() != null && period.getTo().isBefore(period.getFrom())) {
            return error(400, "INVALID_COMMAND", "the period ends before it starts");
        }
        if ((command.getPreviousPayeeAccount() == null) != (command.getPayeeAccountFrom() == null)) {
            return error(400, "INVALID_COMMAND", "previousPayeeAccount and payeeAccountFrom go together");
        }
        return null;
    }

    /** The business checks of a demand's new content (422), or null when it may be registered. */
    private Answer refusedContent(DemandCommand command) {
        Client client = clients.get(command.getClientId());
        if (client == null) {
            return error(422, "CLIENT_NOT_FOUND", null);
        }
        if (command.getArea() != null && !command.getArea().getMunicipality().contains(client.homeMunicipality())) {
            return error(422, "CLIENT_OUTSIDE_AREA", "the client's home municipality is not in the area");
        }
        Optional<LocalDate> start = client.benefitStart(command.getBenefitCode());
        if (start.isEmpty() || command.getPeriod().getFrom().isBefore(start.get())) {
            return error(422, "PERIOD_BEFORE_BENEFIT", "the period starts before the benefit's");
        }
        return null;
    }

    private static boolean ownedBy(Entry entry, DemandCommand command) {
        return entry != null
                && entry.demand.getDemander().getBusinessId().equals(command.getDemander().getBusinessId());
    }

    private Answer ack(Entry entry) {
        DemandAck ack = new DemandAck();
        ack.setDemandId(entry.demand.getDemandId());
        ack.setStatus(entry.demand.getStatus());
        ack.setReason(entry.demand.getReason());
        return answer(200, ack);
    }

    private static void copyContent(DemandContent from, DemandContent to) {
        to.setDemandId(from.getDemandId());
        to.setDemander(from.getDemander());
        to.setClientId(from.getClientId());
        to.setBenefitCode(from.getBenefitCode());
        to.setPeriod(from.getPeriod());
        to.setAmount(from.getAmount());
        to.setLegalBasis(from.getLegalBasis());
        to.setPayeeAccount(from.getPayeeAccount());
        to.setPreviousPayeeAccount(from.getPreviousPayeeAccount());
        to.setPayeeAccountFrom(from.getPayeeAccountFrom());
        to.setCaseReference(from.getCaseReference());
    }

    // --- /payment-demands/query

    private void handleQuery(HttpExchange http) throws IOException {
        serve(http, () -> {
            DemandQuery query = parse(http, DemandQuery.class);
            if (query == null) {
                return error(400, "INVALID_QUERY", "the query does not conform to the contract");
            }
            Client client = clients.get(query.getClientId());
            if (client == null) {
                return error(404, "CLIENT_NOT_FOUND", null);
            }
            if (!query.getArea().getMunicipality().contains(client.homeMunicipality())) {
                return error(403, "CLIENT_OUTSIDE_AREA", "the client's home municipality is not in the area");
            }
            synchronized (this) {
                DemandList list = new DemandList();
                demands.values().stream()
                        .filter(e -> e.demand.getClientId().equals(query.getClientId()))
                        .filter(e -> e.demand.getDemander().getBusinessId().equals(query.getDemanderBusinessId()))
                        .forEach(e -> list.getDemand().add(e.demand));
                // marshalled under the lock: the demands are the simulator's own objects
                return answer(200, list);
            }
        });
    }

    // --- /payment-demands/payment-runs (sandbox and testing only)

    private void handlePaymentRun(HttpExchange http) throws IOException {
        serve(http, () -> {
            PaymentRun run = parse(http, PaymentRun.class);
            if (run == null) {
                return error(400, "INVALID_PAYMENT_RUN", "the payment run does not conform to the contract");
            }
            if (!clients.containsKey(run.getClientId())) {
                return error(404, "CLIENT_NOT_FOUND", null);
            }
            try {
                return answer(200, pay(run));
            } catch (IllegalArgumentException e) {
                return error(400, "INVALID_PAYMENT_RUN", e.getMessage());
            }
        });
    }

    /**
     * Makes one payment of the client's benefit: {@link PaymentDecision} decides it for the client's valid demands
     * on the benefit in their order of registration, and each demand paid records the payment and is
     * {@code IN_PAYMENT} until the day it is paid, then {@code PAID}.
     *
     * @throws IllegalArgumentException when the payment is not one (see {@link PaymentDecision.Payment})
     */
    public synchronized PaymentRunResult pay(PaymentRun run) {
        ClosedDateRange period = run.getPaymentPeriod();
        PaymentDecision.Payment payment = new PaymentDecision.Payment(period.getFrom(), period.getTo(),
                run.getGrossAmount(), run.getDistributable(), run.getPutIntoPayment(), run.getPaid());
        List<Entry> valid = demands.values().stream()
                .filter(e -> e.demand.getClientId().equals(run.getClientId()))
                .filter(e -> e.demand.getBenefitCode().equals(run.getBenefitCode()))
                .filter(e -> e.demand.getStatus() != DemandStatus.INVALIDATED
                        && e.demand.getStatus() != DemandStatus.REJECTED)
                .sorted(Comparator.comparingLong(e -> e.registration))
                .toList();
        List<PaymentDecision.Outcome> outcomes = PaymentDecision.decide(payment,
                valid.stream().map(e -> decisionDemand(e.demand)).toList());
        LocalDate today = LocalDate.now(clock.withZone(FINLAND));
        PaymentRunResult result = new PaymentRunResult();
        for (int i = 0; i < outcomes.size(); i++) {
            PaymentDecision.Outcome outcome = outcomes.get(i);
            PaymentRunResult.Payment decided = new PaymentRunResult.Payment();
            decided.setDemandId(outcome.demandId());
            decided.setAmount(outcome.amount());
            decided.setAccount(outcome.account());
            decided.setDecision(PaymentRunDecision.fromValue(outcome.decision().name()));
            result.getPayment().add(decided);
            if (outcome.decision() == PaymentDecision.Decision.PAID) {
                DemandList.Demand demand = valid.get(i).demand;
                Payment made = new Payment();
                made.setPeriod(period);
                made.setPaid(run.getPaid());
                made.setPutIntoPayment(run.getPutIntoPayment());
                made.setAmount(outcome.amount());
                made.setAccount(outcome.account());
                demand.getPayment().add(made);
                demand.setStatus(run.getPaid().isAfter(today) ? DemandStatus.IN_PAYMENT : DemandStatus.PAID);
            }
        }
        return result;
    }

    private static PaymentDecision.Demand decisionDemand(DemandContent d) {
        return new PaymentDecision.Demand(d.getDemandId(), d.getPeriod().getFrom(), d.getPeriod().getTo(),
                d.getAmount().getSum(), d.getPayeeAccount(), d.getPreviousPayeeAccount(), d.getPayeeAccountFrom());
    }

    // --- HTTP and XML

    /** What a handler computes: an answer, from the request. */
    private interface Handler {
        Answer handle() throws IOException;
    }

    private void serve(HttpExchange http, Handler handler) throws IOException {
        try (http) {
            Answer answer;
            if (!"POST".equals(http.getRequestMethod())) {
                answer = error(405, "METHOD_NOT_ALLOWED", "POST only");
            } else {
                try {
                    answer = handler.handle();
                } catch (RuntimeException e) {
                    LOG.error("payment-demand simulator failed", e);
                    answer = error(500, "INTERNAL", null);
                }
            }
            SimulatorServer.send(http, answer.status(), XML, answer.body());
        }
    }

    /** The request body as {@code type}, or null when it is not a document of that type of the contract. */
    private <T> T parse(HttpExchange http, Class<T> type) throws IOException {
        try (InputStream in = http.getRequestBody()) {
            return xml.unmarshalDocument(in, type);
        } catch (JAXBException | XMLStreamException e) {
            return null;
        }
    }

    private Answer error(int status, String code, String message) {
        BackendError error = new BackendError();
        error.setCode(code);
        error.setMessage(message);
        return answer(status, error);
    }

    private Answer answer(int status, Object body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            Marshaller marshaller = jaxb.createMarshaller();
            // the simulator answers only what the contract allows: a defect here is a 500, not a bad answer
            marshaller.setSchema(schema);
            marshaller.marshal(body, out);
        } catch (JAXBException e) {
            throw new IllegalStateException("answer does not conform to the contract", e);
        }
        return new Answer(status, out.toByteArray());
    }

    private String marshalToString(Object body) {
        return new String(answer(200, body).body(), StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        if (ownsServer) {
            server.close();
        }
    }
}
