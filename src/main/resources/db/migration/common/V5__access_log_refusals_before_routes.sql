-- A refusal raised before the routes (docs/access-log.md, "Refusals before the routes") is recorded whenever its
-- caller is known, even when the request's purpose, operation or client could not be read: those columns may then
-- be empty. The application keeps them required for allowed accesses (AccessRecord); the record hash encodes an
-- absent value apart from any text (AccessRecordHash, version 1 unchanged).
ALTER TABLE access_log ALTER COLUMN purpose DROP NOT NULL;
ALTER TABLE access_log ALTER COLUMN operation DROP NOT NULL;
ALTER TABLE access_log ALTER COLUMN client_id DROP NOT NULL;
