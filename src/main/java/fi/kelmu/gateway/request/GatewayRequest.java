package fi.kelmu.gateway.request;

import fi.kelmu.gateway.audit.AccessReceipt;
import fi.kelmu.gateway.audit.StoredAccessRecord;
import fi.kelmu.gateway.mandate.ProvenMandates;
import fi.kelmu.gateway.policy.AccessDecision;
import fi.kelmu.gateway.registry.Organisation;
import fi.kelmu.gateway.security.VerifiedMessage;
import fi.kelmu.gateway.xroad.XRoadHeaders;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * One request as the pipeline has established it so far (docs/architecture.md, "The request context"). The
 * inbound chain creates it when the request arrives and completes it in order: correlation id and request
 * hash, then the verified message with its X-Road headers and the authenticated caller, then the operation
 * of the body. The route steps add what they establish: the subject the request names, the validated client,
 * the proven mandates, the policy's decision and, for an answer that carries client data, the receipt of its
 * access record. Each part is set once, by the step that owns it; reading a
 * part before its step ran is a programming error, never a default.
 */
public final class GatewayRequest {

    private final String correlationId;
    private String requestHash;
    private VerifiedMessage message;
    private XRoadHeaders headers;
    private Organisation caller;
    private String operation;
    private Subject subject;
    private String accessDetails;
    private String client;
    private ProvenMandates mandates;
    private AccessDecision decision;
    private RuntimeException soapActionMismatch;
    private boolean inRoute;
    private AccessReceipt receipt;

    public GatewayRequest(String correlationId) {
        this.correlationId = Objects.requireNonNull(correlationId, "correlationId");
    }

    /** A request with a new correlation id. */
    public static GatewayRequest start() {
        return new GatewayRequest(UUID.randomUUID().toString());
    }

    public String correlationId() {
        return correlationId;
    }

    /** The base64 SHA-512 of the raw request, for the {@code requestHash} response header; null before it is read. */
    public String requestHash() {
        return requestHash;
    }

    public void requestHash(String base64) {
        requestHash = once(requestHash, base64, "requestHash");
    }

    /** Message security passed: what the signature proves, the signed X-Road headers, and who signed. */
    public void authenticated(VerifiedMessage verified, XRoadHeaders signedHeaders, Organisation organisation) {
        message = once(message, verified, "message");
        headers = once(headers, signedHeaders, "headers");
        caller = once(caller, organisation, "caller");
    }

    public boolean isAuthenticated() {
        return caller != null;
    }

    public VerifiedMessage message() {
        return required(message, "verified message");
    }

    public XRoadHeaders headers() {
        return required(headers, "X-Road headers");
    }

    /**
     * The headers once they have been read from the verified message and validated against the operation:
     * what the response echoes.
     */
    public Optional<XRoadHeaders> validatedHeaders() {
        return operation == null ? Optional.empty() : Optional.ofNullable(headers);
    }

    /** The registered organisation the signing certificate proved; never what a header claims. */
    public Organisation caller() {
        return required(caller, "caller");
    }

    /** The acting user's henkilötunnus ({@code userId} without {@code FI}). */
    public String userHetu() {
        return headers().userHetu();
    }

    /** The operation of the body, as the service contract binds it (never an unsigned transport header). */
    public void operation(String name) {
        operation = once(operation, name, "operation");
    }

    public String operation() {
        return required(operation, "operation");
    }

    public void subject(Subject named) {
        subject = once(subject, named, "subject");
    }

    /** Whom and why the request asks about, once a service step has read its body. */
    public Optional<Subject> subject() {
        return Optional.ofNullable(subject);
    }

    /**
     * What the access record says the operation did beyond its views (a payment demand's id, amount and masked
     * payee account; docs/payment-demands.md), set by the service step that reads the body.
     */
    public void accessDetails(String details) {
        accessDetails = once(accessDetails, details, "access details");
    }

    public Optional<String> accessDetails() {
        return Optional.ofNullable(accessDetails);
    }

    /** The client, validated: a canonical henkilötunnus. */
    public void client(String personId) {
        client = once(client, personId, "client");
    }

    public String client() {
        return required(client, "client");
    }

    public void mandates(ProvenMandates proven) {
        mandates = once(mandates, proven, "mandates");
    }

    public ProvenMandates mandates() {
        return required(mandates, "proven mandates");
    }

    /** The proven mandates, when the mandate step got that far. */
    public Optional<ProvenMandates> mandatesIfProven() {
        return Optional.ofNullable(mandates);
    }

    /**
     * The SOAPAction did not match the body's operation: the refusal, raised once the caller is authenticated, so
     * that it can be recorded.
     */
    public void soapActionMismatch(RuntimeException refusal) {
        soapActionMismatch = once(soapActionMismatch, refusal, "SOAPAction mismatch");
    }

    public Optional<RuntimeException> soapActionMismatch() {
        return Optional.ofNullable(soapActionMismatch);
    }

    /** The request has reached a route: from here on the route's error policy records its refusal. */
    public void enterRoute() {
        if (inRoute) {
            throw new IllegalStateException("the request entered a route already");
        }
        inRoute = true;
    }

    public boolean inRoute() {
        return inRoute;
    }

    public void decision(AccessDecision allowed) {
        decision = once(decision, allowed, "decision");
    }

    public AccessDecision decision() {
        return required(decision, "policy decision");
    }

    /** The access record of the data this request is answered with has been written (docs/access-log.md). */
    public void receipt(StoredAccessRecord record) {
        receipt = once(receipt, AccessReceipt.of(record), "access receipt");
    }

    /** The receipt the answer gives the caller: present once the allowed record was written, never for a refusal. */
    public Optional<AccessReceipt> receipt() {
        return Optional.ofNullable(receipt);
    }

    private static <T> T once(T current, T value, String what) {
        Objects.requireNonNull(value, what);
        if (current != null) {
            throw new IllegalStateException(what + " of the request is already established");
        }
        return value;
    }

    private static <T> T required(T value, String what) {
        if (value == null) {
            throw new IllegalStateException(what + " of the request not established yet: pipeline steps out of order");
        }
        return value;
    }
}
