-- The replay cache (docs/security.md, freshness and replay): the message identities the gateway has accepted,
-- each until it expires (the message's Timestamp Created plus the replay window), so that a signed message is
-- refused a second time after a restart and by every replica that shares this database.
-- key_hash is the hex SHA-256 of the cache key ("sig:<digest of the signature value>" or
-- "id:<Y-tunnus>:<X-Road id>", up to some 270 characters), so the primary key has a fixed length of 64.
-- A key whose row has expired counts as not seen; the gateway deletes expired rows in the background.
-- Plain SQL that H2 and PostgreSQL both run unchanged.

CREATE TABLE replay_cache (
    key_hash   CHAR(64)                 NOT NULL PRIMARY KEY,
    expires_at TIMESTAMP WITH TIME ZONE NOT NULL
);

-- the background purge looks for expired rows
CREATE INDEX replay_cache_expiry ON replay_cache (expires_at);
