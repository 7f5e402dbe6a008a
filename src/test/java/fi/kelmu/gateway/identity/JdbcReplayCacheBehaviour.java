package fi.kelmu.gateway.identity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fi.kelmu.gateway.audit.Database;
import fi.kelmu.gateway.fault.FaultCode;
import fi.kelmu.gateway.fault.GatewayException;
import fi.kelmu.gateway.support.MutableClock;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The database-backed replay cache (issue 10 item 5), run against each supported database by a subclass; every
 * test gets a fresh database migrated as the gateway migrates it (V3 creates {@code replay_cache}).
 */
abstract class JdbcReplayCacheBehaviour {

    static final Instant T0 = Instant.parse("2026-03-02T08:00:00Z");
    private static final int THREADS = 12;

    /** Where a fresh, empty database is. */
    record Target(String url, String user, String password) {
    }

    /** Creates an empty database for one test. */
    abstract Target freshDatabase() throws Exception;

    Target target;
    Database database;
    MutableClock clock;
    JdbcReplayCache cache;

    @BeforeEach
    void openDatabase() throws Exception {
        target = freshDatabase();
        database = Database.open(target.url(), target.user(), target.password(), THREADS, Duration.ofSeconds(5));
        clock = new MutableClock(T0);
        cache = new JdbcReplayCache(database.dataSource(), clock);
    }

    @AfterEach
    void closeDatabase() {
        cache.close();
        database.close();
    }

    @Test
    void aKeyIsFirstSeenOnceUntilItExpires() {
        Instant expiry = T0.plusSeconds(360);
        assertTrue(cache.firstSeen("sig:abc", expiry));
        assertFalse(cache.firstSeen("sig:abc", expiry));
        assertTrue(cache.firstSeen("sig:abd", expiry), "another key is another message");
        clock.set(expiry.minusMillis(1));
        assertFalse(cache.firstSeen("sig:abc", expiry.plusSeconds(360)), "a replay until the last moment");
        clock.set(expiry);
        assertTrue(cache.firstSeen("sig:abc", expiry.plusSeconds(360)), "expired at its expiry: new again");
        assertFalse(cache.firstSeen("sig:abc", expiry.plusSeconds(360)), "and remembered anew");
    }

    @Test
    void severalKeysAreRecordedAllOrNoneInOneTransaction() {
        Instant expiry = T0.plusSeconds(360);
        assertEquals(List.of(), cache.seenBefore(List.of("sig:a", "id:x:1"), expiry), "both new: both recorded");
        assertFalse(cache.firstSeen("sig:a", expiry));
        assertFalse(cache.firstSeen("id:x:1", expiry));
        // one seen before: it is named, and the other is not recorded either
        assertEquals(List.of("id:x:1"), cache.seenBefore(List.of("sig:b", "id:x:1"), expiry));
        assertTrue(cache.firstSeen("sig:b", expiry), "nothing recorded for a refused request");
    }

    @Test
    void keysOfAnyLengthAreStoredAsTheirFixedLengthHash() throws SQLException {
        String longKey = "id:0201256-6:" + "x".repeat(255);
        assertTrue(cache.firstSeen(longKey, T0.plusSeconds(60)));
        assertFalse(cache.firstSeen(longKey, T0.plusSeconds(60)));
        assertTrue(cache.firstSeen(longKey.substring(0, longKey.length() - 1), T0.plusSeconds(60)));
        List<String> stored = storedKeys();
        assertEquals(2, stored.size());
        for (String hash : stored) {
            assertTrue(hash.matches("[0-9a-f]{64}"), hash);
        }
        assertTrue(stored.contains(JdbcReplayCache.hash(longKey)));
    }

    /** What a restart or another replica sees: a new cache, a new connection pool, the same database. */
    @Test
    void anotherCacheOnTheSameDatabaseKnowsTheKeys() {
        assertTrue(cache.firstSeen("id:0201256-6:m1", T0.plusSeconds(60)));
        try (Database other = Database.open(target.url(), target.user(), target.password());
                JdbcReplayCache replica = new JdbcReplayCache(other.dataSource(), clock)) {
            assertFalse(replica.firstSeen("id:0201256-6:m1", T0.plusSeconds(60)));
            assertTrue(replica.firstSeen("id:0201256-6:m2", T0.plusSeconds(60)));
        }
        assertFalse(cache.firstSeen("id:0201256-6:m2", T0.plusSeconds(60)));
    }

    @Test
    void concurrentFirstSightingsOfANewKeyHaveExactlyOneWinner() throws Exception {
        for (int round = 0; round < 10; round++) {
            String key = "sig:new-" + round;
            assertEquals(1, winners(() -> cache.firstSeen(key, T0.plusSeconds(60))), key);
        }
    }

    /** An expired row is replaced atomically: of many concurrent sightings one wins, as for a new key. */
    @Test
    void concurrentSightingsOfAnExpiredKeyHaveExactlyOneWinner() throws Exception {
        for (int round = 0; round < 10; round++) {
            String key = "sig:expired-" + round;
            Instant now = clock.instant();
            assertTrue(cache.firstSeen(key, now.plusSeconds(10)));
            clock.set(now.plusSeconds(11));
            Instant expiry = clock.instant().plusSeconds(60);
            assertEquals(1, winners(() -> cache.firstSeen(key, expiry)), key);
        }
    }

    /** Two gateways share the database: each its own pool and cache, racing for the same keys. */
    @Test
    void concurrentSightingsThroughTwoReplicasHaveExactlyOneWinner() throws Exception {
        try (Database other = Database.open(target.url(), target.user(), target.password(), THREADS,
                Duration.ofSeconds(5)); JdbcReplayCache replica = new JdbcReplayCache(other.dataSource(), clock)) {
            for (int round = 0; round < 5; round++) {
                String key = "id:0201256-6:race-" + round;
                int[] call = {0};
                assertEquals(1, winners(() -> {
                    JdbcReplayCache via;
                    synchronized (call) {
                        via = call[0]++ % 2 == 0 ? cache : replica;
                    }
                    return via.firstSeen(key, T0.plusSeconds(60));
                }), key);
            }
        }
    }

    @Test
    void purgeRemovesExpiredRowsOnly() throws SQLException {
        assertTrue(cache.firstSeen("expired", T0.plusSeconds(10)));
        assertTrue(cache.firstSeen("expires-now", T0.plusSeconds(20)));
        assertTrue(cache.firstSeen("live", T0.plusSeconds(21)));
        clock.set(T0.plusSeconds(20));

        assertEquals(2, cache.purgeExpired());
        assertEquals(List.of(JdbcReplayCache.hash("live")), storedKeys());
        assertFalse(cache.firstSeen("live", T0.plusSeconds(60)), "a live key is still a replay after the purge");
        assertEquals(0, cache.purgeExpired());
    }

    @Test
    void purgeDeletesAManyBatchBacklog() throws SQLException {
        int rows = 2 * JdbcReplayCache.PURGE_BATCH + 17;
        insertRows(rows, T0.minusSeconds(1));
        insertRows(3, T0.plusSeconds(60));
        assertEquals(rows, cache.purgeExpired());
        assertEquals(3, storedKeys().size());
    }

    @Test
    void backgroundPurgeDeletesExpiredRowsUntilClosed() throws Exception {
        assertTrue(cache.firstSeen("expired", T0.plusSeconds(10)));
        assertTrue(cache.firstSeen("live", T0.plusSeconds(60)));
        clock.set(T0.plusSeconds(11));
        JdbcReplayCache stopped;
        try (JdbcReplayCache purging = JdbcReplayCache.withBackgroundPurge(database.dataSource(), clock,
                Duration.ofMillis(20))) {
            stopped = purging;
            assertTrue(purging.backgroundPurgeRunning());
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (storedKeys().size() > 1 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertEquals(List.of(JdbcReplayCache.hash("live")), storedKeys());
            assertFalse(purging.firstSeen("live", T0.plusSeconds(60)));
        }
        assertFalse(stopped.backgroundPurgeRunning(), "close stops the purge");
        assertFalse(cache.backgroundPurgeRunning(), "a cache made without one never purges by itself");
    }

    @Test
    void aPurgeIntervalMustBePositive() {
        assertThrows(IllegalArgumentException.class,
                () -> JdbcReplayCache.withBackgroundPurge(database.dataSource(), clock, Duration.ZERO));
    }

    /** Fail closed: when the database cannot answer, the message is not taken as new. */
    @Test
    void aDatabaseFailureRefusesTheCheck() {
        assertTrue(cache.firstSeen("k", T0.plusSeconds(60)));
        database.close();
        GatewayException e = assertThrows(GatewayException.class, () -> cache.firstSeen("k2", T0.plusSeconds(60)));
        assertEquals(FaultCode.REPLAY_CHECK_UNAVAILABLE, e.faultCode());
        assertTrue(e.faultCode().code().startsWith("Server."));
    }

    // --- helpers

    /** Runs {@code sighting} on {@value #THREADS} threads released at once; how many returned true. */
    private static int winners(Callable<Boolean> sighting) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try {
            CountDownLatch ready = new CountDownLatch(THREADS);
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Boolean>> results = new ArrayList<>();
            for (int i = 0; i < THREADS; i++) {
                results.add(pool.submit(() -> {
                    ready.countDown();
                    start.await();
                    return sighting.call();
                }));
            }
            assertTrue(ready.await(10, TimeUnit.SECONDS));
            start.countDown();
            int winners = 0;
            for (Future<Boolean> result : results) {
                if (result.get(30, TimeUnit.SECONDS)) {
                    winners++;
                }
            }
            return winners;
        } finally {
            pool.shutdownNow();
        }
    }

    List<String> storedKeys() throws SQLException {
        List<String> keys = new ArrayList<>();
        try (Connection c = database.dataSource().getConnection(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT key_hash FROM replay_cache ORDER BY key_hash")) {
            while (rs.next()) {
                keys.add(rs.getString(1));
            }
        }
        return keys;
    }

    private void insertRows(int count, Instant expiresAt) throws SQLException {
        try (Connection c = database.dataSource().getConnection();
                PreparedStatement insert = c.prepareStatement("INSERT INTO replay_cache VALUES (?, ?)")) {
            for (int i = 0; i < count; i++) {
                insert.setString(1, JdbcReplayCache.hash("bulk-" + expiresAt + "-" + i));
                insert.setObject(2, OffsetDateTime.ofInstant(expiresAt, ZoneOffset.UTC));
                insert.addBatch();
            }
            insert.executeBatch();
        }
    }
}
