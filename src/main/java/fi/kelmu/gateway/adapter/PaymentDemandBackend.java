package fi.kelmu.gateway.adapter;

import fi.kelmu.contract.backend.paymentdemand.v1.Area;
import fi.kelmu.contract.backend.paymentdemand.v1.BackendError;
import fi.kelmu.contract.backend.paymentdemand.v1.ClientAnswer;
import fi.kelmu.contract.backend.paymentdemand.v1.ClientQuery;
import fi.kelmu.contract.backend.paymentdemand.v1.DemandAck;
import fi.kelmu.contract.backend.paymentdemand.v1.DemandCommand;
import fi.kelmu.contract.backend.paymentdemand.v1.DemandList;
import fi.kelmu.contract.backend.paymentdemand.v1.DemandQuery;
import fi.kelmu.gateway.config.XmlBinding;
import fi.kelmu.gateway.config.XmlConfigLoader;
import fi.kelmu.gateway.fault.FaultCode;
import fi.kelmu.gateway.fault.GatewayException;
import fi.kelmu.gateway.http.OutboundHttp;
import jakarta.xml.bind.JAXBContext;
import jakarta.xml.bind.JAXBException;
import jakarta.xml.bind.Marshaller;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import javax.xml.stream.XMLStreamException;
import javax.xml.validation.Schema;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Calls the payment-demand backend of one organisation type over HTTP (contract
 * {@code xsd/backend/payment-demand-backend.xsd}, docs/payment-demands.md): the client check before a submit,
 * the delivery of the outbox's commands, and the list of a client's demands.
 * <p>
 * Requests are validated against the contract before they leave (a request the contract does not allow is a
 * defect of the caller: {@link IllegalArgumentException}), answers before they are used. Nothing waits longer
 * than the connect and read timeouts. One {@link HttpClient} per backend keeps its connections alive between
 * calls; the JAXB context and the schema are built once for every instance.
 * <p>
 * {@link #client} and {@link #query} answer a caller who is waiting: their failures are the typed faults of the
 * benefit backend adapter. {@link #deliver} serves the outbox, which retries: it returns a {@link DeliveryResult}
 * and never throws for backend trouble. There is no circuit breaker here: the outbox's backoff spaces the
 * deliveries, and a client check or list fails within its timeouts.
 */
public final class PaymentDemandBackend {

    /** The code of {@link DeliveryResult.Rejected} when a 422 answer carried no readable backendError. */
    public static final String UNSPECIFIED_REJECTION = "UNSPECIFIED";

    /** The request header that carries a command's idempotency key. */
    public static final String IDEMPOTENCY_KEY_HEADER = "Idempotency-Key";

    /** The contract's schema, on the classpath. */
    public static final String SCHEMA_LOCATION = "xsd/backend/payment-demand-backend.xsd";

    private static final Logger LOG = LoggerFactory.getLogger(PaymentDemandBackend.class);

    private static final String CLIENT_NOT_FOUND = "CLIENT_NOT_FOUND";
    private static final String CLIENT_OUTSIDE_AREA = "CLIENT_OUTSIDE_AREA";
    /** The contract's key: printable ASCII, so that it is a valid header value that no proxy rewrites. */
    private static final Pattern IDEMPOTENCY_KEY = Pattern.compile("[\\x21-\\x7E]{1,200}");

    private static final JAXBContext JAXB = context();
    private static final Schema SCHEMA = XmlConfigLoader.schema(SCHEMA_LOCATION);
    /** Answers are read with unmarshallers and validators reused, not built per answer. */
    private static final XmlBinding XML = new XmlBinding(JAXB, SCHEMA);

    private final PaymentBackendSettings settings;
    private final URI clientEndpoint;
    private final URI commandsEndpoint;
    private final URI queryEndpoint;
    private final HttpClient httpClient;

    public PaymentDemandBackend(PaymentBackendSettings settings) {
        this.settings = Objects.requireNonNull(settings, "settings");
        String base = settings.baseUrl().toString();
        String prefix = (base.endsWith("/") ? base : base + "/") + "payment-demands/";
        this.clientEndpoint = URI.create(prefix + "client");
        this.commandsEndpoint = URI.create(prefix + "commands");
        this.queryEndpoint = URI.create(prefix + "query");
        this.httpClient = OutboundHttp.client(settings.connectTimeout());
    }

    public PaymentBackendSettings settings() {
        return settings;
    }

    /**
     * Where the client lives and the periods of the client's decisions and pending applications of the benefit,
     * asked before a submit: an HVA acts only for clients of its own area, and a demand's period may not start
     * before the benefit's (docs/payment-demands.md, "Area" and "Content").
     *
     * @param clientId      the client's henkilötunnus
     * @param benefitCode   the benefit the demand targets
     * @param area          the demander's municipalities (1 to 400 kuntanumero codes)
     * @param correlationId the request's correlation id, or null
     * @throws GatewayException {@code UNKNOWN_CLIENT} when Kela does not know the client, {@code CLIENT_OUTSIDE_AREA}
     *         when the client lives outside {@code area} (the backend says so, or answers about a client elsewhere:
     *         that answer is discarded), {@code BACKEND_UNAVAILABLE}, {@code BACKEND_TIMEOUT},
     *         {@code BACKEND_ERROR} or {@code BACKEND_INVALID_RESPONSE} when the backend cannot answer
     */
    public ClientAnswer client(String clientId, String benefitCode, Set<String> area, String correlationId) {
        ClientQuery question = new ClientQuery();
        question.setClientId(clientId);
        question.setBenefitCode(benefitCode);
        question.setArea(area(area));
        ClientAnswer answer = ask(clientEndpoint, question, ClientAnswer.class, correlationId);
        if (!clientId.equals(answer.getClientId())) {
            throw new GatewayException(FaultCode.BACKEND_INVALID_RESPONSE, null,
                    "payment-demand backend answered about another client than asked");
        }
        // scoping does not rest on the backend alone: an answer about a client outside the area is not used
        if (!area.contains(answer.getHomeMunicipality())) {
            throw new GatewayException(FaultCode.CLIENT_OUTSIDE_AREA, null, "payment-demand backend answered about a"
                    + " client of " + answer.getHomeMunicipality() + ", outside the area " + new TreeSet<>(area)
                    + "; discarded");
        }
        return answer;
    }

    /**
     * Delivers one outbox command. The same {@code idempotencyKey} with the same command may be delivered any
     * number of times: the backend acts once and answers every delivery with its first answer.
     *
     * @param idempotencyKey the command's key (the demander's Y-tunnus and the request's X-Road id), 1 to 200
     *                       printable ASCII characters
     * @param correlationId  a correlation id for both logs, or null
     * @param command        the demand's content after the command, of the contract
     * @return {@link DeliveryResult.Acked} (mark delivered), {@link DeliveryResult.Rejected} (mark delivered as
     *         rejected, HTTP 422) or {@link DeliveryResult.Unavailable} (retry later: unreachable, timed out, 5xx,
     *         an answer the gateway cannot use, and also a 409 conflict or a 400, which only a changed command
     *         could resolve and which are logged as the defects they are)
     * @throws IllegalArgumentException when the key or the command does not conform to the contract: a defect of
     *         the caller, which no retry would mend
     */
    public DeliveryResult deliver(String idempotencyKey, String correlationId, DemandCommand command) {
        if (idempotencyKey == null || !IDEMPOTENCY_KEY.matcher(idempotencyKey).matches()) {
            throw new IllegalArgumentException("idempotency key must be 1 to 200 printable ASCII characters");
        }
        Objects.requireNonNull(command, "command");
        HttpRequest request = request(commandsEndpoint, command, correlationId, idempotencyKey);
        HttpResponse<byte[]> response;
        try {
            response = httpClient.send(request, HttpResponse.BodyHandlers.ofByteArray());
        } catch (HttpConnectTimeoutException e) {
            return new DeliveryResult.Unavailable("connect to " + commandsEndpoint + " timed out after "
                    + settings.connectTimeout());
        } catch (HttpTimeoutException e) {
            return new DeliveryResult.Unavailable("no answer from " + commandsEndpoint + " within " + settings.readTimeout());
        } catch (IOException e) {
            return new DeliveryResult.Unavailable("I/O failure calling " + commandsEndpoint + ": " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new DeliveryResult.Unavailable("interrupted calling " + commandsEndpoint);
        }
        int status = response.statusCode();
        if (status == 200) {
            DemandAck ack;
            try {
                ack = parse(response.body(), DemandAck.class);
            } catch (GatewayException e) {
                return new DeliveryResult.Unavailable(e.getMessage());
            }
            if (!command.getDemandId().equals(ack.getDemandId())) {
                return new DeliveryResult.Unavailable("payment-demand backend acknowledged another demand than "
                        + command.getDemandId());
            }
            return new DeliveryResult.Acked(ack.getStatus().value(), ack.getReason());
        }
        String code = errorCode(response.body());
        if (status == 422) {
            return new DeliveryResult.Rejected(code == null ? UNSPECIFIED_REJECTION : code);
        }
        String error = "payment-demand backend " + commandsEndpoint + " answered HTTP " + status
                + (code == null ? "" : " " + code);
        if (status >= 400 && status < 500) {
            // not the backend's trouble: the key was used before for other content (409 IDEMPOTENCY_CONFLICT), the
            // request was refused as malformed, or the URL is wrong. Marking the command delivered would claim an
            // outcome Kela never gave; left pending, it stays visible until someone looks.
            LOG.warn("{} for command {} of demand {} (correlation {}): retrying cannot help until it is mended",
                    error, command.getKind(), command.getDemandId(), correlationId);
        }
        return new DeliveryResult.Unavailable(error);
    }

    /**
     * The client's demands made by the demander, in order of registration, with Kela's status and the payments
     * made on each.
     *
     * @param clientId           the client's henkilötunnus
     * @param demanderBusinessId the calling organisation's Y-tunnus, as authenticated
     * @param area               the demander's municipalities (1 to 400 kuntanumero codes)
     * @param correlationId      the request's correlation id, or null
     * @throws GatewayException as {@link #client}; {@code BACKEND_INVALID_RESPONSE} also when the answer holds a
     *         demand of another client or another demander (no one learns of others' demands)
     */
    public DemandList query(String clientId, String demanderBusinessId, Set<String> area, String correlationId) {
        DemandQuery question = new DemandQuery();
        question.setClientId(clientId);
        question.setDemanderBusinessId(demanderBusinessId);
        question.setArea(area(area));
        DemandList answer = ask(queryEndpoint, question, DemandList.class, correlationId);
        for (DemandList.Demand demand : answer.getDemand()) {
            if (!clientId.equals(demand.getClientId())
                    || !demanderBusinessId.equals(demand.getDemander().getBusinessId())) {
                throw new GatewayException(FaultCode.BACKEND_INVALID_RESPONSE, null, "payment-demand backend listed"
                        + " demand " + demand.getDemandId() + " of another client or demander than asked; discarded");
            }
        }
        return answer;
    }

    /** Sends a question whose answer a caller waits for; every failure is a typed fault. */
    private <T> T ask(URI endpoint, Object question, Class<T> answerType, String correlationId) {
        HttpRequest request = request(endpoint, question, correlationId, null);
        HttpResponse<byte[]> response = BackendHttp.send(httpClient, request, endpoint, settings.connectTimeout(),
                settings.readTimeout());
        int status = response.statusCode();
        if (status == 200) {
            return parse(response.body(), answerType);
        }
        String code = errorCode(response.body());
        if (status == 404 && CLIENT_NOT_FOUND.equals(code)) {
            throw new GatewayException(FaultCode.UNKNOWN_CLIENT, null, "payment-demand backend has no such client");
        }
        if (status == 403 && CLIENT_OUTSIDE_AREA.equals(code)) {
            throw new GatewayException(FaultCode.CLIENT_OUTSIDE_AREA, null,
                    "payment-demand backend: the client lives outside the requester's area");
        }
        throw new GatewayException(FaultCode.BACKEND_ERROR, null,
                "payment-demand backend " + endpoint + " answered HTTP " + status + " error " + code);
    }

    private HttpRequest request(URI endpoint, Object body, String correlationId, String idempotencyKey) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(endpoint)
                .timeout(settings.readTimeout())
                .header("Content-Type", "application/xml; charset=UTF-8")
                .header("Accept", "application/xml")
                .POST(HttpRequest.BodyPublishers.ofByteArray(marshal(body)));
        if (correlationId != null && !correlationId.isBlank()) {
            builder.header("X-Correlation-Id", correlationId);
        }
        if (idempotencyKey != null) {
            builder.header(IDEMPOTENCY_KEY_HEADER, idempotencyKey);
        }
        return builder.build();
    }

    private static Area area(Set<String> municipalities) {
        Area area = new Area();
        // sorted: the same question is the same bytes
        area.getMunicipality().addAll(new TreeSet<>(municipalities));
        return area;
    }

    private static byte[] marshal(Object body) {
        try {
            Marshaller marshaller = JAXB.createMarshaller();
            marshaller.setSchema(SCHEMA);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            marshaller.marshal(body, out);
            return out.toByteArray();
        } catch (JAXBException e) {
            throw new IllegalArgumentException("request does not conform to the payment-demand backend contract: "
                    + rootMessage(e), e);
        }
    }

    private static <T> T parse(byte[] body, Class<T> type) {
        try {
            return XML.unmarshalDocument(new ByteArrayInputStream(body), type);
        } catch (JAXBException | XMLStreamException | RuntimeException e) {
            throw new GatewayException(FaultCode.BACKEND_INVALID_RESPONSE, null,
                    "payment-demand backend answer is not a " + type.getSimpleName() + " of the contract: "
                            + rootMessage(e), e);
        }
    }

    /** The backendError's code of an error answer, or null when it has none that conforms. */
    private static String errorCode(byte[] body) {
        if (body == null || body.length == 0) {
            return null;
        }
        try {
            return XML.unmarshalDocument(new ByteArrayInputStream(body), BackendError.class)
                    .getCode();
        } catch (JAXBException | XMLStreamException | RuntimeException e) {
            return null;
        }
    }

    private static JAXBContext context() {
        try {
            return JAXBContext.newInstance(ClientQuery.class, ClientAnswer.class, DemandCommand.class, DemandAck.class,
                    DemandQuery.class, DemandList.class, BackendError.class);
        } catch (JAXBException e) {
            throw new IllegalStateException("payment-demand backend contract classes do not bind", e);
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getClass().getSimpleName() + ": " + t.getMessage();
    }
}
