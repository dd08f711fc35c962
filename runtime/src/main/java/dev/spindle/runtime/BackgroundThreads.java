package dev.spindle.runtime;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Spindle's own threads ({@code spindle-watchdog}, {@code spindle-unobserved-failures},
 * {@code spindle-jmx}, {@code spindle-executor-N}, {@code spindle-orphan-N}): all daemons, none
 * of them busy while it waits, and all gone once the last open loop is closed, so that they never
 * keep a JVM or a launcher waiting (a launcher such as {@code mvn exec:java} waits for the threads
 * a program leaves, after interrupting them). They start again when needed.
 *
 * <p><b>Thread-safe:</b> may be called from any thread.
 */
/*
 * Implementation notes: each kind of thread ends in its own way. The watchdog and the
 * unobserved-failures collector end when interrupted (they are also interrupted on purpose: the
 * watchdog when the last loop closes, the collector when no failure is left to watch). The pools
 * created here keep idle threads for their keep-alive time while a loop is open; once none is,
 * the keep-alive drops to a nanosecond, so that idle threads end at once and busy ones end after
 * their task (a pool interrupts idle threads when its keep-alive shrinks). Interrupting an idle
 * pool thread only makes it wait again, which is not busy.
 */
final class BackgroundThreads {
    /** A pool made by {@link #pool} and the keep-alive it has while a loop is open. */
    private record Pool(ThreadPoolExecutor executor, Duration keepAlive) {}

    private static final List<Pool> POOLS = new CopyOnWriteArrayList<>();
    /** Loops created and not yet closed. Guarded by the class. */
    private static int openLoops;

    private BackgroundThreads() {}

    /** A loop was created. */
    static synchronized void loopOpened() {
        if (openLoops++ == 0) {
            for (Pool p : POOLS) {
                p.executor().setKeepAliveTime(p.keepAlive().toNanos(), TimeUnit.NANOSECONDS);
            }
        }
    }

    /** A loop finished closing; if it was the last open one, the background threads end. */
    static synchronized void loopClosed() {
        if (--openLoops == 0) {
            Watchdog.INSTANCE.stop();
            for (Pool p : POOLS) {
                p.executor().setKeepAliveTime(1, TimeUnit.NANOSECONDS);
            }
        }
    }

    /** Whether some loop is open now; for tests. */
    static synchronized boolean anyLoopOpen() {
        return openLoops > 0;
    }

    /**
     * A pool of {@code core} to {@code max} daemon threads named {@code name} (a prefix if
     * {@code numbered}) whose threads wait {@code keepAlive} for work while a loop is open, and
     * not at all while none is.
     */
    static synchronized ThreadPoolExecutor pool(String name, boolean numbered, int core, int max, Duration keepAlive,
            BlockingQueue<Runnable> queue) {
        ThreadPoolExecutor executor = new ThreadPoolExecutor(core, max, openLoops > 0 ? keepAlive.toNanos() : 1,
                TimeUnit.NANOSECONDS, queue, daemons(name, numbered));
        executor.allowCoreThreadTimeOut(true);
        POOLS.add(new Pool(executor, keepAlive));
        return executor;
    }

    /** A factory of daemon platform threads named {@code name}, or {@code name1}, {@code name2}, ... */
    static ThreadFactory daemons(String name, boolean numbered) {
        AtomicInteger n = new AtomicInteger();
        return r -> Thread.ofPlatform().daemon().name(numbered ? name + n.incrementAndGet() : name).unstarted(r);
    }
}
