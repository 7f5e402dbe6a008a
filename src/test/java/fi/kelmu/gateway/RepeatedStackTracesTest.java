package fi.kelmu.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.PatternLayout;
import ch.qos.logback.classic.spi.LoggingEvent;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * A failure that repeats with every request writes its stack trace once a minute, not with every line (issue 10,
 * log amplification): the log pattern's {@code %stack} is {@link RepeatedStackTraces}.
 */
class RepeatedStackTracesTest {

    private final AtomicLong now = new AtomicLong(1_000_000_000L);
    private final PatternLayout layout = layout();

    @Test
    void theSameStackTraceWithinAMinuteIsOneLine() {
        String[] written = new String[3];
        for (int i = 0; i < written.length; i++) {
            // the same code fails each time, with another message
            written[i] = layout.doLayout(event(failure("access record " + i + " could not be written")));
            if (i == 1) {
                now.addAndGet(RepeatedStackTraces.WINDOW.toNanos());
            }
        }
        String first = written[0];
        String again = written[1];

        assertTrue(first.lines().count() > 5, first);
        assertTrue(first.contains("IllegalStateException: access record 0"), first);
        assertEquals(2, again.lines().count(), again);
        assertTrue(again.contains("java.lang.IllegalStateException: stack trace as written in the last minute"), again);

        assertTrue(written[2].lines().count() > 5, "after a minute the stack trace is written again: " + written[2]);
    }

    @Test
    void anotherFailureIsWrittenInFull() {
        layout.doLayout(event(failure("first")));
        String other = layout.doLayout(event(new IllegalArgumentException("another kind")));
        assertTrue(other.lines().count() > 5, other);
    }

    @Test
    void aLineWithoutAFailureIsOneLine() {
        assertEquals(1, layout.doLayout(event(null)).lines().count());
    }

    private PatternLayout layout() {
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        PatternLayout result = new PatternLayout();
        result.setContext(context);
        result.getInstanceConverterMap().put("stack", () -> new RepeatedStackTraces(now::get));
        result.setPattern("%-5level %logger - %msg%n%stack");
        result.start();
        return result;
    }

    private static LoggingEvent event(Throwable failure) {
        Logger logger = (Logger) LoggerFactory.getLogger(RepeatedStackTracesTest.class);
        return new LoggingEvent(Logger.class.getName(), logger, Level.ERROR, "request failed", failure, null);
    }

    /** The same failure from the same code each time, with a different message. */
    private static Throwable failure(String message) {
        return new IllegalStateException(message, new java.sql.SQLException("database gone"));
    }
}
