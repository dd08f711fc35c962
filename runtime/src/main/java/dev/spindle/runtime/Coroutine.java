package dev.spindle.runtime;

import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
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
 * The future doubles as the virtual thread's Runnable. `observed` records whether anybody read
 * or chained the outcome (every CompletableFuture chaining method goes through
 * newIncompleteFuture); a failure that nobody observed is handed to the loop's
 * UnobservedFailures when the coroutine ends (DESIGN rule 5).
 */
final class Coroutine<T> extends CompletableFuture<T> implements Runnable {
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
    /** Whether anyone read or chained the outcome; shared with the unobserved-failure check. */
    final Observed observed = new Observed();
    /** Set when the body has returned or thrown; the virtual thread is about to end. */
    volatile boolean finished;
    /** Unparks this coroutine when an awaited future completes; one instance, reused. */
    final BiConsumer<Object, Throwable> unparker = (v, e) -> LockSupport.unpark(thread);

    /** A flag that outlives the coroutine, so a Cleaner can read it after the future is gone. */
    static final class Observed {
        volatile boolean value;
    }

    Coroutine(IOLoop loop, Callable<? extends T> body) {
        this.loop = loop;
        this.body = body;
    }

    @Override
    public void run() {
        IOLoop.enterCoroutine(this);
        try {
            if (isDone()) {
                return; // Cancelled before it started.
            }
            T value = body.call();
            complete(value);
        } catch (Throwable e) {
            if (completeExceptionally(e)) {
                loop.failures().track(this, e);
            } else if (!(e instanceof CancellationException) && !isCancelled()) {
                loop.failures().coroutineFailedAfterDone(this, e);
            }
        } finally {
            finished = true;
            loop.coroutineEnded(this);
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
    public <U> CompletableFuture<U> newIncompleteFuture() {
        observed.value = true;
        return new CompletableFuture<>();
    }

    @Override
    public T get() throws InterruptedException, ExecutionException {
        observed.value = true;
        return super.get();
    }

    @Override
    public T get(long timeout, TimeUnit unit) throws InterruptedException, ExecutionException, TimeoutException {
        observed.value = true;
        return super.get(timeout, unit);
    }

    @Override
    public T join() {
        observed.value = true;
        return super.join();
    }

    @Override
    public T getNow(T valueIfAbsent) {
        observed.value = true;
        return super.getNow(valueIfAbsent);
    }

    @Override
    public T resultNow() {
        observed.value = true;
        return super.resultNow();
    }

    @Override
    public Throwable exceptionNow() {
        observed.value = true;
        return super.exceptionNow();
    }

    @Override
    public boolean isCompletedExceptionally() {
        observed.value = true;
        return super.isCompletedExceptionally();
    }

    @Override
    public State state() {
        State s = super.state();
        if (s == State.FAILED) {
            observed.value = true;
        }
        return s;
    }

    @Override
    public String toString() {
        String outcome = switch (super.state()) {
            case RUNNING -> awaiting != null ? "awaiting " + describe(awaiting) : "running";
            case SUCCESS -> "done";
            case FAILED -> "failed: " + super.exceptionNow();
            case CANCELLED -> "cancelled";
        };
        return "Coroutine[" + name() + ", " + outcome + "]";
    }

    private static String describe(Object o) {
        String s = o.toString();
        return s.length() > 120 ? s.substring(0, 117) + "..." : s;
    }
}
