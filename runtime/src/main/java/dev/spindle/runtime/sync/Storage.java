package dev.spindle.runtime.sync;

import java.util.ArrayDeque;
import java.util.Comparator;

/**
 * Where a {@link Queue} keeps its items, in the order {@code get} returns them (Tornado: the
 * {@code _init}, {@code _put} and {@code _get} that {@code PriorityQueue} and {@code LifoQueue}
 * override).
 *
 * <p><b>Loop-confined</b>, like the queue that owns it.
 */
interface Storage<T> {
    void add(T item);

    /** The next item, or null when empty. */
    T poll();

    /** Returns an item taken by {@link #poll()} so that it is the next one polled again. */
    void putBack(T item);

    int size();

    /** First in, first out. */
    static <T> Storage<T> fifo() {
        ArrayDeque<T> items = new ArrayDeque<>();
        return new Storage<>() {
            @Override public void add(T item) { items.addLast(item); }
            @Override public T poll() { return items.pollFirst(); }
            @Override public void putBack(T item) { items.addFirst(item); }
            @Override public int size() { return items.size(); }
        };
    }

    /** Last in, first out. */
    static <T> Storage<T> lifo() {
        ArrayDeque<T> items = new ArrayDeque<>();
        return new Storage<>() {
            @Override public void add(T item) { items.addFirst(item); }
            @Override public T poll() { return items.pollFirst(); }
            @Override public void putBack(T item) { items.addFirst(item); }
            @Override public int size() { return items.size(); }
        };
    }

    /** Least first, by {@code order} (null: natural order); equal items in no fixed order. */
    static <T> Storage<T> priority(Comparator<? super T> order) {
        java.util.PriorityQueue<T> items = new java.util.PriorityQueue<>(order);
        return new Storage<>() {
            @Override public void add(T item) { items.add(item); }
            @Override public T poll() { return items.poll(); }
            @Override public void putBack(T item) { items.add(item); }
            @Override public int size() { return items.size(); }
        };
    }
}
