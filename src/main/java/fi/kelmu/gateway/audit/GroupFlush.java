package fi.kelmu.gateway.audit;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import javax.sql.DataSource;

/**
 * Makes committed H2 transactions durable with one flush for many ({@link CommitDurability#H2}): a committer that has
 * committed and given its connection back waits for a {@code CHECKPOINT SYNC} that began after its commit. The first
 * waiter to find no flush running runs one on a connection of its own (leader); those who arrive while it runs wait
 * for the next one, which one of them runs as soon as the current one ends (followers). So the store is forced to the
 * device at most twice per commit and, under load, once for a whole group; and no committer holds a pooled
 * connection while it waits (the flush of each commit used to hold one, so that at a few hundred concurrent writes the
 * pool ran dry and writes were refused).
 *
 * <p>A failed flush fails every commit that waited for it: those commits are in H2's memory but may not be on the
 * device, so their callers hear of a failure (and retry under their idempotency key); the next waiter tries again.
 */
public final class GroupFlush {

    /** One flush: it covers every commit made before it began. */
    private static final class Flush {
        private boolean done;
        private SQLException failure;
    }

    private final DataSource dataSource;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition ended = lock.newCondition();
    /** The flush that has not begun yet: whoever commits now is covered by it. */
    private Flush next = new Flush();
    private boolean flushing;
    private long flushes;

    public GroupFlush(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /**
     * Returns once everything committed before the call is on the device.
     *
     * @throws SQLException when the flush that should have covered it failed
     */
    public void awaitDurable() throws SQLException {
        lock.lock();
        try {
            // the commit is done: a flush that begins from now on covers it, and next is the first such flush
            Flush mine = next;
            while (!mine.done) {
                if (flushing) {
                    ended.awaitUninterruptibly();
                    continue;
                }
                Flush leading = next;
                next = new Flush();
                flushing = true;
                SQLException failure = null;
                lock.unlock();
                try {
                    flush();
                } catch (SQLException e) {
                    failure = e;
                } finally {
                    lock.lock();
                }
                flushing = false;
                flushes++;
                leading.failure = failure;
                leading.done = true;
                ended.signalAll();
            }
            if (mine.failure != null) {
                throw mine.failure;
            }
        } finally {
            lock.unlock();
        }
    }

    /** Flushes run so far, for tests. */
    long flushes() {
        lock.lock();
        try {
            return flushes;
        } finally {
            lock.unlock();
        }
    }

    private void flush() throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.execute("CHECKPOINT SYNC");
        }
    }
}
