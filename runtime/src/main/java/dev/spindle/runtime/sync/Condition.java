package dev.spindle.runtime.sync;

import dev.spindle.runtime.IOLoop;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;

/**
 * Lets coroutines wait until another one signals them (Tornado: {@code tornado.locks.Condition}).
 * Unlike {@link java.util.concurrent.locks.Condition}, it is not tied to a lock: on one loop
 * nothing runs between a check and the {@code await()} that follows it.
 *
 * {@snippet :
 * Condition changed = Condition.create();
 * while (!ready) {
 *     changed.await();              // parks until signal() or signalAll()
 * }
 * // elsewhere: ready = true; changed.signalAll();
 * }
 *
 * <p><b>Loop-confined:</b> call only from a coroutine or callback of the owning {@link IOLoop}
 * (see the {@linkplain dev.spindle.runtime.sync package}). {@link #toString()} may be called from
 * any thread.
 *
 * <p>Names: Tornado's {@code wait()}, {@code notify(n)} and {@code notify_all()} cannot be
 * declared in Java ({@code Object}'s are final), so this class uses
 * {@code java.util.concurrent.locks.Condition}'s {@code await}, {@code signal} and
 * {@code signalAll} (STYLE S2).
 */
/*
 * Implementation notes: a line of waiters completed with true when signalled; a timed wait's
 * timer completes its waiter with false, which signal() then skips.
 */
public final class Condition {
    private final Affinity affinity = new Affinity("Condition");
    /** Coroutines and callbacks waiting for a signal. Loop-confined. */
    private final WaitQueue<Boolean> waiters = new WaitQueue<>();

    private Condition() {}

    /** A new condition, owned by the current loop (or the first loop to use it). */
    public static Condition create() {
        return new Condition();
    }

    /**
     * Parks the calling coroutine until it is signalled (Tornado: {@code await condition.wait()}).
     * Waiters are woken in FIFO order. If the coroutine is cancelled while waiting, throws
     * {@link CancellationException}; a signal that had just woken it is passed on to the next
     * waiter, so it is not lost.
     *
     * @throws CancellationException if the calling coroutine is cancelled while waiting
     * @throws IllegalStateException if the caller is not a coroutine of the owning loop
     */
    public void await() {
        park(null, "await()");
    }

    /**
     * Like {@link #await()}, giving up after {@code timeout}: returns false then, as Tornado's
     * {@code wait(timeout)} and {@code java.util.concurrent}'s {@code await(time, unit)} do.
     *
     * @return true if signalled, false if the timeout expired first
     * @throws IllegalArgumentException if {@code timeout} is negative
     */
    public boolean await(Duration timeout) {
        return park(Objects.requireNonNull(timeout, "timeout"), "await(timeout)");
    }

    private boolean park(Duration timeout, String op) {
        IOLoop loop = affinity.check();
        affinity.requireCoroutine(loop, op);
        Waiter<Boolean> w = new Waiter<Boolean>(this, op, null).resolveAfter(loop, timeout, false);
        waiters.add(w);
        return w.park(signalled -> {
            if (signalled) {
                signal(); // Woken, but cancelled before it could resume: pass the signal on.
            }
        });
    }

    /**
     * A future completed with true when signalled: the form for callbacks and combinators.
     * Cancelling the future withdraws from the line.
     *
     * @throws IllegalStateException if called from another thread or loop
     */
    public CompletableFuture<Boolean> awaitAsync() {
        return awaitAsync(null, "awaitAsync()");
    }

    /**
     * Like {@link #awaitAsync()}; the future completes with false if not signalled within
     * {@code timeout}.
     *
     * @throws IllegalArgumentException if {@code timeout} is negative
     */
    public CompletableFuture<Boolean> awaitAsync(Duration timeout) {
        return awaitAsync(Objects.requireNonNull(timeout, "timeout"), "awaitAsync(timeout)");
    }

    private CompletableFuture<Boolean> awaitAsync(Duration timeout, String op) {
        IOLoop loop = affinity.check();
        Waiter<Boolean> w = new Waiter<Boolean>(this, op, null).resolveAfter(loop, timeout, false);
        waiters.add(w);
        return w;
    }

    /** Wakes the oldest waiter, if any (Tornado: {@code notify()}). */
    public void signal() {
        signal(1);
    }

    /**
     * Wakes the {@code n} oldest waiters, or all of them if fewer wait (Tornado: {@code notify(n)}).
     *
     * @throws IllegalArgumentException if {@code n} is negative
     */
    public void signal(int n) {
        if (n < 0) {
            throw new IllegalArgumentException("n < 0: " + n);
        }
        affinity.check();
        for (int i = 0; i < n && waiters.serve(true) != null; i++) {
            // Each turn wakes one live waiter.
        }
    }

    /** Wakes every waiter (Tornado: {@code notify_all()}). */
    public void signalAll() {
        signal(Integer.MAX_VALUE);
    }

    /** {@code Condition[waiters=2]}; callable from any thread. */
    @Override
    public String toString() {
        return "Condition[waiters=" + waiters.size() + "]";
    }
}
