package fi.kelmu.gateway.bench;

import static fi.kelmu.gateway.support.TestData.BENEFIT_NS;
import static fi.kelmu.gateway.support.TestData.HVA;
import static fi.kelmu.gateway.support.TestData.VALID_REQUEST;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fi.kelmu.gateway.Gateway;
import fi.kelmu.gateway.security.CertificateTrust;
import fi.kelmu.gateway.transport.AccessReceiptHeader;
import fi.kelmu.gateway.xroad.XRoadHeaders;
import fi.kelmu.gateway.security.MessageSignatureVerifier;
import fi.kelmu.gateway.security.MessageSigner;
import fi.kelmu.gateway.security.SecurityMaterial;
import fi.kelmu.gateway.security.VerifiedMessage;
import fi.kelmu.gateway.security.OrganisationIdentity;
import fi.kelmu.gateway.sandbox.SandboxPki;
import fi.kelmu.gateway.support.FreePort;
import fi.kelmu.gateway.support.Signing;
import fi.kelmu.gateway.support.SoapHttp;
import fi.kelmu.gateway.support.TestGateway;
import fi.kelmu.gateway.transport.RequestCaptureInterceptor;
import fi.kelmu.gateway.xroad.XRoadHeaders;
import jakarta.xml.ws.Provider;
import jakarta.xml.ws.Service;
import jakarta.xml.ws.ServiceMode;
import jakarta.xml.ws.WebServiceProvider;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntFunction;
import javax.xml.namespace.QName;
import javax.xml.transform.OutputKeys;
import javax.xml.transform.Source;
import javax.xml.transform.Transformer;
import javax.xml.transform.TransformerFactory;
import javax.xml.transform.dom.DOMSource;
import javax.xml.transform.stream.StreamResult;
import org.apache.cxf.Bus;
import org.apache.cxf.BusFactory;
import org.apache.cxf.endpoint.Server;
import org.apache.cxf.jaxws.JaxWsServerFactoryBean;
import org.apache.wss4j.common.crypto.Merlin;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/**
 * Throughput benchmark, not part of {@code mvn verify} (the class name matches none of surefire's default
 * includes). Measures, in one JVM and one run, signed requests per second through the whole gateway pipeline
 * (sandbox gateway with the embedded backend simulator: capture, WS-Security verification, certificate
 * trust, replay cache, schema and X-Road header validation, Camel routes, backend adapter over HTTP, response
 * signing) and, as the baseline, an unsigned bare CXF JAX-WS echo endpoint on the same Jetty transport
 * without Camel. Closed loop: {@code bench.threads} client threads, each sending its next request as soon as
 * the previous answer has arrived, over {@code java.net.http.HttpClient} to 127.0.0.1.
 * <p>
 * Every signed request is unique (fresh X-Road id and Timestamp, the gateway refuses replays) and signed
 * before the timed window; the corpus bounds the number of requests. Only HTTP 200 counts as a success; any
 * signed error invalidates the run and fails the test. The ratio against the target is printed, not asserted.
 * <p>
 * Run: {@code mvn -B -q test -Dtest=SignedThroughputBenchmark -Dsurefire.failIfNoSpecifiedTests=false};
 * result block in {@code target/benchmark/signed-throughput.txt} (surefire sends test output to
 * {@code target/surefire-reports/}). System properties: {@code bench.warmup.seconds} (60 per target: on 2 cores
 * the JIT still compiles the signed pipeline after 30 s), {@code bench.measure.seconds} (15 per target),
 * {@code bench.threads} (4), {@code bench.target.percent} (25), {@code bench.verify.samples} (20),
 * {@code bench.corpus.max} (100000).
 */
class SignedThroughputBenchmark {

    private static final Logger LOG = LoggerFactory.getLogger(SignedThroughputBenchmark.class);
    private static final String FIXTURE = VALID_REQUEST;
    private static final String CALLER = HVA;
    private static final String SOAP_ACTION = BENEFIT_NS + "#getBenefitData";
    private static final String GATEWAY_BUSINESS_ID = SandboxPki.GATEWAY_BUSINESS_ID;
    /**
     * The baseline may lose a rare request to a keep-alive race between the JDK client and Jetty under CPU
     * saturation ("HTTP/1.1 header parser received no bytes", about 1 in 30 000 to 150 000 requests, also
     * with no gateway in the JVM); a signed request may not fail at all.
     */
    private static final double BASELINE_ERROR_TOLERANCE = 0.001;
    /** Linux USER_HZ: /proc/stat counts in hundredths of a second. */
    private static final double JIFFIES_PER_SECOND = 100.0;
    /** The gateway's default Timestamp TTL is 300 s: a corpus must be used up well within it. */
    private static final int MAX_PHASE_SECONDS = 240;

    private final int warmupSeconds = intProperty("bench.warmup.seconds", 60);
    private final int measureSeconds = intProperty("bench.measure.seconds", 15);
    private final int threads = intProperty("bench.threads", 4);
    private final int targetPercent = intProperty("bench.target.percent", 25);
    private final int verifySamples = intProperty("bench.verify.samples", 20);
    private final int corpusMax = intProperty("bench.corpus.max", 100_000);

    @Test
    void signedThroughputAgainstBareCxfBaseline() throws Exception {
        assertTrue(warmupSeconds >= 0 && measureSeconds > 0 && threads > 0, "bench.* durations and threads");
        assertTrue(warmupSeconds <= MAX_PHASE_SECONDS && measureSeconds <= MAX_PHASE_SECONDS,
                "a phase must end well within the gateway's 300 s Timestamp TTL (presigned requests would expire)");

        // baseline: bare CXF echo, unsigned, no Camel
        byte[] unsigned = SoapHttp.fixture(FIXTURE);
        PhaseResult baselineWarmup;
        PhaseResult baseline;
        Bus bus = BusFactory.newInstance().createBus();
        Server echo = null;
        try {
            String echoUrl = "http://127.0.0.1:" + FreePort.find() + "/bench/echo";
            echo = startEcho(bus, echoUrl);
            HttpClient http = newClient();
            Target target = new Target("baseline", echoUrl, null, i -> unsigned, Integer.MAX_VALUE);
            baselineWarmup = PhaseResult.check(run(http, target, warmupSeconds, 0), "baseline warm-up");
            baseline = PhaseResult.check(run(http, target, measureSeconds, 0), "baseline measured");
        } finally {
            if (echo != null) {
                echo.stop();
                echo.destroy();
            }
            bus.shutdown(true);
        }

        // signed: the full gateway against the sandbox simulator
        PhaseResult signedWarmup;
        PhaseResult signed;
        Presigned warmCorpus;
        Presigned measureCorpus;
        try (Gateway gateway = TestGateway.startSandbox(Map.of())) {
            HttpClient http = newClient();
            warmCorpus = presign(Math.min(corpusMax, Math.max(1000, warmupSeconds * 800)));
            Target warm = new Target("signed", gateway.serviceUrl(), SOAP_ACTION, warmCorpus::request,
                    warmCorpus.size);
            signedWarmup = PhaseResult.check(run(http, warm, warmupSeconds, 0), "signed warm-up");
            warmCorpus.release();
            // size the measured corpus from the steady part of the warm-up, with room to spare
            int size = (int) Math.min(corpusMax,
                    Math.max(2000, Math.ceil(signedWarmup.steadyRate() * measureSeconds * 2.0) + 1000));
            measureCorpus = presign(size);
            Target measured = new Target("signed", gateway.serviceUrl(), SOAP_ACTION,
                    measureCorpus::request, measureCorpus.size);
            signed = PhaseResult.check(run(http, measured, measureSeconds, Math.max(0, verifySamples)),
                    "signed measured");
            measureCorpus.release();
        }
        List<String> verification = verifySamples(signed.samples);
        CryptoFloor floor = cryptoFloor();

        String report = report(baselineWarmup, baseline, signedWarmup, signed, warmCorpus, measureCorpus,
                verification, unsigned.length, floor);
        Path file = Path.of(System.getProperty("kelmu.project.dir", "."), "target", "benchmark",
                "signed-throughput.txt");
        Files.createDirectories(file.getParent());
        Files.writeString(file, report, StandardCharsets.UTF_8);
        LOG.info("\n{}", report);
        LOG.info("benchmark result written to {}", file.toAbsolutePath());

        assertEquals(0, signedWarmup.errors + signed.errors, "signed errors " + signedWarmup.errorKinds + " "
                + signed.errorKinds + ": the benchmark is invalid");
        assertTrue(baselineValid(baseline), "baseline errors " + baseline.errors + " " + baseline.errorKinds
                + " exceed " + BASELINE_ERROR_TOLERANCE * 100 + " %: the baseline is invalid");
        assertTrue(signed.successes > 0 && baseline.successes > 0, "no successful request");
        assertTrue(verification.stream().noneMatch(v -> v.startsWith("FAILED")),
                "response signature verification failed: " + verification);
    }

    private static HttpClient newClient() {
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5))
                .build();
    }

    // ---------------------------------------------------------------- baseline endpoint

    /** Echoes the SOAP Body's payload: the cheapest CXF JAX-WS service there is. */
    @WebServiceProvider(serviceName = "EchoService", portName = "EchoPort", targetNamespace = "urn:kelmu:bench:echo")
    @ServiceMode(Service.Mode.PAYLOAD)
    public static class EchoProvider implements Provider<Source> {
        @Override
        public Source invoke(Source request) {
            return request;
        }
    }

    private static Server startEcho(Bus bus, String address) {
        JaxWsServerFactoryBean factory = new JaxWsServerFactoryBean();
        factory.setBus(bus);
        factory.setServiceClass(EchoProvider.class);
        factory.setServiceBean(new EchoProvider());
        factory.setAddress(address);
        return factory.create();
    }

    // ---------------------------------------------------------------- corpus

    /** A presigned corpus; {@link #release()} lets the requests go (a corpus of 50 000 holds about 400 MB). */
    private static final class Presigned {
        private byte[][] requests;
        final int size;
        final long nanos;
        final int signers;
        long averageBytes;

        Presigned(byte[][] requests, long nanos, int signers) {
            this.requests = requests;
            this.size = requests.length;
            this.nanos = nanos;
            this.signers = signers;
        }

        byte[] request(int i) {
            return requests[i];
        }

        double millisEach() {
            return nanos / 1e6 / size;
        }

        void release() {
            averageBytes = Math.round(Arrays.stream(requests).mapToInt(r -> r.length).average().orElse(0));
            requests = null;
        }
    }

    /** {@code count} distinct signed requests (fresh id and Timestamp each), in parallel, one signer per thread. */
    private static Presigned presign(int count) throws Exception {
        int signers = Runtime.getRuntime().availableProcessors();
        byte[][] corpus = new byte[count][];
        long start = System.nanoTime();
        ExecutorService pool = Executors.newFixedThreadPool(signers);
        try {
            List<Future<?>> parts = new ArrayList<>();
            for (int s = 0; s < signers; s++) {
                int first = s;
                parts.add(pool.submit(() -> {
                    // as Signing.signedFixture, without re-parsing the fixture and re-creating factories each time
                    MessageSigner signer = Signing.signerOf(CALLER);
                    Document template = SoapHttp.parse(SoapHttp.fixture(FIXTURE));
                    Transformer serialiser = TransformerFactory.newInstance().newTransformer();
                    serialiser.setOutputProperty(OutputKeys.ENCODING, "UTF-8");
                    for (int i = first; i < count; i += signers) {
                        Document envelope = Signing.freshId((Document) template.cloneNode(true));
                        signer.sign(envelope, XRoadHeaders.REQUEST_HEADERS, 300);
                        ByteArrayOutputStream buffer = new ByteArrayOutputStream(12 * 1024);
                        serialiser.transform(new DOMSource(envelope), new StreamResult(buffer));
                        corpus[i] = buffer.toByteArray();
                    }
                    return null;
                }));
            }
            for (Future<?> part : parts) {
                part.get();
            }
        } finally {
            pool.shutdownNow();
        }
        Presigned result = new Presigned(corpus, System.nanoTime() - start, signers);
        LOG.info("presigned {} requests in {} ms ({} ms each on {} threads)", count,
                result.nanos / 1_000_000, String.format(Locale.ROOT, "%.3f", result.millisEach()), signers);
        return result;
    }

    // ---------------------------------------------------------------- closed-loop load

    private record Target(String name, String url, String soapAction, IntFunction<byte[]> requests, int count) {
    }

    private record Sample(byte[] request, byte[] response) {
    }

    private static final class PhaseResult {
        final String name;
        long successes;
        long errors;
        double seconds;
        double steadySeconds;
        long steadySuccesses;
        boolean corpusExhausted;
        long[] latencies;
        long responseBytes;
        double processCpuSeconds;
        double gcSeconds;
        double jitSeconds;
        /** CPU time the whole machine was busy (steal excluded), or -1 where /proc/stat cannot be read. */
        double machineBusySeconds = -1;
        double stealSeconds;

        /** CPU time other processes on the machine took during the window. */
        double otherProcessesSeconds() {
            return machineBusySeconds < 0 ? -1 : Math.max(0, machineBusySeconds - processCpuSeconds);
        }
        Map<String, Double> threadCpuSeconds = new TreeMap<>();
        final Map<String, Integer> errorKinds = new ConcurrentHashMap<>();
        final List<Sample> samples = new ArrayList<>();

        PhaseResult(String name) {
            this.name = name;
        }

        double rate() {
            return seconds == 0 ? 0 : successes / seconds;
        }

        /** The rate of the second half of the phase, after the JIT has mostly warmed up. */
        double steadyRate() {
            return steadySeconds <= 0 ? rate() : steadySuccesses / steadySeconds;
        }

        double percentile(double p) {
            if (latencies.length == 0) {
                return Double.NaN;
            }
            int index = (int) Math.ceil(p / 100.0 * latencies.length) - 1;
            return latencies[Math.max(0, Math.min(latencies.length - 1, index))] / 1e6;
        }

        static PhaseResult check(PhaseResult r, String what) {
            if (r.errors > 0) {
                LOG.error("{}: {} errors {}", what, r.errors, r.errorKinds);
            }
            LOG.info("{}: {} ok, {} errors, {} req/s over {} s{}", what, r.successes, r.errors,
                    String.format(Locale.ROOT, "%.1f", r.rate()), String.format(Locale.ROOT, "%.1f", r.seconds),
                    r.corpusExhausted ? " (corpus used up: the phase ended early)" : "");
            return r;
        }
    }

    private PhaseResult run(HttpClient http, Target target, int seconds, int keepSamples) throws Exception {
        PhaseResult result = new PhaseResult(target.name);
        if (seconds == 0) {
            result.latencies = new long[0];
            return result;
        }
        URI uri = URI.create(target.url);
        AtomicInteger next = new AtomicInteger();
        AtomicLong ok = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        AtomicLong steadyOk = new AtomicLong();
        AtomicLong bytes = new AtomicLong();
        AtomicBoolean exhausted = new AtomicBoolean();
        AtomicLong clientCpu = new AtomicLong();
        ConcurrentLinkedQueue<long[]> latencyParts = new ConcurrentLinkedQueue<>();
        ConcurrentLinkedQueue<Sample> samples = new ConcurrentLinkedQueue<>();
        int sampleEvery = keepSamples == 0 ? Integer.MAX_VALUE
                : Math.max(1, (int) Math.min(Integer.MAX_VALUE, target.count / (long) keepSamples / 4));
        CountDownLatch ready = new CountDownLatch(threads);
        CountDownLatch go = new CountDownLatch(1);
        long[] window = new long[2];

        List<Thread> clients = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            Thread client = new Thread(() -> {
                long[] latencies = new long[4096];
                int n = 0;
                ThreadMXBean self = ManagementFactory.getThreadMXBean();
                long cpuStart = self.getCurrentThreadCpuTime();
                ready.countDown();
                try {
                    go.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
                long deadline = window[0] + TimeUnit.SECONDS.toNanos(seconds);
                long steadyFrom = window[0] + TimeUnit.SECONDS.toNanos(seconds) / 2;
                while (System.nanoTime() < deadline) {
                    int i = next.getAndIncrement();
                    if (i >= target.count) {
                        exhausted.set(true);
                        break;
                    }
                    byte[] body = target.requests.apply(i);
                    HttpRequest.Builder request = HttpRequest.newBuilder(uri)
                            .timeout(Duration.ofSeconds(30))
                            .header("Content-Type", "text/xml; charset=utf-8")
                            .POST(HttpRequest.BodyPublishers.ofByteArray(body));
                    if (target.soapAction != null) {
                        request.header("SOAPAction", "\"" + target.soapAction + "\"");
                    }
                    long start = System.nanoTime();
                    try {
                        HttpResponse<byte[]> response = http.send(request.build(),
                                HttpResponse.BodyHandlers.ofByteArray());
                        long end = System.nanoTime();
                        if (response.statusCode() == 200) {
                            ok.incrementAndGet();
                            bytes.addAndGet(response.body().length);
                            if (end >= steadyFrom) {
                                steadyOk.incrementAndGet();
                            }
                            if (n == latencies.length) {
                                latencies = Arrays.copyOf(latencies, n * 2);
                            }
                            latencies[n++] = end - start;
                            if (i % sampleEvery == 0 && samples.size() < keepSamples) {
                                samples.add(new Sample(body, response.body()));
                            }
                        } else {
                            String kind = "HTTP " + response.statusCode() + " " + faultCode(response.body());
                            if (failed.incrementAndGet() <= 10) {
                                LOG.warn("{} request {} answered {} (X-Correlation-Id {})", target.name, i, kind,
                                        response.headers().firstValue("X-Correlation-Id").orElse("none"));
                            }
                            result.errorKinds.merge(kind, 1, Integer::sum);
                        }
                    } catch (IOException e) {
                        if (failed.incrementAndGet() <= 10) {
                            LOG.warn("{} request {} failed {} ms into the phase after {} ms: {}", target.name, i,
                                    (start - window[0]) / 1_000_000, (System.nanoTime() - start) / 1_000_000,
                                    e.toString());
                        }
                        result.errorKinds.merge(e.getClass().getSimpleName() + ": " + e.getMessage(), 1, Integer::sum);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        break;
                    }
                }
                latencyParts.add(Arrays.copyOf(latencies, n));
                clientCpu.addAndGet(self.getCurrentThreadCpuTime() - cpuStart);
            }, "bench-client-" + t);
            client.setDaemon(true);
            clients.add(client);
        }
        clients.forEach(Thread::start);
        ready.await();

        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        Map<Long, String> names = new HashMap<>();
        Map<Long, Long> cpuBefore = threadCpu(mx, names);
        long processCpuBefore = processCpuNanos();
        long gcBefore = gcMillis();
        long jitBefore = jitMillis();
        long[] machineBefore = machineJiffies();
        window[0] = System.nanoTime();
        go.countDown();
        for (Thread client : clients) {
            client.join(TimeUnit.SECONDS.toMillis(seconds + 60L));
        }
        window[1] = System.nanoTime();
        long processCpuAfter = processCpuNanos();
        Map<Long, Long> cpuAfter = threadCpu(mx, names);
        result.gcSeconds = (gcMillis() - gcBefore) / 1000.0;
        result.jitSeconds = (jitMillis() - jitBefore) / 1000.0;
        long[] machineAfter = machineJiffies();
        if (machineBefore != null && machineAfter != null) {
            result.machineBusySeconds = (machineAfter[0] - machineBefore[0]) / JIFFIES_PER_SECOND;
            result.stealSeconds = (machineAfter[1] - machineBefore[1]) / JIFFIES_PER_SECOND;
        }

        result.successes = ok.get();
        result.errors = failed.get();
        result.seconds = (window[1] - window[0]) / 1e9;
        result.steadySuccesses = steadyOk.get();
        result.steadySeconds = Math.max(0, (window[1] - window[0] - TimeUnit.SECONDS.toNanos(seconds) / 2) / 1e9);
        result.corpusExhausted = exhausted.get();
        result.responseBytes = bytes.get();
        result.processCpuSeconds = processCpuBefore < 0 ? -1 : (processCpuAfter - processCpuBefore) / 1e9;
        cpuAfter.forEach((id, after) -> {
            long before = cpuBefore.getOrDefault(id, 0L);
            result.threadCpuSeconds.merge(threadGroup(names.get(id)), (after - before) / 1e9, Double::sum);
        });
        result.threadCpuSeconds.put("bench clients", clientCpu.get() / 1e9);
        result.latencies = latencyParts.stream().flatMapToLong(Arrays::stream).sorted().toArray();
        result.samples.addAll(samples);
        return result;
    }

    private static String faultCode(byte[] body) {
        try {
            String code = SoapHttp.text(SoapHttp.parse(body), null, "faultcode");
            return code == null ? "" : code;
        } catch (RuntimeException e) {
            return "(not XML)";
        }
    }

    private static Map<Long, Long> threadCpu(ThreadMXBean mx, Map<Long, String> names) {
        Map<Long, Long> result = new HashMap<>();
        if (!mx.isThreadCpuTimeSupported()) {
            return result;
        }
        for (var info : mx.getThreadInfo(mx.getAllThreadIds())) {
            if (info == null) {
                continue;
            }
            long cpu = mx.getThreadCpuTime(info.getThreadId());
            if (cpu >= 0) {
                result.put(info.getThreadId(), cpu);
                names.putIfAbsent(info.getThreadId(), info.getThreadName());
            }
        }
        return result;
    }

    /** Thread names without their numbers: Jetty's {@code qtp123-45} and the like become one group. */
    private static String threadGroup(String name) {
        if (name == null) {
            return "?";
        }
        if (name.startsWith("qtp")) {
            return "jetty (qtp*)";
        }
        if (name.startsWith("HttpClient-")) {
            return "HttpClient selector/executor";
        }
        return name.replaceAll("[-#]?\\d+", "").strip();
    }

    /** {busy without steal, steal} jiffies of the whole machine from /proc/stat, or null off Linux. */
    private static long[] machineJiffies() {
        try {
            String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
            // cpu user nice system idle iowait irq softirq steal ...
            long busy = 0;
            for (int i : new int[] {1, 2, 3, 6, 7}) {
                busy += Long.parseLong(f[i]);
            }
            return new long[] {busy, f.length > 8 ? Long.parseLong(f[8]) : 0};
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static long gcMillis() {
        return ManagementFactory.getGarbageCollectorMXBeans().stream()
                .mapToLong(gc -> Math.max(0, gc.getCollectionTime())).sum();
    }

    private static long jitMillis() {
        var jit = ManagementFactory.getCompilationMXBean();
        return jit != null && jit.isCompilationTimeMonitoringSupported() ? jit.getTotalCompilationTime() : 0;
    }

    private static long processCpuNanos() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getProcessCpuTime();
        }
        return -1;
    }

    // ---------------------------------------------------------------- offline response verification

    /**
     * Verifies, after the run, the gateway's signature on sampled responses as a caller would: valid, trusted
     * (the sandbox CA), made by the provider, covering the X-Road headers and the requestHash of this request.
     */
    private static List<String> verifySamples(List<Sample> samples) {
        List<String> result = new ArrayList<>();
        if (samples.isEmpty()) {
            return result;
        }
        KeyStore trustStore = SecurityMaterial.keyStore(TestGateway.pki().trustStore(), SandboxPki.PASSWORD);
        Merlin tokens = new Merlin();
        tokens.setTrustStore(trustStore);
        List<QName> required = new ArrayList<>(XRoadHeaders.REQUEST_HEADERS);
        required.add(new QName(XRoadHeaders.NS, "requestHash"));
        required.add(AccessReceiptHeader.QNAME);
        // timestamps of early samples may be older than a long run: freshness is the gateway's business here
        MessageSignatureVerifier verifier = new MessageSignatureVerifier(tokens,
                new CertificateTrust(trustStore, List.of(), false, Duration.ZERO, Clock.systemUTC()),
                3600, 60, required, Set.of());
        int verified = 0;
        for (Sample sample : samples) {
            try {
                Document answer = SoapHttp.parse(sample.response);
                VerifiedMessage message = verifier.verify(answer);
                String signer = OrganisationIdentity.businessIdOf(message.certificate()).orElse(null);
                Element hash = (Element) answer.getElementsByTagNameNS(XRoadHeaders.NS, "requestHash").item(0);
                String expected = java.util.Base64.getEncoder().encodeToString(
                        MessageDigest.getInstance("SHA-512").digest(sample.request));
                if (!GATEWAY_BUSINESS_ID.equals(signer)) {
                    result.add("FAILED: signed by " + signer);
                } else if (hash == null || !message.covers(hash) || !expected.equals(hash.getTextContent().strip())
                        || !RequestCaptureInterceptor.REQUEST_HASH_ALGORITHM.equals(hash.getAttribute("algorithmId"))) {
                    result.add("FAILED: requestHash missing, unsigned or not this request's");
                } else {
                    verified++;
                }
            } catch (Exception e) {
                result.add("FAILED: " + e.getMessage());
            }
        }
        result.add(0, verified + "/" + samples.size() + " sampled responses verified");
        return result;
    }

    // ---------------------------------------------------------------- report

    /** CPU of the two public-key operations every signed request needs, measured apart (one thread, warm). */
    private record CryptoFloor(String signAlgorithm, double signMillis, String verifyAlgorithm, double verifyMillis) {

        double total() {
            return signMillis + verifyMillis;
        }
    }

    /**
     * The floor below which no signed request can go however the rest is tuned: one response signature with
     * the gateway's key and one request signature verification with the caller's key, over 1 KiB (the
     * SignedInfo is smaller; the digests are not counted). Compared with the CPU the target leaves.
     */
    private static CryptoFloor cryptoFloor() throws Exception {
        KeyStore gatewayStore = SecurityMaterial.keyStore(TestGateway.pki().gatewayKeyStore(), SandboxPki.PASSWORD);
        java.security.PrivateKey gatewayKey = (java.security.PrivateKey) gatewayStore.getKey(SandboxPki.GATEWAY_ALIAS,
                SandboxPki.PASSWORD);
        KeyStore callerStore = Signing.keyStoreOf(CALLER);
        java.security.PrivateKey callerKey = (java.security.PrivateKey) callerStore.getKey(CALLER, SandboxPki.PASSWORD);
        java.security.PublicKey callerPublic = callerStore.getCertificate(CALLER).getPublicKey();
        String signAlg = "EC".equals(gatewayKey.getAlgorithm()) ? "SHA256withECDSA" : "SHA256withRSA";
        String verifyAlg = "EC".equals(callerKey.getAlgorithm()) ? "SHA256withECDSA" : "SHA256withRSA";
        byte[] data = new byte[1024];
        java.security.Signature callerSigner = java.security.Signature.getInstance(verifyAlg);
        callerSigner.initSign(callerKey);
        callerSigner.update(data);
        byte[] callerSignature = callerSigner.sign();
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        double[] result = new double[2];
        for (int round = 0; round < 2; round++) { // the first round warms up
            long start = mx.getCurrentThreadCpuTime();
            for (int i = 0; i < 2000; i++) {
                java.security.Signature sig = java.security.Signature.getInstance(signAlg);
                sig.initSign(gatewayKey);
                sig.update(data);
                sig.sign();
            }
            result[0] = (mx.getCurrentThreadCpuTime() - start) / 2000 / 1e6;
            start = mx.getCurrentThreadCpuTime();
            for (int i = 0; i < 2000; i++) {
                java.security.Signature sig = java.security.Signature.getInstance(verifyAlg);
                sig.initVerify(callerPublic);
                sig.update(data);
                if (!sig.verify(callerSignature)) {
                    throw new IllegalStateException("crypto floor: verification failed");
                }
            }
            result[1] = (mx.getCurrentThreadCpuTime() - start) / 2000 / 1e6;
        }
        return new CryptoFloor(signAlg, result[0], verifyAlg, result[1]);
    }

    private String report(PhaseResult baselineWarmup, PhaseResult baseline, PhaseResult signedWarmup,
            PhaseResult signed, Presigned warmCorpus, Presigned measureCorpus, List<String> verification,
            int unsignedBytes, CryptoFloor floor) {
        double ratio = baseline.rate() == 0 ? 0 : 100.0 * signed.rate() / baseline.rate();
        boolean valid = signedWarmup.errors == 0 && signed.errors == 0 && baselineValid(baseline);
        Runtime rt = Runtime.getRuntime();
        StringBuilder b = new StringBuilder();
        b.append("kelmu-gateway signed throughput benchmark, ").append(Instant.now()).append('\n');
        line(b, "hardware", rt.availableProcessors() + " cores (availableProcessors), max heap "
                + rt.maxMemory() / (1024 * 1024) + " MiB, " + cpuModel());
        line(b, "java", System.getProperty("java.version") + " (" + System.getProperty("java.vm.name") + "), "
                + System.getProperty("os.name") + " " + System.getProperty("os.arch"));
        line(b, "load", "closed loop, " + threads + " client threads, java.net.http.HttpClient HTTP/1.1 to 127.0.0.1");
        line(b, "durations", warmupSeconds + " s warm-up + " + measureSeconds + " s measured, per target");
        line(b, "baseline", "bare CXF JAX-WS Provider<Source> echo (PAYLOAD), Jetty, unsigned, no Camel; request "
                + FIXTURE + " " + unsignedBytes + " B");
        line(b, "signed", "sandbox gateway + embedded backend simulator, " + FIXTURE + " signed by " + CALLER
                + ", ~" + measureCorpus.averageBytes + " B each; response signing on (" + signatureMethod(signed)
                + "); simulator TCP_NODELAY " + (Boolean.getBoolean("sun.net.httpserver.nodelay") ? "on" : "off"));
        line(b, "corpus", "warm-up " + warmCorpus.size + ", measured " + measureCorpus.size
                + " distinct requests, presigned at " + String.format(Locale.ROOT, "%.3f", measureCorpus.millisEach())
                + " ms each (" + measureCorpus.signers + " threads), before the timed window");
        b.append('\n');
        b.append(String.format(Locale.ROOT, "%-10s %10s %8s %8s %10s %10s %10s %10s %8s%n", "target", "req/s", "ok",
                "errors", "p50 ms", "p99 ms", "window s", "CPU ms/req", "resp B"));
        row(b, baseline);
        row(b, signed);
        b.append('\n');
        line(b, "ratio", String.format(Locale.ROOT, "signed / baseline = %.1f %% (target >= %d %%): %s", ratio,
                targetPercent, !valid ? "INVALID" : ratio >= targetPercent ? "PASS" : "FAIL"));
        long baselineDone = baseline.successes + baseline.errors;
        double budget = baselineDone == 0 ? Double.NaN
                : baseline.processCpuSeconds * 1000 / baselineDone * 100.0 / targetPercent;
        line(b, "floor", String.format(Locale.ROOT, "one response signature (%s) %.3f ms + one request verification"
                + " (%s) %.3f ms = %.3f ms CPU per signed request, before any XML, HTTP, routing or logging; the"
                + " target leaves about %.3f ms CPU per signed request (baseline CPU/req x 100 / %d)%s",
                floor.signAlgorithm(), floor.signMillis(), floor.verifyAlgorithm(), floor.verifyMillis(), floor.total(),
                budget, targetPercent, floor.total() >= budget * 0.75
                        ? ": the public-key operations alone take most of it or more" : ""));
        line(b, "warm-up", String.format(Locale.ROOT, "baseline %.1f req/s, signed %.1f req/s (%d signed errors)%s",
                baselineWarmup.rate(), signedWarmup.rate(), signedWarmup.errors,
                signedWarmup.corpusExhausted ? "; signed warm-up corpus used up after "
                        + String.format(Locale.ROOT, "%.1f s", signedWarmup.seconds) : ""));
        line(b, "validity", (valid ? "valid" : "INVALID") + ": signed errors " + signed.errors
                + (signed.errors == 0 ? "" : " " + signed.errorKinds) + ", baseline errors " + baseline.errors
                + (baseline.errors == 0 ? "" : " " + baseline.errorKinds + " (tolerated up to "
                        + BASELINE_ERROR_TOLERANCE * 100 + " %)"));
        for (PhaseResult r : List.of(baseline, signed)) {
            double capacity = r.seconds * Runtime.getRuntime().availableProcessors();
            if (r.otherProcessesSeconds() > 0.1 * capacity || r.stealSeconds > 0.1 * capacity) {
                line(b, "note", String.format(Locale.ROOT, "%s: other processes took %.1f s and the hypervisor"
                        + " %.1f s of the %.0f CPU seconds in the window: the machine was not quiet, the numbers are"
                        + " low", r.name, r.otherProcessesSeconds(), r.stealSeconds, capacity));
            }
            if (r.jitSeconds > 0.25 * r.seconds) {
                line(b, "note", String.format(Locale.ROOT, "%s: the JIT compiled for %.1f s during the %.0f s window:"
                        + " not yet steady state; raise bench.warmup.seconds", r.name, r.jitSeconds, r.seconds));
            }
        }
        if (signed.corpusExhausted) {
            line(b, "note", "signed corpus exhausted after " + String.format(Locale.ROOT, "%.1f", signed.seconds)
                    + " s: the rate is over that shorter window (the corpus is twice the warm-up rate; raise"
                    + " bench.warmup.seconds, or bench.corpus.max when it capped the corpus)");
        }
        line(b, "responses", verification.isEmpty() ? "not verified (bench.verify.samples=0)"
                : String.join("; ", verification));
        b.append('\n').append("CPU seconds by thread group in the measured window (process total first;"
                + " JIT compiling is elapsed compile time):\n");
        cpu(b, baseline);
        cpu(b, signed);
        return b.toString();
    }

    private static boolean baselineValid(PhaseResult baseline) {
        return baseline.errors <= BASELINE_ERROR_TOLERANCE * (baseline.successes + baseline.errors);
    }

    private static void line(StringBuilder b, String key, String value) {
        b.append(String.format(Locale.ROOT, "%-10s %s%n", key + ":", value));
    }

    private static void row(StringBuilder b, PhaseResult r) {
        long done = r.successes + r.errors;
        b.append(String.format(Locale.ROOT, "%-10s %10.1f %8d %8d %10.2f %10.2f %10.2f %10.3f %8d%n", r.name, r.rate(),
                r.successes, r.errors, r.percentile(50), r.percentile(99), r.seconds,
                done == 0 ? Double.NaN : r.processCpuSeconds * 1000 / done,
                r.successes == 0 ? 0 : r.responseBytes / r.successes));
    }

    private static void cpu(StringBuilder b, PhaseResult r) {
        StringBuilder groups = new StringBuilder();
        r.threadCpuSeconds.entrySet().stream()
                .filter(e -> e.getValue() >= 0.05)
                .sorted(Map.Entry.<String, Double>comparingByValue().reversed())
                .forEach(e -> groups.append(String.format(Locale.ROOT, ", %s %.2f", e.getKey(), e.getValue())));
        int cores = Runtime.getRuntime().availableProcessors();
        b.append(String.format(Locale.ROOT, "  %-8s process %.2f (%.0f %% of %d cores)%s; GC pauses %.2f s,"
                + " JIT compiling %.2f s; other processes %s, steal %.2f s%n", r.name, r.processCpuSeconds,
                100.0 * r.processCpuSeconds / (r.seconds * cores), cores, groups, r.gcSeconds, r.jitSeconds,
                r.otherProcessesSeconds() < 0 ? "unknown"
                        : String.format(Locale.ROOT, "%.2f s", r.otherProcessesSeconds()), r.stealSeconds));
    }

    /** The signature method of a sampled response, e.g. {@code ecdsa-sha256}. */
    private static String signatureMethod(PhaseResult signed) {
        if (signed.samples.isEmpty()) {
            return "signature method not sampled";
        }
        var methods = SoapHttp.parse(signed.samples.get(0).response)
                .getElementsByTagNameNS("http://www.w3.org/2000/09/xmldsig#", "SignatureMethod");
        if (methods.getLength() == 0) {
            return "no signature";
        }
        String algorithm = ((Element) methods.item(0)).getAttribute("Algorithm");
        return algorithm.substring(algorithm.lastIndexOf('#') + 1);
    }

    private static String cpuModel() {
        try {
            return Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                    .findFirst().map(l -> l.substring(l.indexOf(':') + 1).strip()).orElse("cpu model unknown");
        } catch (IOException | RuntimeException e) {
            return "cpu model unknown";
        }
    }

    private static int intProperty(String name, int defaultValue) {
        String value = System.getProperty(name);
        return value == null || value.isBlank() ? defaultValue : Integer.parseInt(value.strip());
    }
}
