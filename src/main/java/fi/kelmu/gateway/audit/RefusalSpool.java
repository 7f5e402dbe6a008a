package fi.kelmu.gateway.audit;

import fi.kelmu.gateway.fault.FaultCode;
import fi.kelmu.gateway.registry.OrganisationType;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A local, append-only file of refusal records that could not be written to the access log while the database
 * was down (docs/access-log.md, "When the database is down"). Each record is one line, forced to the device
 * before {@link #append} returns; {@link GroupCommitAccessLog} writes them into the log in their order when it
 * writes again, and then empties the file. Only refusals are spooled: a request with data never gets an answer
 * without its record in the database.
 *
 * <p>Line format, version 1: {@code v1} and the record's fields in {@link AccessRecord}'s order, separated by a
 * tab; each field is {@code -} when absent, else the base64 of its UTF-8 text (lists joined by commas first), so
 * no value can break a line or a field. The last field, details, is written only when present, so a line
 * without it reads as it always did.
 */
public final class RefusalSpool {

    private static final Logger LOG = LoggerFactory.getLogger(RefusalSpool.class);
    private static final String VERSION = "v1";
    private static final int FIELDS = 16;

    private final Path file;
    private final long maxBytes;

    /** @param maxBytes the largest the file may grow; a refusal beyond it is only in the application log */
    public RefusalSpool(Path file, long maxBytes) {
        this.file = file;
        this.maxBytes = maxBytes;
    }

    /** Appends the record durably; when the spool is full or cannot be written, says so in the application log. */
    public synchronized void append(AccessRecord record) {
        byte[] line = (encode(record) + "\n").getBytes(StandardCharsets.UTF_8);
        try {
            if (file.getParent() != null) {
                Files.createDirectories(file.getParent());
            }
            if (Files.exists(file) && Files.size(file) + line.length > maxBytes) {
                LOG.error("refusal spool {} is full ({} bytes): refusal {} is only in this log: {}", file, maxBytes,
                        record.eventId(), record);
                return;
            }
            try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.APPEND)) {
                ByteBuffer buffer = ByteBuffer.wrap(line);
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
                channel.force(true);
            }
        } catch (IOException e) {
            LOG.error("refusal spool {} cannot be written: refusal {} is only in this log: {}", file, record.eventId(),
                    record, e);
        }
    }

    public synchronized boolean hasRecords() {
        try {
            return (Files.exists(file) && Files.size(file) > 0) || Files.exists(draining());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Takes the spooled records to be written to the log, oldest first: those of a drain that did not finish, else
     * the whole spool, moved aside at once so that refusals spooled meanwhile wait for the next drain. Call
     * {@link #drained} once they are in the log.
     */
    public synchronized List<AccessRecord> take() {
        try {
            if (!Files.exists(draining()) && Files.exists(file)) {
                Files.move(file, draining(), StandardCopyOption.ATOMIC_MOVE);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return read(draining());
    }

    /** The records {@link #take} gave are in the access log. */
    public synchronized void drained() {
        try {
            Files.deleteIfExists(draining());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Path draining() {
        return file.resolveSibling(file.getFileName() + ".draining");
    }

    /** The records waiting in the spool, oldest first (a drain's left-overs, then the spool). */
    public synchronized List<AccessRecord> read() {
        List<AccessRecord> records = new ArrayList<>(read(draining()));
        records.addAll(read(file));
        return records;
    }

    /** The records of one file in their order; a line cut short by a crash while it was written is left out. */
    private static List<AccessRecord> read(Path file) {
        if (!Files.exists(file)) {
            return List.of();
        }
        List<AccessRecord> records = new ArrayList<>();
        try {
            String text = Files.readString(file, StandardCharsets.UTF_8);
            String[] lines = text.split("\n", -1);
            // the last element follows the last newline: a complete file ends with one, so it is empty
            for (int i = 0; i < lines.length - 1; i++) {
                records.add(decode(lines[i]));
            }
            if (!lines[lines.length - 1].isEmpty()) {
                LOG.warn("refusal spool {} ends with an incomplete line (a crash while writing it); left out", file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return records;
    }


    static String encode(AccessRecord r) {
        return VERSION + '\t' + encodeFields(r);
    }

    /** The record's fields, tab-separated, each {@code -} or base64 (the line format above without its version). */
    static String encodeFields(AccessRecord r) {
        List<String> fields = Arrays.asList(r.eventId(), r.time().toString(), r.xroadId(), r.organisationId(),
                r.organisationType() == null ? null : r.organisationType().name(), r.userId(),
                String.join(",", r.mandates()), r.mandateProof(), r.purpose(), r.operation(), r.personId(),
                String.join(",", r.views()), r.outcome().name(), r.faultCode() == null ? null : r.faultCode().code(),
                r.correlationId());
        if (r.details() != null) {
            // a 16th field only when there are details, so that lines without them read as they always did
            fields = new ArrayList<>(fields);
            fields.add(r.details());
        }
        StringBuilder line = new StringBuilder();
        for (String field : fields) {
            if (line.length() > 0) {
                line.append('\t');
            }
            line.append(field == null ? "-" : Base64.getEncoder().encodeToString(field.getBytes(StandardCharsets.UTF_8)));
        }
        return line.toString();
    }

    static AccessRecord decode(String line) {
        if (!line.startsWith(VERSION + '\t')) {
            throw new IllegalStateException("not a version 1 spool line");
        }
        return decodeFields(line.substring(VERSION.length() + 1));
    }

    /** The record of {@link #encodeFields}. */
    static AccessRecord decodeFields(String fields) {
        String[] parts = fields.split("\t", -1);
        if (parts.length != FIELDS - 1 && parts.length != FIELDS) {
            throw new IllegalStateException("not " + (FIELDS - 1) + " access-record fields (or " + FIELDS
                    + " with details)");
        }
        String[] f = new String[FIELDS];
        for (int i = 0; i < parts.length; i++) {
            f[i] = parts[i].equals("-") ? null
                    : new String(Base64.getDecoder().decode(parts[i]), StandardCharsets.UTF_8);
        }
        return new AccessRecord(f[0], Instant.parse(f[1]), f[2], f[3], f[4] == null ? null : OrganisationType.valueOf(f[4]),
                f[5], names(f[6]), f[7], f[8], f[9], f[10], names(f[11]), AccessOutcome.valueOf(f[12]),
                f[13] == null ? null : FaultCode.byCode(f[13]), f[14], f[15]);
    }

    private static List<String> names(String joined) {
        return joined == null || joined.isEmpty() ? List.of() : List.of(joined.split(",", -1));
    }
}
