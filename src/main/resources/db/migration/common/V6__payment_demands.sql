-- Payment demands (docs/payment-demands.md, R-PAY-1..8): the demands as they are now, and every write of one as a
-- command that is at once the idempotency record of the request and the outbox entry for the backend. A write
-- changes both tables in one transaction, so a demand never changes without its command, and a request retried
-- under the same key finds the command and gets its stored answer instead of a second write ("Exactly once").
-- Plain SQL that H2 and PostgreSQL both run unchanged.

-- One row per demand, its current state. version counts the writes (1 at submit). Content columns are those of
-- fi.kelmu.gateway.payment.DemandContent; amount_cents is null for "the whole benefit for the period".
-- transferred_from, previous_payee_account and payee_account_from are set together by the year-end transfer
-- (R-PAY-7): payments put into payment before payee_account_from go to previous_payee_account.
CREATE TABLE payment_demand (
    demand_id              VARCHAR(36)   NOT NULL PRIMARY KEY,
    demander_id            VARCHAR(16)   NOT NULL,
    demander_type          VARCHAR(16)   NOT NULL,
    client_id              VARCHAR(16)   NOT NULL,
    benefit_code           VARCHAR(64)   NOT NULL,
    period_start           DATE          NOT NULL,
    period_end             DATE,
    amount_cents           BIGINT,
    legal_basis            VARCHAR(32)   NOT NULL,
    payee_account          CHAR(18)      NOT NULL,
    case_reference         VARCHAR(64)   NOT NULL,
    state                  VARCHAR(16)   NOT NULL,
    invalidation_reason    VARCHAR(500),
    kela_status            VARCHAR(16),
    kela_reason            VARCHAR(500),
    version                BIGINT        NOT NULL,
    created_at             TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_at             TIMESTAMP WITH TIME ZONE NOT NULL,
    transferred_from       VARCHAR(16),
    previous_payee_account CHAR(18),
    payee_account_from     DATE,
    CONSTRAINT payment_demand_state CHECK (state IN ('ACTIVE', 'INVALIDATED')),
    CONSTRAINT payment_demand_amount CHECK (amount_cents IS NULL OR amount_cents > 0),
    CONSTRAINT payment_demand_period CHECK (period_end IS NULL OR period_end >= period_start),
    CONSTRAINT payment_demand_transfer CHECK ((transferred_from IS NULL AND previous_payee_account IS NULL
                                               AND payee_account_from IS NULL)
                                           OR (transferred_from IS NOT NULL AND previous_payee_account IS NOT NULL
                                               AND payee_account_from IS NOT NULL))
);

-- listPaymentDemands: the demands of one client made by the calling organisation
CREATE INDEX payment_demand_demander_client ON payment_demand (demander_id, client_id);
-- the year-end transfer looks for the municipalities' demands
CREATE INDEX payment_demand_demander_type ON payment_demand (demander_type, state);

-- One row per write. seq is an identity column (H2 and PostgreSQL both have GENERATED ... AS IDENTITY): it orders
-- the outbox, oldest first. Its values are taken at insert, not at commit, so two writes of one demand could take
-- them out of their commit order; every write therefore locks its demand's row first, and a demand's seq order is
-- its commit order, which the outbox keeps (a command is not delivered while an older one of its demand pends).
--
-- idempotency_key is the calling organisation's Y-tunnus, ':' and the request's X-Road id (at most 255 characters),
-- or "year-end-transfer:<year end>:<demand id>" for the transfer: at most 320 characters, kept as it is (not
-- hashed) because the outbox sends it to the backend as the Idempotency-Key header. Its unique constraint decides
-- between concurrent duplicates: one inserts, the others wait for its commit and then fail on the constraint,
-- read its row and answer with its snapshot. request_hash is the hex SHA-256 of the request (operation, demand id,
-- content or reason; JdbcPaymentDemands), which tells a retry (same hash) from a reuse of the key (another hash).
--
-- snapshot is the demand as the write committed it (JSON, fi.kelmu.gateway.payment.DemandSnapshot): the answer
-- returned to every retry, and what the backend is told. delivery_state, attempts, next_attempt_at, last_error
-- (bounded, the backend's own words) and delivered_at are the outbox's; kela_status and kela_reason the backend's
-- acknowledgement.
CREATE TABLE payment_demand_command (
    seq             BIGINT        GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    command_id      VARCHAR(36)   NOT NULL UNIQUE,
    idempotency_key VARCHAR(320)  NOT NULL UNIQUE,
    request_hash    CHAR(64)      NOT NULL,
    demand_id       VARCHAR(36)   NOT NULL REFERENCES payment_demand (demand_id),
    kind            VARCHAR(16)   NOT NULL,
    snapshot        VARCHAR(8000) NOT NULL,
    created_at      TIMESTAMP WITH TIME ZONE NOT NULL,
    delivery_state  VARCHAR(16)   NOT NULL,
    attempts        INTEGER       NOT NULL,
    next_attempt_at TIMESTAMP WITH TIME ZONE NOT NULL,
    last_error      VARCHAR(500),
    delivered_at    TIMESTAMP WITH TIME ZONE,
    kela_status     VARCHAR(16),
    kela_reason     VARCHAR(500),
    CONSTRAINT payment_demand_command_kind CHECK (kind IN ('SUBMIT', 'MODIFY', 'INVALIDATE', 'TRANSFER')),
    CONSTRAINT payment_demand_command_delivery CHECK ((delivery_state = 'PENDING' AND delivered_at IS NULL)
                                                   OR (delivery_state = 'DELIVERED' AND delivered_at IS NOT NULL))
);

-- the outbox scan: pending commands due by now, oldest first
CREATE INDEX payment_demand_command_due ON payment_demand_command (delivery_state, next_attempt_at, seq);
-- a demand's commands in order: its latest (delivery state of the demand) and its older pending ones
CREATE INDEX payment_demand_command_demand ON payment_demand_command (demand_id, seq);
