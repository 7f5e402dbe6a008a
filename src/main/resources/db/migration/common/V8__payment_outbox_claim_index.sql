-- The outbox's claim (JdbcPaymentDemands.CLAIM_CANDIDATES_QUERY) reads the pending commands in claim order and stops
-- after a few due ones; over the index by (delivery_state, next_attempt_at, seq) it read and sorted every due
-- pending command for each claim, so draining a backlog of n commands cost n squared (docs/benchmark.md, run 29).
DROP INDEX payment_demand_command_due;
CREATE INDEX payment_demand_command_pending ON payment_demand_command (delivery_state, seq);
