package dev.spindle.runtime;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;

/**
 * Process-wide executors of daemon platform threads, created on first use; their idle threads
 * end once no loop is open (see {@link BackgroundThreads}).
 *
 * <p><b>Thread-safe:</b> may be called from any thread.
 */
final class SharedExecutors {
    private SharedExecutors() {}

    /**
     * The default executor of {@link IOLoop#runInExecutor} (Tornado: the loop's default
     * {@code ThreadPoolExecutor}): platform threads, so blocking file I/O, native calls and CPU
     * work never touch a loop's carrier.
     */
    static Executor blocking() {
        return Blocking.POOL;
    }

    /**
     * The work of {@link IOLoop#runInExecutor}: runs {@code task} on {@code executor} (null: the
     * {@link #blocking()} pool) and completes the returned future on {@code loop}, or on the
     * completing thread once the loop is closed. From a virtual thread, which may be a
     * coroutine or a child of one (DESIGN pitfall 2), the task is handed to the executor from a
     * virtual thread of the JDK's default scheduler, so that it cannot inherit the loop. A virtual
     * clock does not jump from the call until the outcome is delivered (see VirtualClock).
     */
    static <T> CompletableFuture<T> runInExecutor(IOLoop loop, Executor executor, Callable<T> task) {
        Executor target = executor != null ? executor : blocking();
        CompletableFuture<T> result = new TrackedFuture<>(loop.failures, "runInExecutor() future", loop);
        VirtualClock clock = loop.scheduler.virtualClock;
        if (clock != null) {
            clock.offLoopTaskStarted();
        }
        Runnable job = () -> {
            try {
                T value = task.call();
                deliver(loop, clock, () -> result.complete(value));
            } catch (Throwable e) {
                deliver(loop, clock, () -> result.completeExceptionally(e));
            }
        };
        Runnable submit = () -> {
            try {
                target.execute(job);
            } catch (RejectedExecutionException e) {
                deliver(loop, clock, () -> result.completeExceptionally(e));
            }
        };
        if (Thread.currentThread().isVirtual()) {
            VirtualThreads.defaultBuilder().start(submit);
        } else {
            submit.run();
        }
        return result;
    }

    /** Completes on the loop; a virtual clock counts the task as ended there, when the loop has its outcome. */
    private static void deliver(IOLoop loop, VirtualClock clock, Runnable completion) {
        Runnable onLoop = clock == null ? completion : () -> {
            clock.offLoopTaskEnded();
            completion.run();
        };
        if (!loop.scheduler.tryCallback(onLoop)) {
            completion.run();
        }
    }

    /**
     * Runs the continuations of coroutines whose loop closed while they were still alive, so
     * that they finish instead of hanging (DESIGN pitfall 5).
     */
    static Executor orphans() {
        return Orphans.POOL;
    }

    private static final class Blocking {
        static final int THREADS = Math.max(4, Runtime.getRuntime().availableProcessors() * 5);
        static final ThreadPoolExecutor POOL = BackgroundThreads.pool("spindle-executor-", true, THREADS, THREADS,
                Duration.ofSeconds(60), new LinkedBlockingQueue<>());
    }

    private static final class Orphans {
        static final ThreadPoolExecutor POOL = BackgroundThreads.pool("spindle-orphan-", true, 0, Integer.MAX_VALUE,
                Duration.ofSeconds(10), new SynchronousQueue<>());
    }
}
