package fi.kelmu.gateway.bench;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The benchmark backend's answer memo for benefit queries: an HTTP/1.1 server in the backend process that answers
 * a benefit query it has seen before with the answer the simulator gave to those very bytes, and passes every other
 * request to the simulator. The benefit simulator's answer is a function of the query's body and its seed data
 * alone (no clock, no state), so the memo changes nothing the gateway receives; it takes the simulator's JAXB work
 * and the JDK HTTP server off the two cores the gateway shares with the backend. The gateway still builds, sends,
 * reads and validates every backend call.
 *
 * <p>Kept answers: those of POSTs to the memoised paths with status 200, 403 or 404 (the simulator's answers about
 * the query; a 5xx or any other request is passed on every time), at most {@link #MAX_KEPT} of them. The request's
 * {@code X-Correlation-Id} differs per call and is not part of the answer, so it is not part of the key.
 */
final class BenefitAnswerMemo implements AutoCloseable {

    /** Most answers kept; the benchmark's queries are a handful of distinct bodies. */
    static final int MAX_KEPT = 10_000;
    private static final Set<Integer> KEPT_STATUSES = Set.of(200, 403, 404);
    private static final Set<String> PASSED_HEADERS = Set.of("content-type", "accept", "x-correlation-id");

    private final URI upstream;
    private final Set<String> memoisedPaths;
    private final ServerSocket server;
    private final HttpClient client;
    private final Map<Key, Answer> kept = new ConcurrentHashMap<>();
    private final AtomicLong passed = new AtomicLong();
    private final AtomicLong fromMemo = new AtomicLong();
    private final Thread acceptor;
    private volatile boolean closed;

    /** The request a kept answer belongs to: its path and the bytes of its body. */
    private record Key(String target, byte[] body) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && target.equals(k.target) && Arrays.equals(body, k.body);
        }

        @Override
        public int hashCode() {
            return 31 * target.hashCode() + Arrays.hashCode(body);
        }

        @Override
        public String toString() {
            return target + " (" + body.length + " bytes)";
        }
    }

    /** An answer as it goes back on the wire. */
    private record Answer(int status, byte[] wire) {
    }

    private BenefitAnswerMemo(URI upstream, Set<String> memoisedPaths, ServerSocket server) {
        this.upstream = upstream;
        this.memoisedPaths = Set.copyOf(memoisedPaths);
        this.server = server;
        this.client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
        this.acceptor = new Thread(this::accept, "answer-memo-accept");
        this.acceptor.setDaemon(true);
    }

    /**
     * Serves on a free loopback port: requests to the paths of {@code memoisedPaths} (paths of the upstream's
     * server, e.g. {@code /kela/benefit-backend/v1/benefit-data}) are answered from memory when seen before,
     * everything else goes to {@code upstream} (scheme, host and port; the path is the request's).
     */
    static BenefitAnswerMemo start(URI upstream, Set<String> memoisedPaths) throws IOException {
        ServerSocket socket = new ServerSocket();
        socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 128);
        BenefitAnswerMemo memo = new BenefitAnswerMemo(upstream, memoisedPaths, socket);
        memo.acceptor.start();
        return memo;
    }

    /** {@code http://127.0.0.1:port}, to which the upstream's paths are appended. */
    URI baseUrl() {
        return URI.create("http://" + server.getInetAddress().getHostAddress() + ":" + server.getLocalPort());
    }

    /** Requests answered by the upstream (every first of a kind, and all that are not kept). */
    long passed() {
        return passed.get();
    }

    /** Requests answered from memory. */
    long fromMemo() {
        return fromMemo.get();
    }

    private void accept() {
        while (!closed) {
            try {
                Socket socket = server.accept();
                socket.setTcpNoDelay(true);
                Thread connection = new Thread(() -> serve(socket), "answer-memo-connection");
                connection.setDaemon(true);
                connection.start();
            } catch (IOException e) {
                if (!closed) {
                    System.err.println("answer memo: accept failed: " + e);
                }
            }
        }
    }

    /** One kept-alive connection, its requests one after the other. */
    private void serve(Socket socket) {
        try (socket) {
            HttpMessageReader reader = new HttpMessageReader(new BufferedInputStream(socket.getInputStream(), 16384));
            OutputStream out = new BufferedOutputStream(socket.getOutputStream(), 16384);
            while (!closed) {
                HttpMessageReader.Request request;
                try {
                    request = reader.readRequest();
                } catch (EOFException e) {
                    return; // the client closed the connection between requests
                }
                out.write(answer(request).wire());
                out.flush();
                if (!request.keepAlive()) {
                    return;
                }
            }
        } catch (IOException | RuntimeException e) {
            if (!closed) {
                System.err.println("answer memo: connection ended: " + e);
            }
        }
    }

    private Answer answer(HttpMessageReader.Request request) throws IOException {
        boolean memoised = "POST".equals(request.method()) && memoisedPaths.contains(request.target());
        Key key = memoised ? new Key(request.target(), request.body()) : null;
        if (key != null) {
            Answer known = kept.get(key);
            if (known != null) {
                fromMemo.incrementAndGet();
                return known;
            }
        }
        Answer answer = pass(request);
        passed.incrementAndGet();
        if (key != null && KEPT_STATUSES.contains(answer.status()) && kept.size() < MAX_KEPT) {
            kept.putIfAbsent(key, answer);
        }
        return answer;
    }

    /** The upstream's answer to {@code request}; a 502 when the upstream cannot be reached. */
    private Answer pass(HttpMessageReader.Request request) throws IOException {
        HttpRequest.Builder builder = HttpRequest.newBuilder(upstream.resolve(request.target()))
                .timeout(Duration.ofSeconds(30))
                .method(request.method(), request.body().length == 0 ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(request.body()));
        request.headers().forEach((name, value) -> {
            if (PASSED_HEADERS.contains(name)) {
                builder.header(name, value);
            }
        });
        try {
            HttpResponse<byte[]> response = client.send(builder.build(), HttpResponse.BodyHandlers.ofByteArray());
            return wire(response.statusCode(), response.headers().firstValue("content-type").orElse(null),
                    response.body());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted passing a request on", e);
        } catch (IOException e) {
            return wire(502, "text/plain; charset=UTF-8", ("upstream: " + e).getBytes(StandardCharsets.UTF_8));
        }
    }

    private static Answer wire(int status, String contentType, byte[] body) {
        StringBuilder head = new StringBuilder(128).append("HTTP/1.1 ").append(status).append(' ')
                .append(status < 400 ? "OK" : "Error").append("\r\n");
        if (contentType != null) {
            head.append("Content-Type: ").append(contentType).append("\r\n");
        }
        head.append("Content-Length: ").append(body.length).append("\r\n\r\n");
        byte[] headBytes = head.toString().getBytes(StandardCharsets.ISO_8859_1);
        byte[] wire = Arrays.copyOf(headBytes, headBytes.length + body.length);
        System.arraycopy(body, 0, wire, headBytes.length, body.length);
        return new Answer(status, wire);
    }

    @Override
    public void close() throws IOException {
        closed = true;
        server.close();
    }
}
