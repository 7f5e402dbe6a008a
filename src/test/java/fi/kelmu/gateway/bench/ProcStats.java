package fi.kelmu.gateway.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the benchmark reads about a process from outside: CPU time from {@code /proc/<pid>/stat}, memory from
 * {@code /proc/<pid>/status}, and the parsing of {@code jcmd} answers (compile count, heap after GC).
 */
final class ProcStats {

    /** Linux USER_HZ, the unit of utime and stime: 100 on every mainstream kernel build. */
    static final double CLOCK_TICKS_PER_SECOND = 100.0;

    private static final Pattern HEAP_USED = Pattern.compile("(?m)^\\s*\\S.*?\\bheap\\b.*?\\bused (\\d+)K");
    private static final Pattern HISTOGRAM_TOTAL = Pattern.compile("(?m)^Total\\s+\\d+\\s+(\\d+)\\s*$");
    private static final Pattern TOTAL_COMPILES = Pattern.compile("(?m)^sun\\.ci\\.totalCompiles=(\\d+)");

    private ProcStats() {
    }

    /** utime + stime in clock ticks, from the text of {@code /proc/<pid>/stat}. */
    static long cpuTicks(String stat) {
        // the command name (field 2) is in parentheses and may hold spaces and parentheses: count after the last ')'
        int close = stat.lastIndexOf(')');
        if (close < 0) {
            throw new IllegalArgumentException("not a /proc/<pid>/stat line: " + stat);
        }
        String[] fields = stat.substring(close + 1).strip().split("\\s+");
        // fields[0] is field 3 (state): utime is field 14, stime field 15
        return Long.parseLong(fields[14 - 3]) + Long.parseLong(fields[15 - 3]);
    }

    /** CPU seconds (user + system) the process {@code pid} used so far; NaN when it is gone. */
    static double cpuSeconds(long pid) {
        try {
            return cpuTicks(Files.readString(Path.of("/proc", Long.toString(pid), "stat"), StandardCharsets.US_ASCII))
                    / CLOCK_TICKS_PER_SECOND;
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
    }

    /** The thread or command name of a {@code /proc/<pid>/stat} (or {@code task/<tid>/stat}) line: field 2. */
    static String commandName(String stat) {
        int open = stat.indexOf('(');
        int close = stat.lastIndexOf(')');
        if (open < 0 || close < open) {
            throw new IllegalArgumentException("not a /proc/<pid>/stat line: " + stat);
        }
        return stat.substring(open + 1, close);
    }

    /** Whether a thread name is one of HotSpot's JIT compiler threads (names cut to 15 characters by the kernel). */
    static boolean isJitCompiler(String threadName) {
        return threadName.startsWith("C1 CompilerThre") || threadName.startsWith("C2 CompilerThre");
    }

    /**
     * CPU seconds the JIT compiler threads of process {@code pid} have used so far (those alive now: HotSpot keeps
     * them while it compiles), NaN when unreadable: the part of a window's CPU that is warm-up, not request work.
     */
    static double jitCpuSeconds(long pid) {
        Path tasks = Path.of("/proc", Long.toString(pid), "task");
        long ticks = 0;
        try (java.util.stream.Stream<Path> threads = Files.list(tasks)) {
            for (Path thread : (Iterable<Path>) threads::iterator) {
                try {
                    String stat = Files.readString(thread.resolve("stat"), StandardCharsets.US_ASCII);
                    if (isJitCompiler(commandName(stat))) {
                        ticks += cpuTicks(stat);
                    }
                } catch (IOException e) {
                    // the thread ended meanwhile
                }
            }
            return ticks / CLOCK_TICKS_PER_SECOND;
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
    }

    /** A {@code kB} field of {@code /proc/<pid>/status} (e.g. {@code VmRSS}, {@code VmHWM}), -1 when missing. */
    static long statusKb(String status, String field) {
        for (String line : status.split("\n")) {
            if (line.startsWith(field + ":")) {
                String value = line.substring(field.length() + 1).strip();
                int space = value.indexOf(' ');
                return Long.parseLong(space < 0 ? value : value.substring(0, space));
            }
        }
        return -1;
    }

    /** {@code field} of the process's {@code /proc/<pid>/status} in kB, -1 when unknown. */
    static long statusKb(long pid, String field) {
        try {
            return statusKb(Files.readString(Path.of("/proc", Long.toString(pid), "status"), StandardCharsets.UTF_8),
                    field);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** Used heap in kB from the text of {@code jcmd <pid> GC.heap_info} (the first line naming a heap), -1 if none. */
    static long heapUsedKb(String heapInfo) {
        Matcher m = HEAP_USED.matcher(heapInfo);
        return m.find() ? Long.parseLong(m.group(1)) : -1;
    }

    /** The bytes of the {@code Total} line of {@code jcmd <pid> GC.class_histogram}, -1 if none. */
    static long histogramTotalBytes(String histogram) {
        Matcher m = HISTOGRAM_TOTAL.matcher(histogram);
        return m.find() ? Long.parseLong(m.group(1)) : -1;
    }

    /** {@code sun.ci.totalCompiles} from the text of {@code jcmd <pid> PerfCounter.print}, -1 if missing. */
    static long totalCompiles(String perfCounters) {
        Matcher m = TOTAL_COMPILES.matcher(perfCounters);
        return m.find() ? Long.parseLong(m.group(1)) : -1;
    }
}
