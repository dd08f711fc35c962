package dev.spindle.jmh;

import static dev.spindle.runtime.Coroutines.await;

import dev.spindle.runtime.Coroutines;
import dev.spindle.runtime.IOLoop;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;
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
 * The cost of one suspension round trip: a coroutine awaits a future its loop completes from a
 * callback. Rows, ns per round trip:
 *
 * <ul>
 * <li>{@code spindleAwaitRoundTrip}: the subject, on a future of Spindle's, which resumes its
 *     waiter itself; {@code spindleAwaitForeignFuture}: the same on a plain
 *     {@code CompletableFuture}, to which {@code await} chains a completion;
 *     {@code spindleParkUnpark}: the loop's own share
 *     (no future); {@code spindleAwaitDoneFuture}: an await that does not suspend;
 *     {@code spindleCallbackHop}: a plain loop callback that schedules the next one;
 * <li>{@code floorParkUnparkOnMinimalCarrier} (the baseline of the suspension rows) and
 *     {@code floorCallbackHopOnMinimalCarrier} (the baseline of the callback hop): the same on
 *     {@link MinimalCarrier}, the least a custom scheduler can do;
 *     {@code floorAwaitFutureOnMinimalCarrier}: the least an await of a new future costs there,
 *     which splits the await round trip's cost above the floor into the future's share and
 *     Spindle's;
 * <li>{@code virtualThreadsJoin}: two default-scheduler virtual threads handing a token back and
 *     forth with futures; {@code virtualThreadsJoinOneCarrier}: the same with the default
 *     scheduler confined to one carrier ({@code jdk.virtualThreadScheduler.parallelism=1});
 * <li>{@code platformThreadsJoin}, {@code platformThreadsSynchronousQueue}: two platform threads.
 * </ul>
 *
 * <p>Run: {@code java -jar jmh/target/benchmarks.jar AwaitBenchmark} (the forks get
 * {@code --add-opens java.base/java.lang=ALL-UNNAMED} from {@code @Fork(jvmArgsAppend)}).
 *
 * <p><b>Thread-safe:</b> not applicable; JMH confines each state object to its benchmark thread.
 */
@State(Scope.Thread)
public class AwaitBenchmark extends OneLoopBenchmark {
    static final int ROUND_TRIPS = 10_000;

    private final CompletableFuture<String> done = CompletableFuture.completedFuture("done");

    /**
     * A coroutine awaits a future of Spindle's ({@code newFuture()}, like the futures of its reads,
     * timers and locks) that the loop completes from a callback; one park and resume each.
     */
    @Benchmark
    @OperationsPerInvocation(ROUND_TRIPS)
    public int spindleAwaitRoundTrip() {
        return awaitRoundTrips(Coroutines::newFuture);
    }

    /** The same with a plain {@code new CompletableFuture<>()}, which {@code await} chains a completion to. */
    @Benchmark
    @OperationsPerInvocation(ROUND_TRIPS)
    public int spindleAwaitForeignFuture() {
        return awaitRoundTrips(CompletableFuture::new);
    }

    /** A coroutine awaits {@link #ROUND_TRIPS} futures of {@code futures}, each completed by a loop callback. */
    private int awaitRoundTrips(Supplier<CompletableFuture<Integer>> futures) {
        IOLoop l = loop;
        return l.runSync(() -> {
            int n = 0;
            for (int i = 0; i < ROUND_TRIPS; i++) {
                CompletableFuture<Integer> f = futures.get();
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

    /** A plain loop callback that schedules the next one with {@code execute}, no coroutine involved. */
    @Benchmark
    @OperationsPerInvocation(ROUND_TRIPS)
    public int spindleCallbackHop() {
        IOLoop l = loop;
        return l.runSync(() -> {
            Hops hops = new Hops(l::execute);
            l.execute(hops);
            return await(hops.done);
        });
    }

    /** The floor: park and unpark a virtual thread on a minimal one-thread scheduler. */
    @Benchmark
    @OperationsPerInvocation(ROUND_TRIPS)
    public void floorParkUnparkOnMinimalCarrier() {
        MinimalCarrier carrier = new MinimalCarrier();
        Thread[] self = new Thread[1];
        Runnable unpark = () -> LockSupport.unpark(self[0]);
        Thread vt = carrier.newThread(() -> {
            for (int i = 0; i < ROUND_TRIPS; i++) {
                carrier.execute(unpark);
                LockSupport.park();
            }
        });
        self[0] = vt;
        vt.start();
        carrier.runWhile(vt::isAlive);
    }

    /**
     * The least an await of a future can cost on the minimal carrier: the same new future and
     * completing lambda per round trip as {@code spindleAwaitRoundTrip}, one completion, and a
     * waiter that parks until the future is done and is unparked by the task that completed it,
     * with no waiter slot to claim. Not a baseline: it splits the await's cost above the floor
     * into the future's share (this row) and the runtime's (the await row against this one).
     */
    @Benchmark
    @OperationsPerInvocation(ROUND_TRIPS)
    public int floorAwaitFutureOnMinimalCarrier() {
        MinimalCarrier carrier = new MinimalCarrier();
        Thread[] self = new Thread[1];
        int[] sum = new int[1];
        Thread vt = carrier.newThread(() -> {
            Thread me = self[0];
            int n = 0;
            for (int i = 0; i < ROUND_TRIPS; i++) {
                CompletableFuture<Integer> f = new CompletableFuture<>();
                carrier.execute(() -> {
                    f.complete(1);
                    LockSupport.unpark(me);
                });
                while (!f.isDone()) {
                    LockSupport.park();
                }
                n += f.join();
            }
            sum[0] = n;
        });
        self[0] = vt;
        vt.start();
        carrier.runWhile(vt::isAlive);
        return sum[0];
    }

    /** The floor of a callback hop: a task that re-queues itself on a minimal scheduler's deque. */
    @Benchmark
    @OperationsPerInvocation(ROUND_TRIPS)
    public int floorCallbackHopOnMinimalCarrier() {
        MinimalCarrier carrier = new MinimalCarrier();
        Hops hops = new Hops(carrier);
        carrier.execute(hops);
        carrier.runWhile(() -> !hops.done.isDone());
        return hops.done.join();
    }

    /** Two default-scheduler virtual threads handing a token back and forth with futures. */
    @Benchmark
    @OperationsPerInvocation(ROUND_TRIPS)
    public void virtualThreadsJoin() throws InterruptedException {
        pingPong(Thread.ofVirtual());
    }

    /** The same with the default scheduler confined to one carrier thread. */
    @Benchmark
    @OperationsPerInvocation(ROUND_TRIPS)
    @Fork(value = 1, jvmArgsAppend = {"--add-opens", "java.base/java.lang=ALL-UNNAMED",
        "-Djdk.virtualThreadScheduler.parallelism=1", "-Djdk.virtualThreadScheduler.maxPoolSize=1"})
    public void virtualThreadsJoinOneCarrier() throws InterruptedException {
        pingPong(Thread.ofVirtual());
    }

    /** Two platform threads handing a token back and forth with futures. */
    @Benchmark
    @OperationsPerInvocation(ROUND_TRIPS)
    public void platformThreadsJoin() throws InterruptedException {
        pingPong(Thread.ofPlatform());
    }

    /** Two platform threads handing a token back and forth through SynchronousQueues. */
    @Benchmark
    @OperationsPerInvocation(ROUND_TRIPS)
    public void platformThreadsSynchronousQueue() throws InterruptedException {
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

    private static void pingPong(Thread.Builder builder) throws InterruptedException {
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

    /** A callback that re-schedules itself {@link #ROUND_TRIPS} times through {@code scheduler}, then completes. */
    private static final class Hops implements Runnable {
        final CompletableFuture<Integer> done = new CompletableFuture<>();
        private final java.util.concurrent.Executor scheduler;
        private int left = ROUND_TRIPS;

        Hops(java.util.concurrent.Executor scheduler) {
            this.scheduler = scheduler;
        }

        @Override
        public void run() {
            if (--left == 0) {
                done.complete(ROUND_TRIPS);
            } else {
                scheduler.execute(this);
            }
        }
    }
}
