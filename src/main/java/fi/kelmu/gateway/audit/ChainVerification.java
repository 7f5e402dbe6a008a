package fi.kelmu.gateway.audit;

/**
 * The result of checking the access log's hash chain and, with {@link AccessLogVerification}, its latest signed
 * checkpoint and any receipts. When broken, {@code firstBrokenSequence} is the first record that is missing or
 * does not match (for a consistent rewrite: the checkpoint's record, at or before which the chain was
 * rewritten), and {@code problem} says why. The head (last sequence number and hash) is what the chain head row
 * holds.
 *
 * @param checkpoint the signed checkpoint the chain was checked against, or null when none was (no checkpoint
 *                   yet, or the chain itself is broken)
 */
public record ChainVerification(boolean ok, long recordsChecked, Long firstBrokenSequence, String problem,
        long headSequence, String headHash, Checkpoint checkpoint) {

    static ChainVerification intact(long recordsChecked, long headSequence, String headHash) {
        return new ChainVerification(true, recordsChecked, null, null, headSequence, headHash, null);
    }

    static ChainVerification broken(long recordsChecked, long sequence, String problem, long headSequence,
            String headHash) {
        return new ChainVerification(false, recordsChecked, sequence, problem, headSequence, headHash, null);
    }

    /** This result, checked against {@code latest} too. */
    ChainVerification withCheckpoint(Checkpoint latest) {
        return new ChainVerification(ok, recordsChecked, firstBrokenSequence, problem, headSequence, headHash, latest);
    }

    /** Broken at {@code sequence}, with {@code checked} records before it found good; head and checkpoint kept. */
    ChainVerification brokenAt(long sequence, long checked, String why) {
        return new ChainVerification(false, checked, sequence, why, headSequence, headHash, checkpoint);
    }
}
