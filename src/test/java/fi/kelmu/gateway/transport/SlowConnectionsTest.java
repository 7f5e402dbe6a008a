package fi.kelmu.gateway.transport;

import static fi.kelmu.gateway.support.TestData.HVA;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fi.kelmu.gateway.Gateway;
import fi.kelmu.gateway.support.GatewayExtension;
import fi.kelmu.gateway.support.Signing;
import fi.kelmu.gateway.support.SoapHttp;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Slow and abusive connections (issue 10 item 9): about 200 slow chunked uploads, no authentication needed, once made
 * signed requests and ?wsdl time out. A request now reaches the SOAP pipeline only once its body has arrived, so a
 * slow upload holds no thread: a thousand of them, raw sockets sending a few bytes a second, do not delay a signed
 * request beyond a second. The listener's limits, on a gateway of their own with small values: a body slower than the
 * minimum data rate or slower than the request-read timeout gets 408 and its connection closed, an idle connection is
 * closed, connections beyond the limit wait to be accepted, and bodies beyond the buffer budget get 503.
 */
class SlowConnectionsTest {

    private static final int SLOW_UPLOADS = 1000;
    private static final String PATH = "/ws/BenefitInformationService";

    /** No minimum rate and a long read timeout: the thousand uploads stay open for as long as the test needs. */
    @RegisterExtension
    static final GatewayExtension GATEWAY = GatewayExtension.sandbox()
            .property("kelmu.http.min-request-data-rate", "0")
            .property("kelmu.http.request-read-timeout-ms", "60000").build();

    /** Small limits, to see each one work. */
    private static Gateway limited;

    @BeforeAll
    static void startTheGatewayWithSmallLimits() throws Exception {
        limited = GATEWAY.startAnother(Map.of(
                "kelmu.http.min-request-data-rate", "100",
                "kelmu.http.request-read-timeout-ms", "2000",
                "kelmu.http.idle-timeout-ms", "1500",
                "kelmu.http.max-connections", "20",
                "kelmu.http.max-buffered-bytes", "1000"));
    }

    @AfterAll
    static void stop() {
        if (limited != null) {
            limited.close();
        }
    }

    @Test
    void aThousandSlowUploadsDoNotDelayASignedRequest() throws Exception {
        // warm: the first signed request of a JVM loads the XML security stack
        assertEquals(200, SoapHttp.post(GATEWAY.serviceUrl(), signedRequest(), null).status());

        List<Socket> uploads = new ArrayList<>();
        AtomicBoolean trickling = new AtomicBoolean(true);
        Thread trickle = null;
        try {
            for (int i = 0; i < SLOW_UPLOADS; i++) {
                uploads.add(startUpload(GATEWAY.gateway(), i % 2 == 0));
            }
            trickle = new Thread(() -> trickle(uploads, trickling), "slow-uploads");
            trickle.start();

            byte[] request = signedRequest();
            long start = System.nanoTime();
            SoapHttp.Response answer = SoapHttp.post(GATEWAY.serviceUrl(), request, null);
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            assertEquals(200, answer.status(), answer.bodyText());
            assertTrue(took.compareTo(Duration.ofSeconds(1)) < 0, "the signed request took " + took.toMillis()
                    + " ms with " + SLOW_UPLOADS + " slow uploads open");

            start = System.nanoTime();
            assertEquals(200, get(GATEWAY.gateway(), PATH + "?wsdl").status());
            took = Duration.ofNanos(System.nanoTime() - start);
            assertTrue(took.compareTo(Duration.ofSeconds(1)) < 0, "?wsdl took " + took.toMillis() + " ms");

            // and the uploads were all there meanwhile: open, still sending, none answered
            trickling.set(false);
            trickle.join(5000);
            // each one more well-formed byte (a bare 'x' is a malformed chunk header on a chunked upload, which the
            // listener rightly answers with 400: that answer raced the check), then time for any answer to arrive
            for (int i = 0; i < uploads.size(); i++) {
                uploads.get(i).getOutputStream().write(continuation(i));
            }
            sleep(300);
            int answered = 0;
            for (Socket upload : uploads) {
                answered += upload.getInputStream().available() > 0 ? 1 : 0;
            }
            assertEquals(0, answered, "slow uploads answered before their bodies arrived");
        } finally {
            trickling.set(false);
            if (trickle != null) {
                trickle.join(5000);
            }
            closeAll(uploads);
        }
    }

    @Test
    void aBodySlowerThanTheMinimumRateGets408AndItsConnectionClosed() throws Exception {
        try (Socket upload = startUpload(limited, false)) {
            long start = System.nanoTime();
            String answer = trickleUntilAnswered(upload, 10);
            assertTrue(answer.startsWith("HTTP/1.1 408"), answer);
            assertTrue(answer.toLowerCase(java.util.Locale.ROOT).contains("connection: close"), answer);
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            assertTrue(took.compareTo(Duration.ofMillis(1900)) < 0, "refused after " + took.toMillis()
                    + " ms, by the read timeout, not the rate");
        }
    }

    @Test
    void aBodyThatDoesNotArriveWithinTheReadTimeoutGets408() throws Exception {
        try (Socket upload = startUpload(limited, false)) {
            long start = System.nanoTime();
            // 200 bytes a second: above the minimum rate, but 100 kB would take minutes
            String answer = trickleUntilAnswered(upload, 200);
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            assertTrue(answer.startsWith("HTTP/1.1 408"), answer);
            assertTrue(took.compareTo(Duration.ofMillis(1900)) > 0, "refused after " + took.toMillis() + " ms");
        }
    }

    @Test
    void anIdleConnectionIsClosed() throws Exception {
        try (Socket idle = connect(limited)) {
            idle.setSoTimeout(10_000);
            long start = System.nanoTime();
            assertEquals(-1, idle.getInputStream().read(), "the listener closes an idle connection");
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            assertTrue(took.compareTo(Duration.ofMillis(1000)) > 0 && took.compareTo(Duration.ofSeconds(5)) < 0,
                    "closed after " + took.toMillis() + " ms");
        }
    }

    @Test
    void connectionsBeyondTheLimitWaitToBeAccepted() throws Exception {
        List<Socket> held = new ArrayList<>();
        try {
            for (int i = 0; i < 20; i++) {
                held.add(connect(limited));
            }
            Thread.sleep(200);
            try (Socket beyond = connect(limited)) {
                beyond.getOutputStream().write(("GET " + PATH + "?wsdl HTTP/1.1\r\nHost: gateway\r\n"
                        + "Connection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                beyond.setSoTimeout(700);
                int first;
                try {
                    first = beyond.getInputStream().read();
                } catch (SocketTimeoutException e) {
                    first = -2;
                }
                assertEquals(-2, first, "a connection beyond the limit was served");
                closeAll(held);
                held.clear();
                beyond.setSoTimeout(10_000);
                String answer = new String(readAll(beyond.getInputStream()), StandardCharsets.ISO_8859_1);
                assertTrue(answer.startsWith("HTTP/1.1 200"),
                        "once connections closed: " + answer.lines().findFirst().orElse(""));
            }
        } finally {
            closeAll(held);
        }
    }

    @Test
    void bodiesBeyondTheBufferBudgetGet503() throws Exception {
        try (Socket upload = connect(limited)) {
            byte[] body = new byte[5000];
            java.util.Arrays.fill(body, (byte) 'x');
            OutputStream out = upload.getOutputStream();
            out.write(("POST " + PATH + " HTTP/1.1\r\nHost: gateway\r\nContent-Type: text/xml\r\nContent-Length: "
                    + body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(body);
            out.flush();
            upload.setSoTimeout(10_000);
            String answer = new String(readAll(upload.getInputStream()), StandardCharsets.ISO_8859_1);
            assertTrue(answer.startsWith("HTTP/1.1 503"), answer.lines().findFirst().orElse(""));
        }
    }

    /** A chunked body that turns out larger than kelmu.request.max-bytes is refused by the inbound chain as ever. */
    @Test
    void aChunkedBodyOverTheSizeLimitIsMessageTooLarge() throws Exception {
        byte[] large = new byte[1_200_000];
        java.util.Arrays.fill(large, (byte) ' ');
        java.net.http.HttpRequest request = java.net.http.HttpRequest.newBuilder(URI.create(GATEWAY.serviceUrl()))
                .header("Content-Type", "text/xml; charset=utf-8").timeout(Duration.ofSeconds(20))
                .POST(java.net.http.HttpRequest.BodyPublishers.ofInputStream(
                        () -> new java.io.ByteArrayInputStream(large))).build();
        java.net.http.HttpResponse<byte[]> response = java.net.http.HttpClient.newHttpClient().send(request,
                java.net.http.HttpResponse.BodyHandlers.ofByteArray());
        SoapHttp.Response answer = new SoapHttp.Response(response.statusCode(), response.body(), null);
        assertEquals(500, answer.status());
        assertEquals("soap:Client.MessageTooLarge", answer.faultCode().strip(), answer.bodyText());
    }

    /** Clients that send Expect: 100-continue (curl, .NET) wait for it before the body: the body is asked for. */
    @Test
    void aClientThatWaitsFor100ContinueIsAnswered() throws Exception {
        byte[] body = signedRequest();
        try (Socket socket = connect(GATEWAY.gateway())) {
            socket.setSoTimeout(5000);
            OutputStream out = socket.getOutputStream();
            out.write(("POST " + PATH + " HTTP/1.1\r\nHost: gateway\r\nContent-Type: text/xml; charset=utf-8\r\n"
                    + "Expect: 100-continue\r\nConnection: close\r\nContent-Length: " + body.length + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            byte[] interim = new byte[25];
            int n = in.readNBytes(interim, 0, interim.length);
            assertTrue(new String(interim, 0, n, StandardCharsets.ISO_8859_1).startsWith("HTTP/1.1 100"),
                    new String(interim, 0, n, StandardCharsets.ISO_8859_1));
            out.write(body);
            out.flush();
            // read to the end of the envelope: Jetty keeps such a connection open after the answer
            ByteArrayOutputStream received = new ByteArrayOutputStream();
            while (!received.toString(StandardCharsets.ISO_8859_1).endsWith("Envelope>")) {
                int b = in.read();
                if (b == -1) {
                    break;
                }
                received.write(b);
            }
            String answer = received.toString(StandardCharsets.ISO_8859_1);
            assertTrue(answer.contains("HTTP/1.1 200"), answer.lines().limit(3).toList().toString());
        }
    }

    // --- helpers

    private static byte[] signedRequest() {
        return Signing.signedFixture("get-benefit-data-hva.xml", HVA);
    }

    private static Socket connect(Gateway gateway) throws IOException {
        URI service = URI.create(gateway.serviceUrl());
        Socket socket = new Socket(service.getHost(), service.getPort());
        socket.setTcpNoDelay(true);
        return socket;
    }

    /** A POST of a 100 kB body, chunked or with its Content-Length, of which only the first byte is sent. */
    private static Socket startUpload(Gateway gateway, boolean chunked) throws IOException {
        Socket socket = connect(gateway);
        String head = "POST " + PATH + " HTTP/1.1\r\nHost: gateway\r\nContent-Type: text/xml; charset=utf-8\r\n"
                + (chunked ? "Transfer-Encoding: chunked\r\n\r\n1\r\n<\r\n" : "Content-Length: 100000\r\n\r\n<");
        socket.getOutputStream().write(head.getBytes(StandardCharsets.US_ASCII));
        return socket;
    }

    /** One more body byte of upload {@code i}, well-formed: a chunk of one byte for the chunked (even) ones. */
    private static byte[] continuation(int i) {
        return i % 2 == 0 ? "1\r\nx\r\n".getBytes(StandardCharsets.US_ASCII) : new byte[] {'x'};
    }

    /** Sends every upload a byte every half second: chunked or not, one byte is a well-formed continuation. */
    private static void trickle(List<Socket> uploads, AtomicBoolean trickling) {
        while (trickling.get()) {
            for (int i = 0; i < uploads.size() && trickling.get(); i++) {
                try {
                    uploads.get(i).getOutputStream().write(continuation(i));
                } catch (IOException e) {
                    // a closed upload is seen by the assertions
                }
            }
            sleep(500);
        }
    }

    /** Sends {@code bytesPerSecond} body bytes a second, in tenths, until the gateway answers; the answer. */
    private static String trickleUntilAnswered(Socket upload, int bytesPerSecond) throws IOException {
        upload.setSoTimeout(100);
        InputStream in = upload.getInputStream();
        OutputStream out = upload.getOutputStream();
        ByteArrayOutputStream answer = new ByteArrayOutputStream();
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        int perTenth = Math.max(1, bytesPerSecond / 10);
        while (System.nanoTime() < deadline) {
            try {
                byte[] part = new byte[perTenth];
                java.util.Arrays.fill(part, (byte) 'x');
                out.write(part);
                out.flush();
            } catch (IOException closed) {
                break;
            }
            try {
                int n = in.read();
                if (n == -1) {
                    break;
                }
                answer.write(n);
                answer.write(in.readNBytes(in.available()));
                upload.setSoTimeout(2000);
                answer.write(readAll(in));
                break;
            } catch (SocketTimeoutException e) {
                // not answered yet
            }
        }
        return answer.toString(StandardCharsets.ISO_8859_1);
    }

    private static byte[] readAll(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        try {
            int n;
            while ((n = in.read(buffer)) != -1) {
                out.write(buffer, 0, n);
            }
        } catch (SocketTimeoutException | java.net.SocketException e) {
            // what arrived is the answer
        }
        return out.toByteArray();
    }

    private static SoapHttp.Response get(Gateway gateway, String pathAndQuery) throws IOException {
        try (Socket socket = connect(gateway)) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(("GET " + pathAndQuery + " HTTP/1.0\r\nHost: gateway\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            String answer = new String(readAll(socket.getInputStream()), StandardCharsets.ISO_8859_1);
            int status = Integer.parseInt(answer.substring(9, 12));
            return new SoapHttp.Response(status, answer.getBytes(StandardCharsets.ISO_8859_1), null);
        }
    }

    private static void closeAll(List<Socket> sockets) {
        for (Socket socket : sockets) {
            try {
                socket.close();
            } catch (IOException e) {
                // closing
            }
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
