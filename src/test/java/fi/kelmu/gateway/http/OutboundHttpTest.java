package fi.kelmu.gateway.http;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import fi.kelmu.gateway.sandbox.SandboxPki;
import fi.kelmu.gateway.support.SandboxTls;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The outbound client answers on its selector thread: no pool thread takes part in a call, over plain HTTP and TLS,
 * kept-alive and new connections, large bodies both ways; a backend that does not answer times out without holding
 * up the calls beside it.
 */
class OutboundHttpTest {

    private static final Pattern SELECTOR = Pattern.compile("HttpClient-(\\d+)-SelectorManager");
    private static final Duration CONNECT = Duration.ofSeconds(5);
    private static final byte[] ANSWER = bytes(3_000, 1);
    /** The silent call's read timeout; the silent backend answers only after 4 s. */
    private static final long SILENT_TIMEOUT_MS = 2_000;
    private static final byte[] LARGE = bytes(2 * 1024 * 1024, 2);

    private static WireMockServer backend;
    private static SSLContext trust;

    @BeforeAll
    static void backend(@TempDir Path dir) throws Exception {
        Path tlsKeys = SandboxTls.localhostKeyStore(dir, "backend-tls.p12");
        backend = new WireMockServer(wireMockConfig().dynamicPort().dynamicHttpsPort()
                .keystorePath(tlsKeys.toString()).keystoreType("PKCS12")
                .keystorePassword(new String(SandboxPki.PASSWORD)).keyManagerPassword(new String(SandboxPki.PASSWORD)));
        backend.start();
        backend.stubFor(post(urlEqualTo("/answer")).willReturn(aResponse().withStatus(200).withBody(ANSWER)));
        backend.stubFor(post(urlEqualTo("/large")).willReturn(aResponse().withStatus(200).withBody(LARGE)));
        backend.stubFor(post(urlEqualTo("/silent")).willReturn(aResponse().withStatus(200).withFixedDelay(4_000)));

        trust = SSLContext.getInstance("TLS");
        trust.init(null, SandboxTls.trustingTheSandboxCa().getTrustManagers(), null);
    }

    @AfterAll
    static void stop() {
        backend.stop();
    }

    @Test
    void plainHttpCallsAreAnsweredWithoutAPoolThread() throws Exception {
        Clients clients = Clients.open(() -> OutboundHttp.client(CONNECT));
        callConcurrently(clients.client(), http("/answer"), 8, 40, ANSWER);
        assertEquals(Set.of(), clients.workers(), "threads of a pool took part in the calls");
    }

    @Test
    void tlsCallsOverNewAndKeptConnectionsAreAnsweredWithoutAPoolThread() throws Exception {
        Clients clients = Clients.open(() -> OutboundHttp.client(CONNECT, trust));
        // 8 callers at once: 8 handshakes, then the connections are reused
        callConcurrently(clients.client(), https("/answer"), 8, 25, ANSWER);
        assertEquals(Set.of(), clients.workers(), "threads of a pool took part in the calls");
    }

    @Test
    void largeBodiesCrossTlsBothWays() throws Exception {
        HttpClient client = OutboundHttp.client(CONNECT, trust);
        int before = backend.getAllServeEvents().size();
        HttpResponse<byte[]> response = client.send(HttpRequest.newBuilder(https("/large"))
                .timeout(Duration.ofSeconds(20)).POST(HttpRequest.BodyPublishers.ofByteArray(LARGE)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, response.statusCode());
        assertArrayEquals(LARGE, response.body());
        List<ServeEvent> events = backend.getAllServeEvents(); // newest first
        assertEquals(before + 1, events.size());
        assertArrayEquals(LARGE, events.get(0).getRequest().getBody());
    }

    @Test
    void aBackendThatDoesNotAnswerTimesOutWhileTheCallsBesideItAreAnswered() throws Exception {
        HttpClient client = OutboundHttp.client(CONNECT);
        long started = System.nanoTime();
        CompletableFuture<Class<?>> silent = CompletableFuture.supplyAsync(() -> {
            try {
                client.send(request(http("/silent")).timeout(Duration.ofMillis(SILENT_TIMEOUT_MS)).build(),
                        HttpResponse.BodyHandlers.ofByteArray());
                return null;
            } catch (Exception e) {
                return e.getClass();
            }
        });
        // while the silent backend holds its connection, the others are answered at once: 20 local calls take a
        // few tens of milliseconds, so the timeout leaves a wide margin on a slow machine
        for (int i = 0; i < 20; i++) {
            HttpResponse<byte[]> answer = client.send(request(http("/answer")).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            assertArrayEquals(ANSWER, answer.body());
        }
        assertFalse(silent.isDone(), "the silent call ended before its timeout");
        assertEquals(HttpTimeoutException.class, silent.get(10, TimeUnit.SECONDS));
        long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
        assertTrue(tookMillis >= SILENT_TIMEOUT_MS && tookMillis < 3_900, "timed out after " + tookMillis + " ms");
    }

    /** The check above can fail: the JDK's default client hands every answer to a thread of its pool. */
    @Test
    void theDefaultClientWouldHandAnswersToAPoolThread() throws Exception {
        Clients clients = Clients.open(() -> HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build());
        callConcurrently(clients.client(), http("/answer"), 2, 5, ANSWER);
        assertFalse(clients.workers().isEmpty(), "the default client used no pool thread");
    }

    private static void callConcurrently(HttpClient client, URI uri, int callers, int calls, byte[] expected)
            throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(callers);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int c = 0; c < callers; c++) {
                done.add(pool.submit(() -> {
                    for (int i = 0; i < calls; i++) {
                        HttpResponse<byte[]> response = client.send(request(uri).timeout(Duration.ofSeconds(10))
                                .build(), HttpResponse.BodyHandlers.ofByteArray());
                        assertEquals(200, response.statusCode());
                        assertArrayEquals(expected, response.body());
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private static HttpRequest.Builder request(URI uri) {
        return HttpRequest.newBuilder(uri).header("Content-Type", "application/xml")
                .POST(HttpRequest.BodyPublishers.ofByteArray(bytes(1_000, 3)));
    }

    private static URI http(String path) {
        return URI.create("http://localhost:" + backend.port() + path);
    }

    private static URI https(String path) {
        return URI.create("https://localhost:" + backend.httpsPort() + path);
    }

    private static byte[] bytes(int length, long seed) {
        byte[] bytes = new byte[length];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    /** A client and the JDK's number for it, found by the selector thread it started. */
    private record Clients(HttpClient client, String id) {

        static Clients open(java.util.function.Supplier<HttpClient> factory) {
            Set<String> before = selectorIds();
            HttpClient client = factory.get();
            Set<String> started = selectorIds();
            started.removeAll(before);
            assertEquals(1, started.size(), "selector threads started: " + started);
            return new Clients(client, started.iterator().next());
        }

        /** Live threads of this client's pool (the JDK names them HttpClient-id-Worker-n). */
        Set<String> workers() {
            String prefix = "HttpClient-" + id + "-Worker-";
            return Thread.getAllStackTraces().keySet().stream().map(Thread::getName)
                    .filter(name -> name.startsWith(prefix)).collect(Collectors.toSet());
        }

        private static Set<String> selectorIds() {
            return Thread.getAllStackTraces().keySet().stream().map(Thread::getName).map(SELECTOR::matcher)
                    .filter(Matcher::matches).map(m -> m.group(1)).collect(Collectors.toSet());
        }
    }
}
