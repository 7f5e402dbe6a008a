package fi.kelmu.gateway;

import ch.qos.logback.classic.pattern.ThrowableProxyConverter;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.StackTraceElementProxy;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * The stack traces of the gateway's log (logback's {@code %stack}, src/main/resources/logback.xml): a stack trace is
 * written once a minute at most; the same one again within the minute, from any logger, is one line naming the
 * exception. A failure that repeats with every request (a database that cannot be written) thus costs a line per
 * request, not forty. "The same" is the same exception classes through the same code: the messages, which hold ids
 * and values of each request, do not count.
 */
public final class RepeatedStackTraces extends ThrowableProxyConverter {

    static final Duration WINDOW = Duration.ofMinutes(1);
    private static final int FRAMES_COMPARED = 12;
    private static final int STACKS_REMEMBERED = 256;
    /** When each stack trace was last written in full, shared by every appender of the JVM; oldest forgotten first. */
    private static final Map<String, Long> WRITTEN = new LinkedHashMap<>(64, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Long> eldest) {
            return size() > STACKS_REMEMBERED;
        }
    };

    private final LongSupplier nanoTime;

    public RepeatedStackTraces() {
        this(System::nanoTime);
    }

    RepeatedStackTraces(LongSupplier nanoTime) {
        this.nanoTime = nanoTime;
    }

    @Override
    protected String throwableProxyToString(IThrowableProxy throwable) {
        String key = key(throwable);
        long now = nanoTime.getAsLong();
        synchronized (WRITTEN) {
            Long last = WRITTEN.get(key);
            if (last != null && now - last < WINDOW.toNanos()) {
                return "\t(" + throwable.getClassName() + ": stack trace as written in the last minute)"
                        + System.lineSeparator();
            }
            WRITTEN.put(key, now);
        }
        return super.throwableProxyToString(throwable);
    }

    /** The exception classes of the chain and the top of each one's stack. */
    private static String key(IThrowableProxy throwable) {
        StringBuilder key = new StringBuilder();
        int depth = 0;
        for (IThrowableProxy t = throwable; t != null && depth < 10; t = t.getCause(), depth++) {
            key.append(t.getClassName()).append('|');
            StackTraceElementProxy[] frames = t.getStackTraceElementProxyArray();
            for (int i = 0; frames != null && i < Math.min(FRAMES_COMPARED, frames.length); i++) {
                key.append(frames[i].getSTEAsString()).append('|');
            }
        }
        return key.toString();
    }
}
