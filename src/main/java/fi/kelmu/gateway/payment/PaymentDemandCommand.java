package fi.kelmu.gateway.payment;

import fi.kelmu.gateway.audit.Database;
import fi.kelmu.gateway.audit.DatabaseSettings;
import fi.kelmu.gateway.registry.OrganisationRegistry;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The operators' payment-demand command (docs/payment-demands.md, "Year-end transfer"):
 * <pre>
 * java -jar kelmu-gateway.jar payment-demands year-end-transfer --report FILE [--year-end 2022-12-31]
 * </pre>
 * moves the municipalities' demands still valid after the year end to their HVA (R-PAY-7, R-PAY-8) in the gateway's
 * database, each move a command of the outbox, which the running gateway delivers; writes the report (CSV, accounts
 * masked, no client identity codes) and prints how many moved and how many were left. Running it again moves
 * nothing. Exit codes: 0 done, 1 usage error, 2 the database or the registry could not be used.
 */
public final class PaymentDemandCommand {

    static final String USAGE = "usage: payment-demands year-end-transfer --report FILE [--year-end YYYY-MM-DD]"
            + " (default year end 2022-12-31)";
    /** The year end of the wellbeing services reform (R-PAY-7). */
    static final LocalDate REFORM_YEAR_END = LocalDate.of(2022, 12, 31);

    public int run(String[] args, Supplier<DatabaseSettings> database, Supplier<OrganisationRegistry> registry,
            Clock clock, PrintStream out, PrintStream err) {
        Map<String, String> options = new HashMap<>();
        if (args.length == 0 || !args[0].equals("year-end-transfer") || (args.length - 1) % 2 != 0) {
            err.println(USAGE);
            return 1;
        }
        for (int i = 1; i < args.length; i += 2) {
            if (!args[i].equals("--report") && !args[i].equals("--year-end")) {
                err.println("payment-demands: unknown option " + args[i]);
                err.println(USAGE);
                return 1;
            }
            options.put(args[i].substring(2), args[i + 1]);
        }
        if (!options.containsKey("report")) {
            err.println(USAGE);
            return 1;
        }
        LocalDate yearEnd;
        try {
            yearEnd = options.containsKey("year-end") ? LocalDate.parse(options.get("year-end")) : REFORM_YEAR_END;
        } catch (DateTimeParseException e) {
            err.println("payment-demands: --year-end is not a date YYYY-MM-DD");
            return 1;
        }
        try (Database db = Database.open(database.get())) {
            TransferReport report = new YearEndTransfer(new JdbcPaymentDemands(db.dataSource()), registry.get())
                    .run(yearEnd, clock.instant());
            Path file = Path.of(options.get("report"));
            report.writeCsv(file);
            out.println("year-end transfer after " + yearEnd + ": " + report.moved().size() + " demand(s) moved, "
                    + report.left().size() + " left; report " + file);
            return 0;
        } catch (RuntimeException e) {
            err.println("payment-demands: " + e.getMessage());
            return 2;
        }
    }
}
