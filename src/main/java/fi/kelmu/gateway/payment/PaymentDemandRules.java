package fi.kelmu.gateway.payment;

import fi.kelmu.gateway.fault.FaultCode;
import fi.kelmu.gateway.fault.GatewayException;
import fi.kelmu.gateway.identifier.Iban;
import fi.kelmu.gateway.identifier.InvalidIdentifierException;
import fi.kelmu.gateway.identifier.PersonalIdentityCode;
import java.util.regex.Pattern;

/**
 * The content rules of a payment demand (docs/payment-demands.md, "Content"), each failure a
 * {@link FaultCode#INVALID_PAYMENT_DEMAND} whose caller detail names the field and the rule and never quotes the
 * value: a demand carries a client's identity code and an account number, which a fault must not echo.
 */
public final class PaymentDemandRules {

    /** Longest case reference of the demander, in characters. */
    public static final int CASE_REFERENCE_MAX = 64;
    /** Longest invalidation reason, in characters. */
    public static final int REASON_MAX = 500;
    private static final Pattern BENEFIT_CODE = Pattern.compile("[A-Z0-9_]{1,64}");

    private PaymentDemandRules() {
    }

    /** The refusal of one field: {@code detail} is "field: rule", safe for the caller. */
    static GatewayException invalid(String field, String rule) {
        return new GatewayException(FaultCode.INVALID_PAYMENT_DEMAND, field + ": " + rule,
                "payment demand refused: " + field + " " + rule);
    }

    /** A field that must be present. */
    static <T> T required(T value, String field) {
        if (value == null) {
            throw invalid(field, "is required");
        }
        return value;
    }

    /**
     * The payee account as written in a request, or the field's refusal; the refusal says which IBAN rule failed
     * ({@link InvalidIdentifierException}'s reason never quotes the number).
     */
    public static Iban payeeAccount(String written) {
        try {
            return Iban.parse(written);
        } catch (InvalidIdentifierException e) {
            throw new GatewayException(FaultCode.INVALID_PAYMENT_DEMAND,
                    "payeeAccount: not a valid Finnish IBAN (" + e.getMessage() + ")",
                    "payment demand refused: payeeAccount " + e.getMessage(), e);
        }
    }

    /**
     * The client's henkilötunnus: refused with {@link FaultCode#INVALID_PERSONAL_IDENTITY_CODE}, as the same
     * {@code clientId} is in every other operation (docs/faults.md).
     */
    static String clientId(String clientId) {
        try {
            return PersonalIdentityCode.parse(clientId).value();
        } catch (InvalidIdentifierException e) {
            throw new GatewayException(FaultCode.INVALID_PERSONAL_IDENTITY_CODE, null,
                    "payment demand clientId: " + e.getMessage(), e);
        }
    }

    static String benefitCode(String benefitCode) {
        if (!BENEFIT_CODE.matcher(required(benefitCode, "benefitCode")).matches()) {
            throw invalid("benefitCode", "must be 1-64 of A-Z, 0-9 and _");
        }
        return benefitCode;
    }

    static String caseReference(String caseReference) {
        return text(caseReference, "caseReference", CASE_REFERENCE_MAX);
    }

    /** An invalidation's reason: optional; when given, as a case reference but up to {@value #REASON_MAX}. */
    static String reason(String reason) {
        return reason == null ? null : text(reason, "reason", REASON_MAX);
    }

    /** 1..max characters, not only spaces, and no control characters (which would break logs and reports). */
    private static String text(String value, String field, int max) {
        required(value, field);
        if (value.isBlank() || value.length() > max) {
            throw invalid(field, "must be 1-" + max + " characters, not only spaces");
        }
        if (value.chars().anyMatch(Character::isISOControl)) {
            throw invalid(field, "must not contain control characters");
        }
        return value;
    }
}
