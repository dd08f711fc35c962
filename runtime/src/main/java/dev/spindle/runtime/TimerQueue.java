package dev.spindle.runtime;

import java.util.List;
import java.util.PriorityQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The loop's timers: a heap ordered by deadline, then by scheduling order.
 *
 * <p><b>Loop-confined:</b> call only on the owning loop's carrier, except
 * {@link #scheduleFromAnyThread} and {@link Timer#cancel()}, which any thread may call.
 */
/*
 * Implementation notes: cancelled timers stay in the heap (removal from the middle of a heap is
 * O(n)) and are skipped when they reach the top; when more than half of a large heap is
 * cancelled it is rebuilt, as Tornado does.
 *
 * Scheduling order: each timer takes its tie-breaking number from one atomic counter when it is
 * made, on the loop (schedule) or off it (scheduleFromAnyThread), so if one call happens-before
 * another its timer comes first. A timer made off the loop waits in `incoming` until the loop
 * next looks at its timers (pollDue, nanosUntilNext), which moves it into the heap first: it is
 * there before any timer made after it can fire.
 */
final class TimerQueue {
    private static final int COMPACT_MIN = 512;

    /** Pending timers, possibly with cancelled ones among them. Loop-confined. */
    private final PriorityQueue<Timer> heap = new PriorityQueue<>();
    /** Timers made by other threads, not yet in the heap. Any thread adds; the loop drains. */
    private final ConcurrentLinkedQueue<Timer> incoming = new ConcurrentLinkedQueue<>();
    /** Next tie-breaking sequence number. Any thread takes one. */
    private final AtomicLong seq = new AtomicLong();
    /** Cancellations since the last rebuild; approximate when cancel() runs on other threads. */
    private volatile int cancellations;

    Timer schedule(long deadline, Runnable task) {
        Timer t = new Timer(this, deadline, seq.getAndIncrement(), task);
        heap.add(t);
        return t;
    }

    /**
     * Schedules from a thread that is not the loop's. The caller wakes the loop, whose next look
     * at its timers takes this one in. Thread-safe.
     */
    Timer scheduleFromAnyThread(long deadline, Runnable task) {
        Timer t = new Timer(this, deadline, seq.getAndIncrement(), task);
        incoming.offer(t);
        return t;
    }

    /** Moves the timers made by other threads into the heap. */
    private void takeIncoming() {
        for (Timer t; (t = incoming.poll()) != null; ) {
            if (t.isPending()) {
                heap.add(t);
            }
        }
    }

    void cancelled(Timer t) {
        cancellations++;
    }

    /** Collects the tasks of timers due at {@code now} into {@code due}; returns how many. */
    int pollDue(long now, List<Runnable> due) {
        takeIncoming();
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
        takeIncoming();
        Timer t;
        while ((t = heap.peek()) != null && !t.isPending()) {
            heap.poll();
        }
        if (t == null) {
            return -1;
        }
        return Math.max(0, t.deadline() - now);
    }

    /** Whether a timer may be pending. */
    boolean isEmpty() {
        return heap.isEmpty() && incoming.isEmpty();
    }

    /** How many timers are queued, cancelled ones still in the heap included; for toString. */
    int size() {
        return heap.size() + incoming.size();
    }

    /** Drops every timer, for close(). */
    void clear() {
        heap.clear();
        incoming.clear();
    }

    private void compactIfNeeded() {
        int c = cancellations;
        if (c > COMPACT_MIN && c > heap.size() / 2) {
            heap.removeIf(t -> !t.isPending());
            cancellations = 0;
        }
    }
}
