package fi.kelmu.gateway.payment;

import fi.kelmu.contract.common.v1.Period;
import fi.kelmu.contract.paymentdemand.v1.Amount;
import fi.kelmu.contract.paymentdemand.v1.Delivery;
import fi.kelmu.contract.paymentdemand.v1.Demander;
import java.math.BigInteger;
import java.time.ZoneOffset;
import java.util.GregorianCalendar;
import javax.xml.datatype.DatatypeConfigurationException;
import javax.xml.datatype.DatatypeFactory;
import javax.xml.datatype.XMLGregorianCalendar;

/**
 * Between PaymentDemandService's messages (xsd/payment-demand.xsd) and the payment-demand domain: a demand as the
 * caller states it, checked by the rules (R-PAY-2 first, so that a demand on another law is told to go on paper
 * whatever else is wrong with it), and a stored demand as the caller sees it.
 */
public final class PaymentDemandMapper {

    private static final DatatypeFactory DATATYPES;

    static {
        try {
            DATATYPES = DatatypeFactory.newInstance();
        } catch (DatatypeConfigurationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private PaymentDemandMapper() {
    }

    /** The demand the request states, or the refusal of its first broken rule. */
    public static DemandContent content(fi.kelmu.contract.paymentdemand.v1.DemandContent stated) {
        LegalBasis basis = LegalBasis.accepted(stated.getLegalBasis());
        Amount amount = stated.getAmount();
        DemandAmount sum = amount.getSum() != null ? DemandAmount.euros(amount.getSum()) : DemandAmount.WHOLE_BENEFIT;
        Period period = stated.getPeriod();
        return new DemandContent(stated.getClientId(), stated.getBenefit(), period.getStart(), period.getEnd(), sum,
                basis, PaymentDemandRules.payeeAccount(stated.getPayeeAccount()), stated.getCaseReference());
    }

    /**
     * What the access record says of a demand (docs/payment-demands.md, "Access log"): the demand id when the
     * request names one, the amount as stated and the payee account masked to its last four characters, from the
     * request as sent (so that a refused demand is described too). Null when there is nothing to say.
     */
    public static String accessDetails(String demandId, fi.kelmu.contract.paymentdemand.v1.DemandContent stated) {
        StringBuilder details = new StringBuilder();
        if (demandId != null) {
            details.append("demand=").append(demandId);
        }
        if (stated != null) {
            Amount amount = stated.getAmount();
            String sum = amount == null ? "-" : amount.getSum() != null ? amount.getSum().toPlainString()
                    : amount.getWholeBenefit() != null ? "WHOLE_BENEFIT" : "-";
            details.append(details.length() > 0 ? " " : "").append("amount=").append(sum)
                    .append(" account=").append(masked(stated.getPayeeAccount()));
        }
        return details.length() == 0 ? null : details.toString();
    }

    /** The last four letters or digits of an account as written, the rest hidden. */
    static String masked(String written) {
        if (written == null) {
            return "-";
        }
        String plain = written.replaceAll("[^A-Za-z0-9]", "");
        return "****" + plain.substring(Math.max(0, plain.length() - 4));
    }

    /** A stored demand as its demander sees it. */
    public static fi.kelmu.contract.paymentdemand.v1.PaymentDemand toContract(PaymentDemand demand) {
        fi.kelmu.contract.paymentdemand.v1.PaymentDemand answer = new fi.kelmu.contract.paymentdemand.v1.PaymentDemand();
        answer.setDemandId(demand.demandId());
        Demander demander = new Demander();
        demander.setBusinessId(demand.demanderId());
        demander.setOrganisationType(demand.demanderType().name());
        answer.setDemander(demander);
        answer.setDemand(toContract(demand.content()));
        if (demand.transferredFrom() != null) {
            answer.setTransferredFrom(demand.transferredFrom());
            answer.setPreviousPayeeAccount(demand.previousPayeeAccount().value());
            answer.setPayeeAccountFrom(demand.payeeAccountFrom());
        }
        fi.kelmu.contract.paymentdemand.v1.KelaStatus status = new fi.kelmu.contract.paymentdemand.v1.KelaStatus();
        status.setCode(demand.kelaStatus() == null ? KelaStatus.REGISTERED.name() : demand.kelaStatus().name());
        status.setReason(demand.kelaReason());
        answer.setStatus(status);
        Delivery delivery = new Delivery();
        if (demand.delivery() instanceof DeliveryState.Delivered delivered) {
            delivery.setState("DELIVERED");
            delivery.setAttempts(BigInteger.ZERO);
            GregorianCalendar at = GregorianCalendar.from(delivered.deliveredAt().atZone(ZoneOffset.UTC));
            XMLGregorianCalendar xml = DATATYPES.newXMLGregorianCalendar(at);
            delivery.setDeliveredAt(xml);
        } else if (demand.delivery() instanceof DeliveryState.Pending pending) {
            delivery.setState("PENDING");
            delivery.setAttempts(BigInteger.valueOf(pending.attempts()));
        }
        answer.setDelivery(delivery);
        return answer;
    }

    private static fi.kelmu.contract.paymentdemand.v1.DemandContent toContract(DemandContent content) {
        fi.kelmu.contract.paymentdemand.v1.DemandContent stated = new fi.kelmu.contract.paymentdemand.v1.DemandContent();
        stated.setClientId(content.clientId());
        stated.setBenefit(content.benefitCode());
        Period period = new Period();
        period.setStart(content.periodStart());
        period.setEnd(content.periodEnd());
        stated.setPeriod(period);
        Amount amount = new Amount();
        if (content.amount() instanceof DemandAmount.Sum sum) {
            amount.setSum(sum.euros());
        } else {
            amount.setWholeBenefit(new Amount.WholeBenefit());
        }
        stated.setAmount(amount);
        stated.setLegalBasis(content.legalBasis().name());
        stated.setCaseReference(content.caseReference());
        stated.setPayeeAccount(content.payeeAccount().value());
        return stated;
    }
}
