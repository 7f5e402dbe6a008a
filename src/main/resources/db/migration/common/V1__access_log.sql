-- The access log (docs/access-log.md): one row per request that reads personal data, written before the
-- response leaves. Rows are hash-chained (see fi.kelmu.gateway.audit.AccessRecordHash) and only ever
-- inserted; the vendor migration V2 adds the trigger that refuses UPDATE and DELETE.
-- This file is plain SQL that H2 and PostgreSQL both run unchanged (docs/access-log.md).

CREATE TABLE access_log (
    seq               BIGINT        NOT NULL PRIMARY KEY,
    event_id          VARCHAR(64)   NOT NULL UNIQUE,
    event_time        TIMESTAMP WITH TIME ZONE NOT NULL,
    xroad_id          VARCHAR(255)  NOT NULL,
    organisation_id   VARCHAR(16)   NOT NULL,
    organisation_type VARCHAR(16),
    user_id           VARCHAR(255)  NOT NULL,
    mandates          VARCHAR(1000) NOT NULL,
    mandate_proof     VARCHAR(255),
    purpose           VARCHAR(64)   NOT NULL,
    operation         VARCHAR(64)   NOT NULL,
    client_id         VARCHAR(16)   NOT NULL,
    views             VARCHAR(1000) NOT NULL,
    outcome           VARCHAR(16)   NOT NULL,
    fault_code        VARCHAR(64),
    correlation_id    VARCHAR(128)  NOT NULL,
    previous_hash     CHAR(64)      NOT NULL,
    record_hash       CHAR(64)      NOT NULL,
    CONSTRAINT access_log_outcome CHECK (outcome IN ('ALLOWED', 'REFUSED')),
    CONSTRAINT access_log_fault CHECK ((outcome = 'ALLOWED' AND fault_code IS NULL)
                                    OR (outcome = 'REFUSED' AND fault_code IS NOT NULL))
);

-- the questions an access-log query asks: whose data, which user, when
CREATE INDEX access_log_client ON access_log (client_id, seq);
CREATE INDEX access_log_user ON access_log (user_id, seq);
CREATE INDEX access_log_time ON access_log (event_time);

-- The chain head: the last sequence number and hash, updated in the same transaction as each insert.
-- Appenders lock this one row (SELECT ... FOR UPDATE), so replicas sharing the database append in turn;
-- and verification compares the last row with it, so deleting the newest records is detected too.
CREATE TABLE access_log_head (
    id        INTEGER  NOT NULL PRIMARY KEY,
    last_seq  BIGINT   NOT NULL,
    last_hash CHAR(64) NOT NULL,
    CONSTRAINT access_log_head_single_row CHECK (id = 1)
);

INSERT INTO access_log_head (id, last_seq, last_hash)
VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');
