package fi.kelmu.gateway.payment;

import fi.kelmu.gateway.audit.CommitDurability;
import fi.kelmu.gateway.audit.GroupFlush;
import fi.kelmu.gateway.fault.FaultCode;
import fi.kelmu.gateway.fault.GatewayException;
import fi.kelmu.gateway.identifier.Iban;
import fi.kelmu.gateway.registry.OrganisationType;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The payment demands and their outbox in the gateway's database (docs/payment-demands.md, tables of migration V6),
 * in plain JDBC on H2 and PostgreSQL.
 *
 * <p><b>Exactly once.</b> Each write (submit, modify, invalidate) is one transaction that inserts its command row,
 * under the request's idempotency key and the hash of the request, together with the change of the demand, and
 * commits before the caller learns of it. The key decides what a request repeated does: the key stored with the
 * same hash returns the stored answer ({@link CommandResult#replayed()}) and changes nothing; with another hash it is
 * {@link FaultCode#IDEMPOTENCY_KEY_REUSED}. Of concurrent duplicates, one inserts the key; the others wait on the
 * key's unique index until it commits, fail with a unique violation (SQLSTATE {@value #UNIQUE_VIOLATION}), roll
 * back whatever they wrote and answer from the winner's row. Any other database failure rolls back and is
 * {@link FaultCode#PAYMENT_DEMAND_STORE_UNAVAILABLE}: nothing is half-written, and sending the same request again
 * is safe.
 *
 * <p><b>Ownership.</b> Only the demander may change a demand: for anyone else a demand is
 * {@link FaultCode#UNKNOWN_PAYMENT_DEMAND}, exactly as one that does not exist, so no one learns of others' demands.
 * An invalidated demand is never changed again: a modification, and also a second invalidation under another key,
 * is {@link FaultCode#PAYMENT_DEMAND_INVALIDATED}. A second invalidation is refused rather than answered as a success
 * because it is a different request (a retry of the first one has the first one's key and gets the first answer),
 * and its reason would never reach Kela: the caller learns that someone already invalidated the demand.
 *
 * <p><b>Outbox.</b> {@link #deliverDue} reads a few due candidates in claim order without a lock
 * ({@link #CLAIM_CANDIDATES_QUERY}) and claims the oldest of them with {@code SELECT ... FOR UPDATE SKIP LOCKED}, so
 * that gateways sharing a PostgreSQL each take different commands, delivers it while holding the row lock and records
 * the outcome in the same transaction. A command is not claimed while an older command of its demand is pending: a
 * demand's commands reach the backend in their order. A crash between delivery and commit leaves the command
 * pending, and it is delivered again; the backend answers a repeated {@code Idempotency-Key} with its first
 * acknowledgement, so the demand changes once at Kela. H2 2.3 accepts the same statement, but locks every row its
 * scan matches before it sorts and cuts to one, so there one claim holds all its candidates until its commit, and
 * the threads of the one gateway an H2 file serves deliver one command at a time: still exactly once and in order,
 * only not in parallel (PostgreSQL locks the one row it returns and the next claim takes the next row).
 *
 * <p><b>Durability.</b> As for the access log: PostgreSQL commits with {@code synchronous_commit} on; H2 forces its
 * store to the device after the commit ({@code CHECKPOINT SYNC}), one flush for the writes committed meanwhile
 * ({@link GroupFlush}), after the connection is given back. The flush is what makes "committed" mean "survives a
 * crash" before the caller is answered; a repeat's stored answer waits for a flush too, since its first sending may
 * not have been flushed yet.
 */
public final class JdbcPaymentDemands {

    private static final Logger LOG = LoggerFactory.getLogger(JdbcPaymentDemands.class);

    /** SQLSTATE of a unique violation, in H2 and PostgreSQL alike. */
    static final String UNIQUE_VIOLATION = "23505";
    /** Longest idempotency key: a Y-tunnus, ':' and an X-Road id of up to 255 characters, with room to spare. */
    public static final int MAX_KEY_LENGTH = 320;
    /** Longest text kept of a backend's error or reason. */
    static final int MAX_TEXT = 500;
    /** Transactions tried for one write when concurrent writes conflict with it (a duplicate, a deadlock). */
    private static final int TRANSACTION_ATTEMPTS = 5;

    private static final String DEMAND_COLUMNS = "d.demand_id, d.demander_id, d.demander_type, d.client_id, "
            + "d.benefit_code, d.period_start, d.period_end, d.amount_cents, d.legal_basis, d.payee_account, "
            + "d.case_reference, d.state, d.invalidation_reason, d.kela_status, d.kela_reason, d.version, "
            + "d.created_at, d.updated_at, d.transferred_from, d.previous_payee_account, d.payee_account_from";
    private static final String INSERT_DEMAND = "INSERT INTO payment_demand (demand_id, demander_id, demander_type, "
            + "client_id, benefit_code, period_start, period_end, amount_cents, legal_basis, payee_account, "
            + "case_reference, state, invalidation_reason, kela_status, kela_reason, version, created_at, updated_at, "
            + "transferred_from, previous_payee_account, payee_account_from) "
            + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    private static final String UPDATE_DEMAND = "UPDATE payment_demand SET demander_id = ?, demander_type = ?, "
            + "client_id = ?, benefit_code = ?, period_start = ?, period_end = ?, amount_cents = ?, legal_basis = ?, "
            + "payee_account = ?, case_reference = ?, state = ?, invalidation_reason = ?, kela_status = ?, "
            + "kela_reason = ?, version = ?, created_at = ?, updated_at = ?, transferred_from = ?, "
            + "previous_payee_account = ?, payee_account_from = ? WHERE demand_id = ? AND version = ?";
    private static final String LOCK_DEMAND = "SELECT " + DEMAND_COLUMNS
            + " FROM payment_demand d WHERE d.demand_id = ? FOR UPDATE";
    private static final String INSERT_COMMAND = "INSERT INTO payment_demand_command (command_id, idempotency_key, "
            + "request_hash, demand_id, kind, snapshot, created_at, delivery_state, attempts, next_attempt_at) "
            + "VALUES (?, ?, ?, ?, ?, ?, ?, 'PENDING', 0, ?)";
    private static final String STORED_COMMAND = "SELECT command_id, request_hash, snapshot FROM payment_demand_command"
            + " WHERE idempotency_key = ?";
    /** The demand with the delivery of its latest command. */
    private static final String DEMANDS_WITH_DELIVERY = "SELECT " + DEMAND_COLUMNS
            + ", c.delivery_state, c.attempts, c.delivered_at FROM payment_demand d"
            + " JOIN payment_demand_command c ON c.demand_id = d.demand_id"
            + " AND c.seq = (SELECT MAX(l.seq) FROM payment_demand_command l WHERE l.demand_id = d.demand_id)";
    /** How many due commands a claim considers: it locks the first of them that no other transaction holds. */
    static final int CLAIM_CANDIDATES = 8;
    /**
     * The first {@value #CLAIM_CANDIDATES} due commands whose demand has no older pending command, oldest first,
     * without a lock: read in claim order over the index by (delivery_state, seq), so a claim reads a few rows however
     * long the backlog is. Locked in one query, H2 reads every row a {@code FOR UPDATE} query selects before it stops
     * at the first, and draining a backlog of n cost n squared (docs/benchmark.md, run 29).
     */
    static final String CLAIM_CANDIDATES_QUERY = "SELECT c.seq FROM payment_demand_command c"
            + " WHERE c.delivery_state = 'PENDING' AND c.next_attempt_at <= ?"
            + " AND NOT EXISTS (SELECT 1 FROM payment_demand_command o WHERE o.demand_id = c.demand_id"
            + " AND o.delivery_state = 'PENDING' AND o.seq < c.seq)"
            + " ORDER BY c.delivery_state, c.seq FETCH FIRST " + CLAIM_CANDIDATES + " ROWS ONLY";
    /**
     * The oldest of the candidates still pending, locked; a row another transaction holds is skipped, not waited
     * for. PostgreSQL rechecks the row's own conditions on the version it locks, so a command another gateway has
     * just marked delivered is skipped too. A candidate stays the oldest pending command of its demand: a newer
     * command never gets an older sequence number.
     */
    static final String CLAIM = "SELECT c.seq, c.command_id, c.idempotency_key, c.kind, c.snapshot, "
            + "c.attempts, c.demand_id FROM payment_demand_command c"
            + " WHERE c.seq IN (" + String.join(", ", Collections.nCopies(CLAIM_CANDIDATES, "?")) + ")"
            + " AND c.delivery_state = 'PENDING' AND c.next_attempt_at <= ?"
            + " ORDER BY c.seq FETCH FIRST 1 ROWS ONLY FOR UPDATE SKIP LOCKED";
    private static final String MARK_DELIVERED = "UPDATE payment_demand_command SET delivery_state = 'DELIVERED', "
            + "delivered_at = ?, attempts = attempts + 1, kela_status = ?, kela_reason = ?, last_error = NULL "
            + "WHERE seq = ?";
    private static final String MARK_RETRY = "UPDATE payment_demand_command SET attempts = ?, next_attempt_at = ?, "
            + "last_error = ? WHERE seq = ?";
    private static final String SET_KELA_STATUS = "UPDATE payment_demand SET kela_status = ?, kela_reason = ? "
            + "WHERE demand_id = ?";

    private final DataSource dataSource;
    private final OutboxSettings settings;
    /** H2 only: one flush to the device for the writes committed meanwhile. */
    private final GroupFlush flush;

    /** The store, with the outbox's default backoff ({@link OutboxSettings#DEFAULTS}). */
    public JdbcPaymentDemands(DataSource dataSource) {
        this(dataSource, OutboxSettings.DEFAULTS);
    }

    public JdbcPaymentDemands(DataSource dataSource, OutboxSettings settings) {
        this.dataSource = dataSource;
        this.settings = settings;
        this.flush = new GroupFlush(dataSource);
    }

    // --- writes

    /**
     * Stores a new demand of {@code demanderId} (the calling organisation, as authenticated) and its SUBMIT command
     * for the backend, or answers a repeated request from the store.
     *
     * @param idempotencyKey the organisation's Y-tunnus, ':' and the request's X-Road id
     * @param demanderType the name of the demander's {@link OrganisationType}
     */
    public CommandResult submit(String idempotencyKey, String demanderId, String demanderType, DemandContent content,
            Instant now) {
        requireKey(idempotencyKey);
        OrganisationType type = OrganisationType.valueOf(demanderType);
        Instant at = stored(now);
        String requestHash = requestHash(CommandKind.SUBMIT, demanderId, null, content.contentHash());
        return write(idempotencyKey, requestHash, c -> {
            PaymentDemand demand = new PaymentDemand(UUID.randomUUID().toString(), demanderId, type, content,
                    DemandState.ACTIVE, null, null, null, 1, at, at, new DeliveryState.Pending(0), null, null, null);
            insertDemand(c, demand);
            return insertCommand(c, idempotencyKey, requestHash, CommandKind.SUBMIT, demand, at);
        });
    }

    /**
     * Replaces the content of the demander's demand, or answers a repeated request from the store. The client
     * cannot change: a demand for another client is a new demand.
     */
    public CommandResult modify(String idempotencyKey, String demanderId, String demandId, DemandContent content,
            Instant now) {
        requireKey(idempotencyKey);
        Instant at = stored(now);
        String requestHash = requestHash(CommandKind.MODIFY, demanderId, demandId, content.contentHash());
        return write(idempotencyKey, requestHash, c -> {
            PaymentDemand current = lockOwned(c, demanderId, demandId);
            if (current.state() == DemandState.INVALIDATED) {
                throw invalidated(demandId, "modified");
            }
            if (!current.content().clientId().equals(content.clientId())) {
                throw PaymentDemandRules.invalid("clientId", "cannot be changed");
            }
            PaymentDemand next = new PaymentDemand(current.demandId(), current.demanderId(), current.demanderType(),
                    content, current.state(), null, current.kelaStatus(), current.kelaReason(), current.version() + 1,
                    current.createdAt(), at, new DeliveryState.Pending(0), current.transferredFrom(),
                    current.previousPayeeAccount(), current.payeeAccountFrom());
            updateDemand(c, next, current.version());
            return insertCommand(c, idempotencyKey, requestHash, CommandKind.MODIFY, next, at);
        });
    }

    /**
     * Invalidates the demander's demand, with an optional reason (1-500 characters), or answers a repeated request
     * from the store. An invalidated demand is {@link FaultCode#PAYMENT_DEMAND_INVALIDATED} (see the class comment).
     */
    public CommandResult invalidate(String idempotencyKey, String demanderId, String demandId, String reasonOrNull,
            Instant now) {
        requireKey(idempotencyKey);
        String reason = PaymentDemandRules.reason(reasonOrNull);
        Instant at = stored(now);
        String requestHash = requestHash(CommandKind.INVALIDATE, demanderId, demandId, reason);
        return write(idempotencyKey, requestHash, c -> {
            PaymentDemand current = lockOwned(c, demanderId, demandId);
            if (current.state() == DemandState.INVALIDATED) {
                throw invalidated(demandId, "invalidated again");
            }
            PaymentDemand next = new PaymentDemand(current.demandId(), current.demanderId(), current.demanderType(),
                    current.content(), DemandState.INVALIDATED, reason, current.kelaStatus(), current.kelaReason(),
                    current.version() + 1, current.createdAt(), at, new DeliveryState.Pending(0),
                    current.transferredFrom(), current.previousPayeeAccount(), current.payeeAccountFrom());
            updateDemand(c, next, current.version());
            return insertCommand(c, idempotencyKey, requestHash, CommandKind.INVALIDATE, next, at);
        });
    }

    /**
     * The year-end move of one municipality's demand to its HVA (R-PAY-7; {@link YearEndTransfer} decides which):
     * under the demand's lock, if it is still the municipality's, active and valid after {@code yearEnd}, the HVA
     * becomes the demander, its account the payee account from the day after {@code yearEnd}, and a TRANSFER command
     * goes to the outbox, all in one transaction under the key {@code year-end-transfer:<yearEnd>:<demandId>}.
     *
     * @return the committed transfer ({@link CommandResult#replayed()} when that key was used before), or empty when
     *     the demand changed since it was read and was left as it is
     */
    Optional<CommandResult> transfer(PaymentDemand seen, String hvaId, Iban hvaAccount, LocalDate yearEnd,
            Instant now) {
        String key = "year-end-transfer:" + yearEnd + ":" + seen.demandId();
        Instant at = stored(now);
        LocalDate from = yearEnd.plusDays(1);
        String requestHash = new DemandContent.Canonical().add(CommandKind.TRANSFER.name()).add(seen.demandId())
                .add(seen.demanderId()).add(hvaId).add(hvaAccount.value()).add(from.toString()).sha256();
        return Optional.ofNullable(write(key, requestHash, c -> {
            PaymentDemand current = lock(c, seen.demandId());
            if (current == null || !current.demanderId().equals(seen.demanderId())
                    || current.demanderType() != OrganisationType.KUNTA || current.state() != DemandState.ACTIVE
                    || !current.content().validAfter(yearEnd)) {
                return null;
            }
            PaymentDemand next = new PaymentDemand(current.demandId(), hvaId, OrganisationType.HVA,
                    current.content().withPayeeAccount(hvaAccount), current.state(), current.invalidationReason(),
                    current.kelaStatus(), current.kelaReason(), current.version() + 1, current.createdAt(), at,
                    new DeliveryState.Pending(0), current.demanderId(), current.content().payeeAccount(), from);
            updateDemand(c, next, current.version());
            return insertCommand(c, key, requestHash, CommandKind.TRANSFER, next, at);
        }));
    }

    /** One write's work in its transaction; null (the transfer only): nothing to write, roll back. */
    @FunctionalInterface
    private interface Write {
        CommandResult apply(Connection c) throws SQLException;
    }

    private CommandResult write(String key, String requestHash, Write write) {
        SQLException conflict = null;
        CommandResult committed = null;
        CommitDurability committedOn = null;
        for (int attempt = 1; attempt <= TRANSACTION_ATTEMPTS && committed == null; attempt++) {
            try (Connection c = dataSource.getConnection()) {
                c.setAutoCommit(false);
                CommitDurability durability = CommitDurability.of(c);
                try {
                    durability.beforeWrite(c);
                    Optional<CommandResult> stored = storedAnswer(c, key, requestHash);
                    if (stored.isPresent()) {
                        // a repeat: its first sending may still be waiting for its flush, so this one waits for one too
                        c.rollback();
                        committed = stored.get();
                        committedOn = durability;
                        continue;
                    }
                    CommandResult result = write.apply(c);
                    if (result == null) {
                        c.rollback();
                        return null;
                    }
                    c.commit();
                    committed = result;
                    committedOn = durability;
                    continue;
                } catch (SQLException e) {
                    rollbackQuietly(c, e);
                    if (!isConflict(e)) {
                        throw e;
                    }
                    conflict = e;
                } catch (RuntimeException e) {
                    rollbackQuietly(c, e);
                    throw e;
                }
                // a concurrent duplicate took the key (and has committed: its insert made ours wait until then), or a
                // deadlock chose this transaction: the key's row, when there, is the answer
                Optional<CommandResult> winner = storedAnswer(c, key, requestHash);
                c.rollback();
                if (winner.isPresent()) {
                    committed = winner.get();
                    committedOn = durability;
                    continue;
                }
                LOG.debug("payment demand write under a contended key: attempt {} of {} rolled back ({})", attempt,
                        TRANSACTION_ATTEMPTS, conflict.getSQLState());
            } catch (SQLException e) {
                throw unavailable("a payment demand write failed and was rolled back", e);
            }
            pause(attempt);
        }
        if (committed == null) {
            throw unavailable("a payment demand write conflicted " + TRANSACTION_ATTEMPTS + " times", conflict);
        }
        if (committedOn == CommitDurability.H2) {
            // durable before the caller hears of it, with the connection given back first (GroupFlush)
            try {
                flush.awaitDurable();
            } catch (SQLException e) {
                throw unavailable("a committed payment demand write could not be forced to the device", e);
            }
        }
        return committed;
    }

    /** A conflict with a concurrent transaction, after which the write is tried again: a duplicate key, a deadlock. */
    private static boolean isConflict(SQLException e) {
        String state = e.getSQLState();
        return UNIQUE_VIOLATION.equals(state) || "40001".equals(state) || "40P01".equals(state);
    }

    /** A short, growing wait before a write is tried again, so a conflicting transaction can finish first. */
    private static void pause(int attempt) {
        try {
            Thread.sleep(10L * attempt);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new GatewayException(FaultCode.PAYMENT_DEMAND_STORE_UNAVAILABLE, null,
                    "interrupted while retrying a payment demand write", e);
        }
    }

    /**
     * The stored answer under {@code key}: the same request's (a retry), or the refusal of another request reusing
     * the key.
     */
    private static Optional<CommandResult> storedAnswer(Connection c, String key, String requestHash)
            throws SQLException {
        try (PreparedStatement select = c.prepareStatement(STORED_COMMAND)) {
            select.setString(1, key);
            try (ResultSet rs = select.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                if (!requestHash.equals(rs.getString("request_hash"))) {
                    throw new GatewayException(FaultCode.IDEMPOTENCY_KEY_REUSED, null,
                            "idempotency key used before for another request (command "
                                    + rs.getString("command_id") + ")");
                }
                return Optional.of(new CommandResult(rs.getString("command_id"),
                        DemandSnapshot.read(rs.getString("snapshot")), true));
            }
        }
    }

    /** The demand, locked for this transaction, if {@code demanderId} made it; refused alike if absent or another's. */
    private static PaymentDemand lockOwned(Connection c, String demanderId, String demandId) throws SQLException {
        PaymentDemand current = demandId == null ? null : lock(c, demandId);
        if (current == null || !current.demanderId().equals(demanderId)) {
            throw new GatewayException(FaultCode.UNKNOWN_PAYMENT_DEMAND, null, current == null
                    ? "no payment demand " + demandId : "payment demand " + demandId + " is another demander's");
        }
        return current;
    }

    private static PaymentDemand lock(Connection c, String demandId) throws SQLException {
        try (PreparedStatement select = c.prepareStatement(LOCK_DEMAND)) {
            select.setString(1, demandId);
            try (ResultSet rs = select.executeQuery()) {
                // the delivery state is the new command's, set by the caller
                return rs.next() ? readDemand(rs, new DeliveryState.Pending(0)) : null;
            }
        }
    }

    private static GatewayException invalidated(String demandId, String what) {
        return new GatewayException(FaultCode.PAYMENT_DEMAND_INVALIDATED, null,
                "payment demand " + demandId + " is invalidated and cannot be " + what);
    }

    private static void insertDemand(Connection c, PaymentDemand d) throws SQLException {
        try (PreparedStatement insert = c.prepareStatement(INSERT_DEMAND)) {
            insert.setString(1, d.demandId());
            setDemandColumns(insert, 2, d);
            insert.executeUpdate();
        }
    }

    private static void updateDemand(Connection c, PaymentDemand d, long expectedVersion) throws SQLException {
        try (PreparedStatement update = c.prepareStatement(UPDATE_DEMAND)) {
            int i = setDemandColumns(update, 1, d);
            update.setString(i++, d.demandId());
            update.setLong(i, expectedVersion);
            if (update.executeUpdate() != 1) {
                // the row is locked by this transaction: only a broken invariant gets here
                throw new SQLException("payment demand " + d.demandId() + " changed under its lock");
            }
        }
    }

    /** Every column but demand_id, from {@code first} on; the index after the last. */
    private static int setDemandColumns(PreparedStatement s, int first, PaymentDemand d) throws SQLException {
        DemandContent content = d.content();
        int i = first;
        s.setString(i++, d.demanderId());
        s.setString(i++, d.demanderType().name());
        s.setString(i++, content.clientId());
        s.setString(i++, content.benefitCode());
        s.setObject(i++, content.periodStart());
        setDate(s, i++, content.periodEnd());
        if (content.amount() instanceof DemandAmount.Sum sum) {
            s.setLong(i++, sum.cents());
        } else {
            s.setNull(i++, Types.BIGINT);
        }
        s.setString(i++, content.legalBasis().name());
        s.setString(i++, content.payeeAccount().value());
        s.setString(i++, content.caseReference());
        s.setString(i++, d.state().name());
        s.setString(i++, d.invalidationReason());
        s.setString(i++, d.kelaStatus() == null ? null : d.kelaStatus().name());
        s.setString(i++, d.kelaReason());
        s.setLong(i++, d.version());
        s.setObject(i++, utc(d.createdAt()));
        s.setObject(i++, utc(d.updatedAt()));
        s.setString(i++, d.transferredFrom());
        s.setString(i++, d.previousPayeeAccount() == null ? null : d.previousPayeeAccount().value());
        setDate(s, i++, d.payeeAccountFrom());
        return i;
    }

    private static CommandResult insertCommand(Connection c, String key, String requestHash, CommandKind kind,
            PaymentDemand demand, Instant now) throws SQLException {
        String commandId = UUID.randomUUID().toString();
        try (PreparedStatement insert = c.prepareStatement(INSERT_COMMAND)) {
            int i = 1;
            insert.setString(i++, commandId);
            insert.setString(i++, key);
            insert.setString(i++, requestHash);
            insert.setString(i++, demand.demandId());
            insert.setString(i++, kind.name());
            insert.setString(i++, DemandSnapshot.write(demand));
            insert.setObject(i++, utc(now));
            insert.setObject(i, utc(now));
            insert.executeUpdate();
        }
        return new CommandResult(commandId, demand, false);
    }

    // --- reads

    /** The demands of {@code clientId} that {@code demanderId} makes now, oldest first (listPaymentDemands). */
    public List<PaymentDemand> list(String demanderId, String clientId) {
        return select(DEMANDS_WITH_DELIVERY + " WHERE d.demander_id = ? AND d.client_id = ?"
                + " ORDER BY d.created_at, d.demand_id", demanderId, clientId);
    }

    /**
     * The demand of this id, whoever made it: for the gateway's own use (the outbox, operators), never to answer a
     * caller without checking the demander.
     */
    public Optional<PaymentDemand> find(String demandId) {
        return select(DEMANDS_WITH_DELIVERY + " WHERE d.demand_id = ?", demandId).stream().findFirst();
    }

    /**
     * The demands the year-end transfer looks at (R-PAY-7): every municipality's and Helsinki's, and those already
     * moved, oldest first.
     */
    List<PaymentDemand> yearEndCandidates() {
        return select(DEMANDS_WITH_DELIVERY + " WHERE d.demander_type IN ('KUNTA', 'HELSINKI')"
                + " OR d.transferred_from IS NOT NULL ORDER BY d.created_at, d.demand_id");
    }

    private List<PaymentDemand> select(String sql, String... parameters) {
        try (Connection c = dataSource.getConnection(); PreparedStatement select = c.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                select.setString(i + 1, parameters[i]);
            }
            List<PaymentDemand> demands = new ArrayList<>();
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    demands.add(readDemand(rs, deliveryOf(rs)));
                }
            }
            return demands;
        } catch (SQLException e) {
            throw unavailable("payment demands could not be read", e);
        }
    }

    private static DeliveryState deliveryOf(ResultSet rs) throws SQLException {
        return "DELIVERED".equals(rs.getString("delivery_state"))
                ? new DeliveryState.Delivered(rs.getObject("delivered_at", OffsetDateTime.class).toInstant())
                : new DeliveryState.Pending(rs.getInt("attempts"));
    }

    private static PaymentDemand readDemand(ResultSet rs, DeliveryState delivery) throws SQLException {
        long cents = rs.getLong("amount_cents");
        DemandAmount amount = rs.wasNull() ? DemandAmount.WHOLE_BENEFIT : new DemandAmount.Sum(cents);
        DemandContent content = new DemandContent(rs.getString("client_id"), rs.getString("benefit_code"),
                rs.getObject("period_start", LocalDate.class), rs.getObject("period_end", LocalDate.class), amount,
                LegalBasis.valueOf(rs.getString("legal_basis")), Iban.parse(rs.getString("payee_account")),
                rs.getString("case_reference"));
        String status = rs.getString("kela_status");
        String previous = rs.getString("previous_payee_account");
        return new PaymentDemand(rs.getString("demand_id"), rs.getString("demander_id"),
                OrganisationType.valueOf(rs.getString("demander_type")), content,
                DemandState.valueOf(rs.getString("state")), rs.getString("invalidation_reason"),
                status == null ? null : KelaStatus.valueOf(status), rs.getString("kela_reason"),
                rs.getLong("version"), rs.getObject("created_at", OffsetDateTime.class).toInstant(),
                rs.getObject("updated_at", OffsetDateTime.class).toInstant(), delivery,
                rs.getString("transferred_from"), previous == null ? null : Iban.parse(previous),
                rs.getObject("payee_account_from", LocalDate.class));
    }

    // --- outbox

    /**
     * Delivers up to {@code limit} due commands, one transaction each: claim the oldest due command no other
     * gateway holds and whose demand has no older pending command, hand it to {@code delivery} while its row is
     * locked, and record the outcome before the commit: acknowledged or rejected, it is delivered, and Kela's status
     * is the demand's; {@link DeliveryOutcome.RetryLater}, or an exception from {@code delivery}, counts the attempt
     * and waits {@link OutboxSettings#backoff} before the next.
     *
     * @return how many commands were handed to {@code delivery}
     */
    public int deliverDue(int limit, Instant now, Delivery delivery) {
        Instant at = stored(now);
        int handled = 0;
        while (handled < limit && deliverOne(at, delivery)) {
            handled++;
        }
        return handled;
    }

    private boolean deliverOne(Instant now, Delivery delivery) {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            CommitDurability durability = CommitDurability.of(c);
            try {
                durability.beforeWrite(c);
                Claimed claimed = claim(c, now);
                if (claimed == null) {
                    c.rollback();
                    return false;
                }
                record(c, claimed, deliver(delivery, claimed.command()), now);
                c.commit();
                // not forced to the device: a mark a crash takes away only means the command is delivered again,
                // and the backend answers its idempotency key with its first acknowledgement
                return true;
            } catch (SQLException | RuntimeException e) {
                rollbackQuietly(c, e);
                throw e;
            }
        } catch (SQLException e) {
            throw unavailable("the payment demand outbox could not be read or marked", e);
        }
    }

    private record Claimed(long seq, OutboxCommand command) {
    }

    private static Claimed claim(Connection c, Instant now) throws SQLException {
        long[] candidates = new long[CLAIM_CANDIDATES];
        int found = 0;
        try (PreparedStatement select = c.prepareStatement(CLAIM_CANDIDATES_QUERY)) {
            select.setObject(1, utc(now));
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next() && found < candidates.length) {
                    candidates[found++] = rs.getLong(1);
                }
            }
        }
        if (found == 0) {
            return null;
        }
        try (PreparedStatement select = c.prepareStatement(CLAIM)) {
            for (int i = 0; i < candidates.length; i++) {
                // unused places repeat the first candidate
                select.setLong(i + 1, candidates[i < found ? i : 0]);
            }
            select.setObject(candidates.length + 1, utc(now));
            try (ResultSet rs = select.executeQuery()) {
                if (!rs.next()) {
                    return null;
                }
                int attempts = rs.getInt("attempts");
                PaymentDemand demand = DemandSnapshot.read(rs.getString("snapshot"))
                        .withDelivery(new DeliveryState.Pending(attempts));
                return new Claimed(rs.getLong("seq"), new OutboxCommand(rs.getString("command_id"),
                        rs.getString("idempotency_key"), CommandKind.valueOf(rs.getString("kind")), demand,
                        demand.demanderType(), attempts));
            }
        }
    }

    private static DeliveryOutcome deliver(Delivery delivery, OutboxCommand command) {
        try {
            DeliveryOutcome outcome = delivery.deliver(command);
            return outcome != null ? outcome : new DeliveryOutcome.RetryLater("the delivery gave no outcome");
        } catch (RuntimeException e) {
            LOG.warn("payment demand command {}: delivery failed", command.commandId(), e);
            return new DeliveryOutcome.RetryLater(e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }

    private void record(Connection c, Claimed claimed, DeliveryOutcome outcome, Instant now) throws SQLException {
        OutboxCommand command = claimed.command();
        if (outcome instanceof DeliveryOutcome.Acknowledged ack) {
            markDelivered(c, claimed, ack.kelaStatus(), ack.reason(), now);
        } else if (outcome instanceof DeliveryOutcome.Rejected rejected) {
            LOG.info("payment demand command {} ({} of demand {}) rejected by Kela: {}", command.commandId(),
                    command.kind(), command.demand().demandId(), bounded(rejected.reason()));
            markDelivered(c, claimed, KelaStatus.REJECTED, rejected.reason(), now);
        } else {
            String error = bounded(((DeliveryOutcome.RetryLater) outcome).error());
            int attempts = command.attempts() + 1;
            Instant next = now.plus(settings.backoff(attempts));
            LOG.warn("payment demand command {} ({} of demand {}): attempt {} failed, next at {}: {}",
                    command.commandId(), command.kind(), command.demand().demandId(), attempts, next, error);
            try (PreparedStatement update = c.prepareStatement(MARK_RETRY)) {
                update.setInt(1, attempts);
                update.setObject(2, utc(next));
                update.setString(3, error);
                update.setLong(4, claimed.seq());
                update.executeUpdate();
            }
        }
    }

    private static void markDelivered(Connection c, Claimed claimed, KelaStatus status, String reason, Instant now)
            throws SQLException {
        String kept = bounded(reason);
        try (PreparedStatement update = c.prepareStatement(MARK_DELIVERED)) {
            update.setObject(1, utc(now));
            update.setString(2, status.name());
            update.setString(3, kept);
            update.setLong(4, claimed.seq());
            update.executeUpdate();
        }
        // the commands of a demand are delivered in order, so the latest acknowledgement is Kela's status now
        try (PreparedStatement update = c.prepareStatement(SET_KELA_STATUS)) {
            update.setString(1, status.name());
            update.setString(2, kept);
            update.setString(3, claimed.command().demand().demandId());
            update.executeUpdate();
        }
    }

    // --- helpers

    private static void requireKey(String key) {
        if (key == null || key.isEmpty() || key.length() > MAX_KEY_LENGTH) {
            throw new IllegalArgumentException("an idempotency key is 1-" + MAX_KEY_LENGTH + " characters");
        }
    }

    /**
     * The hash a key is stored with: the operation, the demander, the demand (null for a submit) and the content's
     * hash or the reason, length-prefixed ({@link DemandContent#contentHash()}'s encoding).
     */
    private static String requestHash(CommandKind kind, String demanderId, String demandId, String payload) {
        return new DemandContent.Canonical().add("kelmu-payment-demand-request/1").add(kind.name()).add(demanderId)
                .add(demandId).add(payload).sha256();
    }

    /** Times as the databases keep them (microseconds), so that a stored answer and a read agree exactly. */
    private static Instant stored(Instant now) {
        return now.truncatedTo(ChronoUnit.MICROS);
    }

    private static String bounded(String text) {
        return text == null || text.length() <= MAX_TEXT ? text : text.substring(0, MAX_TEXT);
    }

    private static void setDate(PreparedStatement s, int index, LocalDate date) throws SQLException {
        if (date == null) {
            s.setNull(index, Types.DATE);
        } else {
            s.setObject(index, date);
        }
    }

    static OffsetDateTime utc(Instant instant) {
        return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    }

    private static void rollbackQuietly(Connection c, Exception cause) {
        try {
            c.rollback();
        } catch (SQLException e) {
            cause.addSuppressed(e);
        }
    }

    private static GatewayException unavailable(String what, SQLException e) {
        return new GatewayException(FaultCode.PAYMENT_DEMAND_STORE_UNAVAILABLE, null,
                what + ": " + (e == null ? "" : e.getMessage()), e);
    }
}
