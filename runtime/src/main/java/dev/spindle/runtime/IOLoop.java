package dev.spindle.runtime;

import dev.spindle.runtime.internal.Durations;
import dev.spindle.runtime.internal.Log;
import java.io.UncheckedIOException;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An event loop: one platform thread runs an NIO selector, timers and callbacks, and is the
 * only carrier of the loop's coroutines (Tornado: {@code tornado.ioloop.IOLoop}).
 *
 * {@snippet :
 * IOLoop loop = IOLoop.create();
 * String body = loop.runSync(() -> {
 *     CompletableFuture<String> f = spawn(() -> fetchTitle(url));
 *     sleep(Duration.ofMillis(10));
 *     return await(f);
 * });
 * }
 *
 * <p><b>Loop-confined:</b> call only from a coroutine or callback of this loop, except the
 * methods marked thread-safe: {@link #execute}, {@link #stop}, {@link #spawn},
 * {@link #callLater}, {@link #callAt}, {@link #runInExecutor}, {@link #close}, {@link #time},
 * {@link #inLoop} and the accessors. Actions of a thread before it calls a thread-safe method
 * happen-before the resulting task runs on the loop.
 *
 * <p>A loop is bound to the first thread that runs it ({@link #runSync} or {@link #start}) and
 * runs only there for its whole life. Each iteration runs the callbacks that were ready when it
 * began, fires due timers, selects (without blocking if callbacks are ready, otherwise until the
 * next timer) and hands ready keys to their {@link IoHandler}s. An exception thrown by a callback,
 * timer or handler is logged ({@code spindle.application}) and the loop goes on.
 *
 * <p><b>Closing.</b> {@link #close()} cancels every coroutine still alive: its pending
 * {@code await} throws {@link java.util.concurrent.CancellationException} and its {@code finally}
 * blocks run, on the loop when {@code close()} is called on the loop's thread. A coroutine still
 * alive after that (one that ignores cancellation) is moved to a fallback daemon thread, so no
 * thread that waits for it hangs because its loop is gone. Callbacks still queued are dropped.
 */
/*
 * Implementation notes:
 *
 * IOLoop is the public face; the work is done by package-private collaborators, each testable
 * alone: CallbackQueue (ready callbacks and the wake-up handshake), TimerQueue (the timer heap),
 * the selector here, Coroutine (virtual thread + future), UnobservedFailures, BlockingDetector
 * (the blocked-loop detector's per-loop half; Watchdog is the shared half), CoroutineDump and
 * LoopMXBeans (the JMX view).
 *
 *   NEW --runSync/start--> RUNNING --returns--> IDLE --runSync/start--> RUNNING ...
 *    |                        |                  |
 *    +--------close()---------+--(after run)-----+--> CLOSED
 */
public final class IOLoop implements AutoCloseable {
    private static final AtomicInteger IDS = new AtomicInteger();
    /** The loop a carrier runs, set on the carrier while it runs the loop; see currentOrNull(). */
    static final ThreadLocal<IOLoop> CURRENT = new ThreadLocal<>();
    /** The current coroutine; set in coroutine threads only. */
    static final ThreadLocal<Coroutine<?>> COROUTINE = new ThreadLocal<>();
    private static final Duration CLOSE_GRACE = Duration.ofSeconds(2);

    private enum State { NEW, RUNNING, IDLE, CLOSED }

    private final String name;
    private final SelectorDriver selector;
    private final CallbackQueue callbacks;
    private final TimerQueue timers = new TimerQueue();
    private final ThreadFactory coroutineFactory;
    private final UnobservedFailures failures = new UnobservedFailures();
    /** Marks task boundaries for the blocked-loop detector. */
    private final BlockingDetector detector = new BlockingDetector(this);
    /** Live coroutines, from spawn until their body ends. Any thread adds; the coroutine removes. */
    private final Set<Coroutine<?>> coroutines = ConcurrentHashMap.newKeySet();
    /** Guards state transitions of run and close; never held while running tasks. */
    private final Object runLock = new Object();
    private final CountDownLatch closed = new CountDownLatch(1);
    /** Completed, normally, at the end of closeNow(); see closeFuture(). */
    private final CompletableFuture<Void> closeFuture = new CompletableFuture<>();
    /** Scratch list for due timers. Loop-confined. */
    private final List<Runnable> due = new ArrayList<>();
    /** The thread that runs this loop, fixed by the first run. Written under runLock. */
    private volatile Thread carrier;
    /** Written under runLock, read anywhere. */
    private volatile State state = State.NEW;
    /** Set by stop(), cleared when a run returns. */
    private volatile boolean stopRequested;
    /** close() was called while running: the run closes the loop as it returns. Under runLock. */
    private boolean closeRequested;
    /** The coroutine a runSync waits for; the loop does not sleep once it is done. Loop-confined. */
    private Coroutine<?> until;
    /** The coroutines drain() waits for; the loop does not sleep once all have finished. Loop-confined. */
    private List<Coroutine<?>> draining;

    private IOLoop() {
        VirtualThreads.checkAvailable();
        this.name = "IOLoop-" + IDS.incrementAndGet();
        this.selector = new SelectorDriver(name, detector);
        this.callbacks = new CallbackQueue(selector::wakeup);
        this.coroutineFactory = VirtualThreads.builder(this::schedule).name(name + "-coroutine-", 1).factory();
        LoopMXBeans.register(this);
    }

    /**
     * Creates a loop. It runs when a thread calls {@link #runSync} or {@link #start}.
     *
     * <p><b>Thread-safe:</b> may be called from any thread.
     *
     * @throws IllegalStateException if the JVM lacks {@code --add-opens java.base/java.lang=ALL-UNNAMED}
     *     (Spindle on the class path) or {@code --add-opens java.base/java.lang=dev.spindle.runtime}
     *     (on the module path); the message gives both and says where to put the flag
     * @throws UncheckedIOException if no selector can be opened
     */
    public static IOLoop create() {
        return new IOLoop();
    }

    /**
     * The loop of the calling coroutine or callback (Tornado: {@code IOLoop.current()}).
     *
     * @throws IllegalStateException when called outside any loop's coroutine or callback
     */
    public static IOLoop current() {
        IOLoop loop = currentOrNull();
        if (loop == null) {
            throw new IllegalStateException("IOLoop.current() called outside any loop: it works only in a"
                    + " coroutine or callback of a running IOLoop; pass the loop explicitly instead");
        }
        return loop;
    }

    /**
     * The loop of the calling coroutine or callback, or null outside any loop (Tornado:
     * {@code IOLoop.current(instance=False)}).
     *
     * <p><b>Thread-safe.</b>
     */
    public static IOLoop currentOrNull() {
        Coroutine<?> c = COROUTINE.get();
        return c != null ? c.loop : CURRENT.get();
    }

    /** This loop's name, e.g. {@code IOLoop-3}; coroutine threads are named after it. */
    public String name() {
        return name;
    }

    /**
     * The loop's clock: monotonic nanoseconds, the scale of {@link #callAt} and
     * {@link TimerHandle#deadline()} (Tornado: {@code IOLoop.time()}).
     *
     * <p><b>Thread-safe.</b>
     */
    public long time() {
        return System.nanoTime();
    }

    /**
     * Whether the caller runs on this loop's carrier: in a coroutine or callback of this loop.
     *
     * <p><b>Thread-safe.</b>
     */
    public boolean inLoop() {
        Thread c = carrier;
        return c != null && state != State.CLOSED && VirtualThreads.currentCarrier() == c;
    }

    /**
     * Throws unless the caller may touch this loop's loop-confined state: it runs on the loop, or
     * the loop is not running (set-up before {@code runSync}/{@code start}).
     *
     * @throws IllegalStateException naming the fix, when called from another thread while the loop runs
     */
    public void checkInLoop() {
        if (state == State.RUNNING && !inLoop()) {
            throw new IllegalStateException("called from thread '" + Thread.currentThread().getName()
                    + "' while " + name + " runs on '" + carrier.getName() + "'; hand the call to the loop"
                    + " with loop.execute(...) or do it in one of the loop's coroutines");
        }
    }

    /**
     * Runs {@code body} as a coroutine on this loop, driving the loop on the calling thread until
     * the coroutine ends (Tornado: {@code IOLoop.run_sync}).
     *
     * @return the coroutine's value
     * @throws IllegalStateException if the loop is closed or already running, if the caller is a
     *     virtual thread (a coroutine cannot run a loop: await instead), or if the loop is bound to
     *     another thread or {@link #stop()} ended it before the coroutine did
     * @throws NullPointerException if {@code body} is null
     * @see #runSync(Callable, Duration)
     */
    public <T> T runSync(Callable<T> body) {
        return runSync(body, null);
    }

    /**
     * Like {@link #runSync(Callable)}, but cancels the coroutine if it has not finished within
     * {@code timeout}: its pending {@code await} throws {@code CancellationException}, its
     * {@code finally} blocks run, then this method throws {@link TimeoutException}. The loop is
     * left stopped and ready to run again.
     *
     * @param timeout positive, or null for none
     * @throws TimeoutException if the coroutine did not finish in time
     * @throws IllegalArgumentException if {@code timeout} is zero or negative
     */
    public <T> T runSync(Callable<T> body, Duration timeout) {
        Objects.requireNonNull(body, "body");
        if (timeout != null) {
            Durations.requirePositive(timeout, "timeout");
        }
        enter("runSync");
        Coroutine<T> c;
        boolean[] timedOut = {false};
        try {
            stopRequested = false;
            c = newCoroutine(body, null);
            until = c;
            TimerHandle timer = timeout == null ? null
                    : timers.schedule(time() + Durations.toNanos(timeout), () -> {
                        timedOut[0] = true;
                        c.cancel(true);
                    });
            loop();
            if (timer != null) {
                timer.cancel();
            }
            if (!c.isDone() || timedOut[0]) {
                c.cancel(true);
                drain(List.of(c));
                if (timedOut[0]) {
                    throw new TimeoutException("runSync did not finish within " + timeout + " on " + name);
                }
                throw new IllegalStateException(name + " was stopped before runSync's coroutine finished");
            }
        } finally {
            until = null;
            exit();
        }
        return Coroutines.outcome(c);
    }

    /**
     * Runs the loop on the calling thread until {@link #stop()} (Tornado: {@code IOLoop.start}).
     * If {@code stop()} was called while the loop was not running, returns at once.
     *
     * @throws IllegalStateException if the loop is closed, already running, bound to another
     *     thread, or the caller is a virtual thread
     */
    public void start() {
        enter("start");
        try {
            loop();
        } finally {
            exit();
        }
    }

    /**
     * Makes the running {@link #start()} or {@link #runSync} return after the current iteration.
     *
     * <p><b>Thread-safe.</b> Never blocks.
     */
    public void stop() {
        stopRequested = true;
        if (!inLoop()) {
            callbacks.addRemote(() -> { });
        }
    }

    /** Whether a thread is running this loop now. <b>Thread-safe.</b> */
    public boolean isRunning() {
        return state == State.RUNNING;
    }

    /** Whether {@link #close()} has completed. <b>Thread-safe.</b> */
    public boolean isClosed() {
        return state == State.CLOSED;
    }

    /**
     * A future completed, normally, once {@link #close()} has finished: the coroutines were
     * cancelled and the selector closed. Components that keep resources per loop (a client's pool
     * of idle connections) release them in its dependents, which run on the thread that closed the
     * loop, or at once if it is already closed (Tornado: what {@code IOLoop.close(all_fds=True)}
     * does for the loop's own file descriptors). Each call returns a new dependent future, so
     * completing or cancelling it affects nobody else.
     *
     * <p><b>Thread-safe.</b> Actions of the loop before it closed happen-before the future completes.
     */
    public CompletableFuture<Void> closeFuture() {
        return closeFuture.copy();
    }

    /**
     * Schedules {@code task} to run on the loop in its next iteration (Tornado:
     * {@code IOLoop.add_callback}). Tasks run in the order they were scheduled.
     *
     * <p><b>Thread-safe:</b> may be called from any thread; never blocks, and wakes a sleeping
     * selector at most once per sleep. Actions before {@code execute} happen-before the task runs.
     *
     * @throws IllegalStateException if the loop is closed
     * @throws NullPointerException if {@code task} is null
     */
    public void execute(Runnable task) {
        Objects.requireNonNull(task, "task");
        if (state == State.CLOSED) {
            throw new IllegalStateException(name + " is closed: execute() has no loop to run the task on;"
                    + " create a new IOLoop or check isClosed() first");
        }
        schedule(task);
    }

    /**
     * Runs {@code task} now if the caller may touch this loop's loop-confined state, otherwise
     * schedules it as {@link #execute} does (Netty: {@code inEventLoop() ? run : execute}). The
     * caller may touch that state on the loop itself, and while the loop is not running (set-up
     * before {@link #runSync}/{@link #start}, clean-up after), the rule {@link #checkInLoop()}
     * enforces. This is the one door for handing work to the loop from code that may be called
     * on it or off it.
     *
     * <p><b>Thread-safe.</b> Never blocks. Actions before the call happen-before the task runs.
     * An exception thrown by a task that runs at once propagates to the caller.
     *
     * @return true if the task ran or will run; false if the loop is closed, and then the task
     *     was dropped (nothing could run it)
     * @throws NullPointerException if {@code task} is null
     */
    public boolean runOnLoop(Runnable task) {
        Objects.requireNonNull(task, "task");
        if (state == State.CLOSED) {
            return false;
        } else if (inLoop() || (state != State.RUNNING && carrierOrNone())) {
            task.run();
            return true;
        }
        return tryExecute(task);
    }

    /**
     * Like {@link #execute} but returns false instead of throwing when the loop is closed.
     * <b>Thread-safe.</b>
     */
    boolean tryExecute(Runnable task) {
        if (state == State.CLOSED) {
            return false;
        }
        schedule(task);
        return true;
    }

    /*
     * The scheduler of the loop's virtual threads, called by whoever unparks one: the loop, a
     * JDK poller or unparker thread, any thread completing a future. It never blocks and never
     * throws (DESIGN pitfall 5).
     */
    private void schedule(Runnable task) {
        if (state == State.CLOSED) {
            orphan(task);
        } else if (VirtualThreads.currentCarrier() == carrier) {
            callbacks.addLocal(task);
        } else {
            callbacks.addRemote(task);
            if (state == State.CLOSED && callbacks.removeRemote(task)) {
                orphan(task);
            }
        }
    }

    /**
     * Runs {@code task} after {@code delay} on the loop (Tornado: {@code IOLoop.call_later}).
     *
     * <p><b>Thread-safe.</b>
     *
     * @throws IllegalArgumentException if {@code delay} is negative
     * @throws IllegalStateException if the loop is closed
     */
    public TimerHandle callLater(Duration delay, Runnable task) {
        Durations.requireNonNegative(delay, "delay");
        return callAt(Durations.deadline(time(), delay), task);
    }

    /**
     * Runs {@code task} on the loop at {@code deadline}, in the {@link #time()} scale (Tornado:
     * {@code IOLoop.call_at}). Timers with equal deadlines fire in scheduling order.
     *
     * <p><b>Thread-safe.</b>
     *
     * @throws IllegalStateException if the loop is closed
     */
    public TimerHandle callAt(long deadline, Runnable task) {
        Objects.requireNonNull(task, "task");
        if (state == State.CLOSED) {
            throw new IllegalStateException(name + " is closed: no timer can be scheduled on it");
        }
        if (inLoop() || state != State.RUNNING && carrierOrNone()) {
            return timers.schedule(deadline, task);
        }
        Timer t = timers.create(deadline, task);
        schedule(() -> timers.add(t));
        return t;
    }

    /** Whether the caller is this loop's thread, or no thread is bound yet. */
    private boolean carrierOrNone() {
        Thread c = carrier;
        return c == null || c == Thread.currentThread();
    }

    /**
     * Starts {@code body} as a coroutine of this loop and returns its future at once. The
     * coroutine first runs in a later iteration of the loop. Cancelling the future interrupts
     * the coroutine (see {@link Coroutines#await}).
     *
     * <p><b>Thread-safe.</b>
     *
     * @throws IllegalStateException if the loop is closed
     */
    public <T> CompletableFuture<T> spawn(Callable<T> body) {
        return spawn(null, body);
    }

    /**
     * Like {@link #spawn(Callable)}, naming the coroutine (its thread) for dumps and logs.
     *
     * @param name the coroutine's name, or null for a generated one
     */
    public <T> CompletableFuture<T> spawn(String name, Callable<T> body) {
        Objects.requireNonNull(body, "body");
        if (state == State.CLOSED) {
            throw new IllegalStateException(this.name + " is closed: cannot spawn a coroutine on it");
        }
        return newCoroutine(body, name);
    }

    private <T> Coroutine<T> newCoroutine(Callable<T> body, String threadName) {
        Coroutine<T> c = new Coroutine<>(this, body);
        Thread t = coroutineFactory.newThread(c);
        if (threadName != null) {
            t.setName(threadName);
        }
        c.thread = t;
        coroutines.add(c);
        t.start();
        return c;
    }

    static void enterCoroutine(Coroutine<?> c) {
        // One thread-local per coroutine (its map is part of every idle connection's cost);
        // the loop is found through the coroutine.
        COROUTINE.set(c);
    }

    void coroutineEnded(Coroutine<?> c) {
        coroutines.remove(c);
    }

    UnobservedFailures failures() {
        return failures;
    }

    /** The live coroutines of this loop, for dumps and tests. <b>Thread-safe.</b> */
    List<Coroutine<?>> coroutines() {
        return List.copyOf(coroutines);
    }

    /** The thread that runs this loop, or null before its first run. <b>Thread-safe.</b> */
    Thread carrier() {
        return carrier;
    }

    /**
     * Failures of this loop's coroutines and futures (those of {@code withTimeout}, {@code all},
     * {@code any}, {@code runInExecutor} made on it) that nobody has observed yet: nobody awaited,
     * joined or chained them. Each is logged ({@code spindle.application}) once its future is
     * garbage-collected or the loop closes, if still unobserved then. For tests and health checks.
     *
     * <p><b>Thread-safe.</b>
     */
    public List<Throwable> unobservedFailures() {
        return failures.unobserved();
    }

    /**
     * Snapshots of this loop's live coroutines, oldest first: name, state, what each awaits, and
     * its stack. A best effort, like a thread dump: states may change while they are taken.
     *
     * <p><b>Thread-safe.</b>
     */
    public List<CoroutineInfo> listCoroutines() {
        return CoroutineDump.list(this);
    }

    /**
     * {@link #listCoroutines()} as text, one thread-dump-like block per coroutine. Also an
     * operation of the loop's {@link IOLoopMXBean} ({@code dev.spindle:type=IOLoop,name=...}), for
     * a running process; {@code jcmd <pid> Thread.dump_to_file -format=json <file>} lists the
     * coroutines too, as virtual threads.
     *
     * <p><b>Thread-safe.</b>
     */
    public String dumpCoroutines() {
        return CoroutineDump.dump(this);
    }

    /**
     * Sets the blocked-loop detector's threshold (DESIGN rule 6): when one task (a callback, timer,
     * I/O handler, or a coroutine between two parks) holds the carrier longer than this, a WARNING
     * with the stack of the code holding it is logged on {@code spindle.general}, once per incident,
     * and a {@code dev.spindle.BlockedLoop} JFR event is committed. The default is 100 ms, or the
     * system property {@code spindle.blockingThreshold} ({@code 250ms}, {@code 2s}, {@code PT0.5S},
     * {@code off}). The detector costs the loop two plain stores per task.
     *
     * <p><b>Thread-safe.</b>
     *
     * @param threshold positive, or {@link Duration#ZERO} to turn the detector off for this loop
     * @throws IllegalArgumentException if {@code threshold} is negative
     */
    public void setBlockingThreshold(Duration threshold) {
        detector.threshold(threshold);
    }

    /** The blocked-loop detector's threshold; {@link Duration#ZERO} when off. <b>Thread-safe.</b> */
    public Duration blockingThreshold() {
        return Duration.ofNanos(detector.thresholdNanos());
    }

    /**
     * Runs {@code task} on {@code executor} and returns a future completed on this loop with its
     * outcome (Tornado: {@code IOLoop.run_in_executor}). This is how blocking work (file I/O,
     * CPU-heavy code, native calls) leaves the carrier.
     *
     * <p>A virtual thread started from a coroutine inherits the coroutine's loop as its
     * scheduler (DESIGN pitfall 2), so an executor such as
     * {@code Executors.newVirtualThreadPerTaskExecutor()} would still run the task on this
     * carrier. To prevent that, a call made from a virtual thread hands the task to
     * {@code executor} from a virtual thread of the JDK's default scheduler.
     *
     * <p><b>Thread-safe.</b>
     *
     * @param executor where to run; null for a shared pool of daemon platform threads
     */
    public <T> CompletableFuture<T> runInExecutor(Executor executor, Callable<T> task) {
        Objects.requireNonNull(task, "task");
        Executor target = executor != null ? executor : SharedExecutors.blocking();
        CompletableFuture<T> result = new TrackedFuture<>(failures, "runInExecutor() future on " + name);
        Runnable job = () -> {
            try {
                T value = task.call();
                deliver(() -> result.complete(value));
            } catch (Throwable e) {
                deliver(() -> result.completeExceptionally(e));
            }
        };
        Runnable submit = () -> {
            try {
                target.execute(job);
            } catch (RejectedExecutionException e) {
                deliver(() -> result.completeExceptionally(e));
            }
        };
        if (Thread.currentThread().isVirtual()) {
            VirtualThreads.defaultBuilder().start(submit);
        } else {
            submit.run();
        }
        return result;
    }

    private void deliver(Runnable completion) {
        if (!tryExecute(completion)) {
            completion.run();
        }
    }

    /**
     * Registers {@code channel} with this loop's selector for {@code ops}; {@code handler} runs
     * on the loop when the channel is ready (Tornado: {@code IOLoop.add_handler}). The channel is
     * switched to non-blocking mode.
     *
     * @return the channel's key, whose {@code interestOps} the caller may change on the loop
     * @throws IllegalStateException if called from another thread while the loop runs, or closed
     * @throws IllegalArgumentException if {@code ops} are not valid for the channel
     * @throws UncheckedIOException if the channel cannot be made non-blocking
     */
    public SelectionKey addHandler(SelectableChannel channel, int ops, IoHandler handler) {
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(handler, "handler");
        checkInLoop();
        return selector.register(channel, ops, handler);
    }

    /**
     * Changes the events {@code channel} is selected for (Tornado: {@code IOLoop.update_handler}).
     *
     * @throws IllegalStateException if the channel has no handler on this loop
     */
    public void updateHandler(SelectableChannel channel, int ops) {
        checkInLoop();
        SelectionKey key = selector.keyFor(channel);
        if (key == null) {
            throw new IllegalStateException("no handler for " + channel + " on " + name + "; call addHandler first");
        }
        key.interestOps(ops);
    }

    /**
     * Stops selecting {@code channel} (Tornado: {@code IOLoop.remove_handler}). The channel stays
     * open. Does nothing if it has no handler here.
     */
    public void removeHandler(SelectableChannel channel) {
        checkInLoop();
        SelectionKey key = selector.keyFor(Objects.requireNonNull(channel, "channel"));
        if (key != null) {
            selector.cancel(key);
        }
    }

    // ---------------------------------------------------------------- running

    private void enter(String what) {
        Thread me = Thread.currentThread();
        synchronized (runLock) {
            if (state == State.CLOSED) {
                throw new IllegalStateException(name + " is closed: " + what + "() cannot run it; create a new IOLoop");
            }
            if (me.isVirtual()) {
                throw new IllegalStateException(what + "() called from a virtual thread (a coroutine?): a loop runs"
                        + " on a platform thread. In a coroutine, await the work instead: await(spawn(...))");
            }
            if (state == State.RUNNING) {
                throw new IllegalStateException(me == carrier
                        ? what + "() called from a callback of " + name + ", which is already running;"
                                + " spawn a coroutine and await it instead"
                        : name + " is already running on thread '" + carrier.getName() + "'; " + what
                                + "() must not run it from a second thread");
            }
            if (carrier != null && carrier != me) {
                throw new IllegalStateException(name + " is bound to thread '" + carrier.getName()
                        + "', where it first ran; a loop runs on one thread for its whole life."
                        + " Create one IOLoop per thread");
            }
            IOLoop other = CURRENT.get();
            if (other != null && other != this) {
                throw new IllegalStateException(what + "() called from a callback of " + other.name
                        + ": one thread cannot run two loops at once");
            }
            carrier = me;
            state = State.RUNNING;
        }
        CURRENT.set(this);
        detector.watch();
    }

    private void exit() {
        detector.unwatch();
        CURRENT.remove();
        boolean close;
        synchronized (runLock) {
            stopRequested = false;
            state = State.IDLE;
            close = closeRequested;
        }
        if (close) {
            closeNow();
        }
    }

    private void loop() {
        while (!stopRequested && (until == null || !until.isDone())) {
            iterate();
        }
    }

    /** One iteration: ready callbacks, due timers, select, ready keys. Loop-confined. */
    private void iterate() {
        int n = callbacks.snapshot();
        for (int i = 0; i < n; i++) {
            runTask(callbacks.poll());
        }
        if (timers.size() > 0) {
            timers.pollDue(time(), due);
            for (int i = 0; i < due.size(); i++) {
                runTask(due.get(i));
            }
            due.clear();
        }
        select();
    }

    private void select() {
        boolean busy = stopRequested || callbacks.hasReady() || (until != null && until.isDone())
                || (draining != null && draining.stream().allMatch(c -> c.finished));
        selector.select(busy, busy ? 0 : timers.nanosUntilNext(time()), callbacks);
    }

    /** Makes this iteration poll I/O even if callbacks are ready: moment() promises a full iteration. */
    void requestPoll() {
        selector.requestPoll();
    }

    private void runTask(Runnable task) {
        detector.taskStarted();
        try {
            task.run();
        } catch (Throwable e) {
            Log.APPLICATION.log(System.Logger.Level.ERROR, "Exception in callback " + task + " on " + name, e);
        } finally {
            detector.taskEnded();
        }
    }

    // ---------------------------------------------------------------- closing

    /**
     * Closes the loop: cancels the coroutines still alive and lets them finish (see the class
     * description), drops queued callbacks and timers, closes the selector. Registered channels
     * stay open. Called from the loop itself, it takes effect when the running
     * {@code runSync}/{@code start} returns; called from another thread while the loop runs, it
     * stops the loop and waits (up to a few seconds) for it to close. Idempotent.
     *
     * <p><b>Thread-safe.</b>
     */
    @Override
    public void close() {
        boolean wait;
        synchronized (runLock) {
            if (state == State.CLOSED) {
                return;
            } else if (closeRequested) {
                wait = !inLoop();
            } else if (state == State.RUNNING) {
                closeRequested = true;
                wait = !inLoop();
            } else {
                closeRequested = true;
                // Not running, and runLock keeps anyone from starting it: close on this thread.
                closeNow();
                return;
            }
        }
        if (state == State.RUNNING) {
            stop();
        }
        if (wait) {
            try {
                closed.await(CLOSE_GRACE.toMillis() * 5, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Does the closing on the calling thread; the loop is not running. */
    private void closeNow() {
        Thread me = Thread.currentThread();
        List<Coroutine<?>> alive = List.copyOf(coroutines);
        for (Coroutine<?> c : alive) {
            c.cancel(true);
        }
        if (!alive.isEmpty() && !me.isVirtual() && (carrier == null || carrier == me)) {
            carrier = me;
            State before = state;
            state = State.RUNNING;
            CURRENT.set(this);
            try {
                drain(alive);
            } finally {
                CURRENT.remove();
                state = before;
            }
        }
        state = State.CLOSED;
        callbacks.snapshot();
        for (Runnable r; (r = callbacks.poll()) != null; ) {
            if (isContinuation(r)) {
                orphan(r);
            }
        }
        timers.clear();
        failures.reportAll();
        LoopMXBeans.unregister(this);
        selector.close();
        closed.countDown();
        closeFuture.complete(null);
    }

    /** Runs iterations until the given coroutines have ended, for a bounded time. Loop-confined. */
    private void drain(List<Coroutine<?>> which) {
        long deadline = time() + CLOSE_GRACE.toNanos();
        Coroutine<?> saved = until;
        until = null;
        draining = which;
        TimerHandle wake = timers.schedule(deadline, () -> { }); // select never sleeps past the grace period
        try {
            while (which.stream().anyMatch(c -> !c.finished) && time() - deadline < 0) {
                iterate();
            }
            wake.cancel();
        } finally {
            draining = null;
            until = saved;
        }
    }

    private static boolean isContinuation(Runnable r) {
        return r.getClass().getName().startsWith("java.lang.VirtualThread");
    }

    private void orphan(Runnable continuation) {
        SharedExecutors.orphans().execute(continuation);
    }

    @Override
    public String toString() {
        Thread c = carrier;
        return "IOLoop[" + name + ", " + state.name().toLowerCase(java.util.Locale.ROOT)
                + (c != null ? " on '" + c.getName() + "'" : "")
                + ", coroutines=" + coroutines.size() + ", ready=" + callbacks.size() + ", timers=" + timers.size()
                + (state == State.CLOSED ? "" : ", channels=" + selector.channelCount()) + "]";
    }
}
