package dev.spindle.runtime.sync;

import dev.spindle.runtime.Coroutines;
import dev.spindle.runtime.IOLoop;
import dev.spindle.runtime.TimeoutException;
import dev.spindle.runtime.TimerHandle;
import dev.spindle.runtime.internal.ResumingFuture;
import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * One coroutine or callback waiting in a primitive's line: the future it waits for, with its
 * timeout timer and, for a blocked {@code put}, the item it brings.
 *
 * <p><b>Thread-safe</b> as a future (anyone may cancel it); the rest is loop-confined.
 */
final class Waiter<T> extends ResumingFuture<T> {
    /** The primitive waited on, for toString. */
    private final Object owner;
    /** What is waited for, e.g. "get()". */
    private final String op;
    /** The item a waiting put() brings; null otherwise. */
    final Object item;
    /** The timeout timer, or null. Loop-confined. */
    private TimerHandle timer;

    Waiter(Object owner, String op, Object item) {
        this.owner = owner;
        this.op = op;
        this.item = item;
    }

    /** Fails this waiter with TimeoutException after {@code timeout} (null: never). */
    Waiter<T> failAfter(IOLoop loop, Duration timeout) {
        if (timeout != null) {
            timer = requireLoop(loop).callLater(timeout, () -> completeExceptionally(
                    new TimeoutException(op + " timed out after " + timeout + " on " + owner)));
        }
        return this;
    }

    /** Completes this waiter with {@code value} after {@code timeout} (null: never). */
    Waiter<T> resolveAfter(IOLoop loop, Duration timeout, T value) {
        if (timeout != null) {
            timer = requireLoop(loop).callLater(timeout, () -> complete(value));
        }
        return this;
    }

    private IOLoop requireLoop(IOLoop loop) {
        if (loop == null) {
            throw new IllegalStateException(op + " on " + owner + " with a timeout needs a loop for its timer;"
                    + " call it from a coroutine or callback of a loop");
        }
        return loop;
    }

    /** Serves this waiter; false if it had already timed out or been cancelled. */
    boolean resolve(T value) {
        if (!complete(value)) {
            return false;
        }
        if (timer != null) {
            timer.cancel();
        }
        return true;
    }

    /** Leaves the line: cancels the future and the timer. */
    void withdraw() {
        cancel(false);
        if (timer != null) {
            timer.cancel();
        }
    }

    /**
     * Parks the calling coroutine until this waiter is served, times out or the coroutine is
     * cancelled. If the coroutine was cancelled after being served but before it resumed, hands
     * what it got to {@code giveBack} (when not null) and throws, so nothing is lost.
     *
     * @throws CancellationException if the coroutine was cancelled
     * @throws TimeoutException if the timeout expired first
     */
    T park(Consumer<? super T> giveBack) {
        T value;
        try {
            value = Coroutines.await(this);
        } catch (CancellationException e) {
            withdraw();
            throw e;
        }
        if (giveBack != null && Thread.currentThread().isInterrupted()) {
            Thread.interrupted();
            giveBack.accept(value);
            throw new CancellationException(op + " on " + owner + " was served, but its coroutine had been"
                    + " cancelled before it resumed; handed back what it got");
        }
        return value;
    }

    /** What a coroutine dump shows this coroutine awaits. */
    @Override
    public String toString() {
        return op + " on " + owner;
    }
}
