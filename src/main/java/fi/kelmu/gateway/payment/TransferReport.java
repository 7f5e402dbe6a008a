package fi.kelmu.gateway.payment;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

/**
 * What one run of the year-end transfer (R-PAY-7) did with each demand it looked at: moved to an HVA, or left, and
 * why. Accounts appear only masked ({@code ****} and the last four), and no client's identity code appears at all:
 * the report is for operators, not a copy of the demands.
 *
 * @param yearEnd the last day of the municipalities' demands (2022-12-31)
 * @param entries one per demand looked at, oldest demand first
 */
public record TransferReport(LocalDate yearEnd, List<Entry> entries) {

    public TransferReport {
        entries = List.copyOf(entries);
    }

    /** Whether a demand was moved by this run or left as it was. */
    public enum Outcome {
        MOVED,
        LEFT
    }

    /**
     * One demand.
     *
     * @param demandId the demand
     * @param demanderId its demander when the run looked at it (the municipality, or Helsinki, or the HVA when an
     *     earlier run moved it)
     * @param hvaId the HVA it was moved to, or would go to, or null when none is known
     * @param outcome moved or left
     * @param reason why, in words for an operator
     * @param previousAccount the payee account before the run, masked
     * @param newAccount the payee account from the day after the year end when moved, masked; null when left
     */
    public record Entry(String demandId, String demanderId, String hvaId, Outcome outcome, String reason,
            String previousAccount, String newAccount) {
    }

    public List<Entry> moved() {
        return entries.stream().filter(e -> e.outcome() == Outcome.MOVED).toList();
    }

    public List<Entry> left() {
        return entries.stream().filter(e -> e.outcome() == Outcome.LEFT).toList();
    }

    /**
     * Writes the report as CSV (UTF-8, a header row, RFC 4180 quoting where a field needs it): demand_id, outcome,
     * demander, hva, previous_account, new_account, reason; accounts masked as in the entries.
     */
    public void writeCsv(Path file) {
        List<String> lines = new ArrayList<>();
        lines.add("demand_id,outcome,demander,hva,previous_account,new_account,reason");
        for (Entry e : entries) {
            lines.add(String.join(",", csv(e.demandId()), e.outcome().name(), csv(e.demanderId()), csv(e.hvaId()),
                    csv(e.previousAccount()), csv(e.newAccount()), csv(e.reason())));
        }
        try {
            Path directory = file.toAbsolutePath().getParent();
            if (directory != null) {
                Files.createDirectories(directory);
            }
            Files.write(file, lines, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("the year-end transfer report could not be written to " + file, e);
        }
    }

    private static String csv(String field) {
        if (field == null) {
            return "";
        }
        if (field.contains(",") || field.contains("\"") || field.contains("\n") || field.contains("\r")) {
            return "\"" + field.replace("\"", "\"\"") + "\"";
        }
        return field;
    }
}
