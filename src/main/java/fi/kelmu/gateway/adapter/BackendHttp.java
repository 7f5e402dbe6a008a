package fi.kelmu.gateway.adapter;

import fi.kelmu.gateway.fault.FaultCode;
import fi.kelmu.gateway.fault.GatewayException;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;

/**
 * One call to a backend whose answer a caller waits for, shared by the adapters: a failure to get an answer is a
 * typed fault ({@code Server.BackendUnavailable} for no connection or an I/O failure, {@code Server.BackendTimeout}
 * for no answer in time), whatever the answer then says is the adapter's to read.
 */
final class BackendHttp {

    private BackendHttp() {
    }

    /** What the JDK client says when the server closed a kept-alive connection the request was just written to. */
    static final String STALE_CONNECTION = "header parser received no bytes";

    /**
     * Sends {@code request}. A connection the backend had already closed (it closes idle kept-alive connections,
     * and under load one is sometimes reused at that moment: 1 request in about 20 000 at 256 connections in the
     * benchmark) is retried once on a new connection, within what is left of the read timeout; every backend call
     * may be sent twice (queries read, a delivery carries its idempotency key).
     */
    static HttpResponse<byte[]> send(HttpClient client, HttpRequest request, URI endpoint, Duration connectTimeout,
            Duration readTimeout) {
        long started = System.nanoTime();
        try {
            try {
                return client.send(request, HttpResponse.BodyHandlers.ofByteArray());
            } catch (IOException e) {
                Duration left = readTimeout.minusNanos(System.nanoTime() - started);
                if (!(e instanceof HttpTimeoutException) && String.valueOf(e.getMessage()).contains(STALE_CONNECTION)
                        && left.compareTo(Duration.ofMillis(1)) > 0) {
                    return client.send(HttpRequest.newBuilder(request, (name, value) -> true).timeout(left).build(),
                            HttpResponse.BodyHandlers.ofByteArray());
                }
                throw e;
            }
        } catch (HttpConnectTimeoutException e) {
            throw new GatewayException(FaultCode.BACKEND_UNAVAILABLE, null,
                    "connect to " + endpoint + " timed out after " + connectTimeout, e);
        } catch (HttpTimeoutException e) {
            throw new GatewayException(FaultCode.BACKEND_TIMEOUT, null,
                    "no answer from " + endpoint + " within " + readTimeout, e);
        } catch (IOException e) {
            throw new GatewayException(FaultCode.BACKEND_UNAVAILABLE, null,
                    "I/O failure calling " + endpoint + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new GatewayException(FaultCode.BACKEND_UNAVAILABLE, null, "interrupted calling " + endpoint, e);
        }
    }
}
