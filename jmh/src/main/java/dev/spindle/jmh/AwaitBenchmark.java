package dev.spindle.jmh;

import static dev.spindle.runtime.Coroutines.await;

import dev.spindle.runtime.IOLoop;
import java.lang.reflect.Constructor;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
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
 * The cost of one suspension round trip: a coroutine awaits a future that its loop completes
 * from a callback, next to the bare floor (a virtual thread parked and unparked on a minimal
 * single-carrier scheduler), and next to the JDK's default virtual threads and platform threads
 * handing off to each other.
 *
 * <p>Run: {@code mvn -DskipTests package exec:exec@bench -pl jmh -am -Djmh.args="AwaitBenchmark"}
 * (the exec configuration passes {@code --add-opens java.base/java.lang=ALL-UNNAMED}, which the
 * forks inherit through {@code @Fork(jvmArgsAppend)}).
 *
 * <p><b>Thread-safe:</b> not applicable; JMH confines each state object to its benchmark thread.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-opens", "java.base/java.lang=ALL-UNNAMED"})
@State(Scope.Thread)
public class AwaitBenchmark {
    static final int ROUND_TRIPS = 10_000;

    private IOLoop loop;
    private CompletableFuture<String> done;

    @Setup(Level.Iteration)
    public void setUp() {
        // A fresh loop per iteration: JMH may move the benchmark to another thread between
        // iterations, and a loop stays bound to the thread that first ran it.
        loop = IOLoop.create();
        done = CompletableFuture.completedFuture("done");
    }

    @TearDown(Level.Iteration)
    public void tearDown() {
        loop.close();
    }

    /** A coroutine awaits a future the loop completes from a callback; one park and resume each. */
    @Benchmark
    @OperationsPerInvocation(ROUND_TRIPS)
    public int spindleAwaitRoundTrip() {
        IOLoop l = loop;
        return l.runSync(() -> {
            int n = 0;
            for (int i = 0; i < ROUND_TRIPS; i++) {
                CompletableFuture<Integer> f = new CompletableFuture<>();
                l.execute(() -> f.complete(1));
                n += await(f);
            }
            return n;
        });
    }

    /** The loop's own share: park and unpark a coroutine with no future involved. */
    @Benchmark
    @OperationsPerInvocation(ROUND_TRIPS)
    public int spindleParkUnpark() {
        IOLoop l = loop;
        return l.runSync(() -> {
            Thread self = Thread.currentThread();
            Runnable unpark = () -> LockSupport.unpark(self);
            for (int i = 0; i < ROUND_TRIPS; i++) {
                l.execute(unpark);
                LockSupport.park();
            }
            return 0;
        });
    }

    /** {@code await} of a future that is already done: no suspension at all. */
    @Benchmark
    @OperationsPerInvocation(ROUND_TRIPS)
    public void spindleAwaitDoneFuture(Blackhole bh) {
        CompletableFuture<String> f = done;
        loop.runSync(() -> {
            for (int i = 0; i < ROUND_TRIPS; i++) {
                bh.consume(await(f));
            }
            return null;
        });
    }

    /** The floor: park and unpark a virtual thread on a minimal one-thread scheduler. */
    @Benchmark
    @OperationsPerInvocation(ROUND_TRIPS)
    public void floorParkUnparkOnMinimalCarrier() throws Exception {
        MinimalCarrier carrier = new MinimalCarrier();
        Thread[] self = new Thread[1];
        Runnable unpark = () -> LockSupport.unpark(self[0]);
        Thread vt = carrier.newThread(() -> {
            for (int i = 0; i < ROUND_TRIPS; i++) {
                carrier.tasks.add(unpark);
                LockSupport.park();
            }
        });
        self[0] = vt;
        vt.start();
        carrier.runUntilDone(vt);
    }

    /** Two default-scheduler virtual threads handing a token back and forth with futures. */
    @Benchmark
    @OperationsPerInvocation(ROUND_TRIPS)
    public void jdkVirtualThreadsJoin() throws Exception {
        pingPong(Thread.ofVirtual());
    }

    /** Two platform threads handing a token back and forth with futures. */
    @Benchmark
    @OperationsPerInvocation(ROUND_TRIPS)
    public void platformThreadsJoin() throws Exception {
        pingPong(Thread.ofPlatform());
    }

    /** Two platform threads handing a token back and forth through SynchronousQueues. */
    @Benchmark
    @OperationsPerInvocation(ROUND_TRIPS)
    public void platformThreadsSynchronousQueue() throws Exception {
        SynchronousQueue<Integer> ping = new SynchronousQueue<>();
        SynchronousQueue<Integer> pong = new SynchronousQueue<>();
        Thread peer = Thread.ofPlatform().start(() -> {
            try {
                for (int i = 0; i < ROUND_TRIPS; i++) {
                    pong.put(ping.take());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        for (int i = 0; i < ROUND_TRIPS; i++) {
            ping.put(i);
            pong.take();
        }
        peer.join();
    }

    private static void pingPong(Thread.Builder builder) throws Exception {
        @SuppressWarnings("unchecked")
        CompletableFuture<Integer>[] ping = new CompletableFuture[ROUND_TRIPS];
        @SuppressWarnings("unchecked")
        CompletableFuture<Integer>[] pong = new CompletableFuture[ROUND_TRIPS];
        for (int i = 0; i < ROUND_TRIPS; i++) {
            ping[i] = new CompletableFuture<>();
            pong[i] = new CompletableFuture<>();
        }
        Thread a = builder.start(() -> {
            for (int i = 0; i < ROUND_TRIPS; i++) {
                ping[i].complete(i);
                pong[i].join();
            }
        });
        Thread b = builder.start(() -> {
            for (int i = 0; i < ROUND_TRIPS; i++) {
                pong[i].complete(ping[i].join());
            }
        });
        a.join();
        b.join();
    }

    /** The smallest scheduler that can carry a virtual thread: a deque drained by the caller. */
    static final class MinimalCarrier implements Executor {
        private static final Constructor<?> BUILDER;

        static {
            try {
                BUILDER = Class.forName("java.lang.ThreadBuilders$VirtualThreadBuilder")
                        .getDeclaredConstructor(Executor.class);
                BUILDER.setAccessible(true);
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
        }

        final ArrayDeque<Runnable> tasks = new ArrayDeque<>();

        @Override
        public void execute(Runnable r) {
            tasks.add(r); // Only ever called on the carrier in this benchmark.
        }

        Thread newThread(Runnable body) throws ReflectiveOperationException {
            return ((Thread.Builder.OfVirtual) BUILDER.newInstance(this)).unstarted(body);
        }

        void runUntilDone(Thread vt) {
            while (vt.isAlive()) {
                Runnable r = tasks.poll();
                if (r != null) {
                    r.run();
                }
            }
        }
    }
}
