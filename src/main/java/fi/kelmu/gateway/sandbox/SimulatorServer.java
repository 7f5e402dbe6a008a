package fi.kelmu.gateway.sandbox;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The JDK HTTP server the sandbox simulators answer on: daemon worker threads, Nagle off, one context
 * path. Sandbox only; production talks to the real services.
 */
final class SimulatorServer implements AutoCloseable {

    private final HttpServer server;
    private final ExecutorService executor;
    private final String contextPath;

    private SimulatorServer(HttpServer server, ExecutorService executor, String contextPath) {
        this.server = server;
        this.executor = executor;
        this.contextPath = contextPath;
    }

    /** A server on {@code host:port} (port 0: any free port), not yet started. */
    static SimulatorServer create(String host, int port, int threads, String threadName, String contextPath)
            throws IOException {
        // the JDK server leaves Nagle's algorithm on unless told otherwise: with delayed ACKs every answer
        // would wait ~40 ms; read once, when the JDK's server configuration is first loaded
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
        HttpServer server = HttpServer.create(new InetSocketAddress(host, port), 64);
        ExecutorService executor = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, threadName);
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        return new SimulatorServer(server, executor, contextPath);
    }

    void handle(String path, HttpHandler handler) {
        server.createContext(contextPath + path, handler);
    }

    void start() {
        server.start();
    }

    URI baseUrl() {
        InetSocketAddress address = server.getAddress();
        return URI.create("http://" + address.getHostString() + ":" + address.getPort() + contextPath);
    }

    static void send(HttpExchange http, int status, String contentType, byte[] body) throws IOException {
        http.getResponseHeaders().set("Content-Type", contentType);
        http.sendResponseHeaders(status, body.length);
        try (OutputStream out = http.getResponseBody()) {
            out.write(body);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
