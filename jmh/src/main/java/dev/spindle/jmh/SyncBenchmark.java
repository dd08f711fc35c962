package dev.spindle.jmh;

import static dev.spindle.runtime.Coroutines.await;
import static dev.spindle.runtime.Coroutines.spawn;

import dev.spindle.runtime.IOLoop;
import dev.spindle.runtime.sync.Lock;
import dev.spindle.runtime.sync.Queue;
import dev.spindle.runtime.sync.Semaphore;
import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * {@code dev.spindle.runtime.sync} on one loop next to {@code java.util.concurrent}, ns per
 * operation. Three subjects, three rows each: Spindle's primitive in a coroutine
 * ({@code spindle…}), the j.u.c. one in a coroutine of the same loop ({@code juc…InCoroutine…},
 * which works because a blocking j.u.c. call parks the coroutine), and the j.u.c. one on platform
 * threads ({@code platformThreads…}, the baseline of its subject):
 *
 * <ul>
 * <li>an uncontended {@link Lock} acquire and release, against {@link ReentrantLock};
 * <li>an uncontended {@link Semaphore} acquire and release, against
 *     {@link java.util.concurrent.Semaphore};
 * <li>a {@link Queue} round trip between two coroutines (ping on one queue, pong on another: two
 *     puts, two gets, two switches), against {@link ArrayBlockingQueue} between two coroutines
 *     and between two platform threads.
 * </ul>
 *
 * <p>Each invocation runs {@value #OPS} operations in one {@code runSync}, so starting the loop is
 * not counted. (Tornado 6 on the reference machine: 0.8 µs per {@code Lock} acquire and release,
 * 5.5 µs per {@code Queue} round trip.) Run: {@code java -jar jmh/target/benchmarks.jar SyncBenchmark}.
 *
 * <p><b>Thread-safe:</b> not applicable; JMH confines each state object to its benchmark thread.
 */
@State(Scope.Thread)
public class SyncBenchmark extends OneLoopBenchmark {
    static final int OPS = 10_000;

    @Benchmark
    @OperationsPerInvocation(OPS)
    public void spindleLockAcquireRelease(Blackhole bh) {
        loop.runSync(() -> {
            Lock lock = Lock.create();
            for (int i = 0; i < OPS; i++) {
                try (var held = lock.acquire()) {
                    bh.consume(held);
                }
            }
            return null;
        });
    }

    @Benchmark
    @OperationsPerInvocation(OPS)
    public void jucInCoroutineReentrantLock(Blackhole bh) {
        loop.runSync(() -> reentrantLock(bh));
    }

    @Benchmark
    @OperationsPerInvocation(OPS)
    public void platformThreadsReentrantLock(Blackhole bh) {
        reentrantLock(bh);
    }

    @Benchmark
    @OperationsPerInvocation(OPS)
    public void spindleSemaphoreAcquireRelease(Blackhole bh) {
        loop.runSync(() -> {
            Semaphore semaphore = Semaphore.create(4);
            for (int i = 0; i < OPS; i++) {
                try (var permit = semaphore.acquire()) {
                    bh.consume(permit);
                }
            }
            return null;
        });
    }

    @Benchmark
    @OperationsPerInvocation(OPS)
    public void jucInCoroutineSemaphore(Blackhole bh) {
        loop.runSync(() -> jucSemaphore(bh));
    }

    @Benchmark
    @OperationsPerInvocation(OPS)
    public void platformThreadsSemaphore(Blackhole bh) throws InterruptedException {
        jucSemaphore(bh);
    }

    @Benchmark
    @OperationsPerInvocation(OPS)
    public void spindleQueueRoundTrip(Blackhole bh) {
        loop.runSync(() -> {
            Queue<Integer> ping = Queue.create();
            Queue<Integer> pong = Queue.create();
            CompletableFuture<Void> echo = spawn(() -> {
                for (int i = 0; i < OPS; i++) {
                    pong.put(ping.get());
                }
                return null;
            });
            for (int i = 0; i < OPS; i++) {
                ping.put(i);
                bh.consume(pong.get());
            }
            await(echo);
            return null;
        });
    }

    @Benchmark
    @OperationsPerInvocation(OPS)
    public void jucInCoroutinesArrayBlockingQueueRoundTrip(Blackhole bh) {
        loop.runSync(() -> {
            BlockingQueue<Integer> ping = new ArrayBlockingQueue<>(16);
            BlockingQueue<Integer> pong = new ArrayBlockingQueue<>(16);
            CompletableFuture<Void> echo = spawn(echo(ping, pong));
            roundTrips(ping, pong, bh);
            await(echo);
            return null;
        });
    }

    @Benchmark
    @OperationsPerInvocation(OPS)
    public void platformThreadsArrayBlockingQueueRoundTrip(Blackhole bh) throws Exception {
        BlockingQueue<Integer> ping = new ArrayBlockingQueue<>(16);
        BlockingQueue<Integer> pong = new ArrayBlockingQueue<>(16);
        CompletableFuture<Void> echo = new CompletableFuture<>();
        Callable<Void> body = echo(ping, pong);
        Thread.ofPlatform().start(() -> {
            try {
                echo.complete(body.call());
            } catch (Exception e) {
                echo.completeExceptionally(e);
            }
        });
        roundTrips(ping, pong, bh);
        echo.join();
    }

    private static Void reentrantLock(Blackhole bh) {
        ReentrantLock lock = new ReentrantLock();
        for (int i = 0; i < OPS; i++) {
            lock.lock();
            try {
                bh.consume(lock);
            } finally {
                lock.unlock();
            }
        }
        return null;
    }

    private static Void jucSemaphore(Blackhole bh) throws InterruptedException {
        java.util.concurrent.Semaphore semaphore = new java.util.concurrent.Semaphore(4);
        for (int i = 0; i < OPS; i++) {
            semaphore.acquire();
            try {
                bh.consume(semaphore);
            } finally {
                semaphore.release();
            }
        }
        return null;
    }

    /** The peer of a round trip: takes each ping and puts it back as a pong. */
    private static Callable<Void> echo(BlockingQueue<Integer> ping, BlockingQueue<Integer> pong) {
        return () -> {
            for (int i = 0; i < OPS; i++) {
                pong.put(ping.take());
            }
            return null;
        };
    }

    private static void roundTrips(BlockingQueue<Integer> ping, BlockingQueue<Integer> pong, Blackhole bh)
            throws InterruptedException {
        for (int i = 0; i < OPS; i++) {
            ping.put(i);
            bh.consume(pong.take());
        }
    }
}
