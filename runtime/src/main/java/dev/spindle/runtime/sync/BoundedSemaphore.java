package dev.spindle.runtime.sync;

import dev.spindle.runtime.IOLoop;

/**
 * A {@link Semaphore} whose {@link #release()} throws when it would raise the count above the
 * initial value (Tornado: {@code tornado.locks.BoundedSemaphore}): releasing more often than
 * acquiring is almost always a bug.
 *
 * {@snippet :
 * BoundedSemaphore slots = BoundedSemaphore.create(2);
 * try (var _ = slots.acquire()) {
 *     ...
 * }
 * slots.release();   // IllegalStateException: released too many times
 * }
 *
 * <p><b>Loop-confined:</b> call only from a coroutine or callback of the owning {@link IOLoop}
 * (see the {@linkplain dev.spindle.runtime.sync package}). {@link #toString()} may be called from
 * any thread.
 */
public final class BoundedSemaphore extends Semaphore {
    /** The initial value, which the count may never exceed. */
    private final int bound;

    private BoundedSemaphore(int value) {
        super(value, "BoundedSemaphore");
        this.bound = value;
    }

    /** A bounded semaphore with one permit. */
    public static BoundedSemaphore create() {
        return create(1);
    }

    /**
     * A bounded semaphore with {@code value} permits, which is also its bound.
     *
     * @throws IllegalArgumentException if {@code value} is negative
     */
    public static BoundedSemaphore create(int value) {
        return new BoundedSemaphore(value);
    }

    /**
     * Gives a permit back, as {@link Semaphore#release()} does.
     *
     * @throws IllegalStateException if every permit is already back (Tornado: {@code ValueError
     *     "Semaphore released too many times"}), or if called from another thread or loop
     */
    @Override
    public void release() {
        affinity.check();
        if (value() >= bound) {
            throw new IllegalStateException("BoundedSemaphore released too many times: value=" + value()
                    + " is already its bound; release once per acquire, for example with try (var _ = sem.acquire())");
        }
        super.release();
    }

    /** The initial value, which the count may never exceed. */
    public int bound() {
        return bound;
    }

    @Override
    String extraToString() {
        return ", bound=" + bound;
    }
}
