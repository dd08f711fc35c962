package dev.spindle.runtime;

import dev.spindle.runtime.internal.Durations;
import dev.spindle.runtime.internal.Log;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.lang.ref.WeakReference;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One loop's part of the blocked-loop detector (DESIGN rule 6): the loop marks the start and
 * end of every task, and the shared {@link Watchdog} thread samples the marks. When one task (a
 * callback, a timer, an I/O handler or one slice of a coroutine between two parks) holds the
 * carrier longer than the threshold, it logs a WARNING on {@code spindle.general} with the stack
 * of the code holding the carrier, once per incident, and commits a {@code dev.spindle.BlockedLoop}
 * JFR event.
 *
 * <p><b>Thread-safe:</b> {@link #taskStarted()} and {@link #taskEnded()} are called by the loop
 * only; {@link #sample} and {@link #report} by the watchdog only; the threshold and
 * {@link #nextLook()} by anyone.
 */
/*
 * Implementation notes:
 *
 * Cost on the loop's hot path: two opaque stores of a counter per task, nothing else. Opaque
 * (VarHandle.setOpaque) is a plain store on x86 and ARM: no fence, no system call, no clock
 * read; it only promises that the store is not elided and becomes visible to the watchdog
 * eventually, and that is all the watchdog needs, since it reads no other field of the loop to
 * decide. Ordering with other fields (release/volatile) would buy nothing here.
 *
 *   ticks: even = between tasks (or idle in select), odd = inside a task
 *
 *   watchdog, every period:   ticks even, or detector off -> nothing to report
 *                             ticks odd, new value -> remember it and the sample time
 *                             same odd value >= threshold after it was first seen -> report,
 *                                 once: the value is the incident's identity
 *
 * A task is reported only if it ran at least `threshold` (between two samples that both saw it);
 * it is seen at most one period late. A park while pinned (DESIGN pitfall 4) parks the carrier
 * inside a task, so it shows up like any other blocked task, with the pinned coroutine's stack.
 *
 * sample(now) decides, report(incident) takes the stack and logs. A late watchdog (a loaded
 * machine) may take the stack after the task ended; the ticks, read again after the stack,
 * show it, and then the report says so and gives no stack rather than one of later work (which
 * once made one task's incident look like a second report of the next one).
 */
final class BlockingDetector {
    private static final VarHandle TICKS;
    /** Default threshold: system property spindle.blockingThreshold, else 100 ms. */
    static final long DEFAULT_THRESHOLD_NANOS = Thresholds.fromProperty();

    static {
        try {
            TICKS = MethodHandles.lookup().findVarHandle(BlockingDetector.class, "ticks", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** Odd inside a task, even between tasks. Written by the loop only (opaque), read by the watchdog. */
    @SuppressWarnings("unused") // Accessed through TICKS.
    private long ticks;
    /** Threshold in nanoseconds, 0 when off. Written by any thread, read by the watchdog. */
    private volatile long thresholdNanos = DEFAULT_THRESHOLD_NANOS;
    /** The loop, weakly: the watchdog must not keep a forgotten loop alive. */
    private final WeakReference<IOLoop> loop;
    /** The odd ticks value last seen by the watchdog. Watchdog-confined. */
    private long seenTicks;
    /** When the watchdog first saw {@link #seenTicks}. Watchdog-confined. */
    private long seenSince;
    /** Whether the incident {@link #seenTicks} was reported. Watchdog-confined. */
    private boolean reported;
    /** Completed with the time of the watchdog's next look; see {@link #nextLook()}. */
    private final AtomicReference<CompletableFuture<Long>> nextLook = new AtomicReference<>();

    /** A task that held the carrier: its ticks value, for how long it had when seen, and the threshold. */
    record Incident(long ticks, long blockedNanos, long thresholdNanos) {}

    BlockingDetector(IOLoop loop) {
        this.loop = new WeakReference<>(loop);
    }

    /** Marks the start of a task. Call only on the loop's carrier. */
    void taskStarted() {
        TICKS.setOpaque(this, (long) TICKS.get(this) + 1);
    }

    /** Marks the end of a task. Call only on the loop's carrier. */
    void taskEnded() {
        TICKS.setOpaque(this, (long) TICKS.get(this) + 1);
    }

    long thresholdNanos() {
        return thresholdNanos;
    }

    void threshold(Duration threshold) {
        Durations.requireNonNegative(threshold, "threshold");
        thresholdNanos = Durations.toNanos(threshold);
        Watchdog.INSTANCE.thresholdChanged();
    }

    /** Starts watching: the loop began to run. */
    void watch() {
        Watchdog.INSTANCE.watch(this);
    }

    /** Stops watching: the loop stopped running. */
    void unwatch() {
        Watchdog.INSTANCE.unwatch(this);
    }

    /** A future completed, on the watchdog thread, with the time of its next look at this loop; for tests. */
    CompletableFuture<Long> nextLook() {
        CompletableFuture<Long> f = new CompletableFuture<>();
        CompletableFuture<Long> pending = nextLook.compareAndExchange(null, f);
        return pending != null ? pending : f;
    }

    /**
     * One look at the loop at {@code now}, on the watchdog's clock: the incident to report, once
     * per task that has held the carrier for the threshold, or null. Call only on the watchdog
     * thread (or, in tests, on a detector no watchdog samples).
     */
    Incident sample(long now) {
        Incident incident = decide(now);
        CompletableFuture<Long> f = nextLook.getAndSet(null);
        if (f != null) {
            f.complete(now);
        }
        return incident;
    }

    private Incident decide(long now) {
        long t = (long) TICKS.getOpaque(this);
        long threshold = thresholdNanos;
        if (t != seenTicks || (t & 1) == 0 || threshold == 0) {
            // A new task, none, or the detector off: a task is measured from when it is first seen on.
            seenTicks = t;
            seenSince = now;
            reported = false;
            return null;
        }
        if (reported || now - seenSince < threshold) {
            return null;
        }
        reported = true;
        return new Incident(t, now - seenSince, threshold);
    }

    /**
     * Logs {@code incident} (WARNING, {@code spindle.general}) with the stack of the code holding
     * the carrier, and commits its JFR event. Call only on the watchdog thread.
     */
    void report(Incident incident) {
        IOLoop l = loop.get();
        if (l == null) {
            return;
        }
        Coroutine<?> holder = mountedCoroutine(l);
        Thread carrier = l.lifecycle.carrier();
        StackTraceElement[] stack = holder != null ? holder.thread.getStackTrace()
                : carrier != null ? carrier.getStackTrace() : new StackTraceElement[0];
        boolean sameTask = (long) TICKS.getOpaque(this) == incident.ticks();
        StringBuilder frames = new StringBuilder();
        for (StackTraceElement e : sameTask ? stack : new StackTraceElement[0]) {
            frames.append("\n\tat ").append(e);
        }
        commitEvent(l, incident, sameTask ? holder : null, frames.toString().strip());
        // After the event, so that whoever sees the record can also find the event.
        Log.GENERAL.log(System.Logger.Level.WARNING, message(l, incident, holder, carrier, sameTask) + frames);
    }

    private static String message(IOLoop l, Incident incident, Coroutine<?> holder, Thread carrier, boolean sameTask) {
        String who = !sameTask ? "a task that ended before its stack could be taken"
                : holder != null ? "coroutine " + holder.name()
                : "a callback on '" + (carrier != null ? carrier.getName() : "?") + "'";
        return l.name() + " blocked for " + millis(incident.blockedNanos()) + " (threshold "
                + millis(incident.thresholdNanos()) + ") by " + who + ": a task held the carrier, so every other"
                + " coroutine of the loop waited. Move blocking or CPU-heavy work off the loop with runInExecutor(...)."
                + (sameTask ? " Stack of the code holding the carrier:" : "");
    }

    private static void commitEvent(IOLoop l, Incident incident, Coroutine<?> holder, String stack) {
        BlockedLoopEvent event = new BlockedLoopEvent();
        if (event.shouldCommit()) {
            event.loop = l.name();
            event.holder = holder != null ? holder.name() : null;
            event.blockedFor = incident.blockedNanos();
            event.threshold = incident.thresholdNanos();
            event.blockedStack = stack;
            event.commit();
        }
    }

    /** The coroutine mounted on the loop's carrier now, or null if it runs a plain callback. */
    private static Coroutine<?> mountedCoroutine(IOLoop l) {
        Thread carrier = l.lifecycle.carrier();
        for (Coroutine<?> c : l.coroutines.snapshot()) {
            Thread t = c.thread;
            if (t != null && carrier != null && VirtualThreads.carrierOf(t) == carrier) {
                return c;
            }
        }
        return null;
    }

    private static String millis(long nanos) {
        return String.format(Locale.ROOT, "%d ms", nanos / 1_000_000);
    }

    /** Parses the threshold's system property. */
    static final class Thresholds {
        private Thresholds() {}

        static long fromProperty() {
            String v = System.getProperty("spindle.blockingThreshold");
            if (v == null || v.isBlank()) {
                return Duration.ofMillis(100).toNanos();
            }
            try {
                return Durations.toNanos(Durations.requireNonNegative(parse(v.strip()), "spindle.blockingThreshold"));
            } catch (RuntimeException e) {
                Log.GENERAL.log(System.Logger.Level.WARNING, "ignoring -Dspindle.blockingThreshold=" + v
                        + ": write e.g. 100ms, 2s, PT0.5S, or off; using 100ms", e);
                return Duration.ofMillis(100).toNanos();
            }
        }

        /** {@code off}, {@code 0}, {@code 250ms}, {@code 1.5s} or ISO-8601 ({@code PT0.25S}). */
        static Duration parse(String v) {
            String s = v.toLowerCase(Locale.ROOT);
            if (s.equals("off") || s.equals("0")) {
                return Duration.ZERO;
            }
            if (s.endsWith("ms")) {
                return Duration.ofNanos(Math.round(Double.parseDouble(s.substring(0, s.length() - 2)) * 1e6));
            }
            if (s.endsWith("s") && !s.startsWith("p")) {
                return Duration.ofNanos(Math.round(Double.parseDouble(s.substring(0, s.length() - 1)) * 1e9));
            }
            return Duration.parse(v);
        }
    }
}
