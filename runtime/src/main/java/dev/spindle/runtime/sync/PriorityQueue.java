package dev.spindle.runtime.sync;

import java.util.Comparator;
import java.util.Objects;

/**
 * A {@link Queue} that returns the least item first (Tornado: {@code tornado.queues.PriorityQueue},
 * whose entries are usually {@code (priority, item)} tuples; here, give a comparator). Shadows
 * {@link java.util.PriorityQueue} by name (STYLE S3).
 *
 * {@snippet :
 * PriorityQueue<Job> q = PriorityQueue.create(Comparator.comparingInt(Job::priority));
 * q.putNowait(new Job(1, "medium"));
 * q.putNowait(new Job(0, "high"));
 * q.getNowait();   // Job[priority=0, name=high]
 * }
 *
 * <p><b>Loop-confined:</b> as {@link Queue}. Items of equal priority come out in no fixed order.
 */
public final class PriorityQueue<T> extends Queue<T> {
    private PriorityQueue(int maxSize, Comparator<? super T> order) {
        super(maxSize, Storage.priority(order), "PriorityQueue");
    }

    /**
     * An unbounded queue in the items' natural order, like {@code new java.util.PriorityQueue<>()}:
     * putting an item that is not {@link Comparable} throws {@link ClassCastException}.
     */
    public static <T> PriorityQueue<T> create() {
        return new PriorityQueue<>(0, null);
    }

    /**
     * A queue in the items' natural order holding at most {@code maxSize} items.
     *
     * @param maxSize positive, or 0 for unbounded
     * @throws IllegalArgumentException if {@code maxSize} is negative
     */
    public static <T> PriorityQueue<T> create(int maxSize) {
        return new PriorityQueue<>(maxSize, null);
    }

    /** An unbounded queue in {@code order}, least first. */
    public static <T> PriorityQueue<T> create(Comparator<? super T> order) {
        return create(0, order);
    }

    /**
     * A queue in {@code order}, least first, holding at most {@code maxSize} items.
     *
     * @param maxSize positive, or 0 for unbounded
     * @throws IllegalArgumentException if {@code maxSize} is negative
     */
    public static <T> PriorityQueue<T> create(int maxSize, Comparator<? super T> order) {
        return new PriorityQueue<>(maxSize, Objects.requireNonNull(order, "order"));
    }
}
