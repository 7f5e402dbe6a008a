-- Signed checkpoints of the access log's chain head (docs/access-log.md, "Checkpoints"): at checkpoint_time
-- the chain ended at record seq with hash chain_hash, signed with the gateway's own key (see
-- fi.kelmu.gateway.audit.Checkpoint for the signed text). Kept apart from the records: a log cut back below
-- the latest checkpoint, or rewritten consistently, no longer matches it. One row per chain position; rows
-- are only ever inserted, as access_log's are. The same table as postgresql/V4; only the trigger differs.

CREATE TABLE access_log_checkpoint (
    seq             BIGINT         NOT NULL PRIMARY KEY,
    chain_hash      CHAR(64)       NOT NULL,
    checkpoint_time TIMESTAMP WITH TIME ZONE NOT NULL,
    -- base64 of the signature (SHA256withRSA or SHA256withECDSA, by the key's family)
    signature       VARCHAR(2000)  NOT NULL,
    -- base64 of the signer's DER certificate: who claims to have signed; verify trusts only its own list
    certificate     VARCHAR(16000) NOT NULL
);

-- append-only, as access_log (V2): H2 runs the Java trigger; H2 has no TRUNCATE trigger
CREATE TRIGGER access_log_checkpoint_append_only
    BEFORE UPDATE, DELETE ON access_log_checkpoint
    FOR EACH ROW CALL 'fi.kelmu.gateway.audit.AppendOnlyTrigger';
