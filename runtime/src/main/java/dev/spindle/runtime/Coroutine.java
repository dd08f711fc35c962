package dev.spindle.runtime;

import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * A coroutine: a virtual thread scheduled by its {@link IOLoop}, and the future of its result.
 *
 * <p><b>Thread-safe:</b> may be called from any thread, like any {@link CompletableFuture}.
 * Cancelling it (with either value of {@code mayInterruptIfRunning}) interrupts the coroutine:
 * a pending {@code await} throws {@link CancellationException}, {@code finally} blocks run.
 */
/*
 * Implementation notes:
 *
 * The future doubles as the virtual thread's Runnable and as its scheduler, which hands the
 * continuations on to the loop's: so the current coroutine is found through the current
 * virtual thread's scheduler (CURRENT), with no thread-local map per coroutine. A virtual thread
 * started inside a coroutine inherits that scheduler, so the lookup also checks that the thread
 * is the coroutine's own. Observation tracking (DESIGN rule 5) is inherited from TrackedFuture:
 * a failure nobody observed is handed to the loop's UnobservedFailures when the body throws.
 */
final class Coroutine<T> extends TrackedFuture<T> implements Runnable, Executor {
    /** Finds the coroutine the current thread runs: {@code CURRENT.get()}, null outside any. */
    static final Current CURRENT = new Current();
    final IOLoop loop;
    private final Callable<? extends T> body;
    /** Where the virtual thread's continuations go: the loop's continuation entry. */
    private final Executor continuations;
    /** The virtual thread; set before it starts, never changed. */
    volatile Thread thread;
    /**
     * What the coroutine awaits now, for dumps; null when it runs or parks elsewhere. Written by
     * the coroutine; other threads read it racily, for diagnostics only (a volatile write per
     * await costs more than the dump is worth).
     */
    Object awaiting;
    /**
     * The virtual thread's continuation task, wrapped once for the loop's queue. Written by
     * whichever thread unparks first; a racing second write makes an equal one, harmless.
     */
    private LoopScheduler.Continuation continuation;
    /** Set when the body has returned or thrown; the virtual thread is about to end. */
    volatile boolean finished;
    /** Neighbours in the loop's list of live coroutines. Guarded by the loop's CoroutineRegistry. */
    Coroutine<?> previous;
    Coroutine<?> next;

    Coroutine(IOLoop loop, Callable<? extends T> body, Executor continuations) {
        super(loop.failures, "coroutine", loop);
        this.loop = loop;
        this.body = body;
        this.continuations = continuations;
    }

    /** The lookup of the current coroutine. <b>Thread-safe.</b> */
    static final class Current {
        /** The coroutine the calling thread runs, or null. */
        Coroutine<?> get() {
            Thread t = Thread.currentThread();
            return t.isVirtual() && VirtualThreads.schedulerOf(t) instanceof Coroutine<?> c && c.thread == t ? c : null;
        }
    }

    /** The virtual thread's scheduler: hands its continuation to the loop. Called by the JDK. */
    @Override
    public void execute(Runnable task) {
        LoopScheduler.Continuation c = continuation;
        if (c == null || c.task() != task) {
            continuation = c = new LoopScheduler.Continuation(task);
        }
        continuations.execute(c);
    }

    @Override
    public void run() {
        try {
            if (isDone()) {
                return; // Cancelled before it started.
            }
            T value = body.call();
            complete(value);
        } catch (Throwable e) {
            if (!completeExceptionally(e) && !(e instanceof CancellationException) && !isCancelled()) {
                loop.failures.coroutineFailedAfterDone(this, e);
            }
        } finally {
            finished = true;
            loop.coroutines.ended(this);
        }
    }

    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
        boolean cancelled = super.cancel(mayInterruptIfRunning);
        if (cancelled) {
            Thread t = thread;
            if (t != null && !finished) {
                t.interrupt();
            }
        }
        return cancelled;
    }

    String name() {
        Thread t = thread;
        return t == null ? "coroutine" : t.getName();
    }

    @Override
    String label() {
        return "coroutine " + name() + " on " + loop.name();
    }

    @Override
    public String toString() {
        String outcome = switch (peekState()) {
            case RUNNING -> awaiting != null ? "awaiting " + describe(awaiting) : "running";
            case SUCCESS -> "done";
            case FAILED -> "failed: " + peekFailure();
            case CANCELLED -> "cancelled";
        };
        return "Coroutine[" + name() + ", " + outcome + "]";
    }

    /** A short description of what a coroutine awaits, for toString and dumps. */
    static String describe(Object o) {
        String s = String.valueOf(o);
        return s.length() > 160 ? s.substring(0, 157) + "..." : s;
    }
}
