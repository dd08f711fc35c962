package dev.spindle.runtime;

import dev.spindle.runtime.internal.Durations;
import dev.spindle.runtime.internal.Log;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

/**
 * What runs next on one {@link IOLoop}'s carrier: the ready queue, the timers, and the loop
 * iteration that runs them and selects. Work comes in through two separate entries:
 * {@link #continuation} for the JDK's virtual-thread continuations (the scheduler the loop's
 * virtual threads are built with) and {@link #callback} for everything else ({@code execute},
 * {@code runOnLoop}, {@code runInExecutor}'s completions, {@code stop}'s wake-up).
 *
 * <p><b>Thread-safe</b> for the entries ({@link #continuation}, {@link #callback},
 * {@link #execute}, {@link #tryCallback}, {@link #runOnLoop}, {@link #timer}, {@link #wakeUp()});
 * the runs and {@link #shutDown} are called by the thread running or closing the loop.
 */
/*
 * Implementation notes:
 *
 * One iteration: run the tasks that were ready when it began (CallbackQueue.snapshot, so tasks
 * added meanwhile wait for the next iteration and I/O is never starved), fire due timers,
 * select (without blocking if more is ready or the run is about to end, else until the next
 * timer; on a virtual clock, VirtualClock.idle instead), dispatch ready keys. Each task is one
 * unit for the blocked-loop detector.
 *
 * Callbacks are queued as they are given and continuations wrapped in a Continuation, in one
 * FIFO, so that the order of the two kinds is kept. Neither allocates per hand-over: a callback
 * is queued as is, and each coroutine makes its Continuation once (Coroutine.execute; the JDK
 * hands over the same continuation task at every unpark). When the loop closes, what is still
 * queued is sorted by the entry it came through: callbacks are dropped (nothing may run
 * loop-confined code elsewhere), continuations go to SharedExecutors.orphans() so that their
 * coroutines can still end. After the close the
 * continuation entry sends continuations there directly; it never blocks and never throws
 * (DESIGN pitfall 5).
 */
final class LoopScheduler {
    /** How long closing a loop runs it, at most, for the cancelled coroutines to finish; tests change it. */
    volatile Duration closeGrace = Duration.ofSeconds(2);
    private static final Runnable NOTHING = () -> { };

    private final String name;
    private final LoopLifecycle lifecycle;
    private final SelectorDriver selector;
    private final BlockingDetector detector;
    private final CallbackQueue ready;
    private final TimerQueue timers = new TimerQueue();
    /** The loop's clock if its time is virtual, else null for the real one. */
    final VirtualClock virtualClock;
    /** The scheduler the loop's virtual threads are built with: {@link #continuation}. */
    final Executor continuations = this::continuation;
    /** Scratch list for due timers. Loop-confined. */
    private final List<Runnable> due = new ArrayList<>();
    /** The coroutine a runSync waits for; the loop does not sleep once it is done. Loop-confined. */
    private Coroutine<?> until;
    /** The coroutines drain() waits for; the loop does not sleep once all have finished. Loop-confined. */
    private List<Coroutine<?>> draining;

    /** @param virtualClock the loop's clock if its time is virtual, or null for {@link System#nanoTime()} */
    LoopScheduler(String name, LoopLifecycle lifecycle, SelectorDriver selector, BlockingDetector detector,
            VirtualClock virtualClock) {
        this.name = name;
        this.virtualClock = virtualClock;
        this.lifecycle = lifecycle;
        this.selector = selector;
        this.detector = detector;
        this.ready = new CallbackQueue(selector::wakeup);
    }

    /**
     * A virtual thread's continuation as queued by {@link #continuation}: what marks it as one
     * when the loop closes. A coroutine makes one and hands it over at every unpark.
     */
    record Continuation(Runnable task) implements Runnable {
        @Override
        public void run() {
            task.run();
        }

        @Override
        public String toString() {
            return task.toString();
        }
    }

    /** The loop's clock, monotonic nanoseconds: {@link IOLoop#time()}. Thread-safe. */
    long now() {
        VirtualClock v = virtualClock;
        return v == null ? System.nanoTime() : v.now();
    }

    /**
     * Queues a virtual thread's continuation, or once the loop is closed hands it to the orphan pool. Called by whoever
     * unparks a coroutine: the loop, a JDK poller or unparker thread, any thread completing a future. Never throws.
     */
    void continuation(Runnable task) {
        Runnable r = task instanceof Continuation ? task : new Continuation(task);
        if (lifecycle.state() == LoopLifecycle.State.CLOSED) {
            SharedExecutors.orphans().execute(r);
        } else if (VirtualThreads.currentCarrier() == lifecycle.carrier()) {
            ready.addLocal(r);
        } else {
            ready.addRemote(r);
            if (lifecycle.state() == LoopLifecycle.State.CLOSED && ready.removeRemote(r)) {
                SharedExecutors.orphans().execute(r); // Queued after close() took the last ones.
            }
        }
    }

    /** Queues a callback for the next iteration. The caller checked that the loop is open. */
    void callback(Runnable task) {
        if (VirtualThreads.currentCarrier() == lifecycle.carrier()) {
            ready.addLocal(task);
        } else {
            ready.addRemote(task);
        }
    }

    /** {@link IOLoop#execute}: queues a callback, or throws if the loop is closed. Thread-safe. */
    void execute(Runnable task) {
        Objects.requireNonNull(task, "task");
        lifecycle.checkOpen("execute() has no loop to run the task on; create a new IOLoop or check isClosed() first");
        callback(task);
    }

    /** {@link IOLoop#runOnLoop}: runs {@code task} now if the caller may touch the loop, else queues it. */
    boolean runOnLoop(Runnable task) {
        Objects.requireNonNull(task, "task");
        if (lifecycle.state() != LoopLifecycle.State.CLOSED && lifecycle.mayTouch()) {
            task.run();
            return true;
        }
        return tryCallback(task);
    }

    /** Queues a callback unless the loop is closed; returns whether it did. Thread-safe. */
    boolean tryCallback(Runnable task) {
        if (lifecycle.state() == LoopLifecycle.State.CLOSED) {
            return false;
        }
        callback(task);
        return true;
    }

    /** Wakes the selector (or keeps the next select from sleeping), for stop(). Thread-safe. */
    void wakeUp() {
        ready.addRemote(NOTHING);
    }

    /**
     * {@link IOLoop#callAt}: schedules {@code task} at {@code deadline}. The timer's place among
     * timers of equal deadline is taken now, on whatever thread (see TimerQueue).
     */
    TimerHandle timer(long deadline, Runnable task) {
        Objects.requireNonNull(task, "task");
        lifecycle.checkOpen("no timer can be scheduled on it");
        if (lifecycle.mayTouch()) {
            return timers.schedule(deadline, task);
        }
        Timer t = timers.scheduleFromAnyThread(deadline, task);
        wakeUp(); // Its deadline may be earlier than the one the selector sleeps until.
        return t;
    }

    /**
     * Runs iterations until stop(), an interrupt of the running thread (whose status stays set; a
     * selector does not sleep while it is), or, if {@code until} is not null, until that is done.
     */
    private void run(Coroutine<?> until) {
        this.until = until;
        Thread me = Thread.currentThread();
        try {
            while (!lifecycle.stopRequested() && !me.isInterrupted() && (until == null || !until.isDone())) {
                iterate();
            }
        } finally {
            this.until = null;
        }
    }

    /**
     * {@link IOLoop#runSync}: runs the loop on the calling thread until the coroutine {@code start} makes is done, or
     * cancels it once {@code timeout} (null: none) has passed or stop() ended the run first, and lets it finish.
     */
    <T> T runSync(Duration timeout, Supplier<Coroutine<T>> start) {
        if (timeout != null) {
            Durations.requirePositive(timeout, "timeout");
        }
        return lifecycle.run("runSync", () -> {
            lifecycle.clearStop();
            return runSync(start.get(), timeout);
        });
    }

    /** {@link IOLoop#start}: runs the loop on the calling thread until stop(). */
    void start() {
        lifecycle.run("start", () -> {
            run(null);
            return null;
        });
    }

    private <T> T runSync(Coroutine<T> c, Duration timeout) {
        boolean[] timedOut = {false};
        TimerHandle timer = timeout == null ? null : timers.schedule(now() + Durations.toNanos(timeout), () -> {
            timedOut[0] = true;
            c.cancel(true);
        });
        run(c);
        if (timer != null) {
            timer.cancel();
        }
        if (!c.isDone() || timedOut[0]) {
            c.cancel(true);
            lifecycle.clearStop(); // Honoured: the drain may sleep (and a virtual clock move) again.
            drain(List.of(c));
            if (timedOut[0]) {
                throw new TimeoutException("runSync did not finish within " + timeout + " on " + name);
            }
            throw new IllegalStateException(name + (Thread.currentThread().isInterrupted() ? "'s thread was interrupted"
                    : " was stopped") + " before runSync's coroutine finished");
        }
        return Coroutines.outcome(c);
    }

    /** Runs iterations until {@code which} have ended, for {@link #closeGrace} at most, or an interrupt. */
    void drain(List<Coroutine<?>> which) {
        long deadline = now() + Durations.toNanos(closeGrace);
        Thread me = Thread.currentThread();
        Coroutine<?> saved = until;
        until = null;
        draining = which;
        TimerHandle wake = timers.schedule(deadline, NOTHING); // Select never sleeps past the grace period.
        try {
            while (!CoroutineRegistry.allFinished(which) && now() - deadline < 0 && !me.isInterrupted()) {
                iterate();
            }
            wake.cancel();
        } finally {
            draining = null;
            until = saved;
        }
    }

    /** One iteration: ready callbacks, due timers, select, ready keys. Loop-confined. */
    private void iterate() {
        int n = ready.snapshot();
        for (int i = 0; i < n; i++) {
            runTask(ready.poll());
        }
        if (!timers.isEmpty()) {
            timers.pollDue(now(), due);
            for (int i = 0; i < due.size(); i++) {
                runTask(due.get(i));
            }
            n += due.size();
            due.clear();
        }
        boolean busy = lifecycle.stopRequested() || ready.hasReady() || (until != null && until.isDone())
                || (draining != null && CoroutineRegistry.allFinished(draining));
        long wait = busy ? 0 : timers.nanosUntilNext(now());
        if (virtualClock != null && wait > 0) {
            virtualClock.idle(wait, draining != null, selector, ready, timers); // Waits a quantum, or jumps.
        } else {
            selector.select(busy, wait, ready, n);
        }
    }

    private void runTask(Runnable task) {
        detector.taskStarted();
        try {
            task.run();
        } catch (Throwable e) {
            Log.APPLICATION.log(System.Logger.Level.ERROR, "Exception in callback " + task + " on " + name, e);
        } finally {
            detector.taskEnded();
        }
    }

    /**
     * The closing, on the closing thread, the loop not running: runs the loop until the cancelled coroutines
     * {@code alive} have ended, if this thread may be its carrier; marks it closed, empties it, runs {@code release}.
     */
    void shutDown(List<Coroutine<?>> alive, Runnable release) {
        if (!alive.isEmpty()) {
            lifecycle.drainAsCarrier(() -> drain(alive));
        }
        lifecycle.markClosed(() -> {
            close();
            release.run();
        });
    }

    /**
     * For close, once the loop can run nothing more: drops the queued callbacks and the timers,
     * and hands the queued continuations to the orphan pool.
     */
    private void close() {
        ready.snapshot();
        for (Runnable r; (r = ready.poll()) != null; ) {
            if (r instanceof Continuation) {
                SharedExecutors.orphans().execute(r); // It came through continuation().
            }
        }
        timers.clear();
    }

    /** The counts for the loop's toString. */
    @Override
    public String toString() {
        return "ready=" + ready.size() + ", timers=" + timers.size()
                + (lifecycle.state() == LoopLifecycle.State.CLOSED ? "" : ", channels=" + selector.channelCount())
                + (virtualClock == null ? "" : ", " + virtualClock);
    }
}
