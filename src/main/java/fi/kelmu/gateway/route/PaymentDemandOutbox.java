package fi.kelmu.gateway.route;

import fi.kelmu.gateway.payment.Delivery;
import fi.kelmu.gateway.payment.JdbcPaymentDemands;
import fi.kelmu.gateway.payment.OutboxSettings;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The step of the outbox route (routes/payment-demand-service.camel.yaml): delivers the commands that are due, a
 * batch at a time, until none is left or a batch is not full. A failure of the database is said once in the log
 * until it is over; the next poll tries again (docs/payment-demands.md, "Exactly once").
 */
public final class PaymentDemandOutbox {

    private static final Logger LOG = LoggerFactory.getLogger(PaymentDemandOutbox.class);
    /** Most batches one poll delivers, so that one poll cannot run for ever under a flood. */
    private static final int MAX_BATCHES_PER_POLL = 20;

    private final JdbcPaymentDemands demands;
    private final Delivery delivery;
    private final OutboxSettings settings;
    private final Clock clock;
    private volatile boolean failing;

    public PaymentDemandOutbox(JdbcPaymentDemands demands, Delivery delivery, OutboxSettings settings, Clock clock) {
        this.demands = demands;
        this.delivery = delivery;
        this.settings = settings;
        this.clock = clock;
    }

    /** Delivers what is due now; returns how many commands were delivered or rescheduled. */
    public int deliverDue() {
        int handled = 0;
        try {
            for (int batch = 0; batch < MAX_BATCHES_PER_POLL; batch++) {
                int n = demands.deliverDue(settings.batchSize(), clock.instant(), delivery);
                handled += n;
                if (n < settings.batchSize()) {
                    break;
                }
            }
            if (failing) {
                failing = false;
                LOG.info("payment-demand outbox delivers again");
            }
        } catch (RuntimeException e) {
            if (!failing) {
                failing = true;
                LOG.error("payment-demand outbox cannot deliver now, retried every poll: {}", e.getMessage());
            }
        }
        return handled;
    }
}
