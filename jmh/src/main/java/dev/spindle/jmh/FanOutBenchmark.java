package dev.spindle.jmh;

import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Fan-out: {@code requests} concurrent GETs (100, 1,000, 10,000) to a local server in a child JVM
 * that delays each response by 100 ms ({@link FanOutLoad}), all in flight at once; one operation
 * is one whole fan-out, timed as a single shot (ms). Rows:
 *
 * <ul>
 * <li>{@code spindleOneLoop}: Spindle's {@code AsyncHttpClient} on one loop (the subject);
 * <li>{@code spindleLoopGroup}: the same client on a {@code LoopGroup} of one loop per core, the
 *     fan-out split evenly over the loops;
 * <li>{@code virtualThreadPerRequest}: one default virtual thread per request, blocking sockets
 *     (the baseline);
 * <li>{@code platformThreadPerRequest}: one platform thread per request, the same code;
 * <li>{@code jdkHttpClientAsync}: the JDK's {@code java.net.http.HttpClient}, {@code sendAsync}.
 * </ul>
 *
 * <p>{@code connections=new}: each request opens a connection (connect, request, response; the
 * close is not timed); {@code keepAlive}: each request finds one open, from a fan-out made in the
 * iteration's setup. The client's CPU time per fan-out comes as the secondary result
 * {@code clientCpu} with {@code -prof dev.spindle.jmh.ClientCpuProfiler} (the suite passes it), and
 * the server JVM's CPU time in the same fan-out as {@code serverCpu}: on 2 cores the two share
 * the machine, so their sum bounds how fast a fan-out can be.
 *
 * <p>Run: {@code java -jar jmh/target/benchmarks.jar FanOutBenchmark -prof dev.spindle.jmh.ClientCpuProfiler}
 * ({@code -p requests=10000 -p connections=new} for one case). The server and the client each
 * hold up to 10,000 sockets: they are in different JVMs because of the per-process descriptor
 * limit.
 *
 * <p><b>Thread-safe:</b> not applicable; JMH confines each state to its benchmark thread.
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 5)
@Measurement(iterations = 5)
@Fork(value = 1, jvmArgsAppend = {"--add-opens", "java.base/java.lang=ALL-UNNAMED"})
public class FanOutBenchmark {
    /** One fan-out of a client: how many requests got a 200. */
    private interface FanOut {
        int run() throws Exception;
    }

    @Benchmark
    public int spindleOneLoop(FanOutLoad load, FanOutClients.SpindleOneLoop client) throws Exception {
        return measured(load, () -> client.fanOut(load));
    }

    @Benchmark
    public int spindleLoopGroup(FanOutLoad load, FanOutClients.SpindleLoopGroup client) throws Exception {
        return measured(load, () -> client.fanOut(load));
    }

    @Benchmark
    public int virtualThreadPerRequest(FanOutLoad load, FanOutClients.Blocking client) throws Exception {
        return measured(load, () -> client.fanOut(load, Executors.newVirtualThreadPerTaskExecutor()));
    }

    @Benchmark
    public int platformThreadPerRequest(FanOutLoad load, FanOutClients.Blocking client) throws Exception {
        return measured(load, () -> client.fanOut(load, Executors.newThreadPerTaskExecutor(Thread.ofPlatform().factory())));
    }

    @Benchmark
    public int jdkHttpClientAsync(FanOutLoad load, FanOutClients.Jdk client) throws Exception {
        return measured(load, () -> client.fanOut(load));
    }

    /**
     * Runs {@code fanOut} with its CPU time, and the server's meanwhile, counted for
     * {@link ClientCpuProfiler}; fails unless all got a 200.
     */
    private static int measured(FanOutLoad load, FanOut fanOut) throws Exception {
        long server = load.serverCpuTicks();
        long cpu = ClientCpu.start();
        int ok = fanOut.run();
        ClientCpu.stop(cpu, load.serverCpuTicks() - server);
        return load.check(ok);
    }
}
