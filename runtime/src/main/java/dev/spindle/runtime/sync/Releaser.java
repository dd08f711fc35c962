package dev.spindle.runtime.sync;

/**
 * What {@link Lock#acquire()} and {@link Semaphore#acquire()} return: closing it releases what
 * was acquired, once, so that try-with-resources releases on every path (Tornado: the context
 * manager of {@code async with lock:}).
 *
 * {@snippet :
 * try (var _ = lock.acquire()) {
 *     // only one coroutine at a time here
 * }
 * }
 *
 * <p><b>Loop-confined:</b> close it on the loop of the primitive it came from.
 */
@FunctionalInterface
public interface Releaser extends AutoCloseable {
    /**
     * Releases what was acquired. Only the first call releases; later calls do nothing.
     *
     * @throws IllegalStateException if called from another thread while the loop runs
     */
    @Override
    void close();
}
