package dev.spindle.jmh;

import java.lang.management.ManagementFactory;

/**
 * CPU time this JVM spends in the measured part of a benchmark, for {@link ClientCpuProfiler}:
 * a benchmark method brackets its work with {@link #start()} and {@link #stop(long)}, so that
 * setup (starting servers, filling pools) is not counted as it would be by a profiler that
 * measures whole iterations.
 *
 * <p><b>Thread-safe:</b> may be called from any thread; JMH runs one benchmark thread here.
 */
final class ClientCpu {
    private static final com.sun.management.OperatingSystemMXBean OS =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

    /** Process CPU nanoseconds of the measured parts since the last {@link #take()}. */
    private static long nanos;

    /** Measured parts since the last {@link #take()}. */
    private static long parts;

    private ClientCpu() {}

    /** The process CPU time now, to pass to {@link #stop(long)}. */
    static long start() {
        return OS.getProcessCpuTime();
    }

    /** Adds the process CPU time since {@code start} as one measured part. */
    static synchronized void stop(long start) {
        nanos += OS.getProcessCpuTime() - start;
        parts++;
    }

    /** Milliseconds of CPU per measured part since the last call, or -1 if none; resets. */
    static synchronized double take() {
        double ms = parts == 0 ? -1 : nanos / 1e6 / parts;
        nanos = 0;
        parts = 0;
        return ms;
    }
}
