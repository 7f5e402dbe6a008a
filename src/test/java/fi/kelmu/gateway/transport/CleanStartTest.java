package fi.kelmu.gateway.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import fi.kelmu.gateway.Gateway;
import fi.kelmu.gateway.sandbox.SandboxPki;
import fi.kelmu.gateway.support.TestGateway;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.camel.Route;
import org.apache.camel.component.cxf.jaxws.CxfConsumer;
import org.apache.cxf.annotations.SchemaValidation.SchemaValidationType;
import org.apache.cxf.endpoint.Endpoint;
import org.apache.cxf.helpers.ServiceUtils;
import org.apache.cxf.message.Exchange;
import org.apache.cxf.message.ExchangeImpl;
import org.apache.cxf.message.Message;
import org.apache.cxf.message.MessageImpl;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * A sandbox start that works looks like it works: no stack traces, no warnings from Camel's CXF component
 * (issue 9 item 6). The one warning a first start gives on purpose is that it generated a sandbox PKI.
 */
class CleanStartTest {

    private static List<ILoggingEvent> restartEvents;
    private static Gateway restarted;

    /** A gateway over the test run's sandbox PKI, which is already in place: an ordinary (re)start. */
    @BeforeAll
    static void startWithThePkiInPlace() throws Exception {
        TestGateway.pki();
        try (LogCapture capture = new LogCapture()) {
            restarted = TestGateway.startSandbox(Map.of());
            restartEvents = capture.events();
        }
    }

    @AfterAll
    static void close() {
        if (restarted != null) {
            restarted.close();
        }
    }

    @Test
    @DisplayName("a first sandbox start warns only that it generated the sandbox PKI, with no stack trace")
    void firstSandboxStartWarnsOnlyThatItGeneratedTheSandboxPki(@TempDir Path folder) throws Exception {
        List<ILoggingEvent> events;
        Gateway gateway;
        try (LogCapture capture = new LogCapture()) {
            gateway = TestGateway.startSandbox(Map.of("kelmu.security.sandbox-pki.dir", folder.resolve("pki").toString(),
                    "kelmu.db.url", "jdbc:h2:file:" + folder.resolve("db/kelmu").toAbsolutePath()));
            events = capture.events();
        }
        gateway.close();
        assertTrue(Files.exists(folder.resolve("pki/truststore.p12")), "the start generated the sandbox PKI");
        assertNoStackTraceAndNothingFromCamelCxf(events);
        List<ILoggingEvent> warnings = warnings(events);
        assertEquals(1, warnings.size(), describe(warnings));
        assertEquals(SandboxPki.class.getName(), warnings.get(0).getLoggerName());
        assertTrue(warnings.get(0).getFormattedMessage().startsWith("generated a SANDBOX PKI"), describe(warnings));
    }

    @Test
    @DisplayName("a start with the sandbox PKI in place logs no warning at all")
    void startWithThePkiInPlaceLogsNoWarning() {
        assertNoStackTraceAndNothingFromCamelCxf(restartEvents);
        assertEquals(List.of(), warnings(restartEvents), describe(warnings(restartEvents)));
    }

    @Test
    @DisplayName("both endpoints validate requests against the schema, and only requests")
    void everyEndpointValidatesRequestsOnly() {
        List<Endpoint> endpoints = restarted.camelContext().getRoutes().stream().map(Route::getConsumer)
                .filter(CxfConsumer.class::isInstance).map(c -> ((CxfConsumer) c).getServer().getEndpoint()).toList();
        assertEquals(3, endpoints.size(), "BenefitInformationService, AccessService and PaymentDemandService");
        for (Endpoint endpoint : endpoints) {
            String address = endpoint.getEndpointInfo().getAddress();
            // the decision CXF's interceptors take, for a message of an exchange at this endpoint
            assertTrue(ServiceUtils.isSchemaValidationEnabled(SchemaValidationType.IN, messageAt(endpoint)), address);
            assertFalse(ServiceUtils.isSchemaValidationEnabled(SchemaValidationType.OUT, messageAt(endpoint)),
                    address + ": a response violation would quote client data in a fault");
        }
    }

    private static Message messageAt(Endpoint endpoint) {
        Exchange exchange = new ExchangeImpl();
        exchange.put(Endpoint.class, endpoint);
        Message message = new MessageImpl();
        message.setExchange(exchange);
        return message;
    }

    private static void assertNoStackTraceAndNothingFromCamelCxf(List<ILoggingEvent> events) {
        List<ILoggingEvent> withThrowable = events.stream()
                .filter(e -> e.getLevel().isGreaterOrEqual(Level.WARN) && e.getThrowableProxy() != null).toList();
        assertEquals(List.of(), withThrowable, describe(withThrowable));
        List<ILoggingEvent> fromCamelCxf = warnings(events).stream()
                .filter(e -> e.getLoggerName().startsWith("org.apache.camel.component.cxf")).toList();
        assertEquals(List.of(), fromCamelCxf, describe(fromCamelCxf));
    }

    private static List<ILoggingEvent> warnings(List<ILoggingEvent> events) {
        return events.stream().filter(e -> e.getLevel().isGreaterOrEqual(Level.WARN)).toList();
    }

    private static String describe(List<ILoggingEvent> events) {
        return events.stream().map(e -> e.getLevel() + " " + e.getLoggerName() + " - " + e.getFormattedMessage()
                + (e.getThrowableProxy() == null ? "" : " (" + e.getThrowableProxy().getClassName() + ": "
                        + e.getThrowableProxy().getMessage() + ")"))
                .collect(Collectors.joining("\n", "logged:\n", ""));
    }

    /** Every logback event of every logger while open, through a logback {@code ListAppender} on the root logger. */
    private static final class LogCapture implements AutoCloseable {

        private final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

        LogCapture() {
            appender.start();
            root.addAppender(appender);
        }

        List<ILoggingEvent> events() {
            // the appender appends under its own lock
            synchronized (appender) {
                return List.copyOf(appender.list);
            }
        }

        @Override
        public void close() {
            root.detachAppender(appender);
            appender.stop();
        }
    }
}
