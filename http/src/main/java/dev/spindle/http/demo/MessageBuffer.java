package dev.spindle.http.demo;

import static dev.spindle.runtime.Coroutines.await;

import dev.spindle.runtime.IOLoop;
import dev.spindle.runtime.TimerHandle;
import dev.spindle.runtime.sync.Condition;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The chat's memory: the last {@code capacity} messages, and the long polls waiting for the
 * next one (Tornado's chat demo: {@code MessageBuffer}). Waiters park on a {@link Condition}
 * that every new message signals; each parked waiter is a parked coroutine, nothing more.
 *
 * <p><b>Loop-confined:</b> call only from a coroutine or callback of the owning
 * {@link IOLoop} (the one that first uses it). {@link #toString()} may be called from any thread.
 */
/*
 * Implementation notes: messages live in a ring indexed by their sequence number; an id is a
 * random per-buffer prefix and the sequence number, so a cursor is found by arithmetic, and a
 * cursor from another run of the server (another prefix) counts as unknown: the whole buffer.
 */
final class MessageBuffer {
    private final Message[] ring;
    /** The id prefix of this buffer, e.g. {@code 5d2c9a41e07b33f0-}. */
    private final String prefix;
    /** Signalled, all waiters at once, by every new message. */
    private final Condition changed = Condition.create();
    /** Watchers of the waiter count: a count to reach and the future to complete then. Loop-confined. */
    private final List<Watch> watches = new ArrayList<>(0);
    /** The sequence number of the newest message; 0 before the first. Loop-confined. */
    private long last;
    /** Messages held, at most {@code ring.length}. Loop-confined. */
    private int size;
    /** Long polls parked in {@link #awaitNewer}. Loop-confined; volatile for toString. */
    private volatile int waiters;

    private record Watch(int count, CompletableFuture<Void> reached) {}

    /**
     * A buffer of the last {@code capacity} messages.
     *
     * @throws IllegalArgumentException if {@code capacity < 1}
     */
    MessageBuffer(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity < 1: " + capacity);
        }
        this.ring = new Message[capacity];
        this.prefix = String.format("%016x-", ThreadLocalRandom.current().nextLong());
    }

    /** Adds a message with a new id, drops the oldest beyond the capacity, and wakes every waiter. */
    Message add(String body) {
        Objects.requireNonNull(body, "body");
        long seq = ++last;
        Message m = Message.of(prefix + seq, body);
        ring[(int) (seq % ring.length)] = m;
        size = Math.min(size + 1, ring.length);
        changed.signalAll();
        return m;
    }

    /**
     * The messages newer than {@code cursor}, oldest first (Tornado: {@code get_messages_since}).
     * A null, unknown or evicted cursor gets the whole buffer.
     */
    List<Message> since(String cursor) {
        long first = last - size + 1;
        long from = first;
        if (cursor != null && cursor.startsWith(prefix)) {
            try {
                long seq = Long.parseLong(cursor, prefix.length(), cursor.length(), 10);
                if (seq >= first && seq <= last) {
                    from = seq + 1;
                }
            } catch (NumberFormatException e) {
                // Not one of ours: the whole buffer, as for any unknown cursor.
            }
        }
        List<Message> out = new ArrayList<>((int) (last - from + 1));
        for (long s = from; s <= last; s++) {
            out.add(ring[(int) (s % ring.length)]);
        }
        return out;
    }

    /**
     * Parks the calling coroutine until there are messages newer than {@code cursor}, for at
     * most {@code maxWait}, or until {@code gone} completes (the client went away).
     *
     * <p><b>Suspension:</b> waiters are woken all at once by the next message. If the coroutine
     * is cancelled, throws {@link java.util.concurrent.CancellationException} and leaves the line.
     *
     * @return the newer messages; empty if {@code maxWait} passed first; null if {@code gone}
     *     completed first
     */
    List<Message> awaitNewer(String cursor, Duration maxWait, CompletionStage<?> gone) {
        IOLoop loop = IOLoop.current();
        long deadline = loop.time() + maxWait.toNanos();
        count(+1);
        try {
            List<Message> newer;
            while ((newer = since(cursor)).isEmpty()) {
                long left = deadline - loop.time();
                if (left <= 0) {
                    break;
                } else if (awaitChange(loop, left, gone) == null) {
                    return null;
                }
            }
            return newer;
        } finally {
            count(-1);
        }
    }

    /** True when signalled, false when {@code nanos} passed, null when {@code gone} completed. */
    private Boolean awaitChange(IOLoop loop, long nanos, CompletionStage<?> gone) {
        CompletableFuture<Boolean> change = changed.awaitAsync();
        TimerHandle timer = loop.callLater(Duration.ofNanos(nanos), () -> change.complete(false));
        gone.whenComplete((v, e) -> change.complete(null));
        try {
            return await(change);
        } finally {
            timer.cancel();
            change.complete(null); // Leaves the line if the coroutine was cancelled.
        }
    }

    private void count(int delta) {
        waiters += delta;
        for (Iterator<Watch> it = watches.iterator(); it.hasNext(); ) {
            Watch w = it.next();
            if (w.count == waiters) {
                it.remove();
                w.reached.complete(null);
            }
        }
    }

    /** Long polls parked now. */
    int waiters() {
        return waiters;
    }

    /** Messages held now. */
    int size() {
        return size;
    }

    /** A future completed when {@link #waiters()} is {@code count}: at once if it is. For tests and tools. */
    CompletableFuture<Void> whenWaiters(int count) {
        if (count < 0) {
            throw new IllegalArgumentException("count < 0: " + count);
        } else if (waiters == count) {
            return CompletableFuture.completedFuture(null);
        }
        CompletableFuture<Void> f = new CompletableFuture<>();
        watches.add(new Watch(count, f));
        return f;
    }

    /** Returns e.g. {@code MessageBuffer[12 of 200 messages, waiters=3]}. */
    @Override
    public String toString() {
        return "MessageBuffer[" + size + " of " + ring.length + " messages, waiters=" + waiters + "]";
    }
}
