package fi.kelmu.gateway.xml;

import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * A bounded pool of objects that are costly to build and not thread-safe (a schema's {@code Validator} or
 * {@code ValidatorHandler}, a JAXB {@code Unmarshaller} or {@code Marshaller}): one is taken for one use by one
 * thread and given back after. A borrower finds one idle or gets a new one; at most {@code maxIdle} are kept, the
 * rest are dropped, so the pool never holds more than the busiest moment needed and never blocks.
 *
 * <p>An object given back is first {@code reset}; one whose use failed halfway should be given back only when the
 * reset puts it in its initial state (a {@code Validator}'s {@code reset()} does), else dropped.
 */
public final class Pool<T> {

    private final Supplier<T> factory;
    private final Consumer<T> reset;
    private final ArrayBlockingQueue<T> idle;

    public Pool(Supplier<T> factory, Consumer<T> reset, int maxIdle) {
        if (maxIdle < 1) {
            throw new IllegalArgumentException("maxIdle " + maxIdle);
        }
        this.factory = factory;
        this.reset = reset;
        this.idle = new ArrayBlockingQueue<>(maxIdle);
    }

    /** Pools of this size keep one per request thread of a busy gateway; more are rebuilt when needed. */
    public static int defaultSize() {
        return Math.max(8, 4 * Runtime.getRuntime().availableProcessors());
    }

    public T borrow() {
        T object = idle.poll();
        return object != null ? object : factory.get();
    }

    /** Gives {@code object} back for another use, reset; dropped when the pool is full or the reset fails. */
    public void release(T object) {
        if (object == null) {
            return;
        }
        try {
            reset.accept(object);
        } catch (RuntimeException e) {
            return; // one that cannot be reset is not used again
        }
        idle.offer(object);
    }

    /** The idle ones now, for tests to look at. */
    List<T> idleSnapshot() {
        return List.copyOf(idle);
    }

    /** How many are idle now (for tests). */
    public int idleCount() {
        return idle.size();
    }
}
