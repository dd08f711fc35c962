package dev.spindle.runtime.sync;

import dev.spindle.runtime.IOLoop;
import dev.spindle.runtime.TimeoutException;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;

/**
 * A first-in, first-out queue for coroutines of one loop (Tornado: {@code tornado.queues.Queue}):
 * {@link #get()} parks while it is empty, {@link #put} parks while it is full, and
 * {@link #taskDone()} with {@link #join()} let a producer wait until every item was processed.
 *
 * {@snippet :
 * Queue<String> q = Queue.create(100);
 * spawn(() -> { while (true) { String url = q.get(); try { fetch(url); } finally { q.taskDone(); } } });
 * for (String url : urls) {
 *     q.put(url);          // parks while 100 items wait
 * }
 * q.join();                // parks until taskDone() was called for every item
 * }
 *
 * <p><b>Loop-confined:</b> call only from a coroutine or callback of the owning {@link IOLoop}
 * (see the {@linkplain dev.spindle.runtime.sync package} for which loop owns it and for the plain
 * and {@code Async} forms). {@link #toString()} may be called from any thread.
 *
 * <table class="striped">
 * <caption>Limits and defaults</caption>
 * <tr><th>what</th><th>value</th></tr>
 * <tr><td>{@code maxSize}</td><td>0 (the default) means unbounded</td></tr>
 * <tr><td>items</td><td>non-null</td></tr>
 * <tr><td>waiters</td><td>served in FIFO order; a {@code put} to a waiting getter hands the item
 *     over directly</td></tr>
 * </table>
 */
/*
 * Implementation notes (Tornado's algorithm): the items live in a Storage (FIFO here, LIFO or
 * by priority in the subclasses). A put while getters wait hands the item to the oldest live
 * getter, so items never sit in the queue while someone waits for one; a get from a full queue
 * with putters waiting first moves the oldest live putter's item in, then takes the next item,
 * so the queue stays full. `unfinished` counts items put and not yet taskDone()'d; joiners are
 * served when it drops to 0.
 *
 * A getter that was handed an item but was cancelled before it resumed gives the item back: to
 * the next getter, or to the front of the storage (which can then hold maxSize + 1 items until
 * the next get; better than losing the item).
 */
public sealed class Queue<T> permits PriorityQueue, LifoQueue {
    private final Affinity affinity;
    /** 0 for unbounded. */
    private final int maxSize;
    /** The items. Loop-confined. */
    private final Storage<T> items;
    /** Coroutines and callbacks waiting for an item. Loop-confined. */
    private final WaitQueue<T> getters = new WaitQueue<>();
    /** Coroutines and callbacks waiting for room; each Waiter carries its item. Loop-confined. */
    private final WaitQueue<Void> putters = new WaitQueue<>();
    /** Coroutines and callbacks waiting in join(). Loop-confined. */
    private final WaitQueue<Void> joiners = new WaitQueue<>();
    /** Items put and not yet taskDone()'d. Loop-confined. */
    private int unfinished;

    Queue(int maxSize, Storage<T> items, String what) {
        if (maxSize < 0) {
            throw new IllegalArgumentException("maxSize must be >= 0 (0 for unbounded): " + maxSize);
        }
        this.maxSize = maxSize;
        this.items = items;
        this.affinity = new Affinity(what);
    }

    /** An unbounded FIFO queue. */
    public static <T> Queue<T> create() {
        return create(0);
    }

    /**
     * A FIFO queue holding at most {@code maxSize} items.
     *
     * @param maxSize positive, or 0 for unbounded
     * @throws IllegalArgumentException if {@code maxSize} is negative
     */
    public static <T> Queue<T> create(int maxSize) {
        return new Queue<>(maxSize, Storage.fifo(), "Queue");
    }

    /** The capacity; 0 for unbounded. */
    public int maxSize() {
        return maxSize;
    }

    /** Items in the queue now (Tornado: {@code qsize()}). */
    public int qsize() {
        affinity.check();
        return items.size();
    }

    /** Whether the queue holds no item. */
    public boolean empty() {
        return qsize() == 0;
    }

    /** Whether the queue holds {@code maxSize} items; never true when unbounded. */
    public boolean full() {
        return maxSize > 0 && qsize() >= maxSize;
    }

    /**
     * Puts {@code item} in the queue, parking the calling coroutine while the queue is full
     * (Tornado: {@code await q.put(item)}). Returns at once if there is room. Waiting putters
     * are served in FIFO order. If the coroutine is cancelled while waiting, throws
     * {@link CancellationException} and the item is not put.
     *
     * @throws CancellationException if the calling coroutine is cancelled while waiting
     * @throws IllegalStateException if it must wait and the caller is not a coroutine of the
     *     owning loop, or if called from another thread or loop
     * @throws NullPointerException if {@code item} is null
     */
    public void put(T item) {
        put(item, null, "put()");
    }

    /**
     * Like {@link #put(Object)}, giving up after {@code timeout}; the item is not put then.
     *
     * @throws TimeoutException if there was no room within {@code timeout}
     * @throws IllegalArgumentException if {@code timeout} is negative
     */
    public void put(T item, Duration timeout) {
        put(item, Objects.requireNonNull(timeout, "timeout"), "put(timeout)");
    }

    private void put(T item, Duration timeout, String op) {
        Objects.requireNonNull(item, "item");
        IOLoop loop = affinity.check();
        if (offer(item)) {
            return;
        }
        affinity.requireCoroutine(loop, op);
        Waiter<Void> w = new Waiter<Void>(this, op, item).failAfter(loop, timeout);
        putters.add(w);
        w.park(null);
    }

    /**
     * A future completed once {@code item} is in the queue: at once if there is room.
     * Cancelling the future before then withdraws the item.
     *
     * @throws IllegalStateException if called from another thread or loop
     * @throws NullPointerException if {@code item} is null
     */
    public CompletableFuture<Void> putAsync(T item) {
        return putAsync(item, null, "putAsync()");
    }

    /**
     * Like {@link #putAsync(Object)}; the future fails with {@link TimeoutException} (and the
     * item is not put) if there was no room within {@code timeout}.
     *
     * @throws IllegalArgumentException if {@code timeout} is negative
     */
    public CompletableFuture<Void> putAsync(T item, Duration timeout) {
        return putAsync(item, Objects.requireNonNull(timeout, "timeout"), "putAsync(timeout)");
    }

    private CompletableFuture<Void> putAsync(T item, Duration timeout, String op) {
        Objects.requireNonNull(item, "item");
        IOLoop loop = affinity.check();
        if (offer(item)) {
            return CompletableFuture.completedFuture(null);
        }
        Waiter<Void> w = new Waiter<Void>(this, op, item).failAfter(loop, timeout);
        putters.add(w);
        return w;
    }

    /**
     * Puts {@code item} without waiting (Tornado: {@code put_nowait}).
     *
     * @throws QueueFullException if the queue is full
     * @throws IllegalStateException if called from another thread or loop
     * @throws NullPointerException if {@code item} is null
     */
    public void putNowait(T item) {
        Objects.requireNonNull(item, "item");
        affinity.check();
        if (!offer(item)) {
            throw new QueueFullException("putNowait() on a full " + this);
        }
    }

    /**
     * Takes the next item, parking the calling coroutine while the queue is empty (Tornado:
     * {@code await q.get()}). Returns at once if an item is there. Waiting getters are served in
     * FIFO order. If the coroutine is cancelled while waiting, throws
     * {@link CancellationException} and no item is lost: one that had just been handed to it
     * goes to the next getter or back to the front of the queue.
     *
     * @throws CancellationException if the calling coroutine is cancelled while waiting
     * @throws IllegalStateException if it must wait and the caller is not a coroutine of the
     *     owning loop, or if called from another thread or loop
     */
    public T get() {
        return get(null, "get()");
    }

    /**
     * Like {@link #get()}, giving up after {@code timeout}.
     *
     * @throws TimeoutException if no item came within {@code timeout}
     * @throws IllegalArgumentException if {@code timeout} is negative
     */
    public T get(Duration timeout) {
        return get(Objects.requireNonNull(timeout, "timeout"), "get(timeout)");
    }

    private T get(Duration timeout, String op) {
        IOLoop loop = affinity.check();
        T item = take();
        if (item != null) {
            return item;
        }
        affinity.requireCoroutine(loop, op);
        Waiter<T> w = new Waiter<T>(this, op, null).failAfter(loop, timeout);
        getters.add(w);
        return w.park(this::giveBack);
    }

    /**
     * A future completed with the next item: at once if one is there. Cancelling the future
     * before then withdraws it from the line (an item it already got stays in the future).
     *
     * @throws IllegalStateException if called from another thread or loop
     */
    public CompletableFuture<T> getAsync() {
        return getAsync(null, "getAsync()");
    }

    /**
     * Like {@link #getAsync()}; the future fails with {@link TimeoutException} if no item came
     * within {@code timeout}.
     *
     * @throws IllegalArgumentException if {@code timeout} is negative
     */
    public CompletableFuture<T> getAsync(Duration timeout) {
        return getAsync(Objects.requireNonNull(timeout, "timeout"), "getAsync(timeout)");
    }

    private CompletableFuture<T> getAsync(Duration timeout, String op) {
        IOLoop loop = affinity.check();
        T item = take();
        if (item != null) {
            return CompletableFuture.completedFuture(item);
        }
        Waiter<T> w = new Waiter<T>(this, op, null).failAfter(loop, timeout);
        getters.add(w);
        return w;
    }

    /**
     * Takes the next item without waiting (Tornado: {@code get_nowait}).
     *
     * @throws QueueEmptyException if the queue is empty
     * @throws IllegalStateException if called from another thread or loop
     */
    public T getNowait() {
        affinity.check();
        T item = take();
        if (item == null) {
            throw new QueueEmptyException("getNowait() on an empty " + this);
        }
        return item;
    }

    /**
     * Says that an item taken from the queue has been processed (Tornado: {@code task_done}).
     * When every item put has been processed, {@link #join()} returns.
     *
     * @throws IllegalStateException if called more times than items were put (Tornado:
     *     {@code ValueError}), or from another thread or loop
     */
    public void taskDone() {
        affinity.check();
        if (unfinished <= 0) {
            throw new IllegalStateException("taskDone() called more times than items were put into " + this
                    + "; call it once per item taken");
        }
        if (--unfinished == 0) {
            while (joiners.serve(null) != null) {
                // Wakes every joiner.
            }
        }
    }

    /**
     * Parks the calling coroutine until {@link #taskDone()} has been called for every item put
     * (Tornado: {@code await q.join()}); returns at once if none is unfinished. If the coroutine
     * is cancelled while waiting, throws {@link CancellationException}.
     *
     * @throws CancellationException if the calling coroutine is cancelled while waiting
     * @throws IllegalStateException if it must wait and the caller is not a coroutine of the
     *     owning loop, or if called from another thread or loop
     */
    public void join() {
        join(null, "join()");
    }

    /**
     * Like {@link #join()}, giving up after {@code timeout}.
     *
     * @throws TimeoutException if items were still unfinished after {@code timeout}
     * @throws IllegalArgumentException if {@code timeout} is negative
     */
    public void join(Duration timeout) {
        join(Objects.requireNonNull(timeout, "timeout"), "join(timeout)");
    }

    private void join(Duration timeout, String op) {
        IOLoop loop = affinity.check();
        if (unfinished == 0) {
            return;
        }
        affinity.requireCoroutine(loop, op);
        Waiter<Void> w = new Waiter<Void>(this, op, null).failAfter(loop, timeout);
        joiners.add(w);
        w.park(null);
    }

    /**
     * A future completed when every item put has been processed: at once if none is unfinished.
     *
     * @throws IllegalStateException if called from another thread or loop
     */
    public CompletableFuture<Void> joinAsync() {
        return joinAsync(null, "joinAsync()");
    }

    /**
     * Like {@link #joinAsync()}; the future fails with {@link TimeoutException} if items were
     * still unfinished after {@code timeout}.
     *
     * @throws IllegalArgumentException if {@code timeout} is negative
     */
    public CompletableFuture<Void> joinAsync(Duration timeout) {
        return joinAsync(Objects.requireNonNull(timeout, "timeout"), "joinAsync(timeout)");
    }

    private CompletableFuture<Void> joinAsync(Duration timeout, String op) {
        IOLoop loop = affinity.check();
        if (unfinished == 0) {
            return CompletableFuture.completedFuture(null);
        }
        Waiter<Void> w = new Waiter<Void>(this, op, null).failAfter(loop, timeout);
        joiners.add(w);
        return w;
    }

    /** Puts without waiting: to the oldest getter, else into the storage if there is room. */
    private boolean offer(T item) {
        if (getters.hasLive() && getters.serve(item) != null) {
            unfinished++;
            return true;
        }
        if (maxSize > 0 && items.size() >= maxSize) {
            return false;
        }
        unfinished++;
        items.add(item);
        return true;
    }

    /** Takes without waiting: admits the oldest putter's item, then polls; null if empty. */
    private T take() {
        if (putters.hasLive()) {
            Waiter<Void> p = putters.serve(null);
            if (p != null) {
                @SuppressWarnings("unchecked")
                T item = (T) p.item;
                unfinished++;
                items.add(item);
            }
        }
        return items.poll();
    }

    /** An item handed to a getter cancelled before it resumed: to the next getter, or back in front. */
    private void giveBack(T item) {
        if (!(getters.hasLive() && getters.serve(item) != null)) {
            items.putBack(item);
        }
    }

    /**
     * {@code Queue[maxSize=2, size=2, getters=0, putters=1, unfinished=3]}; callable from any
     * thread.
     */
    @Override
    public String toString() {
        return getClass().getSimpleName() + "[maxSize=" + maxSize + ", size=" + items.size() + ", getters="
                + getters.size() + ", putters=" + putters.size() + ", unfinished=" + unfinished + "]";
    }
}
