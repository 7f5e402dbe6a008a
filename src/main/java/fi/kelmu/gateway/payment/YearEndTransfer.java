package fi.kelmu.gateway.payment;

import fi.kelmu.gateway.identifier.Iban;
import fi.kelmu.gateway.registry.Organisation;
import fi.kelmu.gateway.registry.OrganisationRegistry;
import fi.kelmu.gateway.registry.OrganisationType;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The year-end transfer of payment demands (R-PAY-7, docs/payment-demands.md): every demand of a municipality (type
 * KUNTA) still valid after the year end (not invalidated; no end, or an end after it) moves to the HVA of the
 * municipality, found through the reference data's wellbeing area of the municipality in the organisation registry.
 * The HVA becomes the demander; payments put into payment from the day after the year end go to the HVA's account
 * from its contact (R-PAY-8), and earlier ones still to the municipality's account, which the demand keeps
 * ({@link PaymentDemand#payeeAccountOn}). Each move is one transaction with a TRANSFER command in the outbox, so Kela
 * learns of it exactly once.
 *
 * <p>The City of Helsinki's demands are never touched: it organises its own social services. A demand whose
 * municipality has no HVA with a contact in the registry is left and reported, to be moved by a later run once the
 * registry has it. A second run moves nothing: a moved demand is the HVA's, and its move's idempotency key
 * ({@code year-end-transfer:<year end>:<demand id>}) is taken.
 */
public final class YearEndTransfer {

    private static final Logger LOG = LoggerFactory.getLogger(YearEndTransfer.class);

    private final JdbcPaymentDemands demands;
    private final OrganisationRegistry registry;

    public YearEndTransfer(JdbcPaymentDemands demands, OrganisationRegistry registry) {
        this.demands = demands;
        this.registry = registry;
    }

    /** Moves what is due to move (R-PAY-7); the report says, per demand looked at, what was done and why. */
    public TransferReport run(LocalDate yearEnd, Instant now) {
        List<TransferReport.Entry> entries = new ArrayList<>();
        for (PaymentDemand demand : demands.yearEndCandidates()) {
            entries.add(consider(demand, yearEnd, now));
        }
        TransferReport report = new TransferReport(yearEnd, entries);
        LOG.info("year-end transfer of payment demands after {}: {} moved, {} left", yearEnd, report.moved().size(),
                report.left().size());
        return report;
    }

    private TransferReport.Entry consider(PaymentDemand d, LocalDate yearEnd, Instant now) {
        if (d.transferredFrom() != null) {
            return left(d, d.demanderId(), "already moved from " + d.transferredFrom() + " (payee account from "
                    + d.payeeAccountFrom() + ")");
        }
        if (d.demanderType() == OrganisationType.HELSINKI) {
            return left(d, null, "the City of Helsinki keeps its demands (R-PAY-7)");
        }
        if (d.demanderType() != OrganisationType.KUNTA) {
            return left(d, null, "the demander is no municipality (" + d.demanderType() + ")");
        }
        if (d.state() == DemandState.INVALIDATED) {
            return left(d, null, "invalidated");
        }
        if (!d.content().validAfter(yearEnd)) {
            return left(d, null, "ended " + d.content().periodEnd() + ", by the year end");
        }
        Optional<Organisation> municipality = registry.find(d.demanderId());
        if (municipality.isEmpty() || municipality.get().type() != OrganisationType.KUNTA) {
            return left(d, null, "the demander is not a municipality in the organisation registry");
        }
        String code = municipality.get().municipalities().iterator().next();
        Optional<Organisation> hva = registry.wellbeingAreaOf(code);
        if (hva.isEmpty()) {
            return left(d, null, "no HVA in the organisation registry for municipality " + code);
        }
        Optional<Organisation.Contact> contact = hva.get().paymentContact();
        if (contact.isEmpty()) {
            return left(d, hva.get().businessId(), "the HVA has no payment-demand contact (name, address, IBAN) in"
                    + " the organisation registry (R-PAY-8)");
        }
        Iban account = contact.get().iban();
        Optional<CommandResult> moved = demands.transfer(d, hva.get().businessId(), account, yearEnd, now);
        if (moved.isEmpty()) {
            return left(d, hva.get().businessId(), "changed while the transfer ran; run it again");
        }
        if (moved.get().replayed()) {
            return left(d, hva.get().businessId(), "already moved (its transfer was stored before)");
        }
        return new TransferReport.Entry(d.demandId(), d.demanderId(), hva.get().businessId(),
                TransferReport.Outcome.MOVED, "moved to " + hva.get().name() + "; its account from "
                        + yearEnd.plusDays(1), d.content().payeeAccount().masked(), account.masked());
    }

    private static TransferReport.Entry left(PaymentDemand d, String hvaId, String reason) {
        return new TransferReport.Entry(d.demandId(), d.demanderId(), hvaId, TransferReport.Outcome.LEFT, reason,
                d.content().payeeAccount().masked(), null);
    }
}
