-- Append-only in the database itself (docs/access-log.md): whatever the application does, a row of the
-- access log cannot be changed or removed through SQL. Only a DBA who drops the trigger can, and the
-- hash chain then shows it. H2 runs a Java trigger. H2 has no TRUNCATE trigger: a TRUNCATE goes through,
-- and verification reports it (the chain head still names the last record).

CREATE TRIGGER access_log_append_only
    BEFORE UPDATE, DELETE ON access_log
    FOR EACH ROW CALL 'fi.kelmu.gateway.audit.AppendOnlyTrigger';

-- the head row may move forward (UPDATE) but never disappear
CREATE TRIGGER access_log_head_keep
    BEFORE DELETE ON access_log_head
    FOR EACH ROW CALL 'fi.kelmu.gateway.audit.AppendOnlyTrigger';
