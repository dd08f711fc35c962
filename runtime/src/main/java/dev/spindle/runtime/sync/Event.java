package dev.spindle.runtime.sync;

import dev.spindle.runtime.IOLoop;
import dev.spindle.runtime.TimeoutException;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;

/**
 * A flag that coroutines can wait for (Tornado: {@code tornado.locks.Event}): {@link #await()}
 * parks until the flag is set, and returns at once while it is set. {@link #set()} wakes every
 * waiter; {@link #clear()} lowers the flag again.
 *
 * {@snippet :
 * Event ready = Event.create();
 * spawn(() -> { ready.await(); return serve(); });
 * ...
 * ready.set();
 * }
 *
 * <p><b>Loop-confined:</b> call only from a coroutine or callback of the owning {@link IOLoop}
 * (see the {@linkplain dev.spindle.runtime.sync package}). {@link #toString()} may be called from
 * any thread.
 *
 * <p>Names: Tornado's {@code wait()} cannot be declared in Java, so it is {@code await()} (STYLE S2).
 */
public final class Event {
    private final Affinity affinity = new Affinity("Event");
    /** Coroutines and callbacks waiting for the flag. Loop-confined. */
    private final WaitQueue<Void> waiters = new WaitQueue<>();
    /** The flag. Loop-confined. */
    private boolean set;

    private Event() {}

    /** A new event, not set, owned by the current loop (or the first loop to use it). */
    public static Event create() {
        return new Event();
    }

    /** Whether the flag is set (Tornado: {@code is_set()}). */
    public boolean isSet() {
        affinity.check();
        return set;
    }

    /** Sets the flag and wakes every waiter. Awaits that come later return at once. */
    public void set() {
        affinity.check();
        if (!set) {
            set = true;
            while (waiters.serve(null) != null) {
                // Wakes the waiters in FIFO order.
            }
        }
    }

    /** Lowers the flag: awaits that come later wait for the next {@link #set()}. */
    public void clear() {
        affinity.check();
        set = false;
    }

    /**
     * Parks the calling coroutine until the flag is set (Tornado: {@code await event.wait()});
     * returns at once if it is set. If the coroutine is cancelled while waiting, throws
     * {@link CancellationException}.
     *
     * @throws CancellationException if the calling coroutine is cancelled while waiting
     * @throws IllegalStateException if it must wait and the caller is not a coroutine of the
     *     owning loop, or if called from another thread or loop
     */
    public void await() {
        park(null, "await()");
    }

    /**
     * Like {@link #await()}, giving up after {@code timeout}.
     *
     * @throws TimeoutException if the flag was not set within {@code timeout}
     * @throws IllegalArgumentException if {@code timeout} is negative
     */
    public void await(Duration timeout) {
        park(Objects.requireNonNull(timeout, "timeout"), "await(timeout)");
    }

    private void park(Duration timeout, String op) {
        IOLoop loop = affinity.check();
        if (set) {
            return;
        }
        affinity.requireCoroutine(loop, op);
        Waiter<Void> w = new Waiter<Void>(this, op, null).failAfter(loop, timeout);
        waiters.add(w);
        w.park(null);
    }

    /**
     * A future completed when the flag is set: at once if it is. Cancelling it withdraws it.
     *
     * @throws IllegalStateException if called from another thread or loop
     */
    public CompletableFuture<Void> awaitAsync() {
        return awaitAsync(null, "awaitAsync()");
    }

    /**
     * Like {@link #awaitAsync()}; the future fails with {@link TimeoutException} if the flag was
     * not set within {@code timeout}.
     *
     * @throws IllegalArgumentException if {@code timeout} is negative
     */
    public CompletableFuture<Void> awaitAsync(Duration timeout) {
        return awaitAsync(Objects.requireNonNull(timeout, "timeout"), "awaitAsync(timeout)");
    }

    private CompletableFuture<Void> awaitAsync(Duration timeout, String op) {
        IOLoop loop = affinity.check();
        if (set) {
            return CompletableFuture.completedFuture(null);
        }
        Waiter<Void> w = new Waiter<Void>(this, op, null).failAfter(loop, timeout);
        waiters.add(w);
        return w;
    }

    /** {@code Event[set]} or {@code Event[clear, waiters=1]}; callable from any thread. */
    @Override
    public String toString() {
        return set ? "Event[set]" : "Event[clear, waiters=" + waiters.size() + "]";
    }
}
