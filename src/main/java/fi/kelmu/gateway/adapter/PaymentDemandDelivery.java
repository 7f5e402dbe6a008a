package fi.kelmu.gateway.adapter;

import fi.kelmu.contract.backend.paymentdemand.v1.Area;
import fi.kelmu.contract.backend.paymentdemand.v1.CommandKind;
import fi.kelmu.contract.backend.paymentdemand.v1.DateRange;
import fi.kelmu.contract.backend.paymentdemand.v1.DemandAmount;
import fi.kelmu.contract.backend.paymentdemand.v1.DemandCommand;
import fi.kelmu.contract.backend.paymentdemand.v1.Demander;
import fi.kelmu.contract.backend.paymentdemand.v1.LegalBasis;
import fi.kelmu.contract.backend.paymentdemand.v1.OrganisationType;
import fi.kelmu.gateway.payment.Delivery;
import fi.kelmu.gateway.payment.DeliveryOutcome;
import fi.kelmu.gateway.payment.DemandContent;
import fi.kelmu.gateway.payment.KelaStatus;
import fi.kelmu.gateway.payment.OutboxCommand;
import fi.kelmu.gateway.payment.PaymentDemand;
import fi.kelmu.gateway.registry.Organisation;
import fi.kelmu.gateway.registry.OrganisationRegistry;
import java.util.Map;
import java.util.TreeSet;

/**
 * The outbox's delivery (docs/payment-demands.md, "Exactly once"): a committed command goes to the payment-demand
 * backend of the demander's organisation type, with its idempotency key, and the backend's answer becomes the
 * outbox's outcome: acknowledged (Kela's status), rejected on business grounds (delivered, status REJECTED), or
 * not taken now (retried with backoff). Never throws for backend trouble.
 */
public final class PaymentDemandDelivery implements Delivery {

    private final Map<fi.kelmu.gateway.registry.OrganisationType, PaymentDemandBackend> backends;
    private final OrganisationRegistry registry;

    public PaymentDemandDelivery(Map<fi.kelmu.gateway.registry.OrganisationType, PaymentDemandBackend> backends,
            OrganisationRegistry registry) {
        this.backends = Map.copyOf(backends);
        this.registry = registry;
    }

    @Override
    public DeliveryOutcome deliver(OutboxCommand command) {
        PaymentDemandBackend backend = backends.get(command.demanderType());
        if (backend == null) {
            return new DeliveryOutcome.RetryLater("no payment-demand backend for organisation type "
                    + command.demanderType());
        }
        DemandCommand body;
        try {
            body = toBackend(command);
        } catch (RuntimeException e) {
            // e.g. a demander no longer in the registry: kept pending, and said in the log by the outbox
            return new DeliveryOutcome.RetryLater("command cannot be built: " + e.getMessage());
        }
        DeliveryResult result = backend.deliver(command.idempotencyKey(), "outbox-" + command.commandId(), body);
        if (result instanceof DeliveryResult.Acked acked) {
            return new DeliveryOutcome.Acknowledged(KelaStatus.valueOf(acked.status()), acked.reason());
        }
        if (result instanceof DeliveryResult.Rejected rejected) {
            return new DeliveryOutcome.Rejected(rejected.code());
        }
        return new DeliveryOutcome.RetryLater(((DeliveryResult.Unavailable) result).error());
    }

    /** The backend contract's command for {@code command}: the demand as committed, the demander's area. */
    DemandCommand toBackend(OutboxCommand command) {
        PaymentDemand demand = command.demand();
        DemandContent content = demand.content();
        DemandCommand body = new DemandCommand();
        body.setKind(CommandKind.fromValue(command.kind().name()));
        body.setDemandId(demand.demandId());
        Demander demander = new Demander();
        demander.setBusinessId(demand.demanderId());
        demander.setOrganisationType(OrganisationType.fromValue(demand.demanderType().name()));
        body.setDemander(demander);
        body.setClientId(content.clientId());
        body.setBenefitCode(content.benefitCode());
        DateRange period = new DateRange();
        period.setFrom(content.periodStart());
        period.setTo(content.periodEnd());
        body.setPeriod(period);
        DemandAmount amount = new DemandAmount();
        if (content.amount() instanceof fi.kelmu.gateway.payment.DemandAmount.Sum sum) {
            amount.setSum(sum.euros());
        } else {
            amount.setWholeBenefit(new DemandAmount.WholeBenefit());
        }
        body.setAmount(amount);
        body.setLegalBasis(LegalBasis.fromValue(content.legalBasis().name()));
        body.setPayeeAccount(content.payeeAccount().value());
        if (demand.previousPayeeAccount() != null) {
            body.setPreviousPayeeAccount(demand.previousPayeeAccount().value());
            body.setPayeeAccountFrom(demand.payeeAccountFrom());
        }
        body.setCaseReference(content.caseReference());
        Organisation organisation = registry.require(demand.demanderId());
        if (!organisation.municipalities().isEmpty()) {
            Area area = new Area();
            area.getMunicipality().addAll(new TreeSet<>(organisation.municipalities()));
            body.setArea(area);
        }
        body.setReason(demand.invalidationReason());
        return body;
    }
}
