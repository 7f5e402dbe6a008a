package fi.kelmu.gateway.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fi.kelmu.gateway.Gateway;
import fi.kelmu.gateway.audit.Database;
import fi.kelmu.gateway.security.MessageSigner;
import fi.kelmu.gateway.support.Signing;
import fi.kelmu.gateway.support.SoapHttp;
import fi.kelmu.gateway.support.TestGateway;
import fi.kelmu.gateway.transport.InboundChain;
import fi.kelmu.gateway.xroad.XRoadHeaders;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/**
 * Payment-demand submissions per second through the whole pipeline (issue 11 item 8, docs/benchmark.md): signed
 * requests, mandate (the sandbox's online check), policy, the client check at the backend, the durable commit of
 * the demand with its outbox command, the access log, the signed answer; the sandbox simulator acknowledges the
 * commands the outbox delivers. And the outbox's lag under that load: every 200 ms the number of commands not yet
 * delivered and the age of the oldest, and after the load how long the backlog takes to drain. Not part of
 * {@code mvn verify} (no surefire include matches the name).
 *
 * <p>Run: {@code mvn -o -q test -Dtest=PaymentDemandSubmissionBenchmark -Dsurefire.failIfNoSpecifiedTests=false};
 * the result is in {@code target/benchmark/payment-demand-submissions.txt}. Properties: {@code bench.warmup.seconds}
 * (60), {@code bench.measure.seconds} (30), {@code bench.threads} (4). The load generator runs in this JVM, as in
 * SignedThroughputBenchmark: the CPU figure is the process's, generator included.
 */
class PaymentDemandSubmissionBenchmark {

    private static final Logger LOG = LoggerFactory.getLogger(PaymentDemandSubmissionBenchmark.class);
    private static final String CALLER = "9000001-1";

    private final int warmupSeconds = Integer.getInteger("bench.warmup.seconds", 60);
    private final int measureSeconds = Integer.getInteger("bench.measure.seconds", 30);
    private final int threads = Integer.getInteger("bench.threads", 4);

    @Test
    void submissionsPerSecondAndOutboxLag(@TempDir Path dir) throws Exception {
        String url = "jdbc:h2:file:" + dir.resolve("kelmu").toAbsolutePath() + ";LOCK_TIMEOUT=10000";
        byte[] template = Files.readAllBytes(Path.of(System.getProperty("kelmu.project.dir", "."), "samples",
                "submit-payment-demand.xml"));
        try (Gateway gateway = TestGateway.startSandbox(Map.of("kelmu.db.url", url,
                "kelmu.payment-demand.outbox.poll-ms", "200"));
                Database db = Database.open(url, "kelmu", "")) {
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            Phase warmup = run(http, gateway.paymentDemandServiceUrl(), template, warmupSeconds, null);
            List<String> lag = Collections.synchronizedList(new ArrayList<>());
            Phase measured = run(http, gateway.paymentDemandServiceUrl(), template, measureSeconds,
                    () -> lag.add(outboxState(db)));
            long drainStart = System.nanoTime();
            while (pending(db) > 0 && System.nanoTime() - drainStart < Duration.ofSeconds(120).toNanos()) {
                Thread.sleep(100);
            }
            double drainSeconds = (System.nanoTime() - drainStart) / 1e9;
            String report = "kelmu-gateway payment-demand submission benchmark, " + Instant.now() + "\n"
                    + "machine:   " + Runtime.getRuntime().availableProcessors() + " cores, java "
                    + System.getProperty("java.version") + "\n"
                    + "load:      closed loop, " + threads + " client threads in this JVM, " + warmupSeconds
                    + " s warm-up + " + measureSeconds + " s measured\n"
                    + "warm-up:   " + warmup + "\n"
                    + "measured:  " + measured + "\n"
                    + "outbox:    pending commands / oldest pending age (s), every 200 ms while measured: "
                    + summarise(lag) + "\n"
                    + "drain:     " + String.format("%.1f", drainSeconds) + " s after the load until every command"
                    + " was delivered; pending now " + pending(db) + "\n";
            Path file = Path.of(System.getProperty("kelmu.project.dir", "."), "target", "benchmark",
                    "payment-demand-submissions.txt");
            Files.createDirectories(file.getParent());
            Files.writeString(file, report, StandardCharsets.UTF_8);
            LOG.info("\n{}", report);
            assertEquals(0, warmup.errors + measured.errors, "errors: the benchmark is invalid");
            assertTrue(measured.ok > 0);
            assertEquals(0, pending(db), "commands left undelivered");
        }
    }

    private Phase run(HttpClient http, String url, byte[] template, int seconds, Runnable sampler) throws Exception {
        long end = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
        AtomicInteger ok = new AtomicInteger();
        AtomicInteger errors = new AtomicInteger();
        List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        long cpu0 = os.getProcessCpuTime();
        long start = System.nanoTime();
        ExecutorService pool = Executors.newFixedThreadPool(threads + 1);
        List<Future<?>> clients = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            clients.add(pool.submit(() -> {
                while (System.nanoTime() < end) {
                    // signed in the loop: each submission is a new message (fresh X-Road id and Timestamp)
                    byte[] body = signedSubmission(template);
                    long sent = System.nanoTime();
                    HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create(url))
                            .header("Content-Type", "text/xml; charset=utf-8")
                            .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
                            HttpResponse.BodyHandlers.ofString());
                    latencies.add(System.nanoTime() - sent);
                    (answer.statusCode() == 200 ? ok : errors).incrementAndGet();
                }
                return null;
            }));
        }
        if (sampler != null) {
            pool.submit(() -> {
                while (System.nanoTime() < end) {
                    sampler.run();
                    Thread.sleep(200);
                }
                return null;
            });
        }
        for (Future<?> client : clients) {
            client.get();
        }
        pool.shutdown();
        double elapsed = (System.nanoTime() - start) / 1e9;
        double cpu = (os.getProcessCpuTime() - cpu0) / 1e9;
        List<Long> sorted = new ArrayList<>(latencies);
        Collections.sort(sorted);
        return new Phase(ok.get(), errors.get(), elapsed, cpu, percentile(sorted, 0.5), percentile(sorted, 0.99));
    }

    /** One signer a client thread: loading the key store for each request would be most of the generator's work. */
    private static final ThreadLocal<MessageSigner> SIGNER = ThreadLocal.withInitial(() -> Signing.signerOf(CALLER));

    private static byte[] signedSubmission(byte[] template) {
        Document doc = Signing.freshId(SoapHttp.parse(template));
        ((Element) doc.getElementsByTagNameNS(XRoadHeaders.NS, "client").item(0))
                .getElementsByTagNameNS(XRoadHeaders.ID_NS, "memberCode").item(0).setTextContent(CALLER);
        SIGNER.get().sign(doc, InboundChain.REQUEST_SIGNED_PARTS, 300);
        return Signing.serialise(doc);
    }

    private static double percentile(List<Long> sorted, double p) {
        return sorted.isEmpty() ? 0 : sorted.get((int) Math.min(sorted.size() - 1, Math.floor(p * sorted.size())))
                / 1e6;
    }

    private static int pending(Database db) throws Exception {
        try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM payment_demand_command"
                        + " WHERE delivery_state = 'PENDING'")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    private static String outboxState(Database db) {
        try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT COUNT(*), MIN(created_at) FROM payment_demand_command"
                        + " WHERE delivery_state = 'PENDING'")) {
            rs.next();
            OffsetDateTime oldest = rs.getObject(2, OffsetDateTime.class);
            double age = oldest == null ? 0 : Duration.between(oldest.toInstant(), Instant.now()).toMillis() / 1000.0;
            return rs.getInt(1) + "/" + String.format("%.1f", age);
        } catch (Exception e) {
            return "error";
        }
    }

    /** The largest pending count and oldest age seen, and the last sample. */
    private static String summarise(List<String> samples) {
        int maxPending = 0;
        double maxAge = 0;
        for (String sample : samples) {
            String[] parts = sample.split("/");
            if (parts.length == 2) {
                maxPending = Math.max(maxPending, Integer.parseInt(parts[0]));
                maxAge = Math.max(maxAge, Double.parseDouble(parts[1]));
            }
        }
        return samples.size() + " samples, at most " + maxPending + " pending, oldest at most "
                + String.format("%.1f", maxAge) + " s";
    }

    private record Phase(int ok, int errors, double seconds, double cpuSeconds, double p50Ms, double p99Ms) {

        @Override
        public String toString() {
            return String.format("%d ok, %d errors in %.1f s: %.1f submissions/s, p50 %.1f ms, p99 %.1f ms,"
                    + " process CPU %.2f ms per submission (signing in the load generator included)", ok, errors,
                    seconds, ok / seconds, p50Ms, p99Ms, ok == 0 ? 0 : cpuSeconds * 1000 / ok);
        }
    }
}
