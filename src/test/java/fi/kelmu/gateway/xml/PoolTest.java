package fi.kelmu.gateway.xml;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class PoolTest {

    @Test
    void givesBackWhatWasReleasedResetAndBuildsOnlyWhenNoneIsIdle() {
        AtomicInteger built = new AtomicInteger();
        List<StringBuilder> resets = new ArrayList<>();
        Pool<StringBuilder> pool = new Pool<>(() -> {
            built.incrementAndGet();
            return new StringBuilder();
        }, sb -> {
            sb.setLength(0);
            resets.add(sb);
        }, 2);
        StringBuilder first = pool.borrow();
        StringBuilder second = pool.borrow();
        assertNotSame(first, second);
        first.append("used");
        pool.release(first);
        StringBuilder again = pool.borrow();
        assertSame(first, again);
        assertEquals("", again.toString());
        assertEquals(2, built.get());
        assertEquals(List.of(first), resets);
    }

    @Test
    void keepsAtMostMaxIdleAndDropsWhatCannotBeReset() {
        Pool<Object> pool = new Pool<>(Object::new, o -> { }, 2);
        pool.release(new Object());
        pool.release(new Object());
        pool.release(new Object());
        assertEquals(2, pool.idleCount());

        Pool<Object> failing = new Pool<>(Object::new, o -> {
            throw new IllegalStateException("cannot reset");
        }, 2);
        failing.release(new Object());
        assertEquals(0, failing.idleCount());
    }
}
