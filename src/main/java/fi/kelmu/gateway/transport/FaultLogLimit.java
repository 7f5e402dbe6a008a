package fi.kelmu.gateway.transport;

import fi.kelmu.gateway.fault.FaultCode;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * How many log lines faults of one code may write in a window of time: a flood of identical failures (bad requests
 * from anyone, or a database that cannot be written) must not become a flood of log. The lines over the limit are
 * counted, not written, and the first line of the code in a later window says how many were left out.
 */
final class FaultLogLimit {

    /** Whether to write a fault's line, and how many lines of its code were left out before it. */
    record Verdict(boolean write, long leftOut) {
    }

    private static final class Window {
        long start;
        int written;
        long leftOut;
        long leftOutBefore;
    }

    private final int linesPerWindow;
    private final long windowNanos;
    private final LongSupplier nanoTime;
    private final Map<FaultCode, Window> windows = new EnumMap<>(FaultCode.class);

    /**
     * @param linesPerWindow most lines of one fault code in one window
     * @param window         the window's length
     * @param nanoTime       the monotonic clock, {@link System#nanoTime()} but in tests
     */
    FaultLogLimit(int linesPerWindow, Duration window, LongSupplier nanoTime) {
        if (linesPerWindow < 1) {
            throw new IllegalArgumentException("at least one line per window: " + linesPerWindow);
        }
        this.linesPerWindow = linesPerWindow;
        this.windowNanos = window.toNanos();
        this.nanoTime = nanoTime;
    }

    synchronized Verdict admit(FaultCode code) {
        long now = nanoTime.getAsLong();
        Window window = windows.get(code);
        if (window == null) {
            window = new Window();
            window.start = now;
            windows.put(code, window);
        } else if (now - window.start >= windowNanos) {
            window.start = now;
            window.written = 0;
            window.leftOutBefore += window.leftOut;
            window.leftOut = 0;
        }
        if (window.written >= linesPerWindow) {
            window.leftOut++;
            return new Verdict(false, 0);
        }
        window.written++;
        long leftOut = window.leftOutBefore;
        window.leftOutBefore = 0;
        return new Verdict(true, leftOut);
    }
}
