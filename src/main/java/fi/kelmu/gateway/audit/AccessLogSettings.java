package fi.kelmu.gateway.audit;

import java.nio.file.Path;
import java.time.Duration;

/**
 * How the gateway writes its access log (properties {@code kelmu.access-log.*}, docs/configuration.md).
 *
 * @param maxBatch      most records written in one transaction and flush (group commit)
 * @param capacity      most records waiting to be written; a request beyond it is refused at once
 * @param maxWait       longest a request waits for its record to be durable
 * @param spoolFile     where refusals that cannot be written wait for the database
 * @param spoolMaxBytes the largest the spool may grow
 * @param journalFile   the journal that makes records durable on a database whose commit is not (H2)
 * @param journalFlush  how often that database is forced to the device and the journal emptied
 */
public record AccessLogSettings(int maxBatch, int capacity, Duration maxWait, Path spoolFile, long spoolMaxBytes,
        Path journalFile, Duration journalFlush) {

    public AccessLogSettings {
        if (maxBatch < 1 || capacity < 1) {
            throw new IllegalStateException("kelmu.access-log.max-batch and queue-capacity must be at least 1");
        }
    }
}
