package fi.kelmu.gateway.bench;

import fi.kelmu.gateway.clientkit.ClientKit;
import fi.kelmu.gateway.sandbox.SandboxPki;
import fi.kelmu.gateway.security.MessageSigner;
import fi.kelmu.gateway.security.SecurityMaterial;
import fi.kelmu.gateway.support.SoapHttp;
import fi.kelmu.gateway.transport.InboundChain;
import fi.kelmu.gateway.xroad.XRoadHeaders;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/**
 * The benchmark's load generator, a JVM of its own (started by {@link OutOfProcessBenchmark}): a closed loop of
 * N kept-alive HTTP/1.1 connections over plain sockets, each sending its next pre-built request as soon as the
 * previous answer is in. Signed corpora are prepared on command before a window (all cores, the target idle),
 * every request distinct (fresh X-Road id and Timestamp). Driven line by line on standard input; answers on
 * standard output as lines starting with {@code @@} (logging goes to standard error):
 * <pre>
 * prepare benefit|payment|bare COUNT     -> @@ prepared COUNT MILLIS
 * run HOST PORT PATH SOAPACTION|- CONNECTIONS SECONDS -> @@ result key=value ...
 * quit
 * </pre>
 * Arguments: the sandbox PKI folder (the callers' keys) and the project folder (the payment-demand sample).
 */
public final class LoadGenerator {

    /** The calling organisation of every request: Länsi-Uudenmaan hyvinvointialue (demo). */
    static final String CALLER = "9000001-1";
    static final String BENEFIT_FIXTURE = "get-benefit-data-hva.xml";

    private final Path pkiDir;
    private final Path projectDir;
    private final PrintStream out;
    private byte[][] corpus = new byte[0][];
    private boolean endless;

    private LoadGenerator(Path pkiDir, Path projectDir, PrintStream out) {
        this.pkiDir = pkiDir;
        this.projectDir = projectDir;
        this.out = out;
    }

    public static void main(String[] args) throws Exception {
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        LoadGenerator generator = new LoadGenerator(Path.of(args[0]), Path.of(args[1]), out);
        BufferedReader commands = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        out.println("@@ ready");
        String line;
        while ((line = commands.readLine()) != null) {
            String[] words = line.strip().split("\\s+");
            try {
                switch (words[0]) {
                    case "prepare" -> generator.prepare(words[1], Integer.parseInt(words[2]));
                    case "run" -> generator.run(words[1], Integer.parseInt(words[2]), words[3],
                            "-".equals(words[4]) ? null : words[4], Integer.parseInt(words[5]),
                            Double.parseDouble(words[6]));
                    case "quit" -> {
                        return;
                    }
                    default -> out.println("@@ error unknown command " + words[0]);
                }
            } catch (Exception e) {
                e.printStackTrace();
                out.println("@@ error " + e.getClass().getSimpleName() + " " + e.getMessage());
            }
        }
    }

    // ---------------------------------------------------------------- corpora

    private void prepare(String scenario, int count) throws Exception {
        corpus = null; // let the previous corpus go before the next is built
        long start = System.nanoTime();
        switch (scenario) {
            case "bare" -> {
                corpus = new byte[][] {SoapHttp.fixture(BENEFIT_FIXTURE)};
                endless = true;
            }
            case "benefit" -> {
                corpus = sign(SoapHttp.fixture(BENEFIT_FIXTURE), count);
                endless = false;
            }
            case "payment" -> {
                corpus = sign(Files.readAllBytes(projectDir.resolve("samples/submit-payment-demand.xml")), count);
                endless = false;
            }
            default -> throw new IllegalArgumentException("no scenario " + scenario);
        }
        out.println("@@ prepared " + corpus.length + " " + (System.nanoTime() - start) / 1_000_000);
    }

    /** {@code count} distinct signed copies of {@code template}, on every core, one signer per thread. */
    private byte[][] sign(byte[] template, int count) throws Exception {
        int signers = Runtime.getRuntime().availableProcessors();
        byte[][] result = new byte[count][];
        ExecutorService pool = Executors.newFixedThreadPool(signers);
        try {
            List<Future<?>> parts = new ArrayList<>();
            for (int s = 0; s < signers; s++) {
                int first = s;
                parts.add(pool.submit(() -> {
                    MessageSigner signer = new MessageSigner(SecurityMaterial.keyStore(
                            pkiDir.resolve("organisations").resolve(CALLER + ".p12"), SandboxPki.PASSWORD), CALLER,
                            SandboxPki.PASSWORD);
                    Document parsed = SoapHttp.parse(template);
                    ((Element) parsed.getElementsByTagNameNS(XRoadHeaders.NS, "client").item(0))
                            .getElementsByTagNameNS(XRoadHeaders.ID_NS, "memberCode").item(0).setTextContent(CALLER);
                    for (int i = first; i < count; i += signers) {
                        Document envelope = (Document) parsed.cloneNode(true);
                        envelope.getElementsByTagNameNS(XRoadHeaders.NS, "id").item(0)
                                .setTextContent(UUID.randomUUID().toString());
                        signer.sign(envelope, InboundChain.REQUEST_SIGNED_PARTS, 300);
                        result[i] = ClientKit.serialise(envelope);
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
        return result;
    }

    // ---------------------------------------------------------------- closed loop

    private void run(String host, int port, String path, String soapAction, int connections, double seconds)
            throws Exception {
        byte[][] requests = corpus;
        byte[][] heads = new byte[requests.length][];
        String head = "POST " + path + " HTTP/1.1\r\nHost: " + host + ":" + port
                + "\r\nContent-Type: text/xml; charset=utf-8\r\n"
                + (soapAction == null ? "" : "SOAPAction: \"" + soapAction + "\"\r\n") + "Content-Length: ";
        for (int i = 0; i < requests.length; i++) {
            heads[i] = (head + requests[i].length + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1);
        }
        AtomicInteger next = new AtomicInteger();
        AtomicBoolean exhausted = new AtomicBoolean();
        LongAdder ok = new LongAdder();
        LongAdder responseBytes = new LongAdder();
        Map<String, LongAdder> errors = new ConcurrentHashMap<>();
        long[][] latencies = new long[connections][];
        java.util.Arrays.fill(latencies, new long[0]);
        int[] latencyCounts = new int[connections];
        CountDownLatch connected = new CountDownLatch(connections);
        CountDownLatch go = new CountDownLatch(1);
        long[] deadline = new long[1];
        List<Thread> threads = new ArrayList<>();
        for (int c = 0; c < connections; c++) {
            int id = c;
            Thread t = new Thread(() -> {
                long[] mine = new long[4096];
                int n = 0;
                Socket socket = null;
                try {
                    socket = connect(host, port);
                } catch (IOException e) {
                    count(errors, "connect:" + e.getClass().getSimpleName());
                }
                connected.countDown();
                try {
                    go.await();
                } catch (InterruptedException e) {
                    return;
                }
                HttpMessageReader reader = null;
                OutputStream output = null;
                while (System.nanoTime() < deadline[0]) {
                    int index;
                    if (endless) {
                        index = 0;
                    } else {
                        index = next.getAndIncrement();
                        if (index >= requests.length) {
                            exhausted.set(true);
                            break;
                        }
                    }
                    long sent = System.nanoTime();
                    try {
                        if (socket == null) {
                            socket = connect(host, port);
                        }
                        if (reader == null) {
                            reader = new HttpMessageReader(new BufferedInputStream(socket.getInputStream(), 16384));
                            output = new BufferedOutputStream(socket.getOutputStream(), 16384);
                        }
                        output.write(heads[index]);
                        output.write(requests[index]);
                        output.flush();
                        HttpMessageReader.Response response = reader.read();
                        long took = System.nanoTime() - sent;
                        mine = Latencies.append(mine, n++, took);
                        String fault = response.soapFault();
                        if (response.status() == 200 && fault == null) {
                            ok.increment();
                            responseBytes.add(response.body().length);
                        } else {
                            count(errors, "http" + response.status() + (fault == null ? "" : ":" + fault));
                        }
                        if (!response.keepAlive()) {
                            close(socket);
                            socket = null;
                            reader = null;
                        }
                    } catch (IOException | RuntimeException e) {
                        count(errors, "io:" + e.getClass().getSimpleName());
                        close(socket);
                        socket = null;
                        reader = null;
                    }
                }
                close(socket);
                latencies[id] = mine;
                latencyCounts[id] = n;
            }, "load-" + c);
            t.setDaemon(true);
            threads.add(t);
            t.start();
        }
        connected.await();
        long start = System.nanoTime();
        deadline[0] = start + (long) (seconds * 1e9);
        go.countDown();
        for (Thread t : threads) {
            t.join();
        }
        double elapsed = (System.nanoTime() - start) / 1e9;
        int total = 0;
        for (int n : latencyCounts) {
            total += n;
        }
        long[] all = new long[total];
        int at = 0;
        for (int c = 0; c < connections; c++) {
            System.arraycopy(latencies[c], 0, all, at, latencyCounts[c]);
            at += latencyCounts[c];
        }
        Latencies l = new Latencies(all);
        long errorCount = errors.values().stream().mapToLong(LongAdder::sum).sum();
        StringBuilder kinds = new StringBuilder();
        new TreeMap<>(errors).forEach((k, v) -> kinds.append(kinds.length() == 0 ? "" : ",")
                .append(k.replaceAll("[\\s,=]", "_")).append(':').append(v.sum()));
        out.println(String.format(Locale.ROOT, "@@ result ok=%d errors=%d seconds=%.3f p50=%.3f p90=%.3f p99=%.3f"
                + " max=%.3f exhausted=%b bytes=%d kinds=%s", ok.sum(), errorCount, elapsed, l.percentileMillis(50),
                l.percentileMillis(90), l.percentileMillis(99), l.maxMillis(), exhausted.get(),
                ok.sum() == 0 ? 0 : responseBytes.sum() / ok.sum(), kinds.length() == 0 ? "-" : kinds));
        corpus = endless ? corpus : new byte[0][]; // a signed corpus is used up: its requests are replays now
    }

    private static Socket connect(String host, int port) throws IOException {
        Socket socket = new Socket();
        socket.setTcpNoDelay(true);
        socket.setSoTimeout(30_000);
        socket.connect(new InetSocketAddress(host, port), 5_000);
        return socket;
    }

    private static void close(Socket socket) {
        if (socket != null) {
            try {
                socket.close();
            } catch (IOException e) {
                // closing anyway
            }
        }
    }

    private static void count(Map<String, LongAdder> errors, String kind) {
        errors.computeIfAbsent(kind, k -> new LongAdder()).increment();
    }
}
