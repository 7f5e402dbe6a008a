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
        long[] ticks = userAndSystemTicks(stat);
        return ticks[0] + ticks[1];
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

    /**
     * The thread group ({@link #threadGroup}) of HotSpot's JIT compiler threads, {@code C1 CompilerThre} and
     * {@code C2 CompilerThre} (names cut to 15 characters by the kernel).
     */
    static final String JIT_GROUP = "C# CompilerThre";

    /**
     * CPU seconds of the JIT compiler threads in a reading or difference of {@link #threadGroupTicks} (those alive at
     * the reading: HotSpot keeps them while it compiles), NaN when it is empty (unreadable): the part of a window's
     * CPU that is warm-up, not request work.
     */
    static double jitCpuSeconds(java.util.Map<String, long[]> groups) {
        if (groups.isEmpty()) {
            return Double.NaN;
        }
        long[] ticks = groups.getOrDefault(JIT_GROUP, new long[2]);
        return (ticks[0] + ticks[1]) / CLOCK_TICKS_PER_SECOND;
    }

    /** utime and stime in clock ticks, from the text of a {@code /proc/<pid>/stat} or {@code task/<tid>/stat} line. */
    static long[] userAndSystemTicks(String stat) {
        // the command name (field 2) is in parentheses and may hold spaces and parentheses: count after the last ')'
        int close = stat.lastIndexOf(')');
        if (close < 0) {
            throw new IllegalArgumentException("not a /proc/<pid>/stat line: " + stat);
        }
        String[] fields = stat.substring(close + 1).strip().split("\\s+");
        // fields[0] is field 3 (state): utime is field 14, stime field 15
        return new long[] {Long.parseLong(fields[14 - 3]), Long.parseLong(fields[15 - 3])};
    }

    /**
     * The group a thread is counted in: its name with each run of digits as {@code #}, so that a pool's threads
     * ({@code kelmu-http-12}, {@code GC Thread#1}, {@code HttpClient-3-Worker-0}) add up together.
     */
    static String threadGroup(String threadName) {
        return threadName.replaceAll("\\d+", "#");
    }

    /** One thread's group ({@link #threadGroup}) and its user and system clock ticks since it started. */
    record ThreadTicks(String group, long user, long system) {
    }

    /** User and system clock ticks of each thread of process {@code pid} alive now, by thread id; empty when unreadable. */
    static java.util.Map<Long, ThreadTicks> threadTicks(long pid) {
        java.util.Map<Long, ThreadTicks> threads = new java.util.HashMap<>();
        try (java.util.stream.Stream<Path> tasks = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
            for (Path task : (Iterable<Path>) tasks::iterator) {
                try {
                    String stat = Files.readString(task.resolve("stat"), StandardCharsets.US_ASCII);
                    long[] ticks = userAndSystemTicks(stat);
                    threads.put(Long.valueOf(task.getFileName().toString()),
                            new ThreadTicks(threadGroup(commandName(stat)), ticks[0], ticks[1]));
                } catch (IOException | NumberFormatException e) {
                    // the thread ended meanwhile
                }
            }
        } catch (IOException | RuntimeException e) {
            return java.util.Map.of();
        }
        return threads;
    }

    /**
     * The user and system ticks each thread group used between two readings, thread by thread: a thread new in
     * {@code after} counts from zero (as does one whose id was reused, its ticks lower than before). A thread that
     * ended between the readings is left out: its ticks since {@code before} are unknown, and taking its whole
     * life's ticks away from its group, as differences of group totals did, made a pool whose threads end (Jetty's
     * idle ones) look cheaper than it is. What ended threads used is the process's CPU minus the groups' total.
     */
    static java.util.Map<String, long[]> difference(java.util.Map<Long, ThreadTicks> before,
            java.util.Map<Long, ThreadTicks> after) {
        java.util.Map<String, long[]> difference = new java.util.TreeMap<>();
        after.forEach((tid, now) -> {
            ThreadTicks then = before.get(tid);
            boolean same = then != null && then.group().equals(now.group()) && then.user() <= now.user()
                    && then.system() <= now.system();
            long[] sum = difference.computeIfAbsent(now.group(), k -> new long[2]);
            sum[0] += now.user() - (same ? then.user() : 0);
            sum[1] += now.system() - (same ? then.system() : 0);
        });
        return difference;
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
