package dev.spindle.runtime;

import dev.spindle.runtime.internal.Durations;
import dev.spindle.runtime.internal.Log;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Runs a callback every {@code period} on a loop (Tornado: {@code tornado.ioloop.PeriodicCallback}).
 *
 * {@snippet :
 * PeriodicCallback ping = PeriodicCallback.create(() -> broadcast("ping"), Duration.ofSeconds(30));
 * ping.start();            // on IOLoop.current()
 * ...
 * ping.stop();
 * }
 *
 * <p><b>Loop-confined:</b> call only from a coroutine or callback of the owning {@link IOLoop}
 * (the one current at {@link #start()}), or use {@link #start(IOLoop)} before the loop runs.
 *
 * <p>If a run takes longer than the period, or the loop was busy, the missed runs are skipped
 * rather than run in a burst: the next run is the next multiple of the period after now. An
 * exception from the callback is logged ({@code spindle.application}) and the schedule goes on.
 */
public final class PeriodicCallback {
    private final Runnable callback;
    private final long periodNanos;
    private final double jitter;
    /** The loop it runs on while started. Loop-confined. */
    private IOLoop loop;
    /** The pending timer while started, else null. Loop-confined. */
    private TimerHandle timer;
    /** When the next run is due, in the loop's time. Loop-confined. */
    private long next;

    private PeriodicCallback(Runnable callback, Duration period, double jitter) {
        this.callback = Objects.requireNonNull(callback, "callback");
        this.periodNanos = Durations.toNanos(Durations.requirePositive(period, "period"));
        if (!(jitter >= 0 && jitter <= 1)) {
            throw new IllegalArgumentException("jitter must be within [0, 1]: " + jitter);
        }
        this.jitter = jitter;
    }

    /** A periodic callback every {@code period}, not yet started. */
    public static PeriodicCallback create(Runnable callback, Duration period) {
        return new PeriodicCallback(callback, period, 0);
    }

    /**
     * Like {@link #create(Runnable, Duration)}, with each interval varied by up to
     * {@code jitter * period} either way, so that many periodic tasks do not fire in lockstep.
     */
    public static PeriodicCallback create(Runnable callback, Duration period, double jitter) {
        return new PeriodicCallback(callback, period, jitter);
    }

    /** Starts on {@link IOLoop#current()}; the first run is one period from now. */
    public void start() {
        start(IOLoop.current());
    }

    /**
     * Starts on {@code loop}; the first run is one period from now.
     *
     * @throws IllegalStateException if already started
     */
    public void start(IOLoop loop) {
        Objects.requireNonNull(loop, "loop");
        loop.checkInLoop();
        if (timer != null) {
            throw new IllegalStateException("PeriodicCallback already started on " + this.loop.name());
        }
        this.loop = loop;
        next = loop.time();
        scheduleNext();
    }

    /** Stops it; a run in progress completes. Does nothing if not started. */
    public void stop() {
        if (timer != null) {
            timer.cancel();
            timer = null;
        }
    }

    /** Whether it is started. */
    public boolean isRunning() {
        return timer != null;
    }

    private void run() {
        if (timer == null) {
            return;
        }
        try {
            callback.run();
        } catch (Throwable e) {
            Log.APPLICATION.log(System.Logger.Level.ERROR, "Exception in PeriodicCallback " + callback, e);
        }
        if (timer != null) {
            scheduleNext();
        }
    }

    private void scheduleNext() {
        long now = loop.time();
        long period = periodNanos;
        if (jitter > 0) {
            period += (long) (periodNanos * jitter * (ThreadLocalRandom.current().nextDouble() * 2 - 1));
        }
        next += period;
        if (next - now <= 0) {
            long missed = (now - next) / periodNanos + 1;
            next += missed * periodNanos;
        }
        timer = loop.callAt(next, this::run);
    }

    @Override
    public String toString() {
        return "PeriodicCallback[every " + Duration.ofNanos(periodNanos) + (timer != null ? ", running" : ", stopped") + "]";
    }
}
