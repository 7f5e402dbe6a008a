package fi.kelmu.gateway.audit;

import fi.kelmu.gateway.identity.ReplayClaim;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
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
 * <p>The replay claims written in a batch's transaction ({@link fi.kelmu.gateway.identity.ReplayClaimLog}) are
 * journaled with it and written back with the records.
 *
 * <p>Line format, version 1, fields separated by tabs: a record is {@code j1}, sequence, previous hash, hash, then
 * the record's fields as in {@link RefusalSpool#encodeFields}; a replay claim is {@code k1}, the key's hash and its
 * expiry in epoch milliseconds. One writer only: the access log's writer thread; the file is locked while it is open,
 * so a second gateway on the same journal does not start.
 */
public final class AccessJournal implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(AccessJournal.class);
    private static final String VERSION = "j1";
    private static final String CLAIM = "k1";

    /** What a journal holds: records in their order, and replay claims. */
    record Journaled(List<StoredAccessRecord> records, List<ReplayClaim> claims) {
    }

    private final Path file;
    private FileChannel channel;

    public AccessJournal(Path file) {
        this.file = file;
    }

    /** Writes the records the database lost in a crash back into it, then empties the journal. */
    public void recover(JdbcAccessLog log) {
        try {
            channel(); // locked before it is read
        } catch (IOException e) {
            throw new UncheckedIOException("access-log journal " + file + " cannot be opened", e);
        }
        Journaled journal = read();
        List<StoredAccessRecord> journaled = journal.records();
        if (!journaled.isEmpty() || !journal.claims().isEmpty()) {
            int written = log.restore(journaled, journal.claims());
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
        append(records, List.of());
    }

    /** Appends the replay claims and the records and forces them to the device. */
    public synchronized void append(List<StoredAccessRecord> records, List<ReplayClaim> claims) {
        if (records.isEmpty() && claims.isEmpty()) {
            return;
        }
        StringBuilder lines = new StringBuilder(records.size() * 600 + claims.size() * 90);
        for (ReplayClaim claim : claims) {
            lines.append(CLAIM).append('\t').append(claim.keyHash()).append('\t')
                    .append(claim.expiresAt().toEpochMilli()).append('\n');
        }
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
    synchronized Journaled read() {
        if (!Files.exists(file)) {
            return new Journaled(List.of(), List.of());
        }
        try {
            String[] lines = Files.readString(file, StandardCharsets.UTF_8).split("\n", -1);
            List<StoredAccessRecord> records = new ArrayList<>(lines.length);
            List<ReplayClaim> claims = new ArrayList<>();
            for (int i = 0; i < lines.length - 1; i++) {
                if (lines[i].startsWith(CLAIM + "\t")) {
                    String[] claim = lines[i].split("\t", -1);
                    if (claim.length != 3) {
                        throw new IllegalStateException("access-log journal " + file + " line " + (i + 1)
                                + " is not a replay claim");
                    }
                    claims.add(new ReplayClaim(claim[1], Instant.ofEpochMilli(Long.parseLong(claim[2]))));
                    continue;
                }
                String[] head = lines[i].split("\t", 5);
                if (head.length != 5 || !VERSION.equals(head[0])) {
                    throw new IllegalStateException("access-log journal " + file + " line " + (i + 1) + " is not "
                            + VERSION);
                }
                records.add(new StoredAccessRecord(Long.parseLong(head[1]),
                        RefusalSpool.decodeFields(head[4]), head[2], head[3]));
            }
            return new Journaled(records, claims);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private FileChannel channel() throws IOException {
        if (channel == null) {
            if (file.getParent() != null) {
                Files.createDirectories(file.getParent());
            }
            FileChannel opened = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.APPEND);
            // one gateway a journal: a second one would restore and reset the first one's records
            FileLock lock;
            try {
                lock = opened.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null;
            }
            if (lock == null) {
                opened.close();
                throw new IllegalStateException("access-log journal " + file + " is in use by another gateway: H2"
                        + " serves one gateway (docs/access-log.md); replicas share a PostgreSQL");
            }
            channel = opened;
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
