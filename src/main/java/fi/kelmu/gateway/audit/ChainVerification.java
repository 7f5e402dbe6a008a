package fi.kelmu.gateway.audit;

/**
 * The result of checking the access log's hash chain. When broken, {@code firstBrokenSequence} is the
 * first record that is missing or does not match, and {@code problem} says why. The head (last
 * sequence number and hash) is what the chain head row holds; an operator who writes it down elsewhere
 * can later prove that not even a DBA rewrote the whole chain.
 */
public record ChainVerification(boolean ok, long recordsChecked, Long firstBrokenSequence, String problem,
        long headSequence, String headHash) {

    static ChainVerification intact(long recordsChecked, long headSequence, String headHash) {
        return new ChainVerification(true, recordsChecked, null, null, headSequence, headHash);
    }

    static ChainVerification broken(long recordsChecked, long sequence, String problem, long headSequence,
            String headHash) {
        return new ChainVerification(false, recordsChecked, sequence, problem, headSequence, headHash);
    }
}
