package fi.kelmu.gateway.payment;

import fi.kelmu.gateway.identifier.Iban;
import fi.kelmu.gateway.registry.OrganisationType;
import java.time.Instant;
import java.time.LocalDate;

/**
 * A payment demand as the gateway holds it (docs/payment-demands.md): the demander's content, who demands, the
 * demand's state and version, Kela's status and whether the backend has the latest change.
 *
 * <p>The year-end transfer (R-PAY-7) changes the demander to the municipality's HVA and the payee account to the
 * HVA's; a payment put into payment before {@code payeeAccountFrom} still goes to {@code previousPayeeAccount}, the
 * municipality's account (money put into payment in December 2022 and paid in January 2023 stays the
 * municipality's).
 *
 * @param demandId the gateway's id of the demand, a UUID
 * @param demanderId the demander's Y-tunnus: the calling organisation as authenticated, or the HVA after a transfer
 * @param demanderType the demander's organisation type
 * @param content what is demanded
 * @param state whether the demander has invalidated it
 * @param invalidationReason the demander's reason for invalidating it, or null
 * @param kelaStatus Kela's status from the latest acknowledgement, or null until Kela has acknowledged any command
 * @param kelaReason Kela's reason with its status (a rejection's), or null
 * @param version 1 when submitted, one more with each later change (modify, invalidate, transfer)
 * @param createdAt when it was submitted
 * @param updatedAt when it last changed
 * @param delivery the delivery of its latest command to the backend
 * @param transferredFrom the municipality's Y-tunnus when the year-end transfer moved the demand, or null
 * @param previousPayeeAccount the municipality's account when moved, or null
 * @param payeeAccountFrom the first day {@code content.payeeAccount()} applies when moved, or null: always
 */
public record PaymentDemand(String demandId, String demanderId, OrganisationType demanderType, DemandContent content,
        DemandState state, String invalidationReason, KelaStatus kelaStatus, String kelaReason, long version,
        Instant createdAt, Instant updatedAt, DeliveryState delivery, String transferredFrom, Iban previousPayeeAccount,
        LocalDate payeeAccountFrom) {

    public PaymentDemand {
        if (demandId == null || demanderId == null || demanderType == null || content == null || state == null
                || createdAt == null || updatedAt == null || delivery == null) {
            throw new IllegalArgumentException("a payment demand lacks a required part");
        }
        if (version < 1) {
            throw new IllegalArgumentException("a payment demand's version starts at 1: " + version);
        }
        if ((transferredFrom == null) != (previousPayeeAccount == null)
                || (transferredFrom == null) != (payeeAccountFrom == null)) {
            throw new IllegalArgumentException("a transferred demand has its municipality, old account and change date");
        }
    }

    /** The account Kela pays to for a payment put into payment on {@code day} (R-PAY-7). */
    public Iban payeeAccountOn(LocalDate day) {
        return payeeAccountFrom != null && day.isBefore(payeeAccountFrom) ? previousPayeeAccount
                : content.payeeAccount();
    }

    /** The same demand with the delivery state of its latest command, as it is now. */
    PaymentDemand withDelivery(DeliveryState now) {
        return new PaymentDemand(demandId, demanderId, demanderType, content, state, invalidationReason, kelaStatus,
                kelaReason, version, createdAt, updatedAt, now, transferredFrom, previousPayeeAccount,
                payeeAccountFrom);
    }

    /** No client identity code and no full account: see {@link DemandContent#toString()}. */
    @Override
    public String toString() {
        return "PaymentDemand[" + demandId + ", demander=" + demanderId + " " + demanderType + ", " + content + ", "
                + state + ", kela=" + kelaStatus + ", version=" + version + ", " + delivery
                + (transferredFrom == null ? "" : ", transferredFrom=" + transferredFrom + " on " + payeeAccountFrom)
                + "]";
    }
}
