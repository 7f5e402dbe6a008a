package fi.kelmu.gateway.adapter;

import fi.kelmu.contract.backend.v1.BackendError;
import fi.kelmu.contract.backend.v1.BenefitDataQuery;
import fi.kelmu.contract.backend.v1.BenefitDataResult;
import fi.kelmu.contract.backend.v1.View;
import fi.kelmu.gateway.config.XmlBinding;
import fi.kelmu.gateway.config.XmlConfigLoader;
import fi.kelmu.gateway.fault.FaultCode;
import fi.kelmu.gateway.fault.GatewayException;
import fi.kelmu.gateway.http.OutboundHttp;
import fi.kelmu.gateway.registry.OrganisationType;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import jakarta.xml.bind.JAXBContext;
import jakarta.xml.bind.JAXBException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import javax.xml.stream.XMLStreamException;

/**
 * Calls Kela's benefit backend over HTTP (contract {@code xsd/backend/benefit-backend.xsd}) for one
 * organisation type, with its own base URL, connect and read timeouts and circuit breaker. Every
 * failure becomes a typed fault; nothing waits longer than the timeouts. The answer is checked against
 * the contract and against the question: another client's data or views not asked for are refused.
 */
public final class BenefitBackendAdapter {

    private static final String CLIENT_NOT_FOUND = "CLIENT_NOT_FOUND";
    private static final String CLIENT_OUTSIDE_AREA = "CLIENT_OUTSIDE_AREA";

    /** One for every adapter: the context and schema are the contract's, the same for every organisation type. */
    private static final XmlBinding BINDING = binding();

    private final OrganisationType organisationType;
    private final URI endpoint;
    private final BackendSettings settings;
    private final HttpClient httpClient;
    private final CircuitBreaker breaker;
    /** The backend contract's context and schema, with unmarshallers, validators and marshallers reused. */
    private final XmlBinding xml;

    public BenefitBackendAdapter(OrganisationType organisationType, BackendSettings settings) {
        this.organisationType = organisationType;
        this.settings = settings;
        String base = settings.baseUrl().toString();
        this.endpoint = URI.create((base.endsWith("/") ? base : base + "/") + "benefit-data");
        this.httpClient = OutboundHttp.client(settings.connectTimeout());
        this.breaker = CircuitBreaker.of("backend-" + organisationType.name().toLowerCase(),
                CircuitBreakerConfig.custom()
                        .failureRateThreshold(settings.breakerFailureRate())
                        .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                        .slidingWindowSize(settings.breakerWindow())
                        .minimumNumberOfCalls(settings.breakerMinimumCalls())
                        .waitDurationInOpenState(settings.breakerOpenDuration())
                        .permittedNumberOfCallsInHalfOpenState(1)
                        .automaticTransitionFromOpenToHalfOpenEnabled(false)
                        .build());
        this.xml = BINDING;
    }

    public OrganisationType organisationType() {
        return organisationType;
    }

    public CircuitBreaker.State breakerState() {
        return breaker.getState();
    }

    /** Asks the backend; returns its checked answer or throws the typed fault. */
    public BenefitDataResult query(BackendQuery query) {
        if (query.requesterType() != organisationType) {
            throw new IllegalStateException("adapter for " + organisationType + " given a query of "
                    + query.requesterType());
        }
        // build the request first: a query that cannot be sent is no reason to hold a breaker permit
        HttpRequest request = HttpRequest.newBuilder(endpoint)
                .timeout(settings.readTimeout())
                .header("Content-Type", "application/xml; charset=UTF-8")
                .header("Accept", "application/xml")
                .header("X-Correlation-Id", query.correlationId())
                .POST(HttpRequest.BodyPublishers.ofByteArray(marshal(toContract(query))))
                .build();
        if (!breaker.tryAcquirePermission()) {
            throw new GatewayException(FaultCode.BACKEND_UNAVAILABLE, null,
                    "circuit breaker " + breaker.getName() + " is open");
        }
        long start = System.nanoTime();
        try {
            BenefitDataResult result = call(request, query);
            breaker.onSuccess(System.nanoTime() - start, TimeUnit.NANOSECONDS);
            return result;
        } catch (GatewayException e) {
            if (e.faultCode().isClientFault()) {
                // the backend answered correctly that it has nothing: not a backend failure
                breaker.onSuccess(System.nanoTime() - start, TimeUnit.NANOSECONDS);
            } else {
                breaker.onError(System.nanoTime() - start, TimeUnit.NANOSECONDS, e);
            }
            throw e;
        } catch (RuntimeException e) {
            // every permit taken is given back, or a half-open breaker would stay stuck
            breaker.onError(System.nanoTime() - start, TimeUnit.NANOSECONDS, e);
            throw e;
        }
    }

    private BenefitDataResult call(HttpRequest request, BackendQuery query) {
        HttpResponse<byte[]> response = BackendHttp.send(httpClient, request, endpoint, settings.connectTimeout(),
                settings.readTimeout());
        int status = response.statusCode();
        if (status == 404 && CLIENT_NOT_FOUND.equals(errorCode(response.body()))) {
            throw new GatewayException(FaultCode.UNKNOWN_CLIENT, null, "backend has no client for the query");
        }
        if (status == 403 && CLIENT_OUTSIDE_AREA.equals(errorCode(response.body()))) {
            throw new GatewayException(FaultCode.CLIENT_OUTSIDE_AREA, null,
                    "backend: the client lives outside the requester's area " + query.area());
        }
        if (status != 200) {
            throw new GatewayException(FaultCode.BACKEND_ERROR, null,
                    "backend " + endpoint + " answered HTTP " + status + " error " + errorCode(response.body()));
        }
        BenefitDataResult result = parse(response.body());
        checkAnswers(query, result);
        return result;
    }

    private static void checkAnswers(BackendQuery query, BenefitDataResult result) {
        if (!query.personId().equals(result.getPersonId())) {
            throw new GatewayException(FaultCode.BACKEND_INVALID_RESPONSE, null,
                    "backend answered about another person than asked");
        }
        // scoping does not rest on the backend alone: data about a client outside the area never leaves
        if (!query.area().contains(result.getHomeMunicipality())) {
            throw new GatewayException(FaultCode.CLIENT_OUTSIDE_AREA, null, "backend answered about a client of "
                    + result.getHomeMunicipality() + ", outside the requester's area " + query.area() + "; discarded");
        }
        Set<String> answered = new HashSet<>();
        result.getViews().forEach(v -> answered.add(v.value()));
        if (!answered.equals(new HashSet<>(query.views()))) {
            throw new GatewayException(FaultCode.BACKEND_INVALID_RESPONSE, null,
                    "backend answered views " + answered + " to a query for " + query.views());
        }
    }

    private BenefitDataQuery toContract(BackendQuery query) {
        BenefitDataQuery q = new BenefitDataQuery();
        BenefitDataQuery.Requester requester = new BenefitDataQuery.Requester();
        requester.setBusinessId(query.requesterBusinessId());
        requester.setOrganisationType(fi.kelmu.contract.backend.v1.OrganisationType.fromValue(organisationType.name()));
        requester.setUserId(query.userId());
        q.setRequester(requester);
        q.setPersonId(query.personId());
        q.setPurpose(query.purpose());
        query.views().forEach(v -> q.getView().add(View.fromValue(v)));
        BenefitDataQuery.Area area = new BenefitDataQuery.Area();
        area.getMunicipality().addAll(query.area());
        q.setArea(area);
        return q;
    }

    /** The query's bytes, UTF-8, written straight by JAXB (not through a String encoded again). */
    private byte[] marshal(BenefitDataQuery query) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream(1024);
            xml.marshal(query, out);
            return out.toByteArray();
        } catch (JAXBException e) {
            throw new IllegalStateException("backend query does not marshal", e);
        }
    }

    private BenefitDataResult parse(byte[] body) {
        try {
            return xml.unmarshal(new ByteArrayInputStream(body), BenefitDataResult.class);
        } catch (JAXBException | XMLStreamException | RuntimeException e) {
            throw new GatewayException(FaultCode.BACKEND_INVALID_RESPONSE, null,
                    "backend answer does not conform to the backend contract: " + rootMessage(e), e);
        }
    }

    private String errorCode(byte[] body) {
        if (body == null || body.length == 0) {
            return null;
        }
        try {
            return xml.unmarshal(new ByteArrayInputStream(body), BackendError.class).getCode();
        } catch (JAXBException | XMLStreamException | RuntimeException e) {
            return null;
        }
    }

    private static XmlBinding binding() {
        try {
            return new XmlBinding(
                    JAXBContext.newInstance(BenefitDataQuery.class, BenefitDataResult.class, BackendError.class),
                    XmlConfigLoader.schema("xsd/backend/benefit-backend.xsd"));
        } catch (JAXBException e) {
            throw new IllegalStateException("backend contract classes do not bind", e);
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
