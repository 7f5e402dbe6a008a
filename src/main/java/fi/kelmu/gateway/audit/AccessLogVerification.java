package fi.kelmu.gateway.audit;

import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;

/**
 * {@code access-log verify} (docs/access-log.md): the hash chain ({@link AccessLog#verify()}), then the latest
 * signed checkpoint, then any receipts callers were given.
 *
 * <p>The checkpoint must be signed by a key the operator trusts: one of {@code trusted} (the gateway's configured
 * certificates, or those of {@code --trust}), never merely the certificate stored with it, which anyone who can
 * write to the database could have put there with a key of their own. The record it names must be in the chain
 * with the hash it names: a chain that ends before it lost its newest records; a record there with another hash
 * means the chain was rewritten from that record back, consistently enough that the chain alone cannot show it.
 *
 * <p>The checkpoint is read before the chain head, so a checkpoint written meanwhile by a running gateway never
 * names a record the head read after it does not reach.
 */
public final class AccessLogVerification {

    private AccessLogVerification() {
    }

    public static ChainVerification verify(AccessLog log, JdbcCheckpointStore checkpoints,
            List<X509Certificate> trusted, List<AccessReceipt> receipts) {
        Optional<Checkpoint> latest;
        JdbcCheckpointStore.UnreadableCheckpoint unreadable = null;
        try {
            latest = checkpoints.latest();
        } catch (JdbcCheckpointStore.UnreadableCheckpoint e) {
            latest = Optional.empty();
            unreadable = e;
        }
        ChainVerification chain = log.verify();
        if (!chain.ok()) {
            return chain;
        }
        if (unreadable != null) {
            return chain.brokenAt(unreadable.sequence(), Math.min(chain.recordsChecked(), unreadable.sequence() - 1),
                    unreadable.getMessage() + " (the gateway writes none such: it has been tampered with)");
        }
        if (latest.isPresent()) {
            chain = againstCheckpoint(chain.withCheckpoint(latest.get()), latest.get(), checkpoints, trusted);
            if (!chain.ok()) {
                return chain;
            }
        }
        for (AccessReceipt receipt : receipts) {
            chain = againstReceipt(chain, receipt, checkpoints);
            if (!chain.ok()) {
                return chain;
            }
        }
        return chain;
    }

    private static ChainVerification againstCheckpoint(ChainVerification chain, Checkpoint checkpoint,
            JdbcCheckpointStore checkpoints, List<X509Certificate> trusted) {
        long at = checkpoint.sequence();
        String which = "the latest checkpoint (record " + at + ", " + checkpoint.time() + ")";
        if (trusted.stream().noneMatch(checkpoint::verifiedBy)) {
            boolean keyTrusted = trusted.stream()
                    .anyMatch(t -> t.getPublicKey().equals(checkpoint.certificate().getPublicKey()));
            String why = keyTrusted
                    ? which + " has a signature that does not verify: it has been altered"
                    : which + " is signed by a key you do not trust (" + checkpoint.certificate()
                            .getSubjectX500Principal() + ", certificate sha256 "
                            + Checkpoint.fingerprint(checkpoint.certificate())
                            + "): it may be forged; trust the gateway's certificate (--trust)";
            return chain.brokenAt(at, Math.min(chain.recordsChecked(), at - 1), why);
        }
        if (at > chain.headSequence()) {
            return chain.brokenAt(chain.headSequence() + 1, chain.headSequence(), "record "
                    + (chain.headSequence() + 1) + " is missing: " + which + " names record " + at
                    + " but the chain ends at record " + chain.headSequence()
                    + ": the newest records have been removed");
        }
        String stored = at == chain.headSequence() ? chain.headHash() : checkpoints.recordHash(at).orElse(null);
        if (!checkpoint.chainHash().equals(stored)) {
            return chain.brokenAt(at, 0, "record " + at + " does not have the hash " + which + " names ("
                    + checkpoint.chainHash() + ", the chain has " + stored + "): the chain has been rewritten at"
                    + " or before record " + at + ", so none of records 1 to " + at + " can be trusted");
        }
        return chain;
    }

    private static ChainVerification againstReceipt(ChainVerification chain, AccessReceipt receipt,
            JdbcCheckpointStore checkpoints) {
        long at = receipt.sequence();
        if (at > chain.headSequence()) {
            return chain.brokenAt(at, chain.headSequence(), "receipt " + receipt + " names a record the log does not"
                    + " hold (the chain ends at record " + chain.headSequence() + "): records given to callers"
                    + " have been removed, or the receipt is not the gateway's");
        }
        String stored = at == chain.headSequence() ? chain.headHash() : checkpoints.recordHash(at).orElse(null);
        if (!receipt.recordHash().equals(stored)) {
            return chain.brokenAt(at, at - 1, "record " + at + " does not have the hash of receipt " + receipt
                    + " (the chain has " + stored + "): the record the caller was given has been replaced, or the"
                    + " receipt is not the gateway's");
        }
        return chain;
    }
}
