package dev.spindle.runtime.sync;

/**
 * A {@link Queue} that returns the most recently put item first (Tornado:
 * {@code tornado.queues.LifoQueue}).
 *
 * {@snippet :
 * LifoQueue<Integer> q = LifoQueue.create();
 * q.putNowait(3);
 * q.putNowait(2);
 * q.putNowait(1);
 * q.getNowait();   // 1
 * }
 *
 * <p><b>Loop-confined:</b> as {@link Queue}.
 */
public final class LifoQueue<T> extends Queue<T> {
    private LifoQueue(int maxSize) {
        super(maxSize, Storage.lifo(), "LifoQueue");
    }

    /** An unbounded LIFO queue. */
    public static <T> LifoQueue<T> create() {
        return create(0);
    }

    /**
     * A LIFO queue holding at most {@code maxSize} items.
     *
     * @param maxSize positive, or 0 for unbounded
     * @throws IllegalArgumentException if {@code maxSize} is negative
     */
    public static <T> LifoQueue<T> create(int maxSize) {
        return new LifoQueue<>(maxSize);
    }
}
