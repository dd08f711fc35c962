package dev.spindle.jmh;

import static dev.spindle.runtime.Coroutines.await;
import static dev.spindle.runtime.Coroutines.spawn;

import dev.spindle.runtime.IOLoop;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
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

/**
 * The cost of starting a unit of concurrent work and waiting for its result, ns per start:
 *
 * <ul>
 * <li>{@code spindleSpawnAwait}: a coroutine {@code spawn}s a coroutine on its loop and
 *     {@code await}s its future (the subject);
 * <li>{@code floorStartOnMinimalCarrier}: a virtual thread started and run to its end on
 *     {@link MinimalCarrier};
 * <li>{@code platformThreadsStartJoin}: {@code Thread.ofPlatform().start(task).join()} (the
 *     baseline);
 * <li>{@code virtualThreadsStartJoin}: a default-scheduler virtual thread, started and joined
 *     from a platform thread;
 * <li>{@code platformThreadsExecutorSubmitGet}: {@code submit(task).get()} on a one-thread
 *     {@code ExecutorService} made once (a pool reuses its thread: no start at all).
 * </ul>
 *
 * <p>Run: {@code java -jar jmh/target/benchmarks.jar SpawnBenchmark}.
 *
 * <p><b>Thread-safe:</b> not applicable; JMH confines each state object to its benchmark thread.
 */
@State(Scope.Thread)
public class SpawnBenchmark extends OneLoopBenchmark {
    /** Starts per invocation; platform threads are slow enough for fewer. */
    static final int STARTS = 1_000;

    static final int PLATFORM_STARTS = 100;

    private static final Callable<Integer> TASK = () -> 1;

    private ExecutorService executor;

    @Setup(Level.Trial)
    public void startExecutor() {
        executor = Executors.newSingleThreadExecutor();
    }

    @TearDown(Level.Trial)
    public void closeExecutor() {
        executor.close();
    }

    @Benchmark
    @OperationsPerInvocation(STARTS)
    public int spindleSpawnAwait() {
        return loop.runSync(() -> {
            int n = 0;
            for (int i = 0; i < STARTS; i++) {
                n += await(spawn(TASK));
            }
            return n;
        });
    }

    @Benchmark
    @OperationsPerInvocation(STARTS)
    public int floorStartOnMinimalCarrier() {
        MinimalCarrier carrier = new MinimalCarrier();
        int[] n = new int[1];
        Runnable body = () -> n[0]++;
        for (int i = 0; i < STARTS; i++) {
            Thread vt = carrier.newThread(body);
            vt.start();
            carrier.runWhile(vt::isAlive);
        }
        return n[0];
    }

    @Benchmark
    @OperationsPerInvocation(PLATFORM_STARTS)
    public int platformThreadsStartJoin() throws InterruptedException {
        return startJoin(Thread.ofPlatform(), PLATFORM_STARTS);
    }

    @Benchmark
    @OperationsPerInvocation(STARTS)
    public int virtualThreadsStartJoin() throws InterruptedException {
        return startJoin(Thread.ofVirtual(), STARTS);
    }

    @Benchmark
    @OperationsPerInvocation(STARTS)
    public int platformThreadsExecutorSubmitGet() throws InterruptedException, ExecutionException {
        int n = 0;
        for (int i = 0; i < STARTS; i++) {
            n += executor.submit(TASK).get();
        }
        return n;
    }

    private static int startJoin(Thread.Builder builder, int starts) throws InterruptedException {
        int[] n = new int[1];
        Runnable body = () -> n[0]++; // Each thread ends before the next starts: join orders the writes.
        for (int i = 0; i < starts; i++) {
            builder.start(body).join();
        }
        return n[0];
    }
}
