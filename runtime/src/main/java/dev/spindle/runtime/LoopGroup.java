package dev.spindle.runtime;

import static dev.spindle.runtime.Coroutines.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A fixed set of {@link IOLoop}s, one per core by default, each run by a platform thread of its
 * own: how one process uses more than one core (Netty's {@code EventLoopGroup}, Vert.x's event
 * loops; Tornado forks processes instead). A server spreads its connections over the loops, a
 * client runs each fetch on the caller's loop, and everything of one connection stays on one
 * loop, so connection state still needs no locks.
 *
 * {@snippet :
 * try (LoopGroup group = LoopGroup.create()) {             // one loop per core
 *     HttpServer.create(group).get("/", (rq, rs) -> rs.send("hi")).listen(8888);
 *     group.start();                                        // a thread per loop
 *     ...
 * }
 * }
 *
 * <p><b>Thread-safe:</b> may be called from any thread. The loops themselves keep their own
 * rules: each is loop-confined to its thread, and coroutines of different loops talk only
 * through futures and {@link IOLoop#execute}; a coroutine that awaits a future another loop
 * completes resumes on its own loop. State shared across the loops of a group must be
 * thread-safe (a {@code ConcurrentHashMap}, an atomic, a lock of {@code java.util.concurrent});
 * the locks and queues of {@code dev.spindle.runtime.sync} belong to one loop each.
 *
 * <p><b>Lifecycle:</b> {@link #start()} starts the threads (named {@code spindle-group-N-loop-i},
 * not daemons: a server's process lives while its group runs); {@link #stop()} stops them and
 * waits until they returned; {@link #close()} closes every loop as {@link IOLoop#close()} does:
 * coroutines still alive are cancelled and their {@code finally} blocks run on their loops. A
 * group runs once: a loop is bound to the first thread that runs it, so a stopped group cannot
 * start again (its loops can still be closed).
 *
 * @since 0.2
 */
public final class LoopGroup implements AutoCloseable {
    private static final AtomicInteger IDS = new AtomicInteger();
    /** How long {@link #stop()} waits for each loop's thread. */
    private static final Duration JOIN = Duration.ofSeconds(30);

    private final String name;
    private final List<IOLoop> loops;
    /** The next loop {@link #next()} hands out, modulo the size. Any thread. */
    private final AtomicInteger cursor = new AtomicInteger();
    /** The threads running the loops; empty before start and after stop. Guarded by this. */
    private final List<Thread> threads = new ArrayList<>();
    /** Whether {@link #start()} was called. Guarded by this. */
    private boolean started;
    /** Guarded by this. */
    private boolean closed;

    private LoopGroup(int n) {
        this.name = "spindle-group-" + IDS.incrementAndGet();
        List<IOLoop> made = new ArrayList<>(n);
        try {
            for (int i = 0; i < n; i++) {
                made.add(IOLoop.create());
            }
        } catch (RuntimeException e) {
            made.forEach(IOLoop::close);
            throw e;
        }
        this.loops = List.copyOf(made);
    }

    /** A group of one loop per available processor ({@link Runtime#availableProcessors()}). */
    public static LoopGroup create() {
        return create(Runtime.getRuntime().availableProcessors());
    }

    /**
     * A group of {@code n} loops, not running yet.
     *
     * @throws IllegalArgumentException if {@code n < 1}
     * @throws IllegalStateException if the JVM lacks the {@code --add-opens} flag (see {@link IOLoop#create()})
     */
    public static LoopGroup create(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("a group needs at least one loop: " + n);
        }
        return new LoopGroup(n);
    }

    /** The group's name, e.g. {@code spindle-group-1}; its threads are named after it. */
    public String name() {
        return name;
    }

    /** The loops, in order; unmodifiable. */
    public List<IOLoop> loops() {
        return loops;
    }

    /** The number of loops. */
    public int size() {
        return loops.size();
    }

    /** The next loop, round robin: where to put the next connection or piece of work. */
    public IOLoop next() {
        return loops.get(Math.floorMod(cursor.getAndIncrement(), loops.size()));
    }

    /**
     * Starts a platform thread per loop, each running its loop until {@link #stop()} or
     * {@link #close()}. Returns at once.
     *
     * @throws IllegalStateException if the group was started before, or is closed
     */
    public synchronized void start() {
        if (closed) {
            throw new IllegalStateException(name + " is closed: create a new LoopGroup");
        } else if (started) {
            throw new IllegalStateException(name + (threads.isEmpty() ? " was stopped: a loop runs on one thread for its"
                    + " whole life, so create a new LoopGroup" : " is already running"));
        }
        started = true;
        for (int i = 0; i < loops.size(); i++) {
            IOLoop loop = loops.get(i);
            threads.add(Thread.ofPlatform().name(name + "-loop-" + i).start(loop::start));
        }
    }

    /** Whether {@link #start()} started the threads and {@link #stop()} has not stopped them. */
    public synchronized boolean isRunning() {
        return !threads.isEmpty();
    }

    /**
     * Stops every loop and waits until its thread returned. Does nothing if it is not running. Must not be called from one of the group's loops (that
     * thread would wait for itself).
     *
     * @throws IllegalStateException if called on a loop of the group
     */
    public synchronized void stop() {
        checkNotOnALoop("stop");
        loops.forEach(IOLoop::stop);
        joinThreads();
    }

    /**
     * Runs {@code body} as a coroutine on the next loop and blocks the calling thread until it
     * ends, starting the group first if it was never started (Tornado: {@code run_sync}, for a
     * main thread). The group keeps running afterwards.
     *
     * @return the coroutine's value; its failure is thrown unchanged
     * @throws IllegalStateException if called on a loop of the group, or the group was stopped or closed
     */
    public <T> T runSync(Callable<T> body) {
        Objects.requireNonNull(body, "body");
        checkNotOnALoop("runSync");
        synchronized (this) {
            if (!started) {
                start();
            } else if (threads.isEmpty()) {
                throw new IllegalStateException(name + (closed ? " is closed" : " was stopped") + ": nothing runs body");
            }
        }
        CompletableFuture<T> f = next().spawn(body);
        return await(f);
    }

    /**
     * Closes every loop (see {@link IOLoop#close()}): the coroutines still alive are cancelled and
     * their {@code finally} blocks run on their loops; then the threads end. Idempotent.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        checkNotOnALoop("close");
        loops.forEach(IOLoop::close); // Each stops its loop and closes it on the loop's own thread.
        joinThreads();
        loops.forEach(IOLoop::close); // Loops that were not running close here.
    }

    /** Whether {@link #close()} was called. */
    public synchronized boolean isClosed() {
        return closed;
    }

    private void joinThreads() {
        for (Thread t : threads) {
            try {
                t.join(JOIN);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        threads.clear();
    }

    private void checkNotOnALoop(String what) {
        for (IOLoop loop : loops) {
            if (loop.inLoop()) {
                throw new IllegalStateException(what + "() called on " + loop.name() + " of " + name
                        + ": it would wait for its own thread; call it from a thread outside the group");
            }
        }
    }

    /** Returns e.g. {@code LoopGroup[spindle-group-1, 2 loops, running]}. */
    @Override
    public synchronized String toString() {
        return "LoopGroup[" + name + ", " + loops.size() + (loops.size() == 1 ? " loop, " : " loops, ")
                + (closed ? "closed" : threads.isEmpty() ? "stopped" : "running") + "]";
    }
}
