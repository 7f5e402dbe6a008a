package fi.kelmu.gateway.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/** The H2 group flush of the payment-demand store: every waiter is covered by a flush that began after it came. */
class GroupFlushTest {

    /** A data source whose only statement is the flush: counted, and held or failed on demand. */
    private static final class FlushingDataSource {
        final AtomicInteger begun = new AtomicInteger();
        final AtomicInteger ended = new AtomicInteger();
        final AtomicInteger open = new AtomicInteger();
        final Semaphore gate = new Semaphore(Integer.MAX_VALUE);
        final AtomicReference<SQLException> failNext = new AtomicReference<>();
        final List<String> statements = new ArrayList<>();

        DataSource dataSource() {
            return (DataSource) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {DataSource.class},
                    (proxy, method, args) -> {
                        if (!method.getName().equals("getConnection")) {
                            throw new UnsupportedOperationException(method.getName());
                        }
                        open.incrementAndGet();
                        return connection();
                    });
        }

        private Connection connection() {
            return (Connection) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {Connection.class},
                    (proxy, method, args) -> switch (method.getName()) {
                        case "createStatement" -> statement();
                        case "close" -> {
                            open.decrementAndGet();
                            yield null;
                        }
                        default -> throw new UnsupportedOperationException(method.getName());
                    });
        }

        private Statement statement() {
            return (Statement) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {Statement.class},
                    (proxy, method, args) -> switch (method.getName()) {
                        case "execute" -> {
                            synchronized (statements) {
                                statements.add((String) args[0]);
                            }
                            begun.incrementAndGet();
                            gate.acquireUninterruptibly();
                            gate.release();
                            ended.incrementAndGet();
                            SQLException failure = failNext.getAndSet(null);
                            if (failure != null) {
                                throw failure;
                            }
                            yield true;
                        }
                        case "close" -> null;
                        default -> throw new UnsupportedOperationException(method.getName());
                    });
        }
    }

    @Test
    void aWaiterIsCoveredByAFlushThatBeganAfterItCame() throws Exception {
        FlushingDataSource db = new FlushingDataSource();
        GroupFlush flush = new GroupFlush(db.dataSource());
        db.gate.drainPermits(); // the first flush is held once it has begun
        ExecutorService threads = Executors.newFixedThreadPool(2);
        try {
            Future<?> first = threads.submit(() -> {
                flush.awaitDurable();
                return null;
            });
            waitFor(() -> db.begun.get() == 1);
            // this commit came while the first flush ran: that flush may have missed it
            Future<?> second = threads.submit(() -> {
                flush.awaitDurable();
                return null;
            });
            Thread.sleep(100);
            assertFalse(second.isDone(), "a waiter that came during a flush waits for the next one");
            db.gate.release(Integer.MAX_VALUE);
            first.get(5, TimeUnit.SECONDS);
            second.get(5, TimeUnit.SECONDS);
            assertEquals(2, db.begun.get(), "the second waiter had a flush of its own, begun after it came");
            assertEquals(List.of("CHECKPOINT SYNC", "CHECKPOINT SYNC"), db.statements);
            assertEquals(0, db.open.get(), "every flush gave its connection back");
        } finally {
            threads.shutdownNow();
        }
    }

    @Test
    void concurrentWaitersShareFlushes() throws Exception {
        FlushingDataSource db = new FlushingDataSource();
        GroupFlush flush = new GroupFlush(db.dataSource());
        db.gate.drainPermits();
        int waiters = 40;
        ExecutorService threads = Executors.newFixedThreadPool(waiters);
        try {
            CountDownLatch started = new CountDownLatch(waiters);
            List<Future<?>> done = new ArrayList<>();
            for (int i = 0; i < waiters; i++) {
                done.add(threads.submit(() -> {
                    started.countDown();
                    flush.awaitDurable();
                    return null;
                }));
            }
            started.await(5, TimeUnit.SECONDS);
            waitFor(() -> db.begun.get() == 1);
            Thread.sleep(100); // the others are waiting behind the first flush
            db.gate.release(Integer.MAX_VALUE);
            for (Future<?> f : done) {
                f.get(5, TimeUnit.SECONDS);
            }
            assertTrue(db.begun.get() <= 3, "40 waiters shared their flushes: " + db.begun.get());
            assertEquals(db.begun.get(), flush.flushes());
        } finally {
            threads.shutdownNow();
        }
    }

    @Test
    void aFailedFlushFailsItsWaitersAndTheNextWaiterTriesAgain() throws Exception {
        FlushingDataSource db = new FlushingDataSource();
        GroupFlush flush = new GroupFlush(db.dataSource());
        SQLException diskGone = new SQLException("disk gone");
        db.failNext.set(diskGone);
        SQLException thrown = assertThrows(SQLException.class, flush::awaitDurable);
        assertSame(diskGone, thrown, "the waiter hears the flush's own failure");
        flush.awaitDurable(); // the next one flushes again and succeeds
        assertEquals(2, db.begun.get());
        assertEquals(0, db.open.get());
    }

    @Test
    void aWaiterDoesNotLeaveWhileItsFlushFails() throws Exception {
        FlushingDataSource db = new FlushingDataSource();
        GroupFlush flush = new GroupFlush(db.dataSource());
        db.gate.drainPermits();
        ExecutorService threads = Executors.newFixedThreadPool(2);
        try {
            CompletableFuture<Throwable> first = new CompletableFuture<>();
            threads.submit(() -> first.complete(outcome(flush)));
            waitFor(() -> db.begun.get() == 1);
            CompletableFuture<Throwable> second = new CompletableFuture<>();
            threads.submit(() -> second.complete(outcome(flush)));
            Thread.sleep(100);
            db.failNext.set(new SQLException("first flush fails"));
            db.gate.release(Integer.MAX_VALUE);
            assertTrue(first.get(5, TimeUnit.SECONDS) instanceof SQLException, "the first flush's waiter fails");
            assertEquals(null, second.get(5, TimeUnit.SECONDS), "the later waiter had its own, successful flush");
        } finally {
            threads.shutdownNow();
        }
    }

    private static Throwable outcome(GroupFlush flush) {
        try {
            flush.awaitDurable();
            return null;
        } catch (SQLException e) {
            return e;
        }
    }

    private static void waitFor(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < until, "condition not reached in 5 s");
            Thread.sleep(5);
        }
    }
}
