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

    static HttpResponse<byte[]> send(HttpClient client, HttpRequest request, URI endpoint, Duration connectTimeout,
            Duration readTimeout) {
        try {
            return client.send(request, HttpResponse.BodyHandlers.ofByteArray());
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
