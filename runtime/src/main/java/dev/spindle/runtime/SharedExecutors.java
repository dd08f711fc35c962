package dev.spindle.runtime;

import java.util.concurrent.Executor;
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
