-- What an operation did beyond its views (docs/access-log.md, docs/payment-demands.md): for a payment demand its
-- id, the amount and the payee account masked to its last four digits. Null for every record before it and for
-- the benefit queries. A record with details is hashed with version 2 of the canonical encoding
-- (fi.kelmu.gateway.audit.AccessRecordHash), one without with version 1, so the chain written before verifies
-- unchanged. Plain SQL that H2 and PostgreSQL both run unchanged.

ALTER TABLE access_log ADD COLUMN details VARCHAR(256);
