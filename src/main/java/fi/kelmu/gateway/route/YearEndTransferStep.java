package fi.kelmu.gateway.route;

import fi.kelmu.gateway.payment.JdbcPaymentDemands;
import fi.kelmu.gateway.payment.TransferReport;
import fi.kelmu.gateway.payment.YearEndTransfer;
import fi.kelmu.gateway.registry.OrganisationRegistry;
import java.nio.file.Path;
import java.time.Clock;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.ZoneOffset;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The step of the scheduled year-end transfer (routes/payment-demand-year-end-transfer.camel.yaml, R-PAY-7): runs
 * the transfer and writes its report, named by the year end and the time of the run, into the report directory.
 */
public final class YearEndTransferStep {

    private static final Logger LOG = LoggerFactory.getLogger(YearEndTransferStep.class);
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("uuuuMMdd'T'HHmmss'Z'")
            .withZone(ZoneOffset.UTC);

    private final YearEndTransfer transfer;
    private final LocalDate yearEnd;
    private final Path reportDirectory;
    private final Clock clock;

    public YearEndTransferStep(JdbcPaymentDemands demands, OrganisationRegistry registry, LocalDate yearEnd,
            Path reportDirectory, Clock clock) {
        this.transfer = new YearEndTransfer(demands, registry);
        this.yearEnd = yearEnd;
        this.reportDirectory = reportDirectory;
        this.clock = clock;
    }

    /** Runs the transfer; returns the report's file. */
    public Path run() {
        TransferReport report = transfer.run(yearEnd, clock.instant());
        Path file = reportDirectory.resolve("year-end-transfer-" + yearEnd + "-" + STAMP.format(clock.instant())
                + ".csv");
        report.writeCsv(file);
        LOG.info("year-end transfer after {}: {} payment demand(s) moved to their HVA, {} left; report {}", yearEnd,
                report.moved().size(), report.left().size(), file);
        return file;
    }
}
