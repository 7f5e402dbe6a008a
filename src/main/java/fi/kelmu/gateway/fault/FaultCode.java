package fi.kelmu.gateway.fault;

/**
 * The gateway's fault table, version {@value #TABLE_VERSION}. Codes are part of the public contract:
 * never rename or reuse one; add new codes and bump the table version. docs/faults.md lists the table.
 * The message is what a caller sees; the precise reason goes only to the log.
 */
public enum FaultCode {

    INVALID_REQUEST("Client.InvalidRequest", "The request does not conform to the service contract."),
    MISSING_HEADER("Client.MissingHeader", "A required X-Road header is missing."),
    INVALID_HEADER("Client.InvalidHeader", "An X-Road header is malformed."),
    INCONSISTENT_HEADERS("Client.InconsistentHeaders", "The X-Road headers do not agree with the request."),
    INVALID_PROTOCOL_VERSION("Client.InvalidProtocolVersion", "Unsupported X-Road protocol version; use 4.0."),
    INVALID_PERSONAL_IDENTITY_CODE("Client.InvalidPersonalIdentityCode", "A personal identity code (henkilötunnus) is invalid."),
    INVALID_BUSINESS_ID("Client.InvalidBusinessId", "A business ID (Y-tunnus) is invalid."),
    UNKNOWN_ORGANISATION("Client.UnknownOrganisation", "The calling organisation is not registered for this service."),
    NO_VALID_CONTRACT("Client.NoValidContract", "The calling organisation has no contract with Kela in force for this service today."),
    ORGANISATION_TYPE_NOT_SERVED("Client.OrganisationTypeNotServed", "This service is not available to the calling organisation's type."),
    UNKNOWN_PURPOSE("Client.UnknownPurpose", "Unknown purpose of use."),
    PURPOSE_NOT_ALLOWED("Client.PurposeNotAllowed", "The purpose of use is not available to the calling organisation's type."),
    PURPOSE_NOT_FOR_OPERATION("Client.PurposeNotForOperation", "The purpose of use is not served by this operation."),
    VIEW_NOT_ALLOWED("Client.ViewNotAllowed", "A requested view is not allowed under the purpose of use."),
    UNKNOWN_CLIENT("Client.UnknownClient", "Kela has no benefit data on the client for the calling organisation."),
    /**
     * Not sent to callers since table 8: a caller gets {@link #UNKNOWN_CLIENT} instead ({@link #sentAs()}), so that
     * it cannot tell Kela's client living elsewhere from a person Kela does not know. Kept for the access log, whose
     * record of the refusal keeps the precise reason.
     */
    CLIENT_OUTSIDE_AREA("Client.ClientOutsideArea", "The client does not live in the calling organisation's area."),
    MANDATE_REQUIRED("Client.MandateRequired", "The request must carry a MandateAssertion header proving the user's mandate."),
    MANDATE_MISSING("Client.MandateMissing", "The user holds no mandate in force from the calling organisation for this purpose."),
    INVALID_MANDATE_ASSERTION("Client.InvalidMandateAssertion", "The mandate assertion is not valid."),
    UNTRUSTED_MANDATE_ISSUER("Client.UntrustedMandateIssuer", "The mandate assertion's issuer is not trusted."),
    MANDATE_ASSERTION_NOT_VALID_NOW("Client.MandateAssertionNotValidNow", "The mandate assertion is expired or not yet valid."),
    MANDATE_ASSERTION_MISMATCH("Client.MandateAssertionMismatch", "The mandate assertion was issued for another user or organisation."),
    MESSAGE_TOO_LARGE("Client.MessageTooLarge", "The request is too large."),
    XML_LIMIT_EXCEEDED("Client.XmlLimitExceeded", "The request exceeds the XML structure limits."),
    FORBIDDEN_XML("Client.ForbiddenXml", "DTDs, entity declarations and XInclude are not allowed."),
    SOAP_ACTION_MISMATCH("Client.SoapActionMismatch", "The SOAPAction does not match the operation in the body."),
    SIGNATURE_REQUIRED("Client.SignatureRequired", "The request must carry a WS-Security timestamp and signature."),
    INVALID_SIGNATURE("Client.InvalidSignature", "The message signature is not valid."),
    PART_NOT_SIGNED("Client.PartNotSigned", "A part of the message that must be signed is not covered by the signature."),
    ALGORITHM_NOT_ALLOWED("Client.AlgorithmNotAllowed", "The signature uses an algorithm the gateway does not accept."),
    TRANSFORM_NOT_ALLOWED("Client.TransformNotAllowed", "A signature reference uses transforms the gateway does not accept."),
    UNTRUSTED_CERTIFICATE("Client.UntrustedCertificate", "The signing certificate is not trusted."),
    CERTIFICATE_EXPIRED("Client.CertificateExpired", "The signing certificate is expired or not yet valid."),
    CERTIFICATE_REVOKED("Client.CertificateRevoked", "The signing certificate is revoked."),
    ORGANISATION_MISMATCH("Client.OrganisationMismatch", "The signing certificate does not belong to the organisation in the client header."),
    EXPIRED_MESSAGE("Client.ExpiredMessage", "The message timestamp is outside the accepted time window."),
    REPLAYED_MESSAGE("Client.ReplayedMessage", "The message has been received before."),
    UNTRUSTED_SECURITY_SERVER("Client.UntrustedSecurityServer", "The connection does not come from a security server this gateway trusts."),
    SECURITY_HEADER_NOT_EXPECTED("Client.SecurityHeaderNotExpected", "This service is reached through X-Road: send the request without a WS-Security header; the security servers sign it."),
    PAYMENT_DEMAND_ON_PAPER("Client.PaymentDemandOnPaper", "A payment demand on this legal basis cannot be made through this service: send it to Kela on paper. Accepted: TOIMEENTULOTUKILAKI_23, ASIAKASMAKSULAKI_14."),
    INVALID_PAYMENT_DEMAND("Client.InvalidPaymentDemand", "The payment demand is not valid."),
    UNKNOWN_PAYMENT_DEMAND("Client.UnknownPaymentDemand", "The calling organisation has no such payment demand."),
    PAYMENT_DEMAND_INVALIDATED("Client.PaymentDemandInvalidated", "The payment demand has been invalidated and cannot be changed."),
    IDEMPOTENCY_KEY_REUSED("Client.IdempotencyKeyReused", "This X-Road message id was already used by the calling organisation for a different request."),
    BACKEND_UNAVAILABLE("Server.BackendUnavailable", "The benefit backend is unavailable; try again later."),
    BACKEND_TIMEOUT("Server.BackendTimeout", "The benefit backend did not answer in time; try again later."),
    BACKEND_ERROR("Server.BackendError", "The benefit backend failed to answer the request."),
    BACKEND_INVALID_RESPONSE("Server.BackendInvalidResponse", "The benefit backend gave an answer the gateway cannot use."),
    MANDATE_SERVICE_UNAVAILABLE("Server.MandateServiceUnavailable", "The mandate service could not confirm the user's mandates; try again later."),
    ACCESS_LOG_UNAVAILABLE("Server.AccessLogUnavailable", "The access could not be recorded, so no data is returned; try again later."),
    REPLAY_CHECK_UNAVAILABLE("Server.ReplayCheckUnavailable", "The message could not be checked against replays, so it is not processed; try again later with a new message."),
    PAYMENT_DEMAND_STORE_UNAVAILABLE("Server.PaymentDemandStoreUnavailable", "Payment demands cannot be stored now; nothing was stored. Send the request again with the same X-Road message id."),
    INTERNAL_ERROR("Server.InternalError", "Internal error in the gateway.");

    public static final String TABLE_VERSION = "10";

    private final String code;
    private final String message;

    FaultCode(String code, String message) {
        this.code = code;
        this.message = message;
    }

    /** The stable code, e.g. {@code Client.InvalidRequest}; the SOAP faultcode's local part. */
    public String code() {
        return code;
    }

    /** The message a caller sees. */
    public String message() {
        return message;
    }

    /** The fault of a stable code such as {@code Client.MandateMissing}. */
    public static FaultCode byCode(String code) {
        for (FaultCode f : values()) {
            if (f.code.equals(code)) {
                return f;
            }
        }
        throw new IllegalArgumentException("unknown fault code " + code);
    }

    /**
     * The code a caller is answered with for this one: itself, but for the codes whose difference would tell a
     * caller more than it may know (since table 8, {@link #CLIENT_OUTSIDE_AREA} is answered as
     * {@link #UNKNOWN_CLIENT}). The log and the access log keep the precise code.
     */
    public FaultCode sentAs() {
        return this == CLIENT_OUTSIDE_AREA ? UNKNOWN_CLIENT : this;
    }

    public boolean isClientFault() {
        return code.startsWith("Client.");
    }
}
