package fi.kelmu.gateway.audit;

/**
 * An access record as the log holds it: its place in the chain, the hash of the record before it and its
 * own hash ({@link AccessRecordHash}).
 */
public record StoredAccessRecord(long sequence, AccessRecord record, String previousHash, String hash) {
}
