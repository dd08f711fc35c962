package dev.spindle.runtime;

import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadFactory;

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
    /** Live coroutines. Any thread adds; each coroutine removes itself. */
    private final Set<Coroutine<?>> live = ConcurrentHashMap.newKeySet();
    private final ThreadFactory threads;
    private final LoopLifecycle lifecycle;

    /**
     * @param loopName names the virtual threads {@code <loopName>-coroutine-1}, {@code -2}, ...
     * @param scheduler where the virtual threads' continuations go
     */
    CoroutineRegistry(String loopName, Executor scheduler, LoopLifecycle lifecycle) {
        this.threads = VirtualThreads.builder(scheduler).name(loopName + "-coroutine-", 1).factory();
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
        Coroutine<T> c = new Coroutine<>(loop, body);
        Thread t = threads.newThread(c);
        if (threadName != null) {
            t.setName(threadName);
        }
        c.thread = t;
        live.add(c);
        t.start();
        return c;
    }

    /** Called by a coroutine whose body has ended. */
    void ended(Coroutine<?> c) {
        live.remove(c);
    }

    /** The live coroutines now. */
    List<Coroutine<?>> snapshot() {
        return List.copyOf(live);
    }

    int size() {
        return live.size();
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
