package dev.spindle.runtime;

import dev.spindle.runtime.internal.Durations;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * An event loop: one platform thread runs an NIO selector, timers and callbacks, and is the only carrier of the loop's
 * coroutines (Tornado: {@code tornado.ioloop.IOLoop}).
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
 * <p><b>Loop-confined:</b> call only from a coroutine or callback of this loop, except the methods marked thread-safe;
 * actions before such a call happen-before the task it hands over runs. Null arguments throw NullPointerException.
 *
 * <p>A loop is bound to the first thread that runs it ({@link #runSync}, {@link #start}). An iteration runs the
 * callbacks ready when it began, due timers, a select (until the next timer if idle) and the ready {@link IoHandler}s;
 * an exception of any of them is logged ({@code spindle.application}) and the loop goes on.
 */
public final class IOLoop implements AutoCloseable {
    private final String name = LoopLifecycle.newLoopName();
    final BlockingDetector detector = new BlockingDetector(this);
    final SelectorDriver selector = new SelectorDriver(name, detector);
    final LoopLifecycle lifecycle = new LoopLifecycle(this, name, detector, this::closeNow);
    final LoopScheduler scheduler;
    final CoroutineRegistry coroutines;
    final UnobservedFailures failures = new UnobservedFailures();

    static {
        VirtualLoops.install(); // dev.spindle.runtime.testing reaches virtual clocks through it.
    }

    /** @param virtualClock the clock if this loop's time is virtual, else null */
    private IOLoop(VirtualClock virtualClock) {
        scheduler = new LoopScheduler(name, lifecycle, selector, detector, virtualClock);
        coroutines = new CoroutineRegistry(name, scheduler.continuations, lifecycle);
        LoopMXBeans.register(this);
    }

    /**
     * Creates a loop; it runs when a thread calls {@link #runSync} or {@link #start}. <b>Thread-safe.</b>
     * @throws IllegalStateException without {@code --add-opens java.base/java.lang=ALL-UNNAMED} (=dev.spindle.runtime
     *     on the module path); the message says where to put the flag
     * @throws java.io.UncheckedIOException if no selector can be opened
     */
    public static IOLoop create() {
        VirtualThreads.checkAvailable();
        return new IOLoop(null);
    }

    /** A loop on a virtual clock with this real-time I/O quantum; see VirtualClock. Thread-safe. */
    static IOLoop createVirtual(Duration ioQuantum) {
        VirtualClock clock = new VirtualClock(ioQuantum);
        VirtualThreads.checkAvailable();
        return new IOLoop(clock);
    }

    /**
     * The loop of the calling coroutine or callback (Tornado: {@code IOLoop.current()}).
     * @throws IllegalStateException when called outside any loop's coroutine or callback
     */
    public static IOLoop current() {
        return LoopLifecycle.requireCurrent(currentOrNull());
    }

    /** The loop of the calling coroutine or callback, or null (Tornado: {@code current(False)}). <b>Thread-safe.</b> */
    public static IOLoop currentOrNull() {
        return LoopLifecycle.current();
    }

    /** This loop's name, e.g. {@code IOLoop-3}; its coroutine threads are named after it. <b>Thread-safe.</b> */
    public String name() {
        return name;
    }

    /**
     * The loop's clock: monotonic nanoseconds, as {@link #callAt} (Tornado: {@code time()}); every timer, timeout and
     * deadline of Spindle reads it. On a loop made by {@code dev.spindle.runtime.testing.VirtualTime} it is virtual.
     * <b>Thread-safe.</b>
     */
    public long time() {
        return scheduler.now();
    }

    /** Whether the caller runs in a coroutine or callback of this loop. <b>Thread-safe.</b> */
    public boolean inLoop() {
        return lifecycle.inLoop();
    }

    /**
     * Throws unless the caller may touch loop-confined state: on the loop, or while it is idle. <b>Thread-safe.</b>
     * @throws IllegalStateException naming the fix, when called from another thread while the loop runs
     */
    public void checkInLoop() {
        lifecycle.checkInLoop();
    }

    /** {@link #runSync(Callable, Duration) runSync(body, null)}: no timeout (Tornado: {@code IOLoop.run_sync}). */
    public <T> T runSync(Callable<T> body) {
        return runSync(body, null);
    }

    /**
     * Runs {@code body} as a coroutine, driving the loop on the calling thread until it ends (Tornado:
     * {@code run_sync}); an earlier {@link #stop()} is forgotten. After {@code timeout} (positive, or null for none)
     * the coroutine is cancelled ({@code await} throws {@code CancellationException}, {@code finally} blocks run) and
     * {@link TimeoutException} is thrown, the loop left ready to run again.
     * @return the coroutine's value; its failure is thrown unchanged
     * @throws TimeoutException if the coroutine did not finish in time
     * @throws IllegalArgumentException if {@code timeout} is zero or negative
     * @throws IllegalStateException if the loop is closed or running, if the caller is a virtual thread (a coroutine
     *     cannot run a loop: await instead), if the loop is bound to another thread, or if {@link #stop()} or an
     *     interrupt of the calling thread (its status stays set) ended the run before the coroutine finished
     */
    public <T> T runSync(Callable<T> body, Duration timeout) {
        Objects.requireNonNull(body, "body");
        return scheduler.runSync(timeout, () -> coroutines.start(this, body, null));
    }

    /**
     * Runs the loop on the calling thread until {@link #stop()}, at once if that came first (Tornado: {@code start}),
     * or until the thread is interrupted, whose interrupt status stays set.
     * @throws IllegalStateException if the loop is closed, running, bound to another thread, or the caller is virtual
     */
    public void start() {
        scheduler.start();
    }

    /** Makes the running {@link #start()} or {@link #runSync} return after this iteration. <b>Thread-safe.</b> */
    public void stop() {
        lifecycle.stop(scheduler::wakeUp);
    }

    /** Whether a thread is running this loop now. <b>Thread-safe.</b> */
    public boolean isRunning() {
        return lifecycle.state() == LoopLifecycle.State.RUNNING;
    }

    /** Whether {@link #close()} has completed. <b>Thread-safe.</b> */
    public boolean isClosed() {
        return lifecycle.state() == LoopLifecycle.State.CLOSED;
    }

    /**
     * A new future completed on the closing thread once {@link #close()} has finished (at once if closed), where
     * per-loop resources such as idle connections are released (Tornado: {@code close(all_fds)}); cancelling it affects
     * nobody else. <b>Thread-safe.</b> Actions of the loop before it closed happen-before the future completes.
     */
    public CompletableFuture<Void> closeFuture() {
        return lifecycle.closeFuture();
    }

    /**
     * Runs {@code task} on the loop in the next iteration, or the one after if another thread hands it in while the
     * loop runs this iteration's callbacks (Tornado: {@code add_callback}). A thread's tasks run in the order it gave
     * them, the loop's own first. <b>Thread-safe:</b> never blocks, wakes a sleeping selector at most once per sleep;
     * actions before {@code execute} happen-before the task runs.
     * @throws IllegalStateException if the loop is closed
     */
    public void execute(Runnable task) {
        scheduler.execute(task);
    }

    /**
     * Runs {@code task} now if the caller may touch loop-confined state ({@link #checkInLoop()}), else as
     * {@link #execute} (Netty: {@code inEventLoop() ? run : execute}). <b>Thread-safe.</b> Never blocks; actions before
     * the call happen-before the task runs; an exception of a task run at once propagates.
     * @return false if the loop is closed (the task is dropped), else true
     */
    public boolean runOnLoop(Runnable task) {
        return scheduler.runOnLoop(task);
    }

    /**
     * {@link #callAt callAt(time() + delay, task)} (Tornado: {@code IOLoop.call_later}). <b>Thread-safe.</b>
     * @throws IllegalArgumentException if {@code delay} is negative
     * @throws IllegalStateException if the loop is closed
     */
    public TimerHandle callLater(Duration delay, Runnable task) {
        return callAt(Durations.deadline(time(), Durations.requireNonNegative(delay, "delay")), task);
    }

    /**
     * Runs {@code task} on the loop at {@code deadline} on the {@link #time()} scale (Tornado: {@code call_at}); equal
     * deadlines fire in the order of their {@code callAt}/{@code callLater} calls, from any thread. <b>Thread-safe.</b>
     * @throws IllegalStateException if the loop is closed
     */
    public TimerHandle callAt(long deadline, Runnable task) {
        return scheduler.timer(deadline, task);
    }

    /** {@link #spawn(String, Callable) spawn(null, body)}. <b>Thread-safe.</b> */
    public <T> CompletableFuture<T> spawn(Callable<T> body) {
        return spawn(null, body);
    }

    /**
     * Starts {@code body} as a coroutine of this loop, first run in a later iteration, and returns its future at once;
     * cancelling the future interrupts the coroutine ({@link Coroutines#await}). <b>Thread-safe.</b>
     * @param name the coroutine's (its thread's) name for dumps and logs, or null for a generated one
     * @throws IllegalStateException if the loop is closed
     */
    public <T> CompletableFuture<T> spawn(String name, Callable<T> body) {
        return coroutines.spawn(this, body, name);
    }

    /**
     * Failures of this loop's coroutines and futures ({@code withTimeout}, {@code all}, ...) nobody awaited or chained
     * yet, each logged ({@code spindle.application}) when collected, or at close if unobserved. <b>Thread-safe.</b>
     */
    public List<Throwable> unobservedFailures() {
        return failures.unobserved();
    }

    /** The live coroutines, oldest first: name, state, what each awaits, stack; a best effort. <b>Thread-safe.</b> */
    public List<CoroutineInfo> listCoroutines() {
        return CoroutineDump.list(this);
    }

    /** {@link #listCoroutines()} as text; also an operation of the loop's {@link IOLoopMXBean}. <b>Thread-safe.</b> */
    public String dumpCoroutines() {
        return CoroutineDump.dump(this);
    }

    /**
     * Sets the blocked-loop threshold (DESIGN rule 6): a task (callback, timer, I/O handler, a coroutine between two
     * parks) holding the carrier longer is logged once with its stack on {@code spindle.general} and as the JFR event
     * {@code dev.spindle.BlockedLoop}. Default 100 ms or {@code -Dspindle.blockingThreshold=250ms} ({@code off}).
     * <b>Thread-safe.</b>
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
     * Runs {@code task} on {@code executor}, off the carrier, and returns a future completed on this loop with its
     * outcome (Tornado: {@code run_in_executor}); even a virtual-thread-per-task executor does not inherit the loop
     * (DESIGN pitfall 2): from a virtual thread, the JDK's default scheduler hands the task over. <b>Thread-safe.</b>
     * @param executor where to run; null for a shared pool of daemon platform threads
     */
    public <T> CompletableFuture<T> runInExecutor(Executor executor, Callable<T> task) {
        return SharedExecutors.runInExecutor(this, executor, Objects.requireNonNull(task, "task"));
    }

    /**
     * Selects {@code channel}, made non-blocking, for {@code ops}; {@code handler} runs when it is ready (add_handler).
     * @return the channel's key, whose {@code interestOps} the caller may change on the loop
     * @throws IllegalStateException if called from another thread while the loop runs, or closed
     * @throws IllegalArgumentException if {@code ops} are not valid for the channel
     * @throws java.io.UncheckedIOException if the channel cannot be made non-blocking
     */
    public SelectionKey addHandler(SelectableChannel channel, int ops, IoHandler handler) {
        checkInLoop();
        return selector.register(channel, ops, handler);
    }

    /**
     * Changes the events {@code channel} is selected for (Tornado: {@code IOLoop.update_handler}).
     * @throws IllegalStateException if the channel has no handler on this loop
     */
    public void updateHandler(SelectableChannel channel, int ops) {
        checkInLoop();
        selector.update(channel, ops);
    }

    /** Stops selecting {@code channel}, if it has a handler here; it stays open (Tornado: {@code remove_handler}). */
    public void removeHandler(SelectableChannel channel) {
        checkInLoop();
        selector.remove(Objects.requireNonNull(channel, "channel"));
    }

    /**
     * Closes the loop. The live coroutines are cancelled: their {@code await} throws {@code CancellationException},
     * their {@code finally} blocks run on the closing thread if it may run the loop (its own, or any platform thread
     * for a loop that never ran); one that ignores cancellation moves to a fallback daemon thread, so nothing waiting
     * for it hangs. Queued callbacks and timers are dropped, the selector closed; channels stay open. A running loop is
     * stopped as by {@link #stop()} and closes when its run returns, which another thread waits (up to 10 s) for.
     * Idempotent. <b>Thread-safe.</b>
     */
    @Override
    public void close() {
        lifecycle.close(scheduler::wakeUp);
    }

    /** Does the closing on the calling thread, the loop not running (see LoopLifecycle). */
    private void closeNow() {
        scheduler.shutDown(coroutines.cancelAll(), () -> {
            failures.reportAll();
            LoopMXBeans.unregister(this);
            selector.close();
        });
    }

    @Override
    public String toString() {
        return "IOLoop[" + name + ", " + lifecycle + ", coroutines=" + coroutines.size() + ", " + scheduler + "]";
    }
}
