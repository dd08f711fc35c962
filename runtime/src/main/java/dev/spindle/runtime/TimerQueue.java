package dev.spindle.runtime;

import java.util.List;
import java.util.PriorityQueue;

/**
 * The loop's timers: a heap ordered by deadline, then by scheduling order.
 *
 * <p><b>Loop-confined:</b> call only on the owning loop's carrier, except {@link Timer#cancel()}.
 */
/*
 * Implementation notes: cancelled timers stay in the heap (removal from the middle of a heap is
 * O(n)) and are skipped when they reach the top; when more than half of a large heap is
 * cancelled it is rebuilt, as Tornado does.
 */
final class TimerQueue {
    private static final int COMPACT_MIN = 512;

    /** Pending timers, possibly with cancelled ones among them. Loop-confined. */
    private final PriorityQueue<Timer> heap = new PriorityQueue<>();
    /** Next tie-breaking sequence number. Loop-confined. */
    private long seq;
    /** Cancellations since the last rebuild; approximate when cancel() runs on other threads. */
    private volatile int cancellations;

    Timer schedule(long deadline, Runnable task) {
        Timer t = new Timer(this, deadline, seq++, task);
        heap.add(t);
        return t;
    }

    /** Adds a timer created elsewhere (by a thread off the loop). */
    void add(Timer t) {
        if (t.isPending()) {
            heap.add(t);
        }
    }

    Timer create(long deadline, Runnable task) {
        return new Timer(this, deadline, -1, task);
    }

    void cancelled(Timer t) {
        cancellations++;
    }

    /** Collects the tasks of timers due at {@code now} into {@code due}; returns how many. */
    int pollDue(long now, List<Runnable> due) {
        int n = 0;
        Timer t;
        while ((t = heap.peek()) != null) {
            if (!t.isPending()) {
                heap.poll();
                continue;
            }
            if (t.deadline() - now > 0) {
                break;
            }
            heap.poll();
            Runnable task = t.take();
            if (task != null) {
                due.add(task);
                n++;
            }
        }
        compactIfNeeded();
        return n;
    }

    /**
     * Nanoseconds from {@code now} until the next pending timer, 0 if one is due, or -1 if there
     * is none.
     */
    long nanosUntilNext(long now) {
        Timer t;
        while ((t = heap.peek()) != null && !t.isPending()) {
            heap.poll();
        }
        if (t == null) {
            return -1;
        }
        return Math.max(0, t.deadline() - now);
    }

    int size() {
        return heap.size();
    }

    /** Drops every timer, for close(). */
    void clear() {
        heap.clear();
    }

    private void compactIfNeeded() {
        int c = cancellations;
        if (c > COMPACT_MIN && c > heap.size() / 2) {
            heap.removeIf(t -> !t.isPending());
            cancellations = 0;
        }
    }
}
