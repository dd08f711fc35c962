package dev.spindle.runtime;

/**
 * A callback scheduled on an {@link IOLoop} timer by {@link IOLoop#callLater} or
 * {@link IOLoop#callAt}; cancel it to keep it from running (Tornado: the handle passed to
 * {@code IOLoop.remove_timeout}).
 *
 * <p><b>Thread-safe:</b> may be called from any thread. A cancel that happens-before the
 * timer fires keeps the callback from running; one that races with it may lose.
 */
public interface TimerHandle {
    /**
     * Cancels the callback if it has not run yet.
     *
     * @return true if this call cancelled it; false if it had already run or been cancelled
     */
    boolean cancel();

    /** Whether {@link #cancel()} took effect. */
    boolean isCancelled();

    /** When the callback is due, in the {@link IOLoop#time()} scale (nanoseconds). */
    long deadline();
}
