package dev.spindle.runtime;

import dev.spindle.runtime.internal.Log;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.LockSupport;

/**
 * The one daemon thread, shared by all loops, that samples the running loops'
 * {@link BlockingDetector}s. It parks without a timeout while no loop runs, ends when the last
 * open loop closes or when it is interrupted, and starts again when a loop next runs.
 *
 * <p><b>Thread-safe:</b> may be called from any thread.
 */
/*
 * Implementation notes: the sampling period is a quarter of the smallest threshold of the
 * running loops, within [5 ms, 250 ms], so a blocked task is seen at most a quarter threshold
 * late and an idle process wakes at most 40 times a second per 100 ms threshold.
 *
 * LockSupport.park returns at once while the thread's interrupt status is set, so a loop that
 * parked through an interrupt would spin: an interrupt ends the thread instead (a launcher such
 * as exec:java interrupts the threads a program leaves). A loop that runs while the thread is
 * gone is watched again from its next run; stop() uses the same interrupt.
 */
final class Watchdog implements Runnable {
    static final Watchdog INSTANCE = new Watchdog();
    private static final long MIN_PERIOD = 5_000_000;
    private static final long MAX_PERIOD = 250_000_000;

    /** Detectors of the loops running now. Any thread adds and removes; the watchdog iterates. */
    private final Set<BlockingDetector> running = ConcurrentHashMap.newKeySet();
    /** The watchdog thread, started on demand; null once it was told to end. Guarded by this. */
    private Thread thread;

    private Watchdog() {}

    void watch(BlockingDetector d) {
        running.add(d);
        wake();
    }

    void unwatch(BlockingDetector d) {
        running.remove(d);
    }

    void thresholdChanged() {
        Thread t;
        synchronized (this) {
            t = thread;
        }
        if (t != null) {
            LockSupport.unpark(t);
        }
    }

    /** Ends the thread, for when no loop is open: it starts again on the next watch(). */
    void stop() {
        Thread t;
        synchronized (this) {
            t = thread;
            thread = null;
        }
        if (t != null) {
            t.interrupt();
        }
    }

    /** The watchdog thread now, or null; for tests. */
    synchronized Thread thread() {
        return thread;
    }

    private void wake() {
        Thread t;
        synchronized (this) {
            if (thread == null) {
                thread = Thread.ofPlatform().daemon().name("spindle-watchdog").unstarted(this);
                thread.start();
            }
            t = thread;
        }
        LockSupport.unpark(t);
    }

    @Override
    public void run() {
        Thread me = Thread.currentThread();
        try {
            while (!me.isInterrupted()) {
                if (running.isEmpty()) {
                    LockSupport.park(this);
                } else {
                    LockSupport.parkNanos(this, sampleAll(System.nanoTime()));
                }
            }
        } finally {
            synchronized (this) {
                if (thread == me) {
                    thread = null;
                }
            }
        }
    }

    /** Samples every running loop at {@code now}; returns the nanoseconds until the next round. */
    private long sampleAll(long now) {
        long smallest = Long.MAX_VALUE;
        for (BlockingDetector d : running) {
            try {
                BlockingDetector.Incident incident = d.sample(now);
                if (incident != null) {
                    d.report(incident);
                }
            } catch (Throwable e) {
                Log.GENERAL.log(System.Logger.Level.ERROR, "blocked-loop detector failed", e);
            }
            long th = d.thresholdNanos();
            if (th > 0) {
                smallest = Math.min(smallest, th);
            }
        }
        return smallest == Long.MAX_VALUE ? MAX_PERIOD : Math.clamp(smallest / 4, MIN_PERIOD, MAX_PERIOD);
    }
}
