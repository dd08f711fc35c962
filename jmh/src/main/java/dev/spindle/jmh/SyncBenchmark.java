package dev.spindle.jmh;

import static dev.spindle.runtime.Coroutines.await;
import static dev.spindle.runtime.Coroutines.spawn;

import dev.spindle.runtime.IOLoop;
import dev.spindle.runtime.sync.Lock;
import dev.spindle.runtime.sync.Queue;
import java.util.concurrent.ArrayBlockingQueue;
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
 * Cost of {@code dev.spindle.runtime.sync} on one loop: an uncontended {@link Lock} acquire and
 * release, and a {@link Queue} round trip between two coroutines (ping on one queue, pong on
 * another: two puts, two gets, two coroutine switches). Baselines in the same class: the same
 * operations with {@link ReentrantLock} and {@link ArrayBlockingQueue}, which also work between
 * coroutines. Each invocation runs {@value #OPS} operations in one {@code runSync}, so the
 * per-operation time excludes starting the loop. (Tornado 6 on the reference machine: 0.8 us per
 * {@code Lock} acquire/release, 5.5 us per {@code Queue} round trip.)
 *
 * <p><b>Thread-safe:</b> not applicable; JMH confines each state object to its benchmark thread.
 *
 * <pre>
 * mvn -DskipTests package exec:exec@bench -pl jmh -am -Djmh.args="SyncBenchmark -f 1"
 * </pre>
 * (the exec configuration passes {@code --add-opens java.base/java.lang=ALL-UNNAMED}, DESIGN rule 7,
 * and so does {@code @Fork} below).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-opens", "java.base/java.lang=ALL-UNNAMED"})
@State(Scope.Thread)
public class SyncBenchmark {
    static final int OPS = 10_000;

    private IOLoop loop;

    @Setup(Level.Trial)
    public void setUp() {
        loop = IOLoop.create();
        loop.setBlockingThreshold(java.time.Duration.ZERO); // A 10k-op batch is one long task.
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        loop.close();
    }

    @Benchmark
    @OperationsPerInvocation(OPS)
    public void lockAcquireRelease(Blackhole bh) {
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
    public void reentrantLockLockUnlock(Blackhole bh) {
        loop.runSync(() -> {
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
        });
    }

    @Benchmark
    @OperationsPerInvocation(OPS)
    public void queueRoundTrip(Blackhole bh) {
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
    public void arrayBlockingQueueRoundTrip(Blackhole bh) {
        loop.runSync(() -> {
            ArrayBlockingQueue<Integer> ping = new ArrayBlockingQueue<>(16);
            ArrayBlockingQueue<Integer> pong = new ArrayBlockingQueue<>(16);
            CompletableFuture<Void> echo = spawn(() -> {
                for (int i = 0; i < OPS; i++) {
                    pong.put(ping.take());
                }
                return null;
            });
            for (int i = 0; i < OPS; i++) {
                ping.put(i);
                bh.consume(pong.take());
            }
            await(echo);
            return null;
        });
    }
}
