package dev.spindle.jmh;

import java.lang.management.ManagementFactory;

/**
 * CPU time this JVM spends in the measured part of a benchmark, for {@link ClientCpuProfiler}:
 * a benchmark method brackets its work with {@link #start()} and {@link #stop(long, long)}, so
 * that setup (starting servers, filling pools) is not counted as it would be by a profiler that
 * measures whole iterations. The benchmark may add the CPU its server process spent meanwhile,
 * which it reads from {@code /proc} (in ticks of 10 ms).
 *
 * <p><b>Thread-safe:</b> may be called from any thread; JMH runs one benchmark thread here.
 */
final class ClientCpu {
    private static final com.sun.management.OperatingSystemMXBean OS =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

    /** Process CPU nanoseconds of the measured parts since the last {@link #take()}. */
    private static long nanos;

    /** Server CPU ticks of the measured parts since the last {@link #takeServer()}. */
    private static long serverTicks;

    /** Measured parts since the last {@link #take()}. */
    private static long parts;

    /** Measured parts with a server figure since the last {@link #takeServer()}. */
    private static long serverParts;

    private ClientCpu() {}

    /** The process CPU time now, to pass to {@link #stop(long, long)}. */
    static long start() {
        return OS.getProcessCpuTime();
    }

    /**
     * Adds the process CPU time since {@code start} as one measured part, and {@code server}
     * ticks of the server's CPU in the same part (negative: not measured).
     */
    static synchronized void stop(long start, long server) {
        nanos += OS.getProcessCpuTime() - start;
        parts++;
        if (server >= 0) {
            serverTicks += server;
            serverParts++;
        }
    }

    /** Milliseconds of CPU per measured part since the last call, or -1 if none; resets. */
    static synchronized double take() {
        double ms = parts == 0 ? -1 : nanos / 1e6 / parts;
        nanos = 0;
        parts = 0;
        return ms;
    }

    /** Milliseconds of server CPU per measured part since the last call, or -1 if none; resets. */
    static synchronized double takeServer() {
        double ms = serverParts == 0 ? -1 : serverTicks * (1000.0 / ProcStat.TICKS_PER_SECOND) / serverParts;
        serverTicks = 0;
        serverParts = 0;
        return ms;
    }
}
