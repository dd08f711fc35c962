package dev.spindle.runtime;

import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Process-wide executors of daemon platform threads, created on first use.
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
     * virtual thread of the JDK's default scheduler, so that it cannot inherit the loop.
     */
    static <T> CompletableFuture<T> runInExecutor(IOLoop loop, Executor executor, Callable<T> task) {
        Executor target = executor != null ? executor : blocking();
        CompletableFuture<T> result = new TrackedFuture<>(loop.failures, "runInExecutor() future on " + loop.name());
        Runnable job = () -> {
            try {
                T value = task.call();
                deliver(loop, () -> result.complete(value));
            } catch (Throwable e) {
                deliver(loop, () -> result.completeExceptionally(e));
            }
        };
        Runnable submit = () -> {
            try {
                target.execute(job);
            } catch (RejectedExecutionException e) {
                deliver(loop, () -> result.completeExceptionally(e));
            }
        };
        if (Thread.currentThread().isVirtual()) {
            VirtualThreads.defaultBuilder().start(submit);
        } else {
            submit.run();
        }
        return result;
    }

    private static void deliver(IOLoop loop, Runnable completion) {
        if (!loop.scheduler.tryCallback(completion)) {
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
        static final ThreadPoolExecutor POOL;

        static {
            int n = Math.max(4, Runtime.getRuntime().availableProcessors() * 5);
            POOL = new ThreadPoolExecutor(n, n, 60, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
                    daemons("spindle-executor-"));
            POOL.allowCoreThreadTimeOut(true);
        }
    }

    private static final class Orphans {
        static final ThreadPoolExecutor POOL = new ThreadPoolExecutor(0, Integer.MAX_VALUE, 10, TimeUnit.SECONDS,
                new SynchronousQueue<>(), daemons("spindle-orphan-"));
    }

    private static ThreadFactory daemons(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
