package fi.kelmu.gateway.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.Writer;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The benchmark that measures the server alone (issue 12), never part of {@code mvn verify} (a main, not a test).
 * Every party is a JVM of its own: the packaged gateway jar in sandbox mode with its embedded simulators off, the
 * sandbox backend and mandate simulators ({@link BenchBackend}), a plain CXF + WSS4J signed echo and a bare CXF
 * echo ({@link PeerEndpoint}), and the load generator ({@link LoadGenerator}). Each target warms up until its JIT
 * settles, then the targets are measured in interleaved rounds; CPU and memory are read from {@code /proc} and
 * {@code jcmd} for the target process only. Writes {@code target/benchmark/out-of-process.md}. Options in
 * docs/benchmark.md and {@link Options}; run through {@code bench/run-benchmark.sh}.
 */
public final class OutOfProcessBenchmark {

    private static final String BENEFIT_PATH = "/ws/BenefitInformationService";
    private static final String PAYMENT_PATH = "/ws/PaymentDemandService";
    private static final String BENEFIT_ACTION = "urn:fi:kelmu:benefit:v1#getBenefitData";

    private final Options options;
    private final PrintStream console;
    private final Path workDir;
    private final Path logDir;
    private final List<Child> children = new ArrayList<>();
    private final StringBuilder notes = new StringBuilder();
    private final Map<String, Double> rates = new HashMap<>();
    private final List<Instant[]> gatewayWindows = new ArrayList<>();
    private final List<Instant[]> paymentWindows = new ArrayList<>();

    private OutOfProcessBenchmark(Options options, PrintStream console) throws IOException {
        this.options = options;
        this.console = console;
        this.workDir = Files.createTempDirectory("kelmu-bench");
        this.logDir = options.out.resolve("logs");
        Files.createDirectories(logDir);
    }

    // ---------------------------------------------------------------- options

    /** Command-line options, {@code --name=value} or {@code --name value}. */
    static final class Options {
        int rounds = 3;
        int seconds = 30;
        int connections = 16;
        /**
         * Longest warm-up per target process, seconds: on 2 cores the gateway's C2 backlog takes 6–8 minutes (it
         * settled after 465–477 s in runs 7 and 21 of docs/benchmark.md, never within 300 s).
         */
        int warmupMax = 540;
        int settleWindow = 15;
        int settleThreshold = 20;
        List<Integer> sweep = List.of();
        int sweepSeconds = 20;
        List<String> targets = List.of("gateway", "payment", "peer", "bare");
        String gatewayJvm = "";
        String peerJvm = null;
        String generatorJvm = "-Xmx1g -XX:+UseParallelGC";
        boolean profile = false;
        /**
         * The gateway's answer keys: {@code ec}, its ECDSA P-256 key for every answer, the work the peer does;
         * {@code sandbox}, the sandbox's two keys, an answer to an RSA-signed request signed with RSA-2048.
         */
        String answerKeys = "ec";
        /**
         * Whether the gateway's benefit backends are the backend process's answer memo ({@link BenefitAnswerMemo}),
         * which answers a query seen before from memory, or the simulator itself, which unmarshals, validates and
         * marshals every query on the cores the gateway shares.
         */
        boolean backendMemo = true;
        int corpusMax = 300_000;
        Path jar = Path.of("target/kelmu-gateway.jar");
        /** Another build of the gateway, measured as target {@code baseline} with the same requests (an A/B). */
        Path baselineJar = null;
        /** JVM options of the baseline; by default the gateway's (the same jar with other options is an A/B too). */
        String baselineJvm = null;
        Path project = Path.of(".");
        Path out = Path.of("target/benchmark");

        private static boolean onOff(String name, String value) {
            return switch (value) {
                case "on" -> true;
                case "off" -> false;
                default -> throw new IllegalArgumentException("--" + name + " on or off, not " + value);
            };
        }

        static Options parse(String[] args) {
            Options o = new Options();
            for (int i = 0; i < args.length; i++) {
                String arg = args[i];
                if (!arg.startsWith("--")) {
                    throw new IllegalArgumentException("unknown argument " + arg);
                }
                String name;
                String value;
                int eq = arg.indexOf('=');
                if (eq > 0) {
                    name = arg.substring(2, eq);
                    value = arg.substring(eq + 1);
                } else {
                    name = arg.substring(2);
                    value = name.equals("profile") ? "true" : args[++i];
                }
                switch (name) {
                    case "rounds" -> o.rounds = Integer.parseInt(value);
                    case "seconds" -> o.seconds = Integer.parseInt(value);
                    case "connections" -> o.connections = Integer.parseInt(value);
                    case "warmup-max" -> o.warmupMax = Integer.parseInt(value);
                    case "settle-window" -> o.settleWindow = Integer.parseInt(value);
                    case "settle-threshold" -> o.settleThreshold = Integer.parseInt(value);
                    case "sweep" -> o.sweep = value.isBlank() ? List.of()
                            : Arrays.stream(value.split(",")).map(String::strip).map(Integer::valueOf).toList();
                    case "sweep-seconds" -> o.sweepSeconds = Integer.parseInt(value);
                    case "targets" -> o.targets = Arrays.stream(value.split(",")).map(String::strip).toList();
                    case "gateway-jvm" -> o.gatewayJvm = value;
                    case "peer-jvm" -> o.peerJvm = value;
                    case "generator-jvm" -> o.generatorJvm = value;
                    case "profile" -> o.profile = Boolean.parseBoolean(value);
                    case "answer-keys" -> o.answerKeys = value;
                    case "backend-memo" -> o.backendMemo = onOff(name, value);
                    case "corpus-max" -> o.corpusMax = Integer.parseInt(value);
                    case "jar" -> o.jar = Path.of(value);
                    case "baseline-jar" -> o.baselineJar = Path.of(value);
                    case "baseline-jvm" -> o.baselineJvm = value;
                    case "project" -> o.project = Path.of(value);
                    case "out" -> o.out = Path.of(value);
                    default -> throw new IllegalArgumentException("unknown option --" + name);
                }
            }
            if (!List.of("ec", "sandbox").contains(o.answerKeys)) {
                throw new IllegalArgumentException("--answer-keys ec or sandbox, not " + o.answerKeys);
            }
            for (String t : o.targets) {
                if (!List.of("gateway", "payment", "peer", "bare", "baseline").contains(t)) {
                    throw new IllegalArgumentException("target gateway, payment, peer, bare or baseline, not " + t);
                }
            }
            if (o.seconds > 240 || o.sweepSeconds > 240 || o.settleWindow > 240) {
                throw new IllegalArgumentException("a window must end well within the gateway's 300 s Timestamp TTL");
            }
            if (o.targets.contains("baseline") != (o.baselineJar != null)) {
                throw new IllegalArgumentException("target baseline needs --baseline-jar, and --baseline-jar needs it");
            }
            o.jar = o.jar.toAbsolutePath();
            o.baselineJar = o.baselineJar == null ? null : o.baselineJar.toAbsolutePath();
            o.project = o.project.toAbsolutePath();
            o.out = o.out.toAbsolutePath();
            return o;
        }

        String peerJvm() {
            return peerJvm == null ? gatewayJvm : peerJvm;
        }
    }

    // ---------------------------------------------------------------- child processes

    /** A child JVM: its {@code @@} answers on a queue, everything else in its log file. */
    static final class Child {
        final String name;
        final Process process;
        final BlockingQueue<String> answers = new LinkedBlockingQueue<>();
        final long started = System.nanoTime();
        volatile long startedLine = -1;
        private final Writer input;

        Child(String name, List<String> command, Path dir, Path log, String startedMarker) throws IOException {
            this.name = name;
            ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile())
                    .redirectError(ProcessBuilder.Redirect.appendTo(log.toFile()));
            this.process = builder.start();
            this.input = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
            Thread reader = new Thread(() -> {
                try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(),
                        StandardCharsets.UTF_8)); Writer file = Files.newBufferedWriter(log, StandardCharsets.UTF_8,
                                java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND)) {
                    String line;
                    while ((line = lines.readLine()) != null) {
                        if (line.startsWith("@@ ")) {
                            answers.add(line.substring(3));
                        } else {
                            if (startedMarker != null && startedLine < 0 && line.contains(startedMarker)) {
                                startedLine = System.nanoTime();
                            }
                            file.write(line);
                            file.write('\n');
                            file.flush();
                        }
                    }
                } catch (IOException e) {
                    answers.add("error output closed: " + e.getMessage());
                }
                answers.add("exited");
            }, name + "-output");
            reader.setDaemon(true);
            reader.start();
        }

        long pid() {
            return process.pid();
        }

        void send(String command) throws IOException {
            input.write(command + "\n");
            input.flush();
        }

        /** The next answer; fails on an error answer, an exit or a timeout. */
        String await(String expected, long timeoutSeconds) throws Exception {
            String answer = answers.poll(timeoutSeconds, TimeUnit.SECONDS);
            if (answer == null || !answer.startsWith(expected)) {
                throw new IllegalStateException(name + ": expected '" + expected + "', got '" + answer
                        + "' (see its log)");
            }
            return answer.substring(expected.length()).strip();
        }

        void stop() throws InterruptedException {
            process.destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    private Child start(String name, List<String> jvm, List<String> mainAndArgs, Path dir, String marker)
            throws IOException {
        List<String> command = new ArrayList<>();
        command.add(javaTool("java"));
        command.addAll(jvm);
        command.addAll(mainAndArgs);
        Path log = logDir.resolve(name + ".log");
        Files.writeString(log, String.join(" ", command) + "\n\n", StandardCharsets.UTF_8);
        Child child = new Child(name, command, dir, log, marker);
        children.add(child);
        return child;
    }

    private List<String> testJvm(String options, String... more) {
        List<String> jvm = new ArrayList<>(split(options));
        jvm.add("-Dkelmu.log.target=System.err");
        jvm.add("-Dkelmu.project.dir=" + this.options.project);
        jvm.addAll(List.of(more));
        jvm.add("-cp");
        // absolute: the children run in folders of their own
        jvm.add(Arrays.stream(System.getProperty("java.class.path").split(java.io.File.pathSeparator))
                .map(entry -> Path.of(entry).toAbsolutePath().toString())
                .collect(Collectors.joining(java.io.File.pathSeparator)));
        return jvm;
    }

    private static List<String> split(String options) {
        return options == null || options.isBlank() ? List.of() : List.of(options.strip().split("\\s+"));
    }

    private static String javaTool(String tool) {
        return Path.of(System.getProperty("java.home"), "bin", tool).toString();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        }
    }

    private static String jcmd(long pid, String... command) {
        List<String> args = new ArrayList<>(List.of(javaTool("jcmd"), Long.toString(pid)));
        args.addAll(List.of(command));
        try {
            Process p = new ProcessBuilder(args).redirectErrorStream(true).start();
            String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            p.waitFor(60, TimeUnit.SECONDS);
            return text;
        } catch (IOException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }

    static long compiles(long pid) {
        return ProcStats.totalCompiles(jcmd(pid, "PerfCounter.print"));
    }

    /**
     * The live heap: the bytes of all objects that {@code GC.class_histogram} counts right after the full GC it runs.
     * {@code GC.run} followed by {@code GC.heap_info} also counted what the process allocated between the two
     * commands (its outbox and timers do not stop with the load): 93 to 175 MB where 49 MB were live.
     */
    static long heapAfterGcKb(long pid) {
        long bytes = ProcStats.histogramTotalBytes(jcmd(pid, "GC.class_histogram"));
        return bytes < 0 ? -1 : bytes / 1024;
    }

    /** Polls of the machine's CPU after a window's load, each this long. */
    static final double QUIET_POLL_SECONDS = 0.5;
    /** The machine counts as quiet when all its processes together use less than this many cores over a poll. */
    static final double QUIET_CORES = 0.25;
    /** The longest wait for quiet after a window; the report shows each window's wait. */
    static final double QUIET_MAX_SECONDS = 180;

    /** Sleeps, for {@link #awaitQuiet}; a test passes one that only counts. */
    interface Sleeper {
        void sleep(long millis) throws InterruptedException;
    }

    /**
     * Waits until the machine is quiet: a poll of {@code pollSeconds} in which all processes together used less than
     * {@code quietCores} cores ({@code busySeconds} is the machine's busy CPU seconds since boot). Returns the seconds
     * waited, at most {@code maxSeconds}; a busy reading that cannot be had counts as quiet.
     */
    static double awaitQuiet(java.util.function.DoubleSupplier busySeconds, Sleeper sleeper, double pollSeconds,
            double quietCores, double maxSeconds) throws InterruptedException {
        double waited = 0;
        double before = busySeconds.getAsDouble();
        while (waited < maxSeconds) {
            sleeper.sleep(Math.round(pollSeconds * 1000));
            waited += pollSeconds;
            double now = busySeconds.getAsDouble();
            if (Double.isNaN(now) || Double.isNaN(before) || (now - before) / pollSeconds < quietCores) {
                break;
            }
            before = now;
        }
        return waited;
    }

    /** Busy CPU seconds of the whole machine from /proc/stat (all but idle and iowait); NaN if unknown. */
    static double machineBusySeconds() {
        try {
            String first = Files.readAllLines(Path.of("/proc/stat")).get(0);
            String[] f = first.strip().split("\\s+");
            long busy = 0;
            for (int i = 1; i < f.length && i <= 8; i++) {
                if (i != 4 && i != 5) {
                    busy += Long.parseLong(f[i]);
                }
            }
            return busy / ProcStats.CLOCK_TICKS_PER_SECOND;
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
    }

    // ---------------------------------------------------------------- targets

    /** A measured thing: a process, the path served and the scenario the generator sends. */
    record Target(String name, Child process, int port, String path, String soapAction, String scenario) {
        boolean signed() {
            return !"bare".equals(scenario);
        }
    }

    /** One window of load against a target, as the generator and /proc saw it. */
    record Window(String target, String phase, int round, int connections, long ok, long errors, double seconds,
            double p50, double p90, double p99, double max, boolean exhausted, long responseBytes, String kinds,
            double targetCpu, double backendCpu, double generatorCpu, double otherCpu, long rssKb, long hwmKb,
            long heapKb, long compiles, int corpus, long signMillis, double jitCpu, Map<String, long[]> threadTicks,
            double afterSeconds) {

        double rate() {
            return seconds == 0 ? 0 : ok / seconds;
        }

        double cpuMsPerRequest() {
            long done = ok + errors;
            return done == 0 ? Double.NaN : targetCpu * 1000 / done;
        }

        /** CPU per request without the JIT compiler threads' share: the request work of a JVM still warming up. */
        double cpuMsPerRequestWithoutJit() {
            long done = ok + errors;
            return done == 0 ? Double.NaN : (targetCpu - jitCpu) * 1000 / done;
        }

        double backendMsPerRequest() {
            long done = ok + errors;
            return done == 0 ? Double.NaN : backendCpu * 1000 / done;
        }
    }

    private Child backend;
    /** The benefit backend's base URL through the backend process's answer memo ({@code --backend-memo}). */
    private String benefitMemoUrl;
    private Child generator;

    private Window window(Target t, String phase, int round, int connections, double seconds, boolean heap)
            throws Exception {
        int count = 1;
        long signMillis = 0;
        if (t.signed()) {
            // the first corpus of a target from a modest guess (an exhausted corpus doubles the next), then from
            // its last rate with room to spare: the JIT may still speed it up
            double rate = rates.getOrDefault(t.name, 300.0);
            count = (int) Math.min(options.corpusMax, Math.ceil(rate * seconds * 1.6) + 300);
            generator.send("prepare " + t.scenario + " " + count);
        } else {
            generator.send("prepare bare 1");
        }
        String[] prepared = generator.await("prepared", 900).split(" ");
        count = Integer.parseInt(prepared[0]);
        signMillis = Long.parseLong(prepared[1]);
        long pid = t.process.pid();
        double cpu0 = ProcStats.cpuSeconds(pid);
        Map<Long, ProcStats.ThreadTicks> threads0 = ProcStats.threadTicks(pid);
        double backend0 = ProcStats.cpuSeconds(backend.pid());
        double gen0 = ProcStats.cpuSeconds(generator.pid());
        double machine0 = machineBusySeconds();
        Instant from = Instant.now();
        generator.send("run 127.0.0.1 " + t.port + " " + t.path + " " + (t.soapAction == null ? "-" : t.soapAction)
                + " " + connections + " " + seconds);
        Map<String, String> r = keyValues(generator.await("result", (long) seconds + 300));
        Instant to = Instant.now();
        // the work a window's load leaves behind is its own, and must not run in the next window: a payment
        // window's demands are delivered by the gateway's outbox after their answers (run 14 of docs/benchmark.md)
        double after = awaitQuiet(OutOfProcessBenchmark::machineBusySeconds, Thread::sleep, QUIET_POLL_SECONDS,
                QUIET_CORES, QUIET_MAX_SECONDS);
        double targetCpu = ProcStats.cpuSeconds(pid) - cpu0;
        Map<String, long[]> threadTicks = ProcStats.difference(threads0, ProcStats.threadTicks(pid));
        double jitCpu = threads0.isEmpty() ? Double.NaN : ProcStats.jitCpuSeconds(threadTicks);
        double backendCpu = ProcStats.cpuSeconds(backend.pid()) - backend0;
        double generatorCpu = ProcStats.cpuSeconds(generator.pid()) - gen0;
        double other = machineBusySeconds() - machine0 - targetCpu - backendCpu - generatorCpu;
        long rss = ProcStats.statusKb(pid, "VmRSS");
        long hwm = ProcStats.statusKb(pid, "VmHWM");
        long compileCount = compiles(pid);
        long heapKb = heap ? heapAfterGcKb(pid) : -1;
        if ("measured".equals(phase)) {
            ("payment".equals(t.name) ? paymentWindows : "gateway".equals(t.name) ? gatewayWindows
                    : new ArrayList<Instant[]>()).add(new Instant[] {from, to});
        }
        Window w = new Window(t.name, phase, round, connections, Long.parseLong(r.get("ok")),
                Long.parseLong(r.get("errors")), Double.parseDouble(r.get("seconds")), Double.parseDouble(r.get("p50")),
                Double.parseDouble(r.get("p90")), Double.parseDouble(r.get("p99")), Double.parseDouble(r.get("max")),
                Boolean.parseBoolean(r.get("exhausted")), Long.parseLong(r.get("bytes")), r.get("kinds"), targetCpu,
                backendCpu, generatorCpu, other, rss, hwm, heapKb, compileCount, count, signMillis, jitCpu, threadTicks,
                after);
        if (w.ok > 0) {
            // an exhausted corpus only shows a lower bound of the rate: size the next one larger
            rates.put(t.name, w.exhausted ? Math.max(w.rate() * 2, rates.getOrDefault(t.name, 0.0)) : w.rate());
        }
        console.println(String.format(Locale.ROOT, "%-9s %-9s r%d c%-3d %8.1f req/s  %6.3f ms CPU/req (%.3f w/o JIT)  p50 %.2f"
                + " p99 %.2f ms  errors %d %s%s  corpus %d (signed in %d ms)  other CPU %.1f s  quiet after %.1f s",
                w.phase, w.target, w.round, w.connections, w.rate(), w.cpuMsPerRequest(), w.cpuMsPerRequestWithoutJit(),
                w.p50, w.p99, w.errors, "-".equals(w.kinds) ? "" : w.kinds, w.exhausted ? " EXHAUSTED" : "", w.corpus,
                w.signMillis, w.otherCpu, w.afterSeconds));
        if ("measured".equals(phase) && w.ok + w.errors > 0) {
            console.println("          threads, ms/req: " + topThreadGroups(threadTicks, w.ok + w.errors, 5));
        }
        return w;
    }

    /** Thread groups by their user and system ticks, the most first. */
    private static final java.util.Comparator<Map.Entry<String, long[]>> BUSIEST_FIRST = (x, y) -> Long.compare(
            y.getValue()[0] + y.getValue()[1], x.getValue()[0] + x.getValue()[1]);

    /**
     * Each target's CPU per request by thread group (user and system time of its threads, from /proc, summed over
     * the measured rounds): where a process's CPU goes, including what a JFR profile leaves out (system time, the
     * GC and JIT threads, threads waiting in native code). Groups under 1 % of the target's CPU are summed as one row.
     */
    static void threadTable(StringBuilder b, Map<String, List<Window>> byTarget) {
        b.append("User and system CPU of the target's threads (`/proc/<pid>/task/*/stat` at each window's start and"
                + " end), per request, by thread name with its digits as `#`. Unlike a JFR profile, this counts"
                + " system time, the GC and JIT threads and native code. Each thread is counted from its own reading at"
                + " the window's start (or from zero when it started within the window); a thread that ended within a"
                + " window cannot be read at its end, so what such threads used is the process's CPU less the groups'"
                + " total, in the last row.\n\n| target | thread group | ms/req | user ms/req | system ms/req | share |\n"
                + "|---|---|---|---|---|---|\n");
        byTarget.forEach((target, windows) -> {
            long done = windows.stream().mapToLong(w -> w.ok + w.errors).sum();
            Map<String, long[]> sum = new java.util.TreeMap<>();
            for (Window w : windows) {
                w.threadTicks().forEach((group, ticks) -> {
                    long[] total = sum.computeIfAbsent(group, k -> new long[2]);
                    total[0] += ticks[0];
                    total[1] += ticks[1];
                });
            }
            long all = sum.values().stream().mapToLong(t -> t[0] + t[1]).sum();
            if (done == 0 || all <= 0) {
                return;
            }
            double msPerTick = 1000 / ProcStats.CLOCK_TICKS_PER_SECOND / done;
            long[] rest = new long[2];
            List<Map.Entry<String, long[]>> rows = new ArrayList<>(sum.entrySet());
            rows.sort(BUSIEST_FIRST);
            for (Map.Entry<String, long[]> row : rows) {
                long[] t = row.getValue();
                if ((t[0] + t[1]) * 100 < all) {
                    rest[0] += t[0];
                    rest[1] += t[1];
                    continue;
                }
                b.append(String.format(Locale.ROOT, "| %s | %s | %.3f | %.3f | %.3f | %.1f %% |%n", target,
                        row.getKey(), (t[0] + t[1]) * msPerTick, t[0] * msPerTick, t[1] * msPerTick,
                        100.0 * (t[0] + t[1]) / all));
            }
            if (rest[0] + rest[1] > 0) {
                b.append(String.format(Locale.ROOT, "| %s | (others, each under 1 %%) | %.3f | %.3f | %.3f | %.1f %% |%n",
                        target, (rest[0] + rest[1]) * msPerTick, rest[0] * msPerTick, rest[1] * msPerTick,
                        100.0 * (rest[0] + rest[1]) / all));
            }
            double processMs = windows.stream().mapToDouble(Window::targetCpu).sum() * 1000 / done;
            b.append(String.format(Locale.ROOT, "| %s | (threads that ended within a window: the process less the"
                    + " groups) | %.3f | | | |%n", target, processMs - all * msPerTick));
        });
    }

    /** The {@code n} thread groups with the most CPU in a window, as {@code name ms/req}, for the console. */
    static String topThreadGroups(Map<String, long[]> ticks, long requests, int n) {
        return ticks.entrySet().stream()
                .sorted(BUSIEST_FIRST)
                .limit(n)
                .map(e -> String.format(Locale.ROOT, "%s %.3f", e.getKey(), (e.getValue()[0] + e.getValue()[1])
                        * 1000 / ProcStats.CLOCK_TICKS_PER_SECOND / requests))
                .collect(Collectors.joining(", "));
    }

    static Map<String, String> keyValues(String line) {
        Map<String, String> values = new LinkedHashMap<>();
        for (String pair : line.strip().split("\\s+")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                values.put(pair.substring(0, eq), pair.substring(eq + 1));
            }
        }
        return values;
    }

    /** Warm-up outcome of one target process. */
    record WarmUp(String process, double seconds, int chunks, long compiles, long lastDelta, boolean settled) {
    }

    /** Load in chunks until the process's compile count grows by less than the threshold in every scenario's chunk. */
    private WarmUp warmUp(String processName, List<Target> scenarios) throws Exception {
        long pid = scenarios.get(0).process.pid();
        long start = System.nanoTime();
        long previous = compiles(pid);
        Map<String, Long> lastDelta = new HashMap<>();
        int chunks = 0;
        while (true) {
            for (Target t : scenarios) {
                window(t, "warm-up", 0, options.connections, options.settleWindow, false);
                long now = compiles(pid);
                lastDelta.put(t.name, now - previous);
                previous = now;
                chunks++;
            }
            boolean settled = lastDelta.values().stream().allMatch(d -> d < options.settleThreshold);
            double elapsed = (System.nanoTime() - start) / 1e9;
            long worst = lastDelta.values().stream().mapToLong(Long::longValue).max().orElse(0);
            if (settled || elapsed >= options.warmupMax) {
                console.println("warm-up of " + processName + ": " + (settled ? "settled" : "NOT settled") + " after "
                        + Math.round(elapsed) + " s, " + previous + " compiles");
                return new WarmUp(processName, elapsed, chunks, previous, worst, settled);
            }
        }
    }

    // ---------------------------------------------------------------- the run

    public static void main(String[] args) throws Exception {
        PrintStream console = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        Options options = Options.parse(args);
        if (!Files.isRegularFile(options.jar)) {
            throw new IllegalStateException("package the gateway first: no " + options.jar);
        }
        OutOfProcessBenchmark bench = new OutOfProcessBenchmark(options, console);
        Runtime.getRuntime().addShutdownHook(new Thread(bench::stopAll));
        try {
            bench.run();
        } finally {
            bench.stopAll();
        }
    }

    private void stopAll() {
        for (Child child : children) {
            if (child.process.isAlive()) {
                try {
                    child.stop();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
        children.clear();
        deleteQuietly(workDir);
    }

    private static void deleteQuietly(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a temporary folder left behind
        }
    }

    private Child startGateway(Path dir, int port, String backendUrl, String mandateUrl, boolean jfr, int start)
            throws Exception {
        return startGateway("gateway", options.jar, options.gatewayJvm, dir, dir.resolve("sandbox/pki"), port,
                backendUrl, mandateUrl, jfr, start);
    }

    /** A gateway build from {@code jar} in {@code dir}, with the sandbox PKI in {@code pki} (generated when absent). */
    private Child startGateway(String name, Path jar, String jvmOptions, Path dir, Path pki, int port,
            String backendUrl, String mandateUrl, boolean jfr, int start) throws Exception {
        List<String> jvm = new ArrayList<>();
        if ("ec".equals(options.answerKeys)) {
            // no second key: the ECDSA P-256 key signs every answer, as the peer's does (the requests are RSA-signed,
            // and the sandbox would answer them with its RSA-2048 key, a private-key operation of about 0.5 ms)
            jvm.add("-Dkelmu.security.gateway-second-keystore.file=");
        }
        jvm.addAll(split(jvmOptions));
        if (jfr) {
            jvm.add("-XX:StartFlightRecording=name=bench,settings=profile,filename="
                    + options.out.resolve("gateway.jfr"));
        }
        if (options.backendMemo) {
            for (String type : List.of("hva", "kunta", "helsinki")) {
                jvm.add("-Dkelmu.backend." + type + ".base-url=" + benefitMemoUrl);
            }
        }
        Path data = dir.resolve("data");
        jvm.addAll(List.of("-Dkelmu.mode=sandbox", "-Dkelmu.http.host=127.0.0.1", "-Dkelmu.http.port=" + port,
                "-Dkelmu.simulator.enabled=false", "-Dkelmu.simulator.url=" + backendUrl,
                "-Dkelmu.simulator.mandate-url=" + mandateUrl,
                "-Dkelmu.security.sandbox-pki.dir=" + pki,
                "-Dkelmu.db.url=jdbc:h2:file:" + data.resolve("kelmu-gateway") + ";LOCK_TIMEOUT=10000",
                "-Dkelmu.access-log.spool-file=" + data.resolve("access-log-spool.txt"),
                "-Dkelmu.access-log.journal-file=" + data.resolve("access-log-journal.txt"),
                "-Dkelmu.payment-demand.year-end-transfer.report-dir=" + data,
                "-jar", jar.toString()));
        List<String> command = new ArrayList<>();
        command.add(javaTool("java"));
        command.addAll(jvm);
        Path log = logDir.resolve(name + "-" + start + ".log");
        Files.writeString(log, String.join(" ", command) + "\n\n", StandardCharsets.UTF_8);
        Child child = new Child(name, command, dir, log, "kelmu-gateway started");
        children.add(child);
        return child;
    }

    /**
     * Seconds from process start until the gateway logged that it started; NaN when it did not within 10 s. The
     * line can come a little after the WSDL is served, so it is waited for before the process is stopped.
     */
    private static double startedLogged(Child child) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (child.startedLine < 0 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        return child.startedLine < 0 ? Double.NaN : (child.startedLine - child.started) / 1e9;
    }

    /**
     * Seconds from process start until the service answers its WSDL with 200: a fresh socket each try, so that no
     * connection kept alive to an earlier process on the same port can stand in the way.
     */
    private static double awaitServing(Child child, int port, String path) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
        String last = "no answer";
        while (System.nanoTime() < deadline) {
            if (!child.process.isAlive()) {
                throw new IllegalStateException(child.name + " exited at start (see its log)");
            }
            try (java.net.Socket socket = new java.net.Socket()) {
                socket.connect(new java.net.InetSocketAddress("127.0.0.1", port), 500);
                socket.setSoTimeout(5000);
                socket.getOutputStream().write(("GET " + path + "?wsdl HTTP/1.1\r\nHost: 127.0.0.1:" + port
                        + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
                int status = new HttpMessageReader(new java.io.BufferedInputStream(socket.getInputStream())).read()
                        .status();
                if (status == 200) {
                    return (System.nanoTime() - child.started) / 1e9;
                }
                last = "HTTP " + status;
            } catch (IOException e) {
                last = e.toString();
            }
            Thread.sleep(20);
        }
        throw new IllegalStateException(child.name + " did not start serving within 180 s: " + last);
    }

    private void run() throws Exception {
        Instant began = Instant.now();
        console.println("kelmu-gateway out-of-process benchmark; logs in " + logDir);
        backend = start("backend", testJvm(""), List.of(BenchBackend.class.getName()), workDir, null);
        String[] urls = backend.await("ready", 120).split(" ");
        benefitMemoUrl = urls[2];

        // the gateway: first start (fresh PKI and database), stopped, second start measured
        Path gatewayDir = workDir.resolve("gateway");
        Files.createDirectories(gatewayDir);
        int gatewayPort = freePort();
        Child first = startGateway(gatewayDir, gatewayPort, urls[0], urls[1], false, 1);
        double firstStart = awaitServing(first, gatewayPort, BENEFIT_PATH);
        double firstLogged = startedLogged(first);
        first.stop();
        children.remove(first);
        Child gateway = startGateway(gatewayDir, gatewayPort, urls[0], urls[1], options.profile, 2);
        double secondStart = awaitServing(gateway, gatewayPort, BENEFIT_PATH);
        double secondLogged = startedLogged(gateway);
        console.println(String.format(Locale.ROOT, "gateway start-up: first %.2f s, second %.2f s", firstStart,
                secondStart));
        Path pki = gatewayDir.resolve("sandbox/pki");

        Map<String, Target> targets = new LinkedHashMap<>();
        List<WarmUp> warmUps = new ArrayList<>();
        Child peer = null;
        Child bare = null;
        Child baseline = null;
        int baselinePort = 0;
        if (options.targets.contains("baseline")) {
            // the other build, same PKI (so the same signed requests), its own database
            Path baselineDir = workDir.resolve("baseline");
            Files.createDirectories(baselineDir);
            baselinePort = freePort();
            baseline = startGateway("baseline", options.baselineJar,
                    options.baselineJvm == null ? options.gatewayJvm : options.baselineJvm, baselineDir, pki,
                    baselinePort, urls[0], urls[1], false, 1);
            double baselineStart = awaitServing(baseline, baselinePort, BENEFIT_PATH);
            console.println(String.format(Locale.ROOT, "baseline start-up: %.2f s", baselineStart));
        }
        int peerPort = 0;
        int barePort = 0;
        if (options.targets.contains("peer")) {
            peerPort = freePort();
            peer = start("peer", testJvm(options.peerJvm()), List.of(PeerEndpoint.class.getName(), "peer",
                    Integer.toString(peerPort), pki.toString()), workDir, null);
            peer.await("ready", 120);
        }
        if (options.targets.contains("bare")) {
            barePort = freePort();
            bare = start("bare", testJvm(options.peerJvm()), List.of(PeerEndpoint.class.getName(), "bare",
                    Integer.toString(barePort)), workDir, null);
            bare.await("ready", 120);
        }
        generator = start("generator", testJvm(options.generatorJvm), List.of(LoadGenerator.class.getName(),
                pki.toString(), options.project.toString()), workDir, null);
        generator.await("ready", 60);
        for (String name : options.targets) {
            targets.put(name, switch (name) {
                case "gateway" -> new Target(name, gateway, gatewayPort, BENEFIT_PATH, BENEFIT_ACTION, "benefit");
                case "payment" -> new Target(name, gateway, gatewayPort, PAYMENT_PATH, null, "payment");
                case "peer" -> new Target(name, peer, peerPort, PeerEndpoint.PATH, null, "benefit");
                case "baseline" -> new Target(name, baseline, baselinePort, BENEFIT_PATH, BENEFIT_ACTION, "benefit");
                default -> new Target(name, bare, barePort, PeerEndpoint.PATH, null, "bare");
            });
        }

        // warm-up, one process after the other, until its JIT settles
        List<Target> gatewayScenarios = targets.values().stream().filter(t -> t.process == gateway).toList();
        if (!gatewayScenarios.isEmpty()) {
            warmUps.add(warmUp("gateway", gatewayScenarios));
        }
        for (Target t : targets.values()) {
            if (t.process != gateway) {
                warmUps.add(warmUp(t.name, List.of(t)));
            }
        }

        // measured rounds, targets interleaved
        List<Window> measured = new ArrayList<>();
        for (int round = 1; round <= options.rounds; round++) {
            for (Target t : targets.values()) {
                measured.add(window(t, "measured", round, options.connections, options.seconds, true));
            }
        }
        List<Window> sweep = new ArrayList<>();
        for (int connections : options.sweep) {
            for (Target t : targets.values()) {
                sweep.add(window(t, "sweep", 0, connections, options.sweepSeconds, false));
            }
        }

        String profile = null;
        if (options.profile) {
            Path recording = options.out.resolve("gateway.jfr");
            jcmd(gateway.pid(), "JFR.dump", "name=bench", "filename=" + recording);
            StringBuilder text = new StringBuilder();
            if (!gatewayWindows.isEmpty()) {
                text.append(JfrSummary.summarise(recording, inside(gatewayWindows),
                        "samples inside the measured windows of target gateway (benefit query)")).append("\n\n");
            }
            if (!paymentWindows.isEmpty()) {
                text.append(JfrSummary.summarise(recording, inside(paymentWindows),
                        "samples inside the measured windows of target payment (payment-demand submit)"));
            }
            Path file = options.out.resolve("gateway-profile.txt");
            Files.writeString(file, text, StandardCharsets.UTF_8);
            profile = file.toString();
        }
        generator.send("quit");

        String report = report(began, new double[] {firstStart, firstLogged, secondStart, secondLogged}, warmUps,
                measured, sweep, profile);
        Path file = options.out.resolve("out-of-process.md");
        Files.writeString(file, report, StandardCharsets.UTF_8);
        console.println();
        console.println(report);
        console.println("report written to " + file);
    }

    private static java.util.function.Predicate<Instant> inside(List<Instant[]> windows) {
        return at -> windows.stream().anyMatch(w -> !at.isBefore(w[0]) && !at.isAfter(w[1]));
    }

    // ---------------------------------------------------------------- report

    private String report(Instant began, double[] startUp, List<WarmUp> warmUps, List<Window> measured,
            List<Window> sweep, String profile) {
        StringBuilder b = new StringBuilder();
        b.append("# kelmu-gateway out-of-process benchmark\n\n");
        b.append("Started ").append(began).append(", finished ").append(Instant.now()).append(".\n\n");
        b.append("## Machine\n\n");
        b.append("- CPU: ").append(Runtime.getRuntime().availableProcessors()).append(" cores, ").append(cpuModel())
                .append('\n');
        b.append("- memory: ").append(memTotal()).append('\n');
        b.append("- OS: ").append(System.getProperty("os.name")).append(' ').append(System.getProperty("os.version"))
                .append(' ').append(System.getProperty("os.arch")).append('\n');
        b.append("- JVM (every process): ").append(System.getProperty("java.vm.name")).append(' ')
                .append(System.getProperty("java.runtime.version")).append(", ").append(System.getProperty("java.home"))
                .append('\n');
        b.append("- load average at the end: ").append(loadAverage()).append("\n\n");
        b.append("## Settings\n\n");
        b.append("- targets: ").append(String.join(", ", options.targets)).append(" (gateway: signed getBenefitData"
                + " through the packaged jar, sandbox mode, simulators in their own process; payment: a fresh signed"
                + " submitPaymentDemand each, through the same gateway process, durable commit on H2; peer: CXF +"
                + " WSS4J signed echo, RSA-2048 verify in, ECDSA P-256 sign out, JDK providers; bare: CXF echo, no"
                + " security)\n");
        b.append("- gateway answer keys (--answer-keys): ").append("ec".equals(options.answerKeys)
                ? "ec, its ECDSA P-256 key signs every answer, as the peer's does"
                : "sandbox, an answer to an RSA-signed request (all of them here) signed with RSA-2048").append('\n');
        b.append("- benefit backend (--backend-memo): ").append(options.backendMemo
                ? "on, the backend process answers a benefit query it has answered before from memory (the"
                        + " simulator's answer to the same bytes); payment demands and mandates go to the simulators"
                : "off, the simulator answers every benefit query").append('\n');
        b.append("- load: closed loop, ").append(options.connections).append(" kept-alive HTTP/1.1 connections from"
                + " a generator JVM of its own (").append(options.generatorJvm).append("), requests pre-signed before"
                + " each window, every one distinct\n");
        b.append("- rounds: ").append(options.rounds).append(" x ").append(options.seconds)
                .append(" s per target, interleaved\n");
        b.append("- warm-up: until the target's sun.ci.totalCompiles grows by fewer than ")
                .append(options.settleThreshold).append(" in a ").append(options.settleWindow)
                .append(" s chunk of load (each scenario of the process), at most ").append(options.warmupMax)
                .append(" s\n");
        b.append("- gateway JVM options: `").append(options.gatewayJvm.isBlank() ? "(none, JVM defaults)"
                : options.gatewayJvm).append("`; peer and bare: `")
                .append(options.peerJvm().isBlank() ? "(none, JVM defaults)" : options.peerJvm()).append("`\n");
        if (!options.sweep.isEmpty()) {
            b.append("- sweep: ").append(options.sweep).append(" connections, ").append(options.sweepSeconds)
                    .append(" s per target each\n");
        }
        if (options.profile) {
            b.append("- profile mode: the gateway ran under JFR (settings=profile); its figures include that"
                    + " overhead\n");
        }
        b.append('\n');
        b.append("## Start-up of the gateway\n\n");
        b.append(String.format(Locale.ROOT, "Process start to serving its WSDL: first start %.2f s (generates the"
                + " sandbox PKI and the database), second start %.2f s (its \"kelmu-gateway started\" line after"
                + " %.2f s and %.2f s).%n%n", startUp[0], startUp[2], startUp[1], startUp[3]));
        b.append("## Warm-up\n\n| process | seconds | chunks | compiles at end | last chunk's growth | settled |\n"
                + "|---|---|---|---|---|---|\n");
        for (WarmUp w : warmUps) {
            b.append(String.format(Locale.ROOT, "| %s | %.0f | %d | %d | %d | %s |%n", w.process, w.seconds,
                    w.chunks, w.compiles, w.lastDelta, w.settled ? "yes" : "**no**"));
        }
        b.append("\n## Results, mean of ").append(options.rounds).append(" rounds at ").append(options.connections)
                .append(" connections\n\n");
        b.append("req/s and latency are means of the rounds; CPU ms/req is the target process's CPU (utime+stime"
                + " from /proc) over all its requests; RSS the largest at the end of a window; heap after GC the last"
                + " (live objects counted by `jcmd GC.class_histogram` after its full GC); compiles the last sun.ci.totalCompiles.\n\n");
        b.append("CPU w/o JIT leaves out the CPU of the target's JIT compiler threads (C1/C2 CompilerThread in"
                + " /proc/<pid>/task): the request work of a JVM whose JIT has not settled.\n\n");
        b.append("| target | req/s | CPU ms/req | CPU w/o JIT ms/req | p50 ms | p90 ms | p99 ms | errors | RSS MiB |"
                + " heap after GC MiB | compiles | backend CPU ms/req |\n|---|---|---|---|---|---|---|---|---|---|---|---|\n");
        Map<String, List<Window>> byTarget = measured.stream().collect(Collectors.groupingBy(Window::target,
                LinkedHashMap::new, Collectors.toList()));
        Map<String, double[]> means = new LinkedHashMap<>();
        byTarget.forEach((target, windows) -> {
            double rate = windows.stream().mapToDouble(Window::rate).average().orElse(0);
            long done = windows.stream().mapToLong(w -> w.ok + w.errors).sum();
            double cpu = windows.stream().mapToDouble(Window::targetCpu).sum() * 1000 / Math.max(1, done);
            double backendCpu = windows.stream().mapToDouble(Window::backendCpu).sum() * 1000 / Math.max(1, done);
            double withoutJit = windows.stream().mapToDouble(w -> w.targetCpu - w.jitCpu).sum() * 1000
                    / Math.max(1, done);
            long errors = windows.stream().mapToLong(Window::errors).sum();
            Window last = windows.get(windows.size() - 1);
            long rss = windows.stream().mapToLong(Window::rssKb).max().orElse(-1);
            means.put(target, new double[] {rate, cpu, withoutJit});
            boolean usesBackend = "gateway".equals(target) || "payment".equals(target) || "baseline".equals(target);
            b.append(String.format(Locale.ROOT, "| %s | %.1f | %.3f | %.3f | %.2f | %.2f | %.2f | %d%s | %.0f | %.0f |"
                    + " %d | %s |%n", target, rate, cpu, withoutJit, windows.stream().mapToDouble(Window::p50).average().orElse(0),
                    windows.stream().mapToDouble(Window::p90).average().orElse(0),
                    windows.stream().mapToDouble(Window::p99).average().orElse(0), errors, errors == 0 ? ""
                            : " (" + errorKinds(windows) + ")", rss / 1024.0, last.heapKb / 1024.0, last.compiles,
                    usesBackend ? String.format(Locale.ROOT, "%.3f", backendCpu) : "-"));
        });
        if (means.containsKey("gateway") && means.containsKey("peer")) {
            double[] g = means.get("gateway");
            double[] p = means.get("peer");
            b.append(String.format(Locale.ROOT, "%n**gateway / peer: %.2fx the requests per second (target >= 0.8x),"
                    + " %.2fx the CPU per request (%.2fx without the JIT's).**%n", g[0] / p[0], g[1] / p[1],
                    g[2] / p[2]));
        }
        if (means.containsKey("gateway") && means.containsKey("baseline")) {
            double[] g = means.get("gateway");
            double[] base = means.get("baseline");
            b.append(String.format(Locale.ROOT, "gateway / baseline (%s, JVM options \"%s\"): %.2fx the requests per"
                    + " second, %.2fx the CPU per request (%.2fx without the JIT's).%n", options.baselineJar,
                    options.baselineJvm == null ? options.gatewayJvm : options.baselineJvm, g[0] / base[0],
                    g[1] / base[1], g[2] / base[2]));
        }
        if (means.containsKey("gateway") && means.containsKey("bare")) {
            b.append(String.format(Locale.ROOT, "gateway / bare: %.3fx the requests per second.%n",
                    means.get("gateway")[0] / means.get("bare")[0]));
        }
        b.append("\n## CPU by thread group, measured rounds\n\n");
        threadTable(b, byTarget);
        b.append("\n## Per round\n\n");
        windowTable(b, measured, true);
        if (!sweep.isEmpty()) {
            b.append("\n## Sweep over connection counts\n\n");
            windowTable(b, sweep, false);
        }
        b.append("\n## Notes\n\n");
        boolean any = false;
        for (Window w : Stream.concat(measured.stream(), sweep.stream()).toList()) {
            if (w.exhausted) {
                b.append(String.format(Locale.ROOT, "- %s %s round %d, %d connections: its corpus of %d requests ran"
                        + " out after %.1f s; the rate is over that shorter window%n", w.phase, w.target, w.round,
                        w.connections, w.corpus, w.seconds));
                any = true;
            }
            double capacity = w.seconds * Runtime.getRuntime().availableProcessors();
            if (w.otherCpu > 0.1 * capacity) {
                b.append(String.format(Locale.ROOT, "- %s %s round %d, %d connections: other processes used %.1f of"
                        + " the %.0f CPU seconds of the window: the machine was not quiet%n", w.phase, w.target,
                        w.round, w.connections, w.otherCpu, capacity));
                any = true;
            }
        }
        for (WarmUp w : warmUps) {
            if (!w.settled) {
                b.append("- the JIT of ").append(w.process).append(" had not settled when its warm-up ended (raise"
                        + " --warmup-max)\n");
                any = true;
            }
        }
        if (!any) {
            b.append("- none: no corpus ran out, no window was disturbed by other processes, every JIT settled\n");
        }
        b.append(notes);
        b.append("\nThe load generator's CPU per window is in the per-round table (gen CPU s); it shares the cores"
                + " with the target, as does the backend process for gateway and payment.\n");
        if (profile != null) {
            b.append("\nProfile of the gateway (JFR, measured windows only): `").append(profile).append("`\n");
        }
        b.append("\nLogs of every process: `").append(logDir).append("`\n");
        return b.toString();
    }

    private static void windowTable(StringBuilder b, List<Window> windows, boolean rounds) {
        b.append(rounds ? "| round " : "| connections ").append("| target | req/s | CPU ms/req | p50 ms | p90 ms | p99 ms"
                + " | max ms | errors | RSS MiB | backend CPU s | gen CPU s | other CPU s | quiet after s | corpus |\n"
                + "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
        for (Window w : windows) {
            b.append(String.format(Locale.ROOT, "| %d | %s | %.1f | %.3f | %.2f | %.2f | %.2f | %.1f | %s | %.0f |"
                    + " %.1f | %.1f | %.1f | %.1f | %s |%n", rounds ? w.round : w.connections, w.target, w.rate(),
                    w.cpuMsPerRequest(), w.p50, w.p90, w.p99, w.max, w.errors == 0 ? "0"
                            : w.errors + " (" + w.kinds + ")", w.rssKb / 1024.0, w.backendCpu, w.generatorCpu,
                    w.otherCpu, w.afterSeconds, "bare".equals(w.target) ? "-" : w.corpus + (w.exhausted ? " used up" : "")));
        }
    }

    private static String errorKinds(List<Window> windows) {
        Map<String, Long> kinds = new LinkedHashMap<>();
        for (Window w : windows) {
            if (!"-".equals(w.kinds)) {
                for (String kind : w.kinds.split(",")) {
                    int colon = kind.lastIndexOf(':');
                    kinds.merge(kind.substring(0, colon), Long.parseLong(kind.substring(colon + 1)), Long::sum);
                }
            }
        }
        return kinds.entrySet().stream().map(e -> e.getKey() + " " + e.getValue()).collect(Collectors.joining(", "));
    }

    private static String cpuModel() {
        try {
            return Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                    .findFirst().map(l -> l.substring(l.indexOf(':') + 1).strip()).orElse("model unknown");
        } catch (IOException | RuntimeException e) {
            return "model unknown";
        }
    }

    private static String memTotal() {
        try {
            long kb = ProcStats.statusKb(Files.readString(Path.of("/proc/meminfo")), "MemTotal");
            return String.format(Locale.ROOT, "%.1f GiB", kb / 1024.0 / 1024.0);
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).strip();
        } catch (IOException e) {
            return "unknown";
        }
    }
}
