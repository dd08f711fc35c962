package dev.spindle.runtime;

/**
 * One scheduled callback in a {@link TimerQueue}.
 *
 * <p><b>Thread-safe</b> for {@link #cancel()}; everything else is loop-confined.
 */
final class Timer implements TimerHandle, Comparable<Timer> {
    private final long deadline;
    /** Tie-breaker: timers with equal deadlines fire in the order they were scheduled. */
    private final long seq;
    /** The callback; set to null once fired or cancelled so the heap does not pin it. */
    private volatile Runnable task;
    /** 0 = pending, 1 = fired, 2 = cancelled. Written by the loop or by cancel(). */
    private volatile int state;
    private final TimerQueue owner;

    Timer(TimerQueue owner, long deadline, long seq, Runnable task) {
        this.owner = owner;
        this.deadline = deadline;
        this.seq = seq;
        this.task = task;
    }

    @Override
    public boolean cancel() {
        synchronized (this) {
            if (state != 0) {
                return false;
            }
            state = 2;
            task = null;
        }
        owner.cancelled(this);
        return true;
    }

    @Override
    public boolean isCancelled() {
        return state == 2;
    }

    @Override
    public long deadline() {
        return deadline;
    }

    /** Marks the timer fired and returns its task, or null if it was cancelled. Loop only. */
    Runnable take() {
        synchronized (this) {
            if (state != 0) {
                return null;
            }
            state = 1;
            Runnable t = task;
            task = null;
            return t;
        }
    }

    boolean isPending() {
        return state == 0;
    }

    @Override
    public int compareTo(Timer o) {
        // nanoTime values may wrap: compare by the sign of the difference, as nanoTime's javadoc says.
        long d = deadline - o.deadline;
        if (d != 0) {
            return d < 0 ? -1 : 1;
        }
        return Long.compare(seq, o.seq);
    }

    @Override
    public String toString() {
        String s = switch (state) {
            case 0 -> "pending";
            case 1 -> "fired";
            default -> "cancelled";
        };
        return "Timer[deadline=" + deadline + ", " + s + "]";
    }
}
