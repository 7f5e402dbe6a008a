package fi.kelmu.gateway.audit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The access log's own write-ahead journal, for a database whose commit is not durable by itself (H2, which holds
 * confirmed commits in memory for up to its write delay; docs/access-log.md, "Durability"). Each batch of records,
 * as the database stored them (sequence number, previous hash, hash), is appended here and forced to the device
 * before their answers leave: one small sequential write and one flush per batch, where forcing H2's store would
 * rewrite its pages. Every few seconds the database itself is forced to the device and the journal emptied. After a
 * crash, the records the database lost are written back from the journal at start ({@link #recover}), exactly as
 * they were chained, before any request is accepted.
 *
 * <p>Line format, version 1: {@code j1}, sequence, previous hash, hash, then the record's fields as in
 * {@link RefusalSpool#encodeFields}, separated by tabs. One writer only: the
 * access log's writer thread.
 */
public final class AccessJournal implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(AccessJournal.class);
    private static final String VERSION = "j1";

    private final Path file;
    private FileChannel channel;

    public AccessJournal(Path file) {
        this.file = file;
    }

    /** Writes the records the database lost in a crash back into it, then empties the journal. */
    public void recover(JdbcAccessLog log) {
        List<StoredAccessRecord> journaled = read();
        if (!journaled.isEmpty()) {
            int written = log.restore(journaled);
            if (written > 0) {
                LOG.warn("{} access record(s) the database lost were written back from the journal {} (up to record {})",
                        written, file, journaled.get(journaled.size() - 1).sequence());
            }
        } else {
            log.flushToDevice();
        }
        reset();
    }

    /** Appends the records and forces them to the device. */
    public synchronized void append(List<StoredAccessRecord> records) {
        if (records.isEmpty()) {
            return;
        }
        StringBuilder lines = new StringBuilder(records.size() * 600);
        for (StoredAccessRecord r : records) {
            lines.append(VERSION).append('\t').append(r.sequence()).append('\t').append(r.previousHash()).append('\t')
                    .append(r.hash()).append('\t').append(RefusalSpool.encodeFields(r.record())).append('\n');
        }
        try {
            FileChannel out = channel();
            ByteBuffer buffer = ByteBuffer.wrap(lines.toString().getBytes(StandardCharsets.UTF_8));
            while (buffer.hasRemaining()) {
                out.write(buffer);
            }
            out.force(false);
        } catch (IOException e) {
            throw new UncheckedIOException("access-log journal " + file + " cannot be written", e);
        }
    }

    /** Empties the journal: call only once the database holds every journaled record on the device. */
    public synchronized void reset() {
        try {
            FileChannel out = channel();
            out.truncate(0);
            out.force(true);
        } catch (IOException e) {
            throw new UncheckedIOException("access-log journal " + file + " cannot be emptied", e);
        }
    }

    /** The journaled records in order; a line cut short by a crash while it was written is left out. */
    synchronized List<StoredAccessRecord> read() {
        if (!Files.exists(file)) {
            return List.of();
        }
        try {
            String[] lines = Files.readString(file, StandardCharsets.UTF_8).split("\n", -1);
            List<StoredAccessRecord> records = new ArrayList<>(lines.length);
            for (int i = 0; i < lines.length - 1; i++) {
                String[] head = lines[i].split("\t", 5);
                if (head.length != 5 || !VERSION.equals(head[0])) {
                    throw new IllegalStateException("access-log journal " + file + " line " + (i + 1) + " is not "
                            + VERSION);
                }
                records.add(new StoredAccessRecord(Long.parseLong(head[1]),
                        RefusalSpool.decodeFields(head[4]), head[2], head[3]));
            }
            return records;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private FileChannel channel() throws IOException {
        if (channel == null) {
            if (file.getParent() != null) {
                Files.createDirectories(file.getParent());
            }
            channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.APPEND);
        }
        return channel;
    }

    @Override
    public synchronized void close() {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException e) {
                LOG.warn("closing the access-log journal {} failed: {}", file, e.getMessage());
            }
            channel = null;
        }
    }
}
