package fi.kelmu.gateway.audit;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import fi.kelmu.gateway.fault.GatewayException;
import fi.kelmu.gateway.security.SecurityMaterial;
import java.io.PrintStream;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.slf4j.LoggerFactory;

/**
 * {@code access-log}: the operator's view of the access log (docs/access-log.md). {@code query} lists who
 * read whose data, {@code verify} checks the hash chain, the latest signed checkpoint and any receipts given.
 * Exit codes: 0 done (chain intact), 1 usage error, 2 chain broken (or its checkpoint or a receipt does not
 * match), 3 database unreachable.
 */
public final class AccessLogCommand {

    public static final int OK = 0;
    public static final int USAGE = 1;
    public static final int CHAIN_BROKEN = 2;
    public static final int UNAVAILABLE = 3;

    static final String HEADER = String.join("\t", "seq", "time", "outcome", "fault", "organisation", "type",
            "user", "client", "purpose", "operation", "mandates", "proof", "views", "xroad-id", "correlation-id",
            "event-id");

    private static final String USAGE_TEXT = String.join(System.lineSeparator(),
            "usage: access-log query [--client HETU] [--user USERID] [--from ISO-INSTANT] [--to ISO-INSTANT] [--limit N]",
            "       access-log verify [--trust STORE.p12 [--trust-password PW]] [--receipt SEQ:HASH]...",
            "  query   prints matching records, oldest first, one tab-separated line each (--from inclusive,",
            "          --to exclusive, e.g. 2023-01-31T00:00:00Z; --limit defaults to " + AccessLogQuery.DEFAULT_LIMIT + ")",
            "  verify  checks the hash chain and its latest signed checkpoint; exit 0 intact, 2 broken",
            "          --trust    the certificates checkpoints must be signed with (default: the gateway's own,",
            "                     kelmu.security.gateway-keystore.* and kelmu.security.gateway-second-keystore.*)",
            "          --receipt  also checks that record SEQ is in the chain with hash HASH (repeatable)",
            "The database is the one of kelmu.db.url (environment KELMU_DB_URL).");

    /** What {@code verify} was asked to check beyond the chain: whom to trust, and which receipts. */
    private record VerifyOptions(String trustStore, String trustPassword, List<AccessReceipt> receipts) {
    }

    /**
     * @param database            the database settings, read only once the arguments are understood
     * @param gatewayCertificates the certificates of the gateway's own signing keys, trusted for checkpoints
     *                            unless {@code --trust} names others; read only by {@code verify}
     */
    public int run(String[] args, Supplier<DatabaseSettings> database,
            Supplier<List<X509Certificate>> gatewayCertificates, PrintStream out, PrintStream err) {
        if (args.length == 0) {
            err.println(USAGE_TEXT);
            return USAGE;
        }
        AccessLogQuery query = null;
        VerifyOptions verify = null;
        switch (args[0]) {
            case "query" -> {
                try {
                    query = parseQuery(List.of(args).subList(1, args.length));
                } catch (IllegalArgumentException e) {
                    err.println("access-log: " + e.getMessage());
                    err.println(USAGE_TEXT);
                    return USAGE;
                }
            }
            case "verify" -> {
                try {
                    verify = parseVerify(List.of(args).subList(1, args.length));
                } catch (IllegalArgumentException e) {
                    err.println("access-log: " + e.getMessage());
                    err.println(USAGE_TEXT);
                    return USAGE;
                }
            }
            default -> {
                err.println("access-log: unknown command " + args[0]);
                err.println(USAGE_TEXT);
                return USAGE;
            }
        }
        List<X509Certificate> trusted = List.of();
        if (verify != null) {
            try {
                trusted = trusted(verify, gatewayCertificates);
            } catch (IllegalArgumentException | IllegalStateException e) {
                err.println("access-log: " + e.getMessage());
                return USAGE;
            }
        }
        quietStartUpLogging();
        try (Database opened = Database.open(database.get())) {
            AccessLog log = new JdbcAccessLog(opened.dataSource());
            if (query != null) {
                return query(log, query, out);
            }
            return verify(AccessLogVerification.verify(log, new JdbcCheckpointStore(opened.dataSource()), trusted,
                    verify.receipts()), verify.receipts(), out);
        } catch (GatewayException | IllegalStateException e) {
            err.println("access-log: the access log cannot be read: " + e.getMessage());
            return UNAVAILABLE;
        } catch (RuntimeException e) {
            // Hikari's PoolInitializationException, Flyway's FlywayException: the database is not usable
            err.println("access-log: the database cannot be opened: " + e.getMessage());
            return UNAVAILABLE;
        }
    }

    /**
     * The gateway logs to standard output; here standard output is the command's result, which scripts
     * read. The pool's and the migrations' start-up lines would be mixed into it, so only their warnings
     * stay on.
     */
    private static void quietStartUpLogging() {
        if (LoggerFactory.getILoggerFactory() instanceof LoggerContext context) {
            for (String name : List.of("com.zaxxer.hikari", "org.flywaydb", Database.class.getName())) {
                context.getLogger(name).setLevel(Level.WARN);
            }
        }
    }

    private static int query(AccessLog log, AccessLogQuery query, PrintStream out) {
        out.println(HEADER);
        for (StoredAccessRecord stored : log.find(query)) {
            out.println(line(stored));
        }
        return OK;
    }

    /** The certificates a checkpoint must be signed with: those of --trust, else the gateway's configured ones. */
    private static List<X509Certificate> trusted(VerifyOptions options, Supplier<List<X509Certificate>> gateway) {
        if (options.trustStore() != null) {
            List<X509Certificate> certificates = SecurityMaterial.certificates(SecurityMaterial.keyStore(
                    Path.of(options.trustStore()), options.trustPassword().toCharArray()));
            if (certificates.isEmpty()) {
                throw new IllegalArgumentException("--trust " + options.trustStore() + " holds no certificate");
            }
            return certificates;
        }
        List<X509Certificate> certificates;
        try {
            certificates = gateway.get();
        } catch (IllegalStateException e) {
            throw new IllegalStateException("the gateway's certificate cannot be read (" + e.getMessage()
                    + "); give --trust STORE.p12 with the certificate(s) the gateway signs checkpoints with", e);
        }
        if (certificates.isEmpty()) {
            throw new IllegalStateException("verify needs the certificate(s) the gateway signs checkpoints with:"
                    + " give --trust STORE.p12, or configure kelmu.security.gateway-keystore.*");
        }
        return certificates;
    }

    private static int verify(ChainVerification result, List<AccessReceipt> receipts, PrintStream out) {
        if (result.ok()) {
            out.println("access log intact: " + result.recordsChecked() + " record(s) verified; head "
                    + result.headSequence() + " " + result.headHash());
            Checkpoint checkpoint = result.checkpoint();
            if (checkpoint == null) {
                out.println("checkpoint: none yet; until the gateway writes one, removing the newest records"
                        + " cannot be detected here");
            } else {
                long newer = result.headSequence() - checkpoint.sequence();
                out.println("checkpoint: record " + checkpoint.sequence() + " " + checkpoint.chainHash() + " at "
                        + checkpoint.time() + ", signed by " + checkpoint.certificate().getSubjectX500Principal()
                        + " (certificate sha256 " + Checkpoint.fingerprint(checkpoint.certificate())
                        + "): matches the chain" + (newer == 0 ? "" : "; " + newer
                        + " newer record(s) not yet covered by a checkpoint"));
            }
            for (AccessReceipt receipt : receipts) {
                out.println("receipt " + receipt + ": in the chain");
            }
            return OK;
        }
        out.println("access log BROKEN at record " + result.firstBrokenSequence() + ": " + result.problem()
                + "; " + result.recordsChecked() + " record(s) before it verified; head " + result.headSequence()
                + " " + result.headHash());
        return CHAIN_BROKEN;
    }

    static String line(StoredAccessRecord stored) {
        AccessRecord r = stored.record();
        return String.join("\t",
                Long.toString(stored.sequence()),
                r.time().toString(),
                r.outcome().name(),
                r.faultCode() == null ? "-" : r.faultCode().code(),
                field(r.organisationId()),
                r.organisationType() == null ? "-" : r.organisationType().name(),
                field(r.userId()),
                r.personId() == null ? "-" : field(r.personId()),
                r.purpose() == null ? "-" : field(r.purpose()),
                r.operation() == null ? "-" : field(r.operation()),
                r.mandates().isEmpty() ? "-" : field(String.join(",", r.mandates())),
                r.mandateProof() == null ? "-" : field(r.mandateProof()),
                r.views().isEmpty() ? "-" : field(String.join(",", r.views())),
                field(r.xroadId()),
                field(r.correlationId()),
                field(r.eventId()));
    }

    // values come from callers' headers: keep one record on one line, whatever they hold
    private static String field(String value) {
        StringBuilder sb = new StringBuilder(value.length());
        for (char ch : value.toCharArray()) {
            switch (ch) {
                case '\\' -> sb.append("\\\\");
                case '\t' -> sb.append("\\t");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                default -> sb.append(Character.isISOControl(ch) ? String.format("\\u%04x", (int) ch) : String.valueOf(ch));
            }
        }
        return sb.toString();
    }

    private static VerifyOptions parseVerify(List<String> options) {
        String trustStore = null;
        String trustPassword = null;
        List<AccessReceipt> receipts = new ArrayList<>();
        for (int i = 0; i < options.size(); i += 2) {
            String option = options.get(i);
            if (!List.of("--trust", "--trust-password", "--receipt").contains(option)) {
                throw new IllegalArgumentException("unknown option " + option);
            }
            if (i + 1 >= options.size()) {
                throw new IllegalArgumentException(option + " needs a value");
            }
            String value = options.get(i + 1);
            switch (option) {
                case "--trust" -> trustStore = value;
                case "--trust-password" -> trustPassword = value;
                default -> receipts.add(AccessReceipt.parse(value));
            }
        }
        if (trustPassword != null && trustStore == null) {
            throw new IllegalArgumentException("--trust-password needs --trust");
        }
        return new VerifyOptions(trustStore, trustPassword == null ? "" : trustPassword, List.copyOf(receipts));
    }

    private static AccessLogQuery parseQuery(List<String> options) {
        AccessLogQuery query = AccessLogQuery.all();
        for (int i = 0; i < options.size(); i += 2) {
            String option = options.get(i);
            if (i + 1 >= options.size()) {
                throw new IllegalArgumentException(option + " needs a value");
            }
            String value = options.get(i + 1);
            query = switch (option) {
                case "--client" -> query.withPersonId(value);
                case "--user" -> query.withUserId(value);
                case "--from" -> query.withFrom(instant(option, value));
                case "--to" -> query.withTo(instant(option, value));
                case "--limit" -> query.withLimit(limit(value));
                default -> throw new IllegalArgumentException("unknown option " + option);
            };
        }
        return query;
    }

    private static Instant instant(String option, String value) {
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(option + " needs an ISO-8601 instant such as 2023-01-31T00:00:00Z: "
                    + value);
        }
    }

    private static int limit(String value) {
        try {
            int limit = Integer.parseInt(value);
            if (limit < 1) {
                throw new IllegalArgumentException("--limit must be at least 1: " + value);
            }
            return limit;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--limit needs a whole number: " + value);
        }
    }
}
