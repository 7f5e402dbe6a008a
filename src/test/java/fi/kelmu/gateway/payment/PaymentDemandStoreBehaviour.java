package fi.kelmu.gateway.payment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fi.kelmu.gateway.audit.Database;
import fi.kelmu.gateway.config.ResourceLocation;
import fi.kelmu.gateway.fault.FaultCode;
import fi.kelmu.gateway.fault.GatewayException;
import fi.kelmu.gateway.identifier.Iban;
import fi.kelmu.gateway.registry.MunicipalityReference;
import fi.kelmu.gateway.registry.Organisation;
import fi.kelmu.gateway.registry.OrganisationRegistry;
import fi.kelmu.gateway.registry.OrganisationType;
import fi.kelmu.gateway.xroad.XRoadHeaderReader;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The payment-demand store and its outbox (docs/payment-demands.md, R-PAY-1, R-PAY-4, R-PAY-7), run against each
 * supported database by a subclass; every test gets a fresh database migrated as the gateway migrates it (V6).
 */
abstract class PaymentDemandStoreBehaviour {

    static final Instant T0 = Instant.parse("2022-10-03T08:00:00.123456789Z");
    static final String ESPOO = "9000005-4";
    static final String TAMPERE = "9000006-2";
    static final String HELSINKI = "9000007-0";
    static final String LANSI_UUSIMAA = "9000001-1";
    static final String PIRKANMAA = "9000004-6";
    static final String CLIENT = "010180-9026";
    static final String OTHER_CLIENT = "010594-9032";
    static final Iban ESPOO_ACCOUNT = Iban.parse("FI21 1234 5600 0007 85");
    static final Iban OTHER_ACCOUNT = Iban.parse("FI49 5000 9420 0287 30");
    static final LocalDate YEAR_END = LocalDate.of(2022, 12, 31);
    static final OutboxSettings SETTINGS = new OutboxSettings(Duration.ofSeconds(1), 50, Duration.ofSeconds(10),
            Duration.ofSeconds(160));
    private static final int POOL = 16;

    /** Where a fresh, empty database is. */
    record Target(String url, String user, String password) {
    }

    /** Creates an empty database for one test. */
    abstract Target freshDatabase() throws Exception;

    @TempDir
    Path tmp;

    Target target;
    Database database;
    JdbcPaymentDemands store;
    private final List<Database> others = new ArrayList<>();

    @BeforeEach
    void openDatabase() throws Exception {
        target = freshDatabase();
        database = open();
        store = new JdbcPaymentDemands(database.dataSource(), SETTINGS);
    }

    @AfterEach
    void closeDatabase() {
        others.forEach(Database::close);
        database.close();
    }

    /** Another pool on the same database: what a second gateway sharing it has. */
    Database open() {
        Database db = Database.open(target.url(), target.user(), target.password(), POOL, Duration.ofSeconds(30));
        if (database != null) {
            others.add(db);
        }
        return db;
    }

    static DemandContent content(String client, LocalDate start, LocalDate end, String euros, Iban account) {
        return new DemandContent(client, "YLEINEN_ASUMISTUKI", start, end,
                euros == null ? DemandAmount.WHOLE_BENEFIT : DemandAmount.euros(new BigDecimal(euros)),
                LegalBasis.TOIMEENTULOTUKILAKI_23, account, "DNRO-2022-0815");
    }

    static DemandContent content(String euros) {
        return content(CLIENT, LocalDate.of(2022, 10, 1), null, euros, ESPOO_ACCOUNT);
    }

    static String key(String organisation, String xroadId) {
        return organisation + ":" + xroadId;
    }

    CommandResult submit(String demander, OrganisationType type, DemandContent content) {
        return store.submit(key(demander, UUID.randomUUID().toString()), demander, type.name(), content, T0);
    }

    // --- R-PAY-1, R-PAY-4: writes

    @Test
    void r_pay_1_aSubmittedDemandIsStoredWithItsCommandAndListedForItsDemander() throws SQLException {
        CommandResult result = store.submit(key(ESPOO, "msg-1"), ESPOO, "KUNTA", content("125.50"), T0);

        assertFalse(result.replayed());
        PaymentDemand demand = result.demand();
        assertEquals(ESPOO, demand.demanderId());
        assertEquals(OrganisationType.KUNTA, demand.demanderType());
        assertEquals(DemandState.ACTIVE, demand.state());
        assertEquals(1, demand.version());
        assertNull(demand.kelaStatus(), "Kela has acknowledged nothing yet");
        assertEquals(new DeliveryState.Pending(0), demand.delivery());
        assertEquals(new DemandAmount.Sum(12550), demand.content().amount());
        assertEquals(Instant.parse("2022-10-03T08:00:00.123456Z"), demand.createdAt(), "kept to the microsecond");

        assertEquals(List.of(demand), store.list(ESPOO, CLIENT));
        assertEquals(demand, store.find(demand.demandId()).orElseThrow());
        assertEquals(List.of(), store.list(ESPOO, OTHER_CLIENT), "another client's demands");
        assertEquals(List.of(), store.list(TAMPERE, CLIENT), "another demander's demands");
        List<Command> commands = commands(demand.demandId());
        assertEquals(1, commands.size());
        assertEquals(new Command(result.commandId(), key(ESPOO, "msg-1"), "SUBMIT", "PENDING", 0), commands.get(0));
    }

    @Test
    void r_pay_4_aRetryWithTheSameKeyAndContentGetsTheStoredAnswerAndWritesNothing() throws SQLException {
        CommandResult first = store.submit(key(ESPOO, "msg-1"), ESPOO, "KUNTA", content("125.50"), T0);
        // the same request sent again later, its amount written another way
        CommandResult retry = store.submit(key(ESPOO, "msg-1"), ESPOO, "KUNTA", content("125.5"),
                T0.plusSeconds(30));

        assertTrue(retry.replayed());
        assertEquals(first.commandId(), retry.commandId());
        assertEquals(first.demand(), retry.demand(), "the first answer, times and all");
        assertEquals(1, count("SELECT COUNT(*) FROM payment_demand"));
        assertEquals(1, count("SELECT COUNT(*) FROM payment_demand_command"));
    }

    @Test
    void r_pay_4_theSameKeyForAnotherRequestIsRefusedAndWritesNothing() throws SQLException {
        CommandResult first = store.submit(key(ESPOO, "msg-1"), ESPOO, "KUNTA", content("125.50"), T0);
        String demandId = first.demand().demandId();

        GatewayException other = assertThrows(GatewayException.class,
                () -> store.submit(key(ESPOO, "msg-1"), ESPOO, "KUNTA", content("125.51"), T0));
        assertEquals(FaultCode.IDEMPOTENCY_KEY_REUSED, other.faultCode());
        GatewayException modify = assertThrows(GatewayException.class,
                () -> store.modify(key(ESPOO, "msg-1"), ESPOO, demandId, content("125.50"), T0));
        assertEquals(FaultCode.IDEMPOTENCY_KEY_REUSED, modify.faultCode(), "a modify is another request");
        GatewayException invalidate = assertThrows(GatewayException.class,
                () -> store.invalidate(key(ESPOO, "msg-1"), ESPOO, demandId, null, T0));
        assertEquals(FaultCode.IDEMPOTENCY_KEY_REUSED, invalidate.faultCode());

        assertEquals(List.of(first.demand()), store.list(ESPOO, CLIENT));
        assertEquals(1, count("SELECT COUNT(*) FROM payment_demand_command"));
        // the same X-Road id of another organisation is another key
        assertFalse(store.submit(key(TAMPERE, "msg-1"), TAMPERE, "KUNTA", content("125.51"), T0).replayed());
    }

    @Test
    void theLongestKeyAnXRoadIdMakesIsStoredWhole() throws SQLException {
        String longest = key(ESPOO, "x".repeat(XRoadHeaderReader.MAX_ID));
        assertTrue(longest.length() <= JdbcPaymentDemands.MAX_KEY_LENGTH);
        CommandResult first = store.submit(longest, ESPOO, "KUNTA", content("1.00"), T0);
        assertTrue(store.submit(longest, ESPOO, "KUNTA", content("1.00"), T0).replayed());
        assertEquals(longest, commands(first.demand().demandId()).get(0).key());
        assertThrows(IllegalArgumentException.class,
                () -> store.submit("k".repeat(JdbcPaymentDemands.MAX_KEY_LENGTH + 1), ESPOO, "KUNTA", content("1.00"), T0));
    }

    @Test
    void r_pay_4_fiftyConcurrentDuplicatesOfOneRequestMakeOneDemandAndAllGetItsAnswer() throws Exception {
        List<CommandResult> results = concurrently(50,
                () -> store.submit(key(ESPOO, "burst"), ESPOO, "KUNTA", content("99.90"), T0));

        Set<String> demandIds = results.stream().map(r -> r.demand().demandId()).collect(Collectors.toSet());
        assertEquals(1, demandIds.size(), "every caller got the one demand");
        assertEquals(1, results.stream().filter(r -> !r.replayed()).count(), "exactly one wrote");
        assertEquals(1, results.stream().map(CommandResult::commandId).distinct().count());
        assertEquals(1, count("SELECT COUNT(*) FROM payment_demand"));
        assertEquals(1, count("SELECT COUNT(*) FROM payment_demand_command"));
        assertEquals(results.get(0).demand(), store.find(demandIds.iterator().next()).orElseThrow());
    }

    @Test
    void r_pay_4_concurrentDuplicatesOfAModifyChangeTheDemandOnce() throws Exception {
        String demandId = submit(ESPOO, OrganisationType.KUNTA, content("10.00")).demand().demandId();
        List<CommandResult> results = concurrently(20,
                () -> store.modify(key(ESPOO, "modify-burst"), ESPOO, demandId, content("20.00"), T0));

        assertEquals(1, results.stream().filter(r -> !r.replayed()).count());
        assertEquals(Set.of(2L), results.stream().map(r -> r.demand().version()).collect(Collectors.toSet()));
        assertEquals(2, store.find(demandId).orElseThrow().version());
        assertEquals(List.of("SUBMIT", "MODIFY"), commands(demandId).stream().map(Command::kind).toList());
    }

    @Test
    void r_pay_4_aModifyReplacesTheContentAndQueuesItsCommand() throws SQLException {
        PaymentDemand submitted = submit(ESPOO, OrganisationType.KUNTA, content("10.00")).demand();
        DemandContent changed = content(CLIENT, LocalDate.of(2022, 11, 1), LocalDate.of(2023, 4, 30), null,
                OTHER_ACCOUNT);
        CommandResult modified = store.modify(key(ESPOO, "m-2"), ESPOO, submitted.demandId(), changed,
                T0.plusSeconds(60));

        assertFalse(modified.replayed());
        PaymentDemand demand = modified.demand();
        assertEquals(changed, demand.content());
        assertEquals(2, demand.version());
        assertEquals(submitted.createdAt(), demand.createdAt());
        assertEquals(T0.plusSeconds(60).truncatedTo(ChronoUnit.MICROS), demand.updatedAt());
        assertEquals(List.of(demand), store.list(ESPOO, CLIENT));
        assertEquals(List.of("SUBMIT", "MODIFY"), commands(submitted.demandId()).stream().map(Command::kind).toList());

        CommandResult retry = store.modify(key(ESPOO, "m-2"), ESPOO, submitted.demandId(), changed, T0.plusSeconds(90));
        assertTrue(retry.replayed());
        assertEquals(demand, retry.demand());
        assertEquals(2, commands(submitted.demandId()).size());
    }

    @Test
    void aModifyCannotChangeTheClient() throws SQLException {
        PaymentDemand submitted = submit(ESPOO, OrganisationType.KUNTA, content("10.00")).demand();
        GatewayException e = assertThrows(GatewayException.class, () -> store.modify(key(ESPOO, "m"), ESPOO,
                submitted.demandId(), content(OTHER_CLIENT, LocalDate.of(2022, 10, 1), null, "10.00", ESPOO_ACCOUNT),
                T0));
        assertEquals(FaultCode.INVALID_PAYMENT_DEMAND, e.faultCode());
        assertEquals("clientId: cannot be changed", e.callerDetail());
        assertEquals(submitted, store.find(submitted.demandId()).orElseThrow());
        assertEquals(1, commands(submitted.demandId()).size());
    }

    @Test
    void anotherOrganisationsDemandIsRefusedExactlyLikeAnUnknownOne() throws SQLException {
        PaymentDemand espoos = submit(ESPOO, OrganisationType.KUNTA, content("10.00")).demand();
        String unknown = UUID.randomUUID().toString();

        GatewayException othersModify = assertThrows(GatewayException.class,
                () -> store.modify(key(TAMPERE, "x1"), TAMPERE, espoos.demandId(), content("1.00"), T0));
        GatewayException unknownModify = assertThrows(GatewayException.class,
                () -> store.modify(key(TAMPERE, "x2"), TAMPERE, unknown, content("1.00"), T0));
        GatewayException othersInvalidate = assertThrows(GatewayException.class,
                () -> store.invalidate(key(TAMPERE, "x3"), TAMPERE, espoos.demandId(), "no", T0));
        GatewayException unknownInvalidate = assertThrows(GatewayException.class,
                () -> store.invalidate(key(TAMPERE, "x4"), TAMPERE, unknown, "no", T0));
        GatewayException garbage = assertThrows(GatewayException.class,
                () -> store.invalidate(key(TAMPERE, "x5"), TAMPERE, "not-a-demand-id", null, T0));

        for (GatewayException e : List.of(othersModify, unknownModify, othersInvalidate, unknownInvalidate, garbage)) {
            assertEquals(FaultCode.UNKNOWN_PAYMENT_DEMAND, e.faultCode());
            assertNull(e.callerDetail(), "the caller learns nothing more");
        }
        assertEquals(espoos, store.find(espoos.demandId()).orElseThrow(), "untouched");
        assertEquals(1, count("SELECT COUNT(*) FROM payment_demand_command"));
        // the refused keys were not taken: they may still be used
        assertFalse(store.submit(key(TAMPERE, "x1"), TAMPERE, "KUNTA", content("1.00"), T0).replayed());
    }

    @Test
    void anInvalidatedDemandCannotBeModifiedOrInvalidatedAgain() throws SQLException {
        PaymentDemand submitted = submit(ESPOO, OrganisationType.KUNTA, content("10.00")).demand();
        CommandResult invalidated = store.invalidate(key(ESPOO, "inv"), ESPOO, submitted.demandId(),
                "the client's benefit was decided", T0.plusSeconds(5));
        assertEquals(DemandState.INVALIDATED, invalidated.demand().state());
        assertEquals("the client's benefit was decided", invalidated.demand().invalidationReason());
        assertEquals(2, invalidated.demand().version());

        GatewayException modify = assertThrows(GatewayException.class,
                () -> store.modify(key(ESPOO, "mod"), ESPOO, submitted.demandId(), content("5.00"), T0));
        assertEquals(FaultCode.PAYMENT_DEMAND_INVALIDATED, modify.faultCode());
        GatewayException again = assertThrows(GatewayException.class,
                () -> store.invalidate(key(ESPOO, "inv-2"), ESPOO, submitted.demandId(), null, T0));
        assertEquals(FaultCode.PAYMENT_DEMAND_INVALIDATED, again.faultCode(), "a second invalidation is refused");

        CommandResult retry = store.invalidate(key(ESPOO, "inv"), ESPOO, submitted.demandId(),
                "the client's benefit was decided", T0.plusSeconds(50));
        assertTrue(retry.replayed(), "a retry of the invalidation gets its answer");
        assertEquals(invalidated.demand(), retry.demand());
        assertEquals(List.of("SUBMIT", "INVALIDATE"), commands(submitted.demandId()).stream().map(Command::kind).toList());
        assertEquals(invalidated.demand(), store.find(submitted.demandId()).orElseThrow());
    }

    @Test
    void aFailureInsideTheTransactionLeavesNothingHalfWritten() throws SQLException {
        PaymentDemand submitted = submit(ESPOO, OrganisationType.KUNTA, content("10.00")).demand();
        // the demand's row is updated first, then the command inserted: make the insert fail
        execute("ALTER TABLE payment_demand_command ADD CONSTRAINT test_no_modify CHECK (kind <> 'MODIFY')");

        GatewayException e = assertThrows(GatewayException.class,
                () -> store.modify(key(ESPOO, "m"), ESPOO, submitted.demandId(), content("99.00"), T0));
        assertEquals(FaultCode.PAYMENT_DEMAND_STORE_UNAVAILABLE, e.faultCode());
        assertTrue(e.faultCode().code().startsWith("Server."));
        assertEquals(submitted, store.find(submitted.demandId()).orElseThrow(), "the update was rolled back");
        assertEquals(1, commands(submitted.demandId()).size());
    }

    @Test
    void aDatabaseThatCannotBeReachedStoresNothingAndSaysSo() {
        database.close();
        GatewayException submit = assertThrows(GatewayException.class,
                () -> store.submit(key(ESPOO, "m"), ESPOO, "KUNTA", content("1.00"), T0));
        assertEquals(FaultCode.PAYMENT_DEMAND_STORE_UNAVAILABLE, submit.faultCode());
        GatewayException list = assertThrows(GatewayException.class, () -> store.list(ESPOO, CLIENT));
        assertEquals(FaultCode.PAYMENT_DEMAND_STORE_UNAVAILABLE, list.faultCode());
        GatewayException outbox = assertThrows(GatewayException.class,
                () -> store.deliverDue(10, T0, command -> new DeliveryOutcome.Acknowledged(KelaStatus.REGISTERED, null)));
        assertEquals(FaultCode.PAYMENT_DEMAND_STORE_UNAVAILABLE, outbox.faultCode());
    }

    // --- the outbox

    @Test
    void eachCommandIsDeliveredOnceAndItsAcknowledgementIsTheDemandsStatus() {
        CommandResult a = submit(ESPOO, OrganisationType.KUNTA, content("10.00"));
        CommandResult b = submit(HELSINKI, OrganisationType.HELSINKI, content("20.00"));
        List<OutboxCommand> delivered = new ArrayList<>();

        assertEquals(2, store.deliverDue(10, T0.plusSeconds(1), command -> {
            delivered.add(command);
            return new DeliveryOutcome.Acknowledged(KelaStatus.REGISTERED, null);
        }));
        assertEquals(0, store.deliverDue(10, T0.plusSeconds(2), command -> {
            throw new AssertionError("delivered twice: " + command.commandId());
        }));

        assertEquals(List.of(a.commandId(), b.commandId()), delivered.stream().map(OutboxCommand::commandId).toList());
        OutboxCommand first = delivered.get(0);
        assertTrue(first.idempotencyKey().startsWith(ESPOO + ":"), "the organisation's key");
        assertEquals(CommandKind.SUBMIT, first.kind());
        assertEquals(OrganisationType.KUNTA, first.demanderType());
        assertEquals(OrganisationType.HELSINKI, delivered.get(1).demanderType());
        assertEquals(0, first.attempts());
        assertEquals(a.demand(), first.demand(), "the demand as submitted");

        PaymentDemand now = store.find(a.demand().demandId()).orElseThrow();
        assertEquals(KelaStatus.REGISTERED, now.kelaStatus());
        assertEquals(new DeliveryState.Delivered(T0.plusSeconds(1).truncatedTo(ChronoUnit.MICROS)), now.delivery());
        assertEquals(1, now.version(), "Kela's status is no change of the demand");
    }

    @Test
    void aRetryLaterIsTriedAgainAfterTheBackoffAndDeliveredOnce() throws SQLException {
        CommandResult a = submit(ESPOO, OrganisationType.KUNTA, content("10.00"));
        AtomicInteger calls = new AtomicInteger();
        List<DeliveryOutcome> outcomes = new ArrayList<>(List.of(new DeliveryOutcome.RetryLater("HTTP 503"),
                new DeliveryOutcome.RetryLater("timeout"), new DeliveryOutcome.Acknowledged(KelaStatus.IN_PAYMENT, "ok")));
        List<Integer> attemptsSeen = new ArrayList<>();
        Delivery backend = command -> {
            calls.incrementAndGet();
            attemptsSeen.add(command.attempts());
            return outcomes.remove(0);
        };

        assertEquals(1, store.deliverDue(10, T0, backend));
        assertEquals(new DeliveryState.Pending(1), store.find(a.demand().demandId()).orElseThrow().delivery());
        assertEquals(0, store.deliverDue(10, T0.plusSeconds(9), backend), "not before the backoff of 10 s");
        assertEquals(1, store.deliverDue(10, T0.plusSeconds(10), backend));
        assertEquals(0, store.deliverDue(10, T0.plusSeconds(29), backend), "then 20 s");
        assertEquals(1, store.deliverDue(10, T0.plusSeconds(30), backend));
        assertEquals(0, store.deliverDue(10, T0.plusSeconds(3600), backend));

        assertEquals(3, calls.get());
        assertEquals(List.of(0, 1, 2), attemptsSeen);
        List<Command> commands = commands(a.demand().demandId());
        assertEquals(1, commands.size());
        assertEquals("DELIVERED", commands.get(0).deliveryState());
        assertEquals(3, commands.get(0).attempts(), "every attempt counted");
        PaymentDemand now = store.find(a.demand().demandId()).orElseThrow();
        assertEquals(KelaStatus.IN_PAYMENT, now.kelaStatus());
        assertEquals("ok", now.kelaReason());
    }

    @Test
    void aDeliveryThatThrowsCountsAsRetryLater() {
        CommandResult a = submit(ESPOO, OrganisationType.KUNTA, content("10.00"));
        assertEquals(1, store.deliverDue(10, T0, command -> {
            throw new IllegalStateException("connection reset");
        }));
        assertEquals(new DeliveryState.Pending(1), store.find(a.demand().demandId()).orElseThrow().delivery());
        assertEquals(1, store.deliverDue(10, T0.plusSeconds(10),
                command -> new DeliveryOutcome.Acknowledged(KelaStatus.REGISTERED, null)));
    }

    @Test
    void aBusinessRejectionIsDeliveredWithStatusRejected() throws SQLException {
        CommandResult a = submit(ESPOO, OrganisationType.KUNTA, content("10.00"));
        assertEquals(1, store.deliverDue(10, T0, command -> new DeliveryOutcome.Rejected("no benefit to share")));
        assertEquals(0, store.deliverDue(10, T0.plusSeconds(3600), command -> {
            throw new AssertionError("a rejection is not retried");
        }));
        PaymentDemand now = store.find(a.demand().demandId()).orElseThrow();
        assertEquals(KelaStatus.REJECTED, now.kelaStatus());
        assertEquals("no benefit to share", now.kelaReason());
        assertEquals(new DeliveryState.Delivered(T0.truncatedTo(ChronoUnit.MICROS)), now.delivery());
        assertEquals("DELIVERED", commands(a.demand().demandId()).get(0).deliveryState());
    }

    @Test
    void aDemandsCommandsAreDeliveredInTheirOrderWhileOthersGoOn() {
        String d1 = submit(ESPOO, OrganisationType.KUNTA, content("10.00")).demand().demandId();
        store.modify(key(ESPOO, "m1"), ESPOO, d1, content("11.00"), T0);
        store.invalidate(key(ESPOO, "i1"), ESPOO, d1, null, T0);
        String d2 = submit(TAMPERE, OrganisationType.KUNTA, content("20.00")).demand().demandId();
        List<String> delivered = new ArrayList<>();

        // d1's submit fails: its modify and invalidation wait; d2 goes on
        assertEquals(2, store.deliverDue(10, T0, command -> {
            delivered.add(command.demand().demandId() + " " + command.kind());
            return command.demand().demandId().equals(d1) ? new DeliveryOutcome.RetryLater("down")
                    : new DeliveryOutcome.Acknowledged(KelaStatus.REGISTERED, null);
        }));
        assertEquals(List.of(d1 + " SUBMIT", d2 + " SUBMIT"), delivered);
        assertEquals(new DeliveryState.Pending(0), store.find(d1).orElseThrow().delivery(),
                "the demand's latest command (the invalidation) has not been tried");

        delivered.clear();
        assertEquals(3, store.deliverDue(10, T0.plusSeconds(10), command -> {
            delivered.add(command.demand().demandId() + " " + command.kind() + " v" + command.demand().version());
            return new DeliveryOutcome.Acknowledged(command.kind() == CommandKind.INVALIDATE ? KelaStatus.INVALIDATED
                    : KelaStatus.REGISTERED, null);
        }));
        assertEquals(List.of(d1 + " SUBMIT v1", d1 + " MODIFY v2", d1 + " INVALIDATE v3"), delivered);
        assertEquals(KelaStatus.INVALIDATED, store.find(d1).orElseThrow().kelaStatus());
    }

    /** Two gateways on one database, several threads each: every command reaches the backend once, in order. */
    @Test
    void twoGatewaysDeliverEachOfTwoHundredCommandsExactlyOnce() throws Exception {
        List<String> demandIds = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            String demander = i % 2 == 0 ? ESPOO : TAMPERE;
            String id = submit(demander, OrganisationType.KUNTA, content(i + 1 + ".00")).demand().demandId();
            store.modify(key(demander, "modify-" + i), demander, id, content(i + 2 + ".00"), T0);
            demandIds.add(id);
        }
        assertEquals(200, count("SELECT COUNT(*) FROM payment_demand_command"));

        JdbcPaymentDemands second = new JdbcPaymentDemands(open().dataSource(), SETTINGS);
        Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
        Map<String, List<String>> kindsByDemand = new ConcurrentHashMap<>();
        Delivery backend = command -> {
            calls.computeIfAbsent(command.commandId(), id -> new AtomicInteger()).incrementAndGet();
            kindsByDemand.computeIfAbsent(command.demand().demandId(), id -> Collections.synchronizedList(
                    new ArrayList<>())).add(command.kind().name());
            Thread.yield();
            return new DeliveryOutcome.Acknowledged(KelaStatus.REGISTERED, null);
        };
        AtomicInteger handled = new AtomicInteger();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        List<JdbcPaymentDemands> gateways = List.of(store, second);
        int[] thread = {0};
        concurrently(8, () -> {
            JdbcPaymentDemands gateway;
            synchronized (thread) {
                gateway = gateways.get(thread[0]++ % 2);
            }
            while (handled.get() < 200 && System.nanoTime() < deadline) {
                handled.addAndGet(gateway.deliverDue(5, T0.plusSeconds(1), backend));
            }
            return null;
        });

        assertEquals(200, handled.get());
        assertEquals(200, calls.size(), "every command delivered");
        assertEquals(List.of(), calls.entrySet().stream().filter(e -> e.getValue().get() != 1).map(Map.Entry::getKey)
                .toList(), "no command delivered twice");
        for (String id : demandIds) {
            assertEquals(List.of("SUBMIT", "MODIFY"), kindsByDemand.get(id), "in order: " + id);
        }
        assertEquals(0, count("SELECT COUNT(*) FROM payment_demand_command WHERE delivery_state = 'PENDING'"));
    }

    // --- the year-end transfer (R-PAY-7, R-PAY-8)

    static OrganisationRegistry sandboxRegistry() {
        return OrganisationRegistry.load(new ResourceLocation("classpath:registry/organisations-sandbox.xml"),
                MunicipalityReference.load());
    }

    @Test
    void r_pay_7_theYearEndTransferMovesExactlyTheMunicipalitiesDemandsStillValidToTheirHva() throws Exception {
        OrganisationRegistry registry = sandboxRegistry();
        Iban lansiUusimaa = registry.require(LANSI_UUSIMAA).paymentContact().orElseThrow().iban();
        Iban pirkanmaa = registry.require(PIRKANMAA).paymentContact().orElseThrow().iban();
        LocalDate start = LocalDate.of(2022, 6, 1);
        PaymentDemand open = submit(ESPOO, OrganisationType.KUNTA,
                content(CLIENT, start, null, "100.00", ESPOO_ACCOUNT)).demand();
        PaymentDemand endsIn2023 = submit(ESPOO, OrganisationType.KUNTA,
                content(CLIENT, start, LocalDate.of(2023, 1, 1), null, ESPOO_ACCOUNT)).demand();
        PaymentDemand endedAtYearEnd = submit(ESPOO, OrganisationType.KUNTA,
                content(CLIENT, start, YEAR_END, "50.00", ESPOO_ACCOUNT)).demand();
        PaymentDemand invalidated = submit(ESPOO, OrganisationType.KUNTA,
                content(CLIENT, start, null, "60.00", ESPOO_ACCOUNT)).demand();
        store.invalidate(key(ESPOO, "inv"), ESPOO, invalidated.demandId(), null, T0);
        PaymentDemand tampere = submit(TAMPERE, OrganisationType.KUNTA,
                content(OTHER_CLIENT, start, null, null, OTHER_ACCOUNT)).demand();
        PaymentDemand helsinki = submit(HELSINKI, OrganisationType.HELSINKI,
                content(CLIENT, start, null, "70.00", OTHER_ACCOUNT)).demand();
        PaymentDemand unregistered = submit("0201256-6", OrganisationType.KUNTA,
                content(CLIENT, start, null, "80.00", ESPOO_ACCOUNT)).demand();
        PaymentDemand hvas = submit(LANSI_UUSIMAA, OrganisationType.HVA,
                content(CLIENT, LocalDate.of(2023, 1, 1), null, "90.00", lansiUusimaa)).demand();
        PaymentDemand helsinkiBefore = store.find(helsinki.demandId()).orElseThrow();
        PaymentDemand endedBefore = store.find(endedAtYearEnd.demandId()).orElseThrow();
        PaymentDemand invalidatedBefore = store.find(invalidated.demandId()).orElseThrow();
        int commandsBefore = count("SELECT COUNT(*) FROM payment_demand_command");
        Instant runAt = Instant.parse("2023-01-01T00:30:00Z");

        TransferReport report = new YearEndTransfer(store, registry).run(YEAR_END, runAt);

        assertEquals(Set.of(open.demandId(), endsIn2023.demandId(), tampere.demandId()),
                report.moved().stream().map(TransferReport.Entry::demandId).collect(Collectors.toSet()));
        assertMoved(open, LANSI_UUSIMAA, lansiUusimaa, ESPOO_ACCOUNT, runAt);
        assertMoved(endsIn2023, LANSI_UUSIMAA, lansiUusimaa, ESPOO_ACCOUNT, runAt);
        assertMoved(tampere, PIRKANMAA, pirkanmaa, OTHER_ACCOUNT, runAt);
        assertEquals(helsinkiBefore, store.find(helsinki.demandId()).orElseThrow(), "Helsinki untouched");
        assertEquals(endedBefore, store.find(endedAtYearEnd.demandId()).orElseThrow(), "ended by the year end");
        assertEquals(invalidatedBefore, store.find(invalidated.demandId()).orElseThrow(), "invalidated");
        assertEquals(ESPOO, store.find(endedAtYearEnd.demandId()).orElseThrow().demanderId());
        assertEquals("0201256-6", store.find(unregistered.demandId()).orElseThrow().demanderId());
        assertEquals(1, store.find(hvas.demandId()).orElseThrow().version(), "an HVA's own demand is no matter");

        // the outbox: one TRANSFER per moved demand, under its year-end key, after the demand's submit
        assertEquals(commandsBefore + 3, count("SELECT COUNT(*) FROM payment_demand_command"));
        for (PaymentDemand moved : List.of(open, endsIn2023, tampere)) {
            List<Command> commands = commands(moved.demandId());
            assertEquals(List.of("SUBMIT", "TRANSFER"), commands.stream().map(Command::kind).toList());
            assertEquals("year-end-transfer:2022-12-31:" + moved.demandId(), commands.get(1).key());
        }
        assertEquals(List.of(), store.list(ESPOO, OTHER_CLIENT));
        assertEquals(Set.of(endedAtYearEnd.demandId(), invalidated.demandId()), store.list(ESPOO, CLIENT).stream()
                .map(PaymentDemand::demandId).collect(Collectors.toSet()), "the municipality keeps what stayed");
        assertEquals(Set.of(open.demandId(), endsIn2023.demandId(), hvas.demandId()), store.list(LANSI_UUSIMAA, CLIENT)
                .stream().map(PaymentDemand::demandId).collect(Collectors.toSet()), "the HVA lists what moved to it");

        // the report: why each was left
        Map<String, TransferReport.Entry> byId = report.entries().stream()
                .collect(Collectors.toMap(TransferReport.Entry::demandId, e -> e));
        assertEquals(7, byId.size(), "every municipality's and Helsinki's demand, and no HVA's own");
        assertTrue(byId.get(helsinki.demandId()).reason().contains("Helsinki"), byId.get(helsinki.demandId()).reason());
        assertTrue(byId.get(endedAtYearEnd.demandId()).reason().contains("ended 2022-12-31"));
        assertTrue(byId.get(invalidated.demandId()).reason().contains("invalidated"));
        assertTrue(byId.get(unregistered.demandId()).reason().contains("registry"));
        assertEquals(LANSI_UUSIMAA, byId.get(open.demandId()).hvaId());
        assertEquals(ESPOO_ACCOUNT.masked(), byId.get(open.demandId()).previousAccount());
        assertEquals(lansiUusimaa.masked(), byId.get(open.demandId()).newAccount());

        // the municipality can no longer change what moved; the HVA can
        assertEquals(FaultCode.UNKNOWN_PAYMENT_DEMAND, assertThrows(GatewayException.class,
                () -> store.modify(key(ESPOO, "late"), ESPOO, open.demandId(), content("1.00"), runAt)).faultCode());
        assertEquals(3, store.modify(key(LANSI_UUSIMAA, "hva-1"), LANSI_UUSIMAA, open.demandId(),
                content(CLIENT, start, null, "120.00", lansiUusimaa), runAt).demand().version());
    }

    private void assertMoved(PaymentDemand before, String hva, Iban hvaAccount, Iban oldAccount, Instant at) {
        PaymentDemand after = store.find(before.demandId()).orElseThrow();
        assertEquals(hva, after.demanderId());
        assertEquals(OrganisationType.HVA, after.demanderType());
        assertEquals(before.demanderId(), after.transferredFrom());
        assertEquals(hvaAccount, after.content().payeeAccount());
        assertEquals(oldAccount, after.previousPayeeAccount());
        assertEquals(LocalDate.of(2023, 1, 1), after.payeeAccountFrom());
        assertEquals(before.version() + 1, after.version());
        assertEquals(at, after.updatedAt());
        assertEquals(new DeliveryState.Pending(0), after.delivery());
        assertEquals(before.content().amount(), after.content().amount(), "the demand itself is the same");
        assertEquals(before.content().periodEnd(), after.content().periodEnd());
        // R-PAY-7: put into payment in December 2022, paid in January 2023: still the municipality's account
        assertEquals(oldAccount, after.payeeAccountOn(LocalDate.of(2022, 12, 20)));
        assertEquals(hvaAccount, after.payeeAccountOn(LocalDate.of(2023, 1, 1)));
    }

    @Test
    void r_pay_7_aSecondRunMovesNothingAndTheOutboxTellsKelaOnce() throws Exception {
        OrganisationRegistry registry = sandboxRegistry();
        PaymentDemand espoo = submit(ESPOO, OrganisationType.KUNTA, content("100.00")).demand();
        YearEndTransfer transfer = new YearEndTransfer(store, registry);
        assertEquals(1, transfer.run(YEAR_END, T0).moved().size());
        PaymentDemand moved = store.find(espoo.demandId()).orElseThrow();
        int commands = count("SELECT COUNT(*) FROM payment_demand_command");

        TransferReport again = transfer.run(YEAR_END, T0.plusSeconds(60));

        assertEquals(List.of(), again.moved());
        assertEquals(1, again.left().size());
        assertTrue(again.left().get(0).reason().contains("already moved"), again.left().get(0).reason());
        assertEquals(moved, store.find(espoo.demandId()).orElseThrow());
        assertEquals(commands, count("SELECT COUNT(*) FROM payment_demand_command"));

        List<String> delivered = new ArrayList<>();
        store.deliverDue(10, T0.plusSeconds(120), command -> {
            delivered.add(command.kind() + " " + command.demanderType() + " " + command.idempotencyKey());
            return new DeliveryOutcome.Acknowledged(KelaStatus.REGISTERED, null);
        });
        assertEquals(2, delivered.size());
        assertTrue(delivered.get(0).startsWith("SUBMIT KUNTA "), delivered.get(0));
        assertEquals("TRANSFER HVA year-end-transfer:2022-12-31:" + espoo.demandId(), delivered.get(1));
    }

    @Test
    void r_pay_8_aMunicipalityWhoseHvaHasNoContactIsLeftAndReported() throws Exception {
        OrganisationRegistry noContact = new OrganisationRegistry(List.of(
                new Organisation(ESPOO, "Espoo", OrganisationType.KUNTA, Set.of("049"), List.of()),
                new Organisation(LANSI_UUSIMAA, "Länsi-Uusimaa", OrganisationType.HVA, Set.of("049", "078"),
                        List.of())));
        PaymentDemand espoo = submit(ESPOO, OrganisationType.KUNTA, content("100.00")).demand();
        PaymentDemand tampere = submit(TAMPERE, OrganisationType.KUNTA, content("100.00")).demand();

        TransferReport report = new YearEndTransfer(store, noContact).run(YEAR_END, T0);

        assertEquals(List.of(), report.moved());
        Map<String, TransferReport.Entry> byId = report.entries().stream()
                .collect(Collectors.toMap(TransferReport.Entry::demandId, e -> e));
        assertTrue(byId.get(espoo.demandId()).reason().contains("R-PAY-8"), byId.get(espoo.demandId()).reason());
        assertEquals(LANSI_UUSIMAA, byId.get(espoo.demandId()).hvaId());
        assertTrue(byId.get(tampere.demandId()).reason().contains("registry"), byId.get(tampere.demandId()).reason());
        assertEquals(espoo, store.find(espoo.demandId()).orElseThrow());
        assertEquals(2, count("SELECT COUNT(*) FROM payment_demand_command"));

        // once the registry has the contact, a later run moves it
        assertEquals(1, new YearEndTransfer(store, sandboxRegistry()).run(YEAR_END, T0).moved().stream()
                .filter(e -> e.demandId().equals(espoo.demandId())).count());
    }

    @Test
    void r_pay_7_theReportIsWrittenAsCsvWithAccountsMasked() throws Exception {
        submit(ESPOO, OrganisationType.KUNTA, content("100.00"));
        submit(HELSINKI, OrganisationType.HELSINKI, content(CLIENT, LocalDate.of(2022, 1, 1), null, null,
                OTHER_ACCOUNT));
        TransferReport report = new YearEndTransfer(store, sandboxRegistry()).run(YEAR_END, T0);
        Path file = tmp.resolve("year-end-transfer.csv");

        report.writeCsv(file);

        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        assertEquals("demand_id,outcome,demander,hva,previous_account,new_account,reason", lines.get(0));
        assertEquals(3, lines.size());
        String text = String.join("\n", lines);
        assertFalse(text.contains(ESPOO_ACCOUNT.value()) || text.contains(OTHER_ACCOUNT.value()), text);
        assertFalse(text.contains(CLIENT), "no client's identity code");
        assertTrue(text.contains(",MOVED," + ESPOO + "," + LANSI_UUSIMAA + "," + ESPOO_ACCOUNT.masked() + ",****0001,"),
                text);
        assertTrue(text.contains(",LEFT," + HELSINKI + ",," + OTHER_ACCOUNT.masked() + ",,"), text);
    }

    // --- helpers

    /** One row of payment_demand_command, as a test reads it. */
    record Command(String commandId, String key, String kind, String deliveryState, int attempts) {
    }

    List<Command> commands(String demandId) throws SQLException {
        List<Command> commands = new ArrayList<>();
        try (Connection c = database.dataSource().getConnection(); PreparedStatement select = c.prepareStatement(
                "SELECT command_id, idempotency_key, kind, delivery_state, attempts FROM payment_demand_command"
                        + " WHERE demand_id = ? ORDER BY seq")) {
            select.setString(1, demandId);
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    commands.add(new Command(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                            rs.getInt(5)));
                }
            }
        }
        return commands;
    }

    int count(String sql) throws SQLException {
        try (Connection c = database.dataSource().getConnection(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getInt(1);
        }
    }

    void execute(String sql) throws SQLException {
        try (Connection c = database.dataSource().getConnection(); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    /** Runs {@code task} on {@code threads} threads released at once; their results, in no particular order. */
    static <T> List<T> concurrently(int threads, Callable<T> task) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CountDownLatch ready = new CountDownLatch(threads);
            CountDownLatch start = new CountDownLatch(1);
            List<Future<T>> futures = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                futures.add(pool.submit(() -> {
                    ready.countDown();
                    start.await();
                    return task.call();
                }));
            }
            assertTrue(ready.await(10, TimeUnit.SECONDS));
            start.countDown();
            List<T> results = new CopyOnWriteArrayList<>();
            for (Future<T> future : futures) {
                results.add(future.get(180, TimeUnit.SECONDS));
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }
}
