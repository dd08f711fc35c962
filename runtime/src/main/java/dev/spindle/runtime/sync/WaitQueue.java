package dev.spindle.runtime.sync;

import java.util.ArrayDeque;
import java.util.ConcurrentModificationException;
import java.util.concurrent.CompletableFuture;

/**
 * A primitive's line of waiters, oldest first (Tornado: the {@code collections.deque} of futures
 * in {@code tornado.locks}).
 *
 * <p><b>Loop-confined</b>, except {@link #size()}, which toString may call from any thread.
 */
/*
 * Implementation notes: a waiter that times out or is cancelled stays in the deque (removal from
 * the middle is O(n)) and is skipped when it reaches the front. So that a line nobody serves
 * cannot grow without bound, done waiters are swept whenever the deque doubles since the last
 * sweep: amortized O(1) per wait.
 */
final class WaitQueue<T> {
    private static final int MIN_SWEEP = 32;

    /** Waiters in arrival order; done ones may linger until served past or swept. Loop-confined. */
    private final ArrayDeque<Waiter<T>> waiters = new ArrayDeque<>();
    /** Sweep when the deque reaches this size. Loop-confined. */
    private int sweepAt = MIN_SWEEP;

    void add(Waiter<T> w) {
        waiters.addLast(w);
        if (waiters.size() >= sweepAt) {
            waiters.removeIf(CompletableFuture::isDone);
            sweepAt = Math.max(MIN_SWEEP, waiters.size() * 2);
        }
    }

    /** Serves the oldest live waiter with {@code value}; returns it, or null if none is left. */
    Waiter<T> serve(T value) {
        for (Waiter<T> w; (w = waiters.pollFirst()) != null; ) {
            if (w.resolve(value)) {
                return w;
            }
        }
        return null;
    }

    /** Whether a live waiter is in line; drops done ones from the front. */
    boolean hasLive() {
        Waiter<T> w;
        while ((w = waiters.peekFirst()) != null && w.isDone()) {
            waiters.pollFirst();
        }
        return w != null;
    }

    /** How many live waiters are in line; approximate when called off the loop. */
    int size() {
        try {
            int n = 0;
            for (Waiter<T> w : waiters) {
                if (!w.isDone()) {
                    n++;
                }
            }
            return n;
        } catch (ConcurrentModificationException | java.util.NoSuchElementException e) {
            return waiters.size(); // Read from another thread while the loop changed it.
        }
    }
}
