package fi.kelmu.gateway.audit;

import java.util.regex.Pattern;

/**
 * What an answer that carries client data tells its caller about the access record written for it
 * (docs/access-log.md, "Receipts"): the record's sequence number and hash. The gateway's response signature
 * covers it, so the caller can later show that the gateway said it recorded exactly this, and
 * {@code access-log verify --receipt SEQ:HASH} checks that the log still holds it.
 *
 * @param sequence   the record's place in the chain, 1 or more
 * @param recordHash its hash ({@link AccessRecordHash}), 64 lowercase hex digits
 */
public record AccessReceipt(long sequence, String recordHash) {

    private static final Pattern HASH = Pattern.compile("[0-9a-f]{64}");

    public AccessReceipt {
        if (sequence < 1) {
            throw new IllegalArgumentException("a receipt's sequence number is 1 or more: " + sequence);
        }
        if (recordHash == null || !HASH.matcher(recordHash).matches()) {
            throw new IllegalArgumentException("a receipt's record hash is 64 lowercase hex digits: " + recordHash);
        }
    }

    /** The receipt of a record the log has just stored. */
    public static AccessReceipt of(StoredAccessRecord stored) {
        return new AccessReceipt(stored.sequence(), stored.hash());
    }

    /** Reads {@code SEQ:HASH}, as {@link #toString()} writes it. */
    public static AccessReceipt parse(String text) {
        int colon = text.indexOf(':');
        if (colon < 0) {
            throw new IllegalArgumentException("a receipt is SEQUENCE:HASH, e.g. 42:3f5a…: " + text);
        }
        long sequence;
        try {
            sequence = Long.parseLong(text.substring(0, colon).strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("a receipt's sequence number is a whole number: " + text);
        }
        return new AccessReceipt(sequence, text.substring(colon + 1).strip());
    }

    /** {@code SEQ:HASH}. */
    @Override
    public String toString() {
        return sequence + ":" + recordHash;
    }
}
