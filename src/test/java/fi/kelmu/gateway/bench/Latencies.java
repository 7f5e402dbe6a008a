package fi.kelmu.gateway.bench;

import java.util.Arrays;

/** Latencies of one window in nanoseconds, sorted once, read by nearest-rank percentiles. */
final class Latencies {

    private final long[] sorted;

    Latencies(long[] nanos) {
        this.sorted = nanos.clone();
        Arrays.sort(sorted);
    }

    int count() {
        return sorted.length;
    }

    /** The nearest-rank percentile {@code p} (0 < p <= 100) in milliseconds; NaN when there are none. */
    double percentileMillis(double p) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))] / 1e6;
    }

    double maxMillis() {
        return sorted.length == 0 ? Double.NaN : sorted[sorted.length - 1] / 1e6;
    }

    /** Appends {@code more} to {@code into[0..length)}, growing it as needed; returns the array to keep. */
    static long[] append(long[] into, int length, long value) {
        long[] target = length == into.length ? Arrays.copyOf(into, Math.max(1024, into.length * 2)) : into;
        target[length] = value;
        return target;
    }
}
