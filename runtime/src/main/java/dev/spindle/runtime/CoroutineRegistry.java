package dev.spindle.runtime;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The live coroutines of one {@link IOLoop}, from spawn until their body ends: it starts them as
 * virtual threads scheduled by the loop, cancels them when the loop closes, and knows which of
 * them a closing loop still waits for.
 *
 * <p><b>Thread-safe:</b> any thread may start a coroutine; a coroutine removes itself when its
 * body ends.
 */
/*
 * Implementation notes: what happens to a coroutine that outlives its loop is not decided here
 * but by where its continuation goes. The virtual threads are built with the loop's continuation
 * entry (LoopScheduler.continuation) as their scheduler, which hands continuations to
 * SharedExecutors.orphans() once the loop is closed, so a coroutine that ignored cancellation
 * still runs to its end when what it awaits completes (DESIGN pitfall 5).
 */
final class CoroutineRegistry {
    /**
     * Live coroutines in start order, linked through their own {@code previous} and {@code next}
     * fields (no node per coroutine). Any thread adds; each coroutine removes itself. Guarded by
     * {@code this}.
     */
    private Coroutine<?> first;
    private Coroutine<?> last;
    /** How many are linked. Guarded by {@code this}. */
    private int count;
    /** Where the virtual threads' continuations go. */
    private final Executor scheduler;
    /** The start of every coroutine thread's name. */
    private final String namePrefix;
    /** The number in the next coroutine thread's name. */
    private final AtomicLong nextNumber = new AtomicLong(1);
    private final LoopLifecycle lifecycle;

    /**
     * @param loopName names the virtual threads {@code <loopName>-coroutine-1}, {@code -2}, ...
     * @param scheduler where the virtual threads' continuations go
     */
    CoroutineRegistry(String loopName, Executor scheduler, LoopLifecycle lifecycle) {
        VirtualThreads.checkAvailable();
        this.scheduler = scheduler;
        this.namePrefix = loopName + "-coroutine-";
        this.lifecycle = lifecycle;
    }

    /** {@link IOLoop#spawn(String, Callable)}: starts a coroutine, unless the loop is closed. */
    <T> Coroutine<T> spawn(IOLoop loop, Callable<T> body, String threadName) {
        Objects.requireNonNull(body, "body");
        lifecycle.checkOpen("cannot spawn a coroutine on it");
        return start(loop, body, threadName);
    }

    /** Starts {@code body} as a coroutine of {@code loop}; it first runs when the loop schedules it. */
    <T> Coroutine<T> start(IOLoop loop, Callable<T> body, String threadName) {
        Coroutine<T> c = new Coroutine<>(loop, body, scheduler);
        // The coroutine is its thread's scheduler, which forwards to the loop's: see Coroutine.CURRENT.
        long number = nextNumber.getAndIncrement(); // Taken by named ones too, as a thread builder's factory does.
        Thread t = VirtualThreads.newThread(c, threadName != null ? threadName : namePrefix + number, c);
        c.thread = t;
        link(c);
        t.start();
        return c;
    }

    private synchronized void link(Coroutine<?> c) {
        c.previous = last;
        if (last == null) {
            first = c;
        } else {
            last.next = c;
        }
        last = c;
        count++;
    }

    /** Called by a coroutine whose body has ended. */
    synchronized void ended(Coroutine<?> c) {
        if (c.previous == null && first != c) {
            return; // Not linked.
        }
        if (c.previous == null) {
            first = c.next;
        } else {
            c.previous.next = c.next;
        }
        if (c.next == null) {
            last = c.previous;
        } else {
            c.next.previous = c.previous;
        }
        c.previous = null;
        c.next = null;
        count--;
    }

    /** The live coroutines now, oldest first. */
    synchronized List<Coroutine<?>> snapshot() {
        List<Coroutine<?>> all = new ArrayList<>(count);
        for (Coroutine<?> c = first; c != null; c = c.next) {
            all.add(c);
        }
        return all;
    }

    synchronized int size() {
        return count;
    }

    /** Cancels every live coroutine (their pending await throws) and returns them. */
    List<Coroutine<?>> cancelAll() {
        List<Coroutine<?>> alive = snapshot();
        for (Coroutine<?> c : alive) {
            c.cancel(true);
        }
        return alive;
    }

    /** Whether every one of {@code which} has finished its body. */
    static boolean allFinished(List<Coroutine<?>> which) {
        for (Coroutine<?> c : which) {
            if (!c.finished) {
                return false;
            }
        }
        return true;
    }
}
