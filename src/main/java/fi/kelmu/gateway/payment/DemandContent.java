package fi.kelmu.gateway.payment;

import fi.kelmu.gateway.fault.FaultCode;
import fi.kelmu.gateway.identifier.Iban;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.LocalDate;
import java.util.HexFormat;

/**
 * What a demander says in a payment demand (R-PAY-1), validated when made (docs/payment-demands.md, "Content"): a
 * value of this type is a demand the gateway may store. The demander, the id and the state are not content: the
 * gateway adds them ({@link PaymentDemand}).
 *
 * @param clientId the client's henkilötunnus, exactly as given (the century sign is part of it)
 * @param benefitCode the benefit the demand targets, e.g. {@code YLEINEN_ASUMISTUKI}
 * @param periodStart first day the demand covers
 * @param periodEnd last day it covers, or null: until further notice
 * @param amount a sum or the whole benefit for the period
 * @param legalBasis one of the two accepted (R-PAY-2)
 * @param payeeAccount the demander's account Kela pays to
 * @param caseReference the demander's own reference, 1-64 characters
 */
public record DemandContent(String clientId, String benefitCode, LocalDate periodStart, LocalDate periodEnd,
        DemandAmount amount, LegalBasis legalBasis, Iban payeeAccount, String caseReference) {

    /** Version tag at the start of {@link #contentHash()}'s encoding; a new encoding gets a new tag. */
    static final String HASH_ENCODING = "kelmu-payment-demand-content/1";

    public DemandContent {
        clientId = PaymentDemandRules.clientId(clientId);
        benefitCode = PaymentDemandRules.benefitCode(benefitCode);
        PaymentDemandRules.required(periodStart, "period");
        if (periodEnd != null && periodEnd.isBefore(periodStart)) {
            throw PaymentDemandRules.invalid("period", "ends before it starts");
        }
        PaymentDemandRules.required(amount, "amount");
        PaymentDemandRules.required(legalBasis, "legalBasis");
        PaymentDemandRules.required(payeeAccount, "payeeAccount");
        caseReference = PaymentDemandRules.caseReference(caseReference);
    }

    /**
     * The demand's period must not start before the benefit's period (the earliest period of a decision or pending
     * application of that benefit, as the backend tells): Kela could not pay anything before it to anyone (R-PAY-3).
     * {@link FaultCode#INVALID_PAYMENT_DEMAND} naming {@code period} otherwise.
     */
    public void requireNotBefore(LocalDate benefitPeriodStart) {
        if (periodStart.isBefore(benefitPeriodStart)) {
            throw PaymentDemandRules.invalid("period", "starts before the benefit's period");
        }
    }

    /** Whether the demand still covers a day after {@code day}: no end, or an end after it. */
    public boolean validAfter(LocalDate day) {
        return periodEnd == null || periodEnd.isAfter(day);
    }

    /** The same content for another payee account (the year-end transfer, R-PAY-7). */
    DemandContent withPayeeAccount(Iban account) {
        return new DemandContent(clientId, benefitCode, periodStart, periodEnd, amount, legalBasis, account,
                caseReference);
    }

    /**
     * Hex SHA-256 of a canonical encoding of every field, so that one content has one hash whatever its written form
     * (an IBAN with spaces, {@code 12.5} or {@code 12.50} euros): the idempotency store compares it to tell a retry
     * from a different request under the same key.
     *
     * <p>The encoding is a sequence of fields, each written as its UTF-8 byte length in decimal, a colon and the
     * bytes; an absent value as a single {@code -} (no length can start with it). Fields in order: the tag
     * {@value #HASH_ENCODING}, clientId, benefitCode, periodStart (ISO-8601), periodEnd (ISO-8601 or absent), amount
     * ({@code SUM} then the cents in decimal as two fields, or {@code WHOLE_BENEFIT} and an absent value),
     * legalBasis (its name), payeeAccount (electronic form), caseReference. Length prefixes make the encoding
     * unambiguous: no two contents share one, whatever characters their texts hold.
     */
    public String contentHash() {
        Canonical c = new Canonical().add(HASH_ENCODING).add(clientId).add(benefitCode).add(periodStart.toString())
                .add(periodEnd == null ? null : periodEnd.toString());
        if (amount instanceof DemandAmount.Sum sum) {
            c.add("SUM").add(Long.toString(sum.cents()));
        } else {
            c.add("WHOLE_BENEFIT").add(null);
        }
        return c.add(legalBasis.name()).add(payeeAccount.value()).add(caseReference).sha256();
    }

    /** Length-prefixed fields and their hex SHA-256 (see {@link DemandContent#contentHash()}). */
    static final class Canonical {

        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

        Canonical add(String field) {
            if (field == null) {
                bytes.writeBytes(new byte[] {'-'});
                return this;
            }
            byte[] utf8 = field.getBytes(StandardCharsets.UTF_8);
            bytes.writeBytes((utf8.length + ":").getBytes(StandardCharsets.US_ASCII));
            bytes.writeBytes(utf8);
            return this;
        }

        String sha256() {
            try {
                return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes.toByteArray()));
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("every Java runtime has SHA-256", e);
            }
        }
    }

    /** Never the client's identity code nor the full account: a record's default text would show both. */
    @Override
    public String toString() {
        return "DemandContent[benefitCode=" + benefitCode + ", period=" + periodStart + ".." + periodEnd + ", amount="
                + amount + ", legalBasis=" + legalBasis + ", payeeAccount=" + payeeAccount.masked() + "]";
    }
}
