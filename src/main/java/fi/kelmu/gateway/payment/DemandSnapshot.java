package fi.kelmu.gateway.payment;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import fi.kelmu.gateway.identifier.Iban;
import fi.kelmu.gateway.registry.OrganisationType;
import java.time.Instant;
import java.time.LocalDate;

/**
 * The stored text of a {@link PaymentDemand} (column {@code payment_demand_command.snapshot}): the answer a write
 * gave, returned as it was to every retry, and what the outbox tells the backend. JSON, written field by field
 * (no reflection), so that renaming a Java member can never change what is stored; {@value #FORMAT} names the
 * format, and a later format must still read this one.
 */
final class DemandSnapshot {

    static final String FORMAT = "payment-demand/1";
    private static final ObjectMapper JSON = new ObjectMapper();

    private DemandSnapshot() {
    }

    static String write(PaymentDemand d) {
        ObjectNode n = JSON.createObjectNode();
        n.put("format", FORMAT);
        n.put("demandId", d.demandId());
        n.put("demanderId", d.demanderId());
        n.put("demanderType", d.demanderType().name());
        DemandContent c = d.content();
        n.put("clientId", c.clientId());
        n.put("benefitCode", c.benefitCode());
        n.put("periodStart", c.periodStart().toString());
        n.put("periodEnd", c.periodEnd() == null ? null : c.periodEnd().toString());
        if (c.amount() instanceof DemandAmount.Sum sum) {
            n.put("amountCents", sum.cents());
        } else {
            n.putNull("amountCents");
        }
        n.put("legalBasis", c.legalBasis().name());
        n.put("payeeAccount", c.payeeAccount().value());
        n.put("caseReference", c.caseReference());
        n.put("state", d.state().name());
        n.put("invalidationReason", d.invalidationReason());
        n.put("kelaStatus", d.kelaStatus() == null ? null : d.kelaStatus().name());
        n.put("kelaReason", d.kelaReason());
        n.put("version", d.version());
        n.put("createdAt", d.createdAt().toString());
        n.put("updatedAt", d.updatedAt().toString());
        if (d.delivery() instanceof DeliveryState.Delivered delivered) {
            n.put("deliveryState", "DELIVERED");
            n.put("deliveredAt", delivered.deliveredAt().toString());
        } else {
            n.put("deliveryState", "PENDING");
            n.put("attempts", ((DeliveryState.Pending) d.delivery()).attempts());
        }
        n.put("transferredFrom", d.transferredFrom());
        n.put("previousPayeeAccount", d.previousPayeeAccount() == null ? null : d.previousPayeeAccount().value());
        n.put("payeeAccountFrom", d.payeeAccountFrom() == null ? null : d.payeeAccountFrom().toString());
        try {
            return JSON.writeValueAsString(n);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a payment demand snapshot could not be written", e);
        }
    }

    static PaymentDemand read(String text) {
        JsonNode n;
        try {
            n = JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a stored payment demand snapshot is not JSON", e);
        }
        if (!FORMAT.equals(text(n, "format"))) {
            throw new IllegalStateException("a stored payment demand snapshot has an unknown format");
        }
        JsonNode cents = n.get("amountCents");
        DemandAmount amount = cents == null || cents.isNull() ? DemandAmount.WHOLE_BENEFIT
                : new DemandAmount.Sum(cents.asLong());
        DemandContent content = new DemandContent(text(n, "clientId"), text(n, "benefitCode"),
                date(n, "periodStart"), date(n, "periodEnd"), amount, LegalBasis.valueOf(text(n, "legalBasis")),
                Iban.parse(text(n, "payeeAccount")), text(n, "caseReference"));
        DeliveryState delivery = "DELIVERED".equals(text(n, "deliveryState"))
                ? new DeliveryState.Delivered(Instant.parse(text(n, "deliveredAt")))
                : new DeliveryState.Pending(n.get("attempts").asInt());
        String status = text(n, "kelaStatus");
        String previous = text(n, "previousPayeeAccount");
        return new PaymentDemand(text(n, "demandId"), text(n, "demanderId"),
                OrganisationType.valueOf(text(n, "demanderType")), content, DemandState.valueOf(text(n, "state")),
                text(n, "invalidationReason"), status == null ? null : KelaStatus.valueOf(status),
                text(n, "kelaReason"), n.get("version").asLong(), Instant.parse(text(n, "createdAt")),
                Instant.parse(text(n, "updatedAt")), delivery, text(n, "transferredFrom"),
                previous == null ? null : Iban.parse(previous), date(n, "payeeAccountFrom"));
    }

    private static String text(JsonNode n, String field) {
        JsonNode value = n.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }

    private static LocalDate date(JsonNode n, String field) {
        String value = text(n, field);
        return value == null ? null : LocalDate.parse(value);
    }
}
