package fi.kelmu.gateway.http;

import java.net.http.HttpClient;
import java.time.Duration;
import java.util.concurrent.Executor;
import javax.net.ssl.SSLContext;

/**
 * The JDK HTTP client of every call the gateway makes itself: to the backends and to the mandate service
 * (docs/architecture.md, the pipeline's step 8).
 *
 * <p>HTTP/1.1, no redirects followed, and the client's asynchronous work run on the thread that has it: the
 * caller's thread writes the request, the client's one selector thread reads the answer and completes the call.
 * With the JDK's default (a cached pool), each answer is handed from the selector thread to a pool thread and from
 * there to the waiting caller, and the pool starts and ends threads as the load moves: measured apart, a call cost
 * more than twice the client CPU (docs/benchmark.md, "The backend call on the selector thread"). What runs on the
 * selector thread is short: reading the answer's bytes into an array ({@code BodyHandlers.ofByteArray}, the only
 * body handler the gateway uses), and, on a TLS connection, the handshake's delegated tasks, once per connection
 * kept alive. Timeouts are the selector thread's own timers, so a backend that does not answer holds no thread but
 * its caller's.
 */
public final class OutboundHttp {

    /** Runs the client's asynchronous tasks where they are submitted: on its selector thread. */
    static final Executor SAME_THREAD = Runnable::run;

    private OutboundHttp() {
    }

    /** A client for one backend or service, with the JVM's default TLS settings and trust. */
    public static HttpClient client(Duration connectTimeout) {
        return builder(connectTimeout).build();
    }

    /** As {@link #client(Duration)} with the TLS settings and trust of {@code tls} (tests with their own PKI). */
    static HttpClient client(Duration connectTimeout, SSLContext tls) {
        return builder(connectTimeout).sslContext(tls).build();
    }

    private static HttpClient.Builder builder(Duration connectTimeout) {
        return HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(connectTimeout)
                .followRedirects(HttpClient.Redirect.NEVER)
                .executor(SAME_THREAD);
    }
}
