package fi.kelmu.gateway.payment;

import java.time.Duration;

/**
 * How the payment-demand outbox delivers (docs/payment-demands.md, "Outbox"). Not wired to properties yet; the
 * defaults ({@link #DEFAULTS}) are: poll every 5 s, up to 50 commands a poll, retry after 10 s, doubling with each
 * failed attempt up to 1 h.
 *
 * @param pollInterval how often the outbox route looks for due commands
 * @param batchSize most commands one poll delivers
 * @param backoffBase the wait after the first failed attempt
 * @param backoffMax the longest wait between attempts
 */
public record OutboxSettings(Duration pollInterval, int batchSize, Duration backoffBase, Duration backoffMax) {

    public static final OutboxSettings DEFAULTS = new OutboxSettings(Duration.ofSeconds(5), 50,
            Duration.ofSeconds(10), Duration.ofHours(1));

    public OutboxSettings {
        if (pollInterval == null || pollInterval.isNegative() || pollInterval.isZero()) {
            throw new IllegalArgumentException("the outbox poll interval must be positive: " + pollInterval);
        }
        if (batchSize < 1) {
            throw new IllegalArgumentException("the outbox batch size must be at least 1: " + batchSize);
        }
        if (backoffBase == null || backoffBase.isNegative() || backoffBase.isZero()) {
            throw new IllegalArgumentException("the outbox backoff base must be positive: " + backoffBase);
        }
        if (backoffMax == null || backoffMax.compareTo(backoffBase) < 0) {
            throw new IllegalArgumentException("the outbox backoff maximum must be at least its base: " + backoffMax);
        }
    }

    /**
     * The wait after {@code failedAttempts} failed attempts (at least 1): the base doubled for each failure after
     * the first, capped at the maximum, so a backend that is away long is asked about once an hour.
     */
    public Duration backoff(int failedAttempts) {
        if (failedAttempts < 1) {
            throw new IllegalArgumentException("a backoff follows a failed attempt: " + failedAttempts);
        }
        Duration wait = backoffBase;
        for (int i = 1; i < failedAttempts && wait.compareTo(backoffMax) < 0; i++) {
            wait = wait.multipliedBy(2);
        }
        return wait.compareTo(backoffMax) > 0 ? backoffMax : wait;
    }
}
