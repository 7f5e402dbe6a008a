package fi.kelmu.gateway.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import fi.kelmu.gateway.fault.FaultCode;
import fi.kelmu.gateway.fault.GatewayException;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * Faults are logged one line each, at most {@link FaultTranslator#LOG_LINES_PER_WINDOW} of one code per
 * {@link FaultTranslator#LOG_WINDOW} (issue 10, log amplification); a client fault has no stack trace; the lines left
 * out are counted in the next one.
 */
class FaultLogLimitTest {

    private final AtomicLong now = new AtomicLong();
    private final FaultTranslator translator = new FaultTranslator(new FaultLogLimit(
            FaultTranslator.LOG_LINES_PER_WINDOW, FaultTranslator.LOG_WINDOW, now::get));
    private final Logger logger = (Logger) LoggerFactory.getLogger(FaultTranslator.class);
    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

    @BeforeEach
    void capture() {
        appender.start();
        logger.addAppender(appender);
    }

    @AfterEach
    void release() {
        logger.detachAppender(appender);
    }

    @Test
    void aFloodOfIdenticalClientFaultsIsRateLimitedAndCounted() {
        for (int i = 0; i < 200; i++) {
            translator.translate(new GatewayException(FaultCode.INVALID_REQUEST, null, "not well-formed:\nline two"),
                    "c" + i);
        }
        List<ILoggingEvent> lines = events();
        assertEquals(FaultTranslator.LOG_LINES_PER_WINDOW, lines.size());
        for (ILoggingEvent line : lines) {
            assertNull(line.getThrowableProxy(), "a client fault has no stack trace");
            assertEquals(1, line.getFormattedMessage().lines().count(), line.getFormattedMessage());
        }
        // every fault is still answered with its own correlation id, logged or not
        assertTrue(translator.translate(new GatewayException(FaultCode.INVALID_REQUEST, null, "x"), "c-last")
                .getMessage().contains("c-last"));

        now.addAndGet(FaultTranslator.LOG_WINDOW.toNanos());
        translator.translate(new GatewayException(FaultCode.INVALID_REQUEST, null, "again"), "c-next");
        String next = events().get(events().size() - 1).getFormattedMessage();
        assertTrue(next.contains("correlationId=c-next"), next);
        assertTrue(next.contains("[151 earlier Client.InvalidRequest faults not logged"), next);
    }

    @Test
    void theLimitIsPerFaultCode() {
        for (int i = 0; i < 100; i++) {
            translator.translate(new GatewayException(FaultCode.INVALID_REQUEST, null, "bad"), "a" + i);
        }
        translator.translate(new GatewayException(FaultCode.ACCESS_LOG_UNAVAILABLE, null, "database gone",
                new IllegalStateException("gone")), "b");
        List<ILoggingEvent> lines = events();
        assertEquals(FaultTranslator.LOG_LINES_PER_WINDOW + 1, lines.size());
        ILoggingEvent server = lines.get(lines.size() - 1);
        assertTrue(server.getFormattedMessage().contains("fault=Server.AccessLogUnavailable"), server.getFormattedMessage());
        assertEquals("java.lang.IllegalStateException", server.getThrowableProxy().getClassName());
    }

    private List<ILoggingEvent> events() {
        synchronized (appender) {
            return List.copyOf(appender.list);
        }
    }
}
