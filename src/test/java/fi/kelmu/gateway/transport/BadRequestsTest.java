package fi.kelmu.gateway.transport;

import static fi.kelmu.gateway.support.TestData.HVA;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import fi.kelmu.gateway.support.GatewayExtension;
import fi.kelmu.gateway.support.Signing;
import fi.kelmu.gateway.support.SoapHttp;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.slf4j.LoggerFactory;

/**
 * Bad requests anyone can send, no signature needed (issue 10, log amplification): an HTTP method other than POST, a
 * GET that is not ?wsdl, a query for a document the gateway does not serve. Each gets a client answer (a SOAP client
 * fault, or Jetty's 4xx) and leaves one log line without a stack trace, where each used to be Server.InternalError
 * and a 38-line stack trace.
 */
class BadRequestsTest {

    @RegisterExtension
    static final GatewayExtension GATEWAY = GatewayExtension.sandbox().build();

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"FOO", "PROPFIND", "DELETE", "PATCH", "OPTIONS", "HEAD", "TRACE", "GET"})
    void anHttpMethodOtherThanPostIsAClientError(String method) throws Exception {
        assertClientAnswerAndQuietLog(HttpRequest.newBuilder(URI.create(GATEWAY.serviceUrl()))
                .method(method, HttpRequest.BodyPublishers.noBody()));
    }

    @Test
    void aSignedRequestPutInsteadOfPostedIsRefused() throws Exception {
        assertClientAnswerAndQuietLog(HttpRequest.newBuilder(URI.create(GATEWAY.serviceUrl()))
                .header("Content-Type", "text/xml; charset=utf-8")
                .PUT(HttpRequest.BodyPublishers.ofByteArray(Signing.signedFixture("get-benefit-data-hva.xml", HVA))));
    }

    @ParameterizedTest(name = "?{0}")
    @ValueSource(strings = {"xsd=nonexistent.xsd", "xsd=../../../../etc/passwd", "xsd=", "wsdl=foo.wsdl",
        "wsdl&xsd=common.xsd", "foo", "wsdl=BenefitInformationService.wsdl"})
    void aQueryForAnotherDocumentIsAClientError(String query) throws Exception {
        for (String service : List.of(GATEWAY.serviceUrl(), GATEWAY.accessServiceUrl())) {
            assertClientAnswerAndQuietLog(HttpRequest.newBuilder(URI.create(service + "?" + query)).GET());
        }
    }

    @Test
    void theWsdlIsStillServed() throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(GATEWAY.serviceUrl() + "?wsdl"))
                .GET().build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode());
        assertTrue(response.body().contains("BenefitInformationService"));
    }

    private static void assertClientAnswerAndQuietLog(HttpRequest.Builder request) throws IOException,
            InterruptedException {
        HttpRequest built = request.timeout(Duration.ofSeconds(20)).build();
        List<ILoggingEvent> events;
        HttpResponse<byte[]> response;
        try (LogCapture log = new LogCapture()) {
            response = HTTP.send(built, HttpResponse.BodyHandlers.ofByteArray());
            events = log.events();
        }
        int status = response.statusCode();
        String what = built.method() + " " + built.uri() + " -> " + status;
        if (status == 500 && built.method().equals("HEAD")) {
            // an answer to HEAD has no body: the fault is known by its log line
            assertTrue(events.stream().anyMatch(e -> e.getFormattedMessage().contains("fault=Client.")), what
                    + "\n" + describe(events));
        } else if (status == 500) {
            SoapHttp.Response soap = new SoapHttp.Response(status, response.body(), null);
            assertTrue(soap.faultCode().strip().startsWith("soap:Client."), what + ": " + soap.bodyText());
        } else {
            assertTrue(status >= 400 && status < 500, what);
        }
        List<ILoggingEvent> serious = events.stream()
                .filter(e -> e.getLevel().isGreaterOrEqual(Level.ERROR) || e.getThrowableProxy() != null).toList();
        assertEquals(List.of(), serious, what + "\n" + describe(serious));
        List<ILoggingEvent> lines = events.stream().filter(e -> e.getLevel().isGreaterOrEqual(Level.WARN)).toList();
        assertTrue(lines.size() <= 1, what + " logged more than one line\n" + describe(lines));
        for (ILoggingEvent line : lines) {
            assertEquals(1, line.getFormattedMessage().lines().count(), line.getFormattedMessage());
        }
    }

    private static String describe(List<ILoggingEvent> events) {
        return events.stream().map(e -> e.getLevel() + " " + e.getLoggerName() + " - " + e.getFormattedMessage()
                + (e.getThrowableProxy() == null ? "" : " (" + e.getThrowableProxy().getClassName() + ")"))
                .collect(Collectors.joining("\n"));
    }

    /** Every logback event while open, through a ListAppender on the root logger. */
    private static final class LogCapture implements AutoCloseable {

        private final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

        LogCapture() {
            appender.start();
            root.addAppender(appender);
        }

        List<ILoggingEvent> events() {
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
