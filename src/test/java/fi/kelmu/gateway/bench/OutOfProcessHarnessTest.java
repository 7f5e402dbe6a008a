package fi.kelmu.gateway.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

/**
 * The pure parts of the out-of-process benchmark ({@link OutOfProcessBenchmark}), in the normal suite so that
 * the harness does not rot: the HTTP message reader, the backend's answer memo, the /proc and jcmd parsers, the
 * percentiles.
 */
class OutOfProcessHarnessTest {

    private static HttpMessageReader reader(String wire) {
        return new HttpMessageReader(new ByteArrayInputStream(wire.getBytes(StandardCharsets.ISO_8859_1)));
    }

    @Test
    void readsKeptAliveResponsesByContentLengthAndChunked() throws Exception {
        HttpMessageReader r = reader("HTTP/1.1 200 OK\r\nContent-Type: text/xml\r\nContent-Length: 5\r\n\r\nhello"
                + "HTTP/1.1 500 Server Error\r\nTransfer-Encoding: chunked\r\n\r\n4;ext=1\r\n<a:F\r\n"
                + "f\r\nault><faultcode\r\n14\r\n>soap:Client</faultc\r\n0\r\nX-Trailer: t\r\n\r\n"
                + "HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
        HttpMessageReader.Response first = r.read();
        assertEquals(200, first.status());
        assertArrayEquals("hello".getBytes(StandardCharsets.US_ASCII), first.body());
        assertTrue(first.keepAlive());
        assertNull(first.soapFault());
        HttpMessageReader.Response second = r.read();
        assertEquals(500, second.status());
        assertEquals("<a:Fault><faultcode>soap:Client</faultc", new String(second.body(), StandardCharsets.UTF_8));
        assertEquals("soap:Client", second.soapFault());
        HttpMessageReader.Response third = r.read();
        assertEquals(0, third.body().length);
        assertFalse(third.keepAlive());
        assertThrows(EOFException.class, r::read);
    }

    @Test
    void readsABodyWithoutLengthUpToTheEnd() throws Exception {
        HttpMessageReader.Response response = reader("HTTP/1.0 200 OK\nContent-Type: text/xml\n\n<x/>").read();
        assertEquals("<x/>", new String(response.body(), StandardCharsets.UTF_8));
        assertFalse(response.keepAlive());
        assertThrows(EOFException.class, () -> reader("HTTP/1.1 200 OK\r\nContent-Length: 9\r\n\r\nshort").read());
    }

    @Test
    void parsesProcStatWithParenthesesInTheCommandName() {
        String stat = "4242 (java (x) y) S 1 4242 4242 0 -1 4194560 1000 0 0 0 1234 567 0 0 20 0 40 0 100 1 2 3";
        assertEquals(1234 + 567, ProcStats.cpuTicks(stat));
        String status = "Name:\tjava\nVmHWM:\t  204800 kB\nVmRSS:\t  102400 kB\nThreads:\t40\n";
        assertEquals(102400, ProcStats.statusKb(status, "VmRSS"));
        assertEquals(204800, ProcStats.statusKb(status, "VmHWM"));
        assertEquals(-1, ProcStats.statusKb(status, "VmSwap"));
    }

    @Test
    void parsesJcmdAnswers() {
        String g1 = "4242:\n garbage-first heap   total 262144K, used 35123K [0x00000000f0000000, 0x0000000100000000)\n"
                + "  region size 1024K, 3 young (3072K), 0 survivors (0K)\n Metaspace       used 60000K, committed 61000K\n";
        assertEquals(35123, ProcStats.heapUsedKb(g1));
        String parallel = "1:\n PSYoungGen      total 76288K, used 1310K [0x0000000780000000)\n"
                + " ParOldGen       total 175104K, used 20480K [0x0000000700000000)\n";
        assertEquals(-1, ProcStats.heapUsedKb("nothing here"));
        assertTrue(ProcStats.heapUsedKb(parallel) < 0 || ProcStats.heapUsedKb(parallel) == 1310);
        String counters = "4242:\nsun.ci.lastMethod=\"x\"\nsun.ci.totalCompiles=15342\nsun.ci.totalBailouts=2\n";
        assertEquals(15342, ProcStats.totalCompiles(counters));
        assertEquals(-1, ProcStats.totalCompiles("4242:\n"));
    }

    @Test
    void nearestRankPercentiles() {
        long[] nanos = new long[100];
        for (int i = 0; i < 100; i++) {
            nanos[i] = (100 - i) * 1_000_000L; // 100 ms down to 1 ms, unsorted
        }
        Latencies l = new Latencies(nanos);
        assertEquals(50.0, l.percentileMillis(50));
        assertEquals(90.0, l.percentileMillis(90));
        assertEquals(99.0, l.percentileMillis(99));
        assertEquals(100.0, l.maxMillis());
        assertEquals(7.0, new Latencies(new long[] {7_000_000L}).percentileMillis(99));
        assertTrue(Double.isNaN(new Latencies(new long[0]).percentileMillis(50)));
        long[] grown = new long[0];
        for (int i = 0; i < 3000; i++) {
            grown = Latencies.append(grown, i, i);
        }
        assertEquals(2999, grown[2999]);
    }

    @Test
    void jitCompilerThreadsAreToldApartByTheirStatName() {
        String compiler = "4242 (C2 CompilerThre) S 1 2 3 0 -1 4194368 9 0 0 0 700 30 0 0 20 0 1 0 1 0 0";
        String request = "4243 (kelmu-http-41) S 1 2 3 0 -1 4194368 9 0 0 0 50 5 0 0 20 0 1 0 1 0 0";
        assertEquals("C2 CompilerThre", ProcStats.commandName(compiler));
        assertEquals(ProcStats.JIT_GROUP, ProcStats.threadGroup(ProcStats.commandName(compiler)));
        assertEquals(ProcStats.JIT_GROUP, ProcStats.threadGroup("C1 CompilerThre"));
        assertFalse(ProcStats.JIT_GROUP.equals(ProcStats.threadGroup(ProcStats.commandName(request))));
        assertEquals(7.3, ProcStats.jitCpuSeconds(java.util.Map.of(ProcStats.JIT_GROUP, new long[] {700, 30},
                "kelmu-http-#", new long[] {50, 5})), 1e-9);
        assertTrue(Double.isNaN(ProcStats.jitCpuSeconds(java.util.Map.of())), "unreadable: not known");
        assertEquals(730, ProcStats.cpuTicks(compiler));
        assertEquals(List.of(700L, 30L), java.util.Arrays.stream(ProcStats.userAndSystemTicks(compiler)).boxed().toList());
    }

    /**
     * A pool's threads add up in one group; a window's CPU is each thread's difference of two readings: a thread that
     * ended within the window is left out, not taken away from its group, and a new one counts from zero.
     */
    @Test
    void threadCpuIsGroupedByNameWithoutDigitsAndTakenThreadByThread() {
        assertEquals("kelmu-http-#", ProcStats.threadGroup("kelmu-http-41"));
        assertEquals("HttpClient-#-Worker-#", ProcStats.threadGroup("HttpClient-3-Worker-0"));
        assertEquals("GC Thread##", ProcStats.threadGroup("GC Thread#1"));
        java.util.Map<Long, ProcStats.ThreadTicks> before = java.util.Map.of(
                1L, new ProcStats.ThreadTicks("kelmu-http-#", 100, 10),
                2L, new ProcStats.ThreadTicks("kelmu-http-#", 5000, 300),
                3L, new ProcStats.ThreadTicks("access-log-writer", 400, 40));
        java.util.Map<Long, ProcStats.ThreadTicks> after = java.util.Map.of(
                1L, new ProcStats.ThreadTicks("kelmu-http-#", 160, 14),
                // thread 2 ended within the window; thread 4 started in it; thread 3's id now belongs to a new thread
                4L, new ProcStats.ThreadTicks("kelmu-http-#", 20, 2),
                3L, new ProcStats.ThreadTicks("access-log-writer", 5, 1));
        java.util.Map<String, long[]> difference = ProcStats.difference(before, after);
        assertEquals(List.of(80L, 6L), java.util.Arrays.stream(difference.get("kelmu-http-#")).boxed().toList());
        assertEquals(List.of(5L, 1L), java.util.Arrays.stream(difference.get("access-log-writer")).boxed().toList());
    }

    /** The table gives ms per request by group, the small groups summed, and shares that add up to the whole. */
    @Test
    void theThreadTableGivesCpuPerRequestByGroup() {
        java.util.Map<String, long[]> ticks = new java.util.TreeMap<>(java.util.Map.of(
                "kelmu-http-#", new long[] {900, 50}, "access-log-writer", new long[] {30, 10},
                "tiny", new long[] {1, 0}, "tinier", new long[] {0, 1}));
        OutOfProcessBenchmark.Window w = new OutOfProcessBenchmark.Window("gateway", "measured", 1, 16, 1000, 0, 1,
                1, 1, 1, 1, false, 0, "-", 10.08, 0, 0, 0, 0, 0, -1, 0, 0, 0, 0, ticks, 0);
        StringBuilder b = new StringBuilder();
        OutOfProcessBenchmark.threadTable(b, java.util.Map.of("gateway", List.of(w)));
        String table = b.toString();
        // 950 ticks of 10 ms over 1000 requests: 9.5 ms per request, 95.8 % of 992 ticks
        assertTrue(table.contains("| gateway | kelmu-http-# | 9.500 | 9.000 | 0.500 | 95.8 % |"), table);
        assertTrue(table.contains("| gateway | access-log-writer | 0.400 | 0.300 | 0.100 | 4.0 % |"), table);
        assertTrue(table.contains("| gateway | (others, each under 1 %) | 0.020 | 0.010 | 0.010 | 0.2 % |"), table);
        // the process used 10.08 s over 1000 requests, the threads read at both ends 9.92 ms a request of it
        assertTrue(table.contains("| gateway | (threads that ended within a window: the process less the groups) | 0.160"),
                table);
        assertEquals("kelmu-http-# 9.500, access-log-writer 0.400", OutOfProcessBenchmark.topThreadGroups(ticks, 1000, 2));
    }

    @Test
    void theLiveHeapIsTheTotalOfTheClassHistogram() {
        String histogram = "9644:\n num     #instances         #bytes  class name (module)\n"
                + "-------------------------------------------------------\n"
                + "   1:        161825       26790112  [B (java.base@17.0.15)\n"
                + "Total        885982       48734576\n";
        assertEquals(48734576, ProcStats.histogramTotalBytes(histogram));
        assertEquals(-1, ProcStats.histogramTotalBytes("9644:\nno histogram"));
    }

    /** After a window, the wait lasts while the machine is busy (an outbox delivering) and ends at the first quiet poll. */
    @Test
    void theWaitForQuietLastsWhileTheMachineIsBusyAndHasACap() throws InterruptedException {
        // busy CPU seconds since boot at each reading: 1.5 cores, then 1.0, then 0.1 over half-second polls
        double[] readings = {100.0, 100.75, 101.25, 101.30, 101.31};
        int[] read = {0};
        long[] slept = {0};
        double waited = OutOfProcessBenchmark.awaitQuiet(() -> readings[read[0]++], millis -> slept[0] += millis,
                0.5, 0.25, 180);
        assertEquals(1.5, waited, 1e-9);
        assertEquals(1500, slept[0]);
        assertEquals(4, read[0]);

        double[] busy = {0};
        double capped = OutOfProcessBenchmark.awaitQuiet(() -> busy[0] += 0.5, millis -> { }, 0.5, 0.25, 3);
        assertEquals(3.0, capped, 1e-9, "a machine that never gets quiet is waited for up to the cap");

        assertEquals(0.5, OutOfProcessBenchmark.awaitQuiet(() -> Double.NaN, millis -> { }, 0.5, 0.25, 180), 1e-9,
                "without /proc/stat one poll, then on");
    }

    @Test
    void readsKeptAliveRequestsWithTheirHeadersAndBodies() throws Exception {
        HttpMessageReader r = reader("POST /kela/benefit-data HTTP/1.1\r\nContent-Type: application/xml\r\n"
                + "X-Correlation-Id: c1\r\nContent-Length: 4\r\n\r\n<q/>"
                + "POST /x?y=1 HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nab\r\n1\r\nc\r\n0\r\n\r\n"
                + "GET /z HTTP/1.0\r\n\r\n");
        HttpMessageReader.Request first = r.readRequest();
        assertEquals("POST", first.method());
        assertEquals("/kela/benefit-data", first.target());
        assertEquals("c1", first.headers().get("x-correlation-id"));
        assertEquals("application/xml", first.headers().get("content-type"));
        assertEquals("<q/>", new String(first.body(), StandardCharsets.UTF_8));
        assertTrue(first.keepAlive());
        HttpMessageReader.Request second = r.readRequest();
        assertEquals("/x?y=1", second.target());
        assertEquals("abc", new String(second.body(), StandardCharsets.UTF_8));
        HttpMessageReader.Request third = r.readRequest();
        assertEquals(0, third.body().length);
        assertFalse(third.keepAlive(), "HTTP/1.0 closes unless told otherwise");
        assertThrows(EOFException.class, r::readRequest);
        assertThrows(java.io.IOException.class, () -> reader("HELLO\r\n\r\n").readRequest());
    }

    /**
     * The backend process's answer memo: a benefit query seen before is answered with the simulator's own answer to
     * the same bytes, without asking it; a new body, a server error and any other path go to the simulator.
     */
    @Test
    void theAnswerMemoRepeatsTheUpstreamsAnswerToTheSameBytesAndPassesTheRest() throws Exception {
        Map<String, Integer> calls = new ConcurrentHashMap<>();
        List<String> correlationIds = new java.util.concurrent.CopyOnWriteArrayList<>();
        HttpServer upstream = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        upstream.createContext("/", exchange -> {
            try (exchange) {
                String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
                String path = exchange.getRequestURI().getPath();
                calls.merge(path + " " + body, 1, Integer::sum);
                correlationIds.add(String.valueOf(exchange.getRequestHeaders().getFirst("X-Correlation-Id")));
                int status = body.equals("missing") ? 404 : body.equals("boom") ? 500 : 200;
                byte[] answer = ("answer " + calls.get(path + " " + body) + " to " + body).getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().set("Content-Type", "application/xml; charset=UTF-8");
                exchange.sendResponseHeaders(status, answer.length);
                exchange.getResponseBody().write(answer);
            }
        });
        upstream.start();
        String memoised = "/kela/benefit-backend/v1/benefit-data";
        URI upstreamUri = URI.create("http://127.0.0.1:" + upstream.getAddress().getPort() + "/");
        try (BenefitAnswerMemo memo = BenefitAnswerMemo.start(upstreamUri, java.util.Set.of(memoised))) {
            HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            java.util.function.BiFunction<String, String, HttpResponse<String>> post = (path, body) -> {
                try {
                    return client.send(HttpRequest.newBuilder(memo.baseUrl().resolve(path))
                            .header("Content-Type", "application/xml; charset=UTF-8")
                            .header("X-Correlation-Id", "corr-" + correlationIds.size())
                            .POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                            HttpResponse.BodyHandlers.ofString());
                } catch (java.io.IOException | InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            };

            HttpResponse<String> first = post.apply(memoised, "<q>a</q>");
            HttpResponse<String> again = post.apply(memoised, "<q>a</q>");
            assertEquals(200, first.statusCode());
            assertEquals("answer 1 to <q>a</q>", first.body());
            assertEquals(first.body(), again.body(), "the kept answer, not a second one");
            assertEquals("application/xml; charset=UTF-8", again.headers().firstValue("Content-Type").orElseThrow());
            assertEquals(1, calls.get(memoised + " <q>a</q>"));
            assertEquals(List.of("corr-0"), correlationIds, "the first call's headers reach the simulator");

            assertEquals("answer 1 to <q>b</q>", post.apply(memoised, "<q>b</q>").body(), "another body is asked");
            assertEquals(404, post.apply(memoised, "missing").statusCode());
            assertEquals(404, post.apply(memoised, "missing").statusCode());
            assertEquals(1, calls.get(memoised + " missing"), "the simulator's 404 about a query is kept");
            assertEquals(500, post.apply(memoised, "boom").statusCode());
            assertEquals("answer 2 to boom", post.apply(memoised, "boom").body(), "a server error is never kept");
            String other = "/kela/payment-demands/v1/x";
            assertEquals("answer 1 to <q>a</q>", post.apply(other, "<q>a</q>").body());
            assertEquals("answer 2 to <q>a</q>", post.apply(other, "<q>a</q>").body(),
                    "other paths go to the simulator every time");
            assertEquals(2, memo.fromMemo());
            assertEquals(7, memo.passed());
        } finally {
            upstream.stop(0);
        }
    }
}
