package dev.spindle.runtime;

import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BiConsumer;

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
 * The future doubles as the virtual thread's Runnable. Observation tracking (DESIGN rule 5) is
 * inherited from TrackedFuture: a failure nobody observed is handed to the loop's
 * UnobservedFailures when the body throws.
 */
final class Coroutine<T> extends TrackedFuture<T> implements Runnable {
    /**
     * The coroutine the current thread runs; set in coroutine threads only. One thread-local per
     * coroutine (its map is part of every idle connection's cost): the loop is found through it.
     */
    static final ThreadLocal<Coroutine<?>> CURRENT = new ThreadLocal<>();
    final IOLoop loop;
    private final Callable<? extends T> body;
    /** The virtual thread; set before it starts, never changed. */
    volatile Thread thread;
    /**
     * What the coroutine awaits now, for dumps; null when it runs or parks elsewhere. Written by
     * the coroutine; other threads read it racily, for diagnostics only (a volatile write per
     * await costs more than the dump is worth).
     */
    Object awaiting;
    /** Set when the body has returned or thrown; the virtual thread is about to end. */
    volatile boolean finished;
    /** Unparks this coroutine when an awaited future completes; one instance, reused. */
    final BiConsumer<Object, Throwable> unparker = (v, e) -> LockSupport.unpark(thread);

    Coroutine(IOLoop loop, Callable<? extends T> body) {
        super(loop.failures, null);
        this.loop = loop;
        this.body = body;
    }

    @Override
    public void run() {
        CURRENT.set(this);
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
