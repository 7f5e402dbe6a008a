package fi.kelmu.gateway.transport;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpHeaderValue;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.Scheduler;

/**
 * The listener's handler: a POST is dispatched to the CXF endpoints (the handlers CXF adds to this sequence) only
 * once its body has arrived whole. Until then the body is read without a thread, as the network delivers it, so a
 * slow upload costs a connection and the bytes it sent, never one of the threads that answer requests; and it must
 * arrive within {@link ListenerSettings.Limits#requestReadTimeout()} and at
 * {@link ListenerSettings.Limits#minRequestDataRate()} on average, or it is answered 408 and its connection closed.
 * The bodies held at once are bounded ({@link ListenerSettings.Limits#maxBufferedBytes()}, else 503).
 *
 * <p>A body declared larger than {@code kelmu.request.max-bytes} is dispatched at once, and one that turns out larger
 * while it arrives is dispatched with what has arrived and the rest to come: the inbound chain refuses both with
 * {@code Client.MessageTooLarge} without reading on. Requests without a body (GET ?wsdl) are dispatched at once.
 *
 * <p>A sequence, not a wrapper, because CXF's Jetty engine adds each endpoint's context to the server's handler
 * when that is a collection ({@code JettyHTTPServerEngine.addServant}).
 */
final class WholeRequestDispatch extends Handler.Sequence {

    /** The rate is checked once a request has been arriving this long: a first TCP segment may come alone. */
    static final long RATE_GRACE_NANOS = TimeUnit.SECONDS.toNanos(1);
    private static final int INITIAL_BUFFER = 16 * 1024;

    private final long maxRequestBytes;
    private final ListenerSettings.Limits limits;
    private final AtomicLong buffered = new AtomicLong();

    WholeRequestDispatch(long maxRequestBytes, ListenerSettings.Limits limits) {
        super(true, List.of());
        this.maxRequestBytes = maxRequestBytes;
        this.limits = limits;
    }

    /** Each context once: CXF's engine adds its contexts to this sequence again with every endpoint it adds. */
    @Override
    protected List<Handler> newHandlers(List<Handler> handlers) {
        return handlers == null ? List.of() : handlers.stream().distinct().toList();
    }

    /** Bytes of request bodies held now, across requests. */
    long buffered() {
        return buffered.get();
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        long declared = request.getLength();
        if (!HttpMethod.POST.is(request.getMethod()) || declared == 0 || declared > maxRequestBytes) {
            return super.handle(request, response, callback);
        }
        new Arrival(request, response, callback).start();
        return true;
    }

    /** Dispatches {@code request} to the endpoints; 404 when none takes it. */
    private void dispatch(Request request, Response response, Callback callback) {
        try {
            if (!super.handle(request, response, callback)) {
                Response.writeError(request, response, callback, HttpStatus.NOT_FOUND_404);
            }
        } catch (Throwable failure) {
            Response.writeError(request, response, callback, failure);
        }
    }

    /** One request's body as it arrives. */
    private final class Arrival implements Runnable {

        private final Request request;
        private final Response response;
        private final Callback callback;
        private final long started = System.nanoTime();
        private final AtomicBoolean settled = new AtomicBoolean();
        private final AtomicLong held = new AtomicLong();
        private byte[] body;
        private int length;
        private Scheduler.Task timeout;

        Arrival(Request request, Response response, Callback callback) {
            this.request = request;
            this.response = response;
            this.callback = callback;
            // grown as bytes arrive, never sized by what a request declares: a declared megabyte that never comes
            // must not cost one
            this.body = new byte[(int) Math.min(INITIAL_BUFFER, Math.max(1, request.getLength()))];
        }

        void start() {
            // whatever becomes of the request, the bytes it holds are given back when it completes
            Request.addCompletionListener(request, failure -> release());
            timeout = request.getComponents().getScheduler().schedule(this::tooSlow,
                    limits.requestReadTimeout().toMillis(), TimeUnit.MILLISECONDS);
            read(false);
        }

        /** The demand callback: more of the body can be read. */
        @Override
        public void run() {
            read(true);
        }

        /**
         * Reads what has arrived. Dispatches in this thread when the body was there already (the usual case: it
         * came with the headers), on a thread of the pool when called back, since demand callbacks must not block.
         */
        private void read(boolean calledBack) {
            while (!settled.get()) {
                Content.Chunk chunk = request.read();
                if (chunk == null) {
                    request.demand(this);
                    return;
                }
                if (Content.Chunk.isFailure(chunk)) {
                    if (settle()) {
                        callback.failed(chunk.getFailure());
                    }
                    return;
                }
                ByteBuffer bytes = chunk.getByteBuffer();
                int n = bytes.remaining();
                if (!reserve(n)) {
                    chunk.release();
                    refuse(HttpStatus.SERVICE_UNAVAILABLE_503);
                    return;
                }
                append(bytes);
                boolean last = chunk.isLast();
                chunk.release();
                if (length > maxRequestBytes) {
                    // the inbound chain refuses it as too large, reading no further than its limit
                    settleAndDispatch(new Arrived(request, ByteBuffer.wrap(body, 0, length), last), calledBack);
                    return;
                }
                if (last) {
                    settleAndDispatch(new Arrived(request, ByteBuffer.wrap(body, 0, length), true), calledBack);
                    return;
                }
                if (belowMinimumRate()) {
                    refuse(HttpStatus.REQUEST_TIMEOUT_408);
                    return;
                }
            }
        }

        private void append(ByteBuffer bytes) {
            int n = bytes.remaining();
            if (length + n > body.length) {
                long declared = request.getLength();
                long most = declared > 0 ? Math.max(declared, (long) length + n) : maxRequestBytes + (long) n;
                byte[] larger = new byte[(int) Math.min(Math.max(body.length * 2L, (long) length + n), most)];
                System.arraycopy(body, 0, larger, 0, length);
                body = larger;
            }
            bytes.get(body, length, n);
            length += n;
        }

        private boolean belowMinimumRate() {
            long elapsed = System.nanoTime() - started;
            long rate = limits.minRequestDataRate();
            return rate > 0 && elapsed >= RATE_GRACE_NANOS
                    && length < rate * TimeUnit.NANOSECONDS.toMillis(elapsed) / 1000;
        }

        private void tooSlow() {
            refuse(HttpStatus.REQUEST_TIMEOUT_408);
        }

        private void settleAndDispatch(Request arrived, boolean calledBack) {
            if (!settle()) {
                return;
            }
            if (calledBack) {
                request.getContext().execute(() -> dispatch(arrived, response, callback));
            } else {
                dispatch(arrived, response, callback);
            }
        }

        /** Answers {@code status} with no SOAP (the request never arrived whole) and closes the connection. */
        private void refuse(int status) {
            if (!settle()) {
                return;
            }
            response.getHeaders().put(HttpHeader.CONNECTION, HttpHeaderValue.CLOSE.asString());
            Response.writeError(request, response, callback, status);
        }

        /** The request's outcome is decided once: dispatched, refused, or failed. */
        private boolean settle() {
            if (!settled.compareAndSet(false, true)) {
                return false;
            }
            if (timeout != null) {
                timeout.cancel();
            }
            return true;
        }

        private boolean reserve(int n) {
            long limit = limits.maxBufferedBytes();
            while (true) {
                long now = buffered.get();
                if (now + n > limit) {
                    return false;
                }
                if (buffered.compareAndSet(now, now + n)) {
                    held.addAndGet(n);
                    return true;
                }
            }
        }

        private void release() {
            buffered.addAndGet(-held.getAndSet(0));
        }
    }

    /**
     * The request as the endpoints read it: the body that arrived, in one chunk, then (when it is all there) the end,
     * or else the rest as the network delivers it.
     */
    private static final class Arrived extends Request.Wrapper {

        private final boolean whole;
        private Content.Chunk first;

        Arrived(Request request, ByteBuffer body, boolean whole) {
            super(request);
            this.whole = whole;
            this.first = Content.Chunk.from(body, whole);
        }

        @Override
        public Content.Chunk read() {
            synchronized (this) {
                Content.Chunk chunk = first;
                if (chunk != null) {
                    first = null;
                    return chunk;
                }
            }
            return whole ? Content.Chunk.EOF : super.read();
        }

        @Override
        public void demand(Runnable demandCallback) {
            boolean available;
            synchronized (this) {
                available = first != null || whole;
            }
            if (available) {
                getContext().execute(demandCallback);
            } else {
                super.demand(demandCallback);
            }
        }
    }
}
