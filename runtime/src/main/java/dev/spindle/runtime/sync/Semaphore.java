package dev.spindle.runtime.sync;

import dev.spindle.runtime.IOLoop;
import dev.spindle.runtime.TimeoutException;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;

/**
 * A counter of permits for coroutines (Tornado: {@code tornado.locks.Semaphore}):
 * {@link #acquire()} takes one, waiting while there are none, and {@link #release()} gives one
 * back. Typical use: cap how many coroutines do something at once.
 *
 * {@snippet :
 * Semaphore downloads = Semaphore.create(4);
 * try (var _ = downloads.acquire()) {   // at most 4 coroutines in here at once
 *     await(client.fetch(url));
 * }
 * }
 *
 * <p><b>Loop-confined:</b> call only from a coroutine or callback of the owning {@link IOLoop}
 * (see the {@linkplain dev.spindle.runtime.sync package}). {@link #toString()} may be called from
 * any thread.
 *
 * <p>Releasing more often than acquiring raises the count above its initial value; use
 * {@link BoundedSemaphore} to have that throw.
 */
/*
 * Implementation notes: `value` plus a line of waiters, as in Tornado. While anyone waits,
 * value is 0 and release() hands its permit straight to the oldest live waiter, so a newcomer
 * cannot take it first.
 */
public sealed class Semaphore permits BoundedSemaphore {
    final Affinity affinity;
    /** Coroutines and callbacks waiting for a permit. Loop-confined. */
    private final WaitQueue<Releaser> waiters = new WaitQueue<>();
    /** Permits available now; 0 while anyone waits. Loop-confined. */
    private int value;

    /** What waiters name in their messages: this, or the Lock built on it. */
    private Object owner = this;

    Semaphore(int value, String what) {
        if (value < 0) {
            throw new IllegalArgumentException("semaphore initial value must be >= 0: " + value);
        }
        this.value = value;
        this.affinity = new Affinity(what);
    }

    /** A semaphore with one permit. */
    public static Semaphore create() {
        return create(1);
    }

    /**
     * A semaphore with {@code value} permits.
     *
     * @throws IllegalArgumentException if {@code value} is negative
     */
    public static Semaphore create(int value) {
        return new Semaphore(value, "Semaphore");
    }

    /**
     * Takes a permit, parking the calling coroutine until one is available (Tornado:
     * {@code await sem.acquire()}). Returns at once if one is. Waiters are served in FIFO order.
     * If the coroutine is cancelled while waiting, throws {@link CancellationException} and no
     * permit is consumed.
     *
     * @return closing it releases the permit: use try-with-resources, or call {@link #release()}
     * @throws CancellationException if the calling coroutine is cancelled while waiting
     * @throws IllegalStateException if it must wait and the caller is not a coroutine of the
     *     owning loop, or if called from another thread or loop
     */
    public Releaser acquire() {
        return acquire(null, "acquire()");
    }

    /**
     * Like {@link #acquire()}, giving up after {@code timeout}.
     *
     * @throws TimeoutException if no permit came within {@code timeout}
     * @throws IllegalArgumentException if {@code timeout} is negative
     */
    public Releaser acquire(Duration timeout) {
        return acquire(Objects.requireNonNull(timeout, "timeout"), "acquire(timeout)");
    }

    Releaser acquire(Duration timeout, String op) {
        IOLoop loop = affinity.check();
        if (value > 0) {
            value--;
            return new Hold();
        }
        affinity.requireCoroutine(loop, op);
        Waiter<Releaser> w = new Waiter<Releaser>(owner, op, null).failAfter(loop, timeout);
        waiters.add(w);
        return w.park(Releaser::close);
    }

    /**
     * A future completed with a permit: at once if one is available, else in FIFO turn.
     * Cancelling the future before then withdraws from the line.
     *
     * @throws IllegalStateException if called from another thread or loop
     */
    public CompletableFuture<Releaser> acquireAsync() {
        return acquireAsync(null, "acquireAsync()");
    }

    /**
     * Like {@link #acquireAsync()}; the future fails with {@link TimeoutException} if no permit
     * came within {@code timeout}.
     *
     * @throws IllegalArgumentException if {@code timeout} is negative
     */
    public CompletableFuture<Releaser> acquireAsync(Duration timeout) {
        return acquireAsync(Objects.requireNonNull(timeout, "timeout"), "acquireAsync(timeout)");
    }

    CompletableFuture<Releaser> acquireAsync(Duration timeout, String op) {
        IOLoop loop = affinity.check();
        if (value > 0) {
            value--;
            return CompletableFuture.completedFuture(new Hold());
        }
        Waiter<Releaser> w = new Waiter<Releaser>(owner, op, null).failAfter(loop, timeout);
        waiters.add(w);
        return w;
    }

    /**
     * Takes a permit if one is available, without waiting; give it back with {@link #release()}.
     *
     * @return whether a permit was taken
     */
    public boolean tryAcquire() {
        affinity.check();
        if (value == 0) {
            return false;
        }
        value--;
        return true;
    }

    /**
     * Gives a permit back: the oldest waiter, if any, gets it (Tornado: {@code Semaphore.release}).
     *
     * @throws IllegalStateException if called from another thread or loop ({@link BoundedSemaphore}:
     *     also if released more often than acquired)
     */
    public void release() {
        affinity.check();
        if (waiters.hasLive() && waiters.serve(new Hold()) != null) {
            return;
        }
        value++;
    }

    /** Permits available now (Tornado: {@code Semaphore._value}). */
    public int value() {
        affinity.check();
        return value;
    }

    /** {@code Semaphore[value=0, waiters=2]}; callable from any thread. */
    @Override
    public String toString() {
        return getClass().getSimpleName() + "[value=" + value + extraToString() + ", waiters=" + waiters.size() + "]";
    }

    /** Makes waiters' messages name {@code owner}, the type built on this semaphore. */
    void describeAs(Object owner) {
        this.owner = owner;
    }

    /** Waiters in line now; for the toString of types built on this one. */
    int waiterCount() {
        return waiters.size();
    }

    /** Permits now, without the affinity check; for toString, which any thread may call. */
    int valueRacy() {
        return value;
    }

    String extraToString() {
        return "";
    }

    /** One permit taken; releases at most once. */
    private final class Hold implements Releaser {
        /** Whether close() released. Loop-confined. */
        private boolean released;

        @Override
        public void close() {
            if (!released) {
                released = true;
                release();
            }
        }
    }
}
