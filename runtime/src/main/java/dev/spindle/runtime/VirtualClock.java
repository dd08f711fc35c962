package dev.spindle.runtime;

import dev.spindle.runtime.internal.Durations;
import dev.spindle.runtime.internal.Log;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The clock of a loop whose time is virtual ({@code dev.spindle.runtime.testing.VirtualTime}):
 * it stands still while the loop has work, and when the loop is idle it jumps straight to the
 * next timer, after giving real I/O a short real-time quantum.
 *
 * <p><b>Thread-safe</b> for {@link #now()}, {@link #elapsedNanos()} and the off-loop task count;
 * {@link #idle} is called by the loop's iteration only, on its carrier.
 */
/*
 * Implementation notes: the idle step, taken when an iteration has nothing ready (no callback,
 * no continuation, the runSync coroutine not done, no stop) and the next timer lies ahead:
 *
 *   a runInExecutor task in flight  -> real select until an event, never a jump: the loop
 *                                      knows work of its own is running
 *   a channel selected for some op  -> real select for up to one quantum; a jump only if no key
 *                                      became ready and no callback came in meanwhile
 *   no channel selected for anything -> non-blocking poll; a jump unless a callback came in
 *
 * A jump sets the clock to the next timer's deadline; the next iteration fires it. Only the
 * loop writes `now`, so the jump is a plain volatile store.
 */
final class VirtualClock {
    /** The default quantum: {@code -Dspindle.virtualTime.ioQuantum}, else 20 ms. */
    static final Duration DEFAULT_QUANTUM = quantumFromProperty();
    /** Where a virtual clock starts: an arbitrary origin, one day, so that time 0 is never seen. */
    static final long ORIGIN = Duration.ofDays(1).toNanos();

    private final long quantumNanos;
    /** The time, in nanoseconds from ORIGIN's scale. Written by the loop only, read by anyone. */
    private volatile long now = ORIGIN;
    /** runInExecutor tasks started and not yet delivered back to the loop. Any thread. */
    private final AtomicInteger offLoopTasks = new AtomicInteger();

    VirtualClock(Duration quantum) {
        this.quantumNanos = Durations.toNanos(Durations.requirePositive(quantum, "ioQuantum"));
    }

    long now() {
        return now;
    }

    /** Virtual nanoseconds since the clock was made. */
    long elapsedNanos() {
        return now - ORIGIN;
    }

    Duration quantum() {
        return Duration.ofNanos(quantumNanos);
    }

    /** A runInExecutor task of the loop began: the clock does not jump until it is delivered. */
    void offLoopTaskStarted() {
        offLoopTasks.incrementAndGet();
    }

    /** Its completion is running on the loop. Call on the loop. */
    void offLoopTaskEnded() {
        offLoopTasks.decrementAndGet();
    }

    /**
     * The select step of an idle iteration whose next timer is {@code untilNext} (positive)
     * nanoseconds away: waits for real events as the notes say, then jumps if none came.
     * {@code draining}: the loop is closing or giving up a runSync, and waits for no off-loop
     * task, so that a task that never ends cannot hold a close.
     */
    void idle(long untilNext, boolean draining, SelectorDriver selector, CallbackQueue ready, TimerQueue timers) {
        boolean holding = !draining && offLoopTasks.get() > 0;
        long realWait = holding ? -1 : selector.hasInterest() ? quantumNanos : 0;
        int events = selector.select(false, realWait, ready, 0);
        if (events > 0 || holding || ready.hasReady() || Thread.currentThread().isInterrupted()) {
            return;
        }
        long next = timers.nanosUntilNext(now);
        if (next > 0) {
            now += next; // Only the loop writes: no lost update.
        }
    }

    private static Duration quantumFromProperty() {
        return parseQuantum(System.getProperty("spindle.virtualTime.ioQuantum"));
    }

    /** The quantum a value of the property asks for: 20 ms when null, blank or invalid (with a warning). */
    static Duration parseQuantum(String v) {
        if (v == null || v.isBlank()) {
            return Duration.ofMillis(20);
        }
        try {
            return Durations.requirePositive(BlockingDetector.Thresholds.parse(v.strip()), "spindle.virtualTime.ioQuantum");
        } catch (RuntimeException e) {
            Log.GENERAL.log(System.Logger.Level.WARNING, "ignoring -Dspindle.virtualTime.ioQuantum=" + v
                    + ": write e.g. 20ms, 0.1s or PT0.05S; using 20ms", e);
            return Duration.ofMillis(20);
        }
    }

    /** E.g. {@code virtual time +PT1H}. */
    @Override
    public String toString() {
        return "virtual time +" + Duration.ofNanos(elapsedNanos());
    }
}
