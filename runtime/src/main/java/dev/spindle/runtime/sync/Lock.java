package dev.spindle.runtime.sync;

import dev.spindle.runtime.IOLoop;
import dev.spindle.runtime.TimeoutException;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;

/**
 * A lock for coroutines (Tornado: {@code tornado.locks.Lock}): at most one holder at a time;
 * the others wait their turn in FIFO order without blocking the loop.
 *
 * {@snippet :
 * Lock lock = Lock.create();
 * try (var _ = lock.acquire()) {    // parks this coroutine while another one holds it
 *     await(write(record));          // may park again: the lock stays held
 * }
 * }
 *
 * <p><b>Loop-confined:</b> call only from a coroutine or callback of the owning {@link IOLoop}
 * (see the {@linkplain dev.spindle.runtime.sync package} for which loop owns it and for the plain
 * and {@code Async} forms). {@link #toString()} may be called from any thread.
 *
 * <p>Not reentrant: a coroutine that acquires a lock it holds waits for itself forever. The lock
 * has no owner: any coroutine of the loop may release it, as in Tornado.
 */
/*
 * Implementation notes: a Semaphore of one permit (Tornado's Lock wraps a BoundedSemaphore(1));
 * locked means no permit left. release() with waiters hands the permit straight to the oldest
 * live one (the lock stays locked), so a newcomer calling acquire() between the release and the
 * waiter's resumption cannot barge in.
 *
 *   UNLOCKED --acquire--> LOCKED --release, nobody waits--> UNLOCKED
 *                          |  ^
 *                          +--+ release, a waiter is served (ownership passes on)
 */
public final class Lock {
    /** A one-permit semaphore, as in Tornado: it holds the waiters and checks the affinity. */
    private final Semaphore block = new Semaphore(1, "Lock");

    private Lock() {
        block.describeAs(this);
    }

    /** A new, unlocked lock, owned by the current loop (or the first loop to use it). */
    public static Lock create() {
        return new Lock();
    }

    /**
     * Acquires the lock, parking the calling coroutine until it is free (Tornado:
     * {@code await lock.acquire()}). Returns at once if it is free. Waiters are served in FIFO
     * order. If the coroutine is cancelled while waiting, throws {@link CancellationException}
     * and the lock is not taken (nor lost, if it had just been handed over).
     *
     * @return closing it releases the lock: use try-with-resources, or call {@link #release()}
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
     * @throws TimeoutException if the lock was not acquired within {@code timeout}
     * @throws IllegalArgumentException if {@code timeout} is negative
     */
    public Releaser acquire(Duration timeout) {
        return acquire(Objects.requireNonNull(timeout, "timeout"), "acquire(timeout)");
    }

    private Releaser acquire(Duration timeout, String op) {
        return block.acquire(timeout, op);
    }

    /**
     * A future completed when the lock is acquired: at once if it is free, else in FIFO turn.
     * Cancelling the future before then withdraws from the line.
     *
     * @throws IllegalStateException if called from another thread or loop
     */
    public CompletableFuture<Releaser> acquireAsync() {
        return acquireAsync(null, "acquireAsync()");
    }

    /**
     * Like {@link #acquireAsync()}; the future fails with {@link TimeoutException} if the lock
     * was not acquired within {@code timeout}.
     *
     * @throws IllegalArgumentException if {@code timeout} is negative
     */
    public CompletableFuture<Releaser> acquireAsync(Duration timeout) {
        return acquireAsync(Objects.requireNonNull(timeout, "timeout"), "acquireAsync(timeout)");
    }

    private CompletableFuture<Releaser> acquireAsync(Duration timeout, String op) {
        return block.acquireAsync(timeout, op);
    }

    /**
     * Acquires the lock if it is free, without waiting; release it with {@link #release()}.
     *
     * @return whether the lock was acquired
     */
    public boolean tryAcquire() {
        return block.tryAcquire();
    }

    /**
     * Releases the lock: the oldest waiter, if any, gets it next (Tornado: {@code Lock.release}).
     *
     * @throws IllegalStateException if the lock is not locked, or called from another thread or loop
     */
    public void release() {
        if (block.value() > 0) {
            throw new IllegalStateException("release() of an unlocked Lock: release once per acquire, for"
                    + " example with try (var _ = lock.acquire()) { ... }");
        }
        block.release(); // With waiters, the oldest gets the permit and the lock stays locked.
    }

    /** Whether the lock is held (Tornado: {@code Lock.locked()}). */
    public boolean isLocked() {
        return block.value() == 0;
    }

    /** {@code Lock[unlocked]} or {@code Lock[locked, waiters=2]}; callable from any thread. */
    @Override
    public String toString() {
        return block.valueRacy() == 0 ? "Lock[locked, waiters=" + block.waiterCount() + "]" : "Lock[unlocked]";
    }

    /** One acquisition; releases at most once. */
}
