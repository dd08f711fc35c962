package dev.spindle.jmh;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Everything in one command, at one of three sizes, printing progress as it goes and the tables
 * at the end: the JMH benchmarks {@link AwaitBenchmark}, {@link SpawnBenchmark},
 * {@link SyncBenchmark} and {@link FanOutBenchmark}, then the measured programs
 * {@link ServerThroughput} and {@link IdleMemory}.
 *
 * <table class="striped">
 * <caption>Sizes</caption>
 * <tr><th>size</th><th>Await, Spawn, Sync</th><th>FanOut</th><th>throughput</th><th>idle memory</th></tr>
 * <tr><td>{@code smoke}</td><td>1 fork, 1 × 100 ms</td><td>100 requests, 1 shot</td>
 *     <td>1 round × 1 s, no warm-up</td><td>200 connections</td></tr>
 * <tr><td>{@code quick}</td><td>1 fork, 2 × 0.3 s warm-up, 5 × 0.3 s</td>
 *     <td>10,000, 1 + 3 shots</td><td>2 rounds × 4 s, 2 s warm-up, 1 retry</td>
 *     <td>10,000, 2 bursts</td></tr>
 * <tr><td>{@code full}</td><td>2 forks, 3 × 1 s warm-up, 5 × 1 s</td>
 *     <td>100, 1,000, 10,000, 5 + 5 shots</td><td>3 rounds × 10 s, 5 s warm-up, 3 retries</td>
 *     <td>10,000, 2 bursts</td></tr>
 * </table>
 *
 * <pre>
 * java -cp jmh/target/benchmarks.jar dev.spindle.jmh.Suite quick|full|smoke [--only jmh,fanout,https,throughput,memory]
 * </pre>
 *
 * <p>Exits with 1 when a benchmark throws, or a server does not answer, dies or fails its load;
 * never because of a number. {@code smoke} is what {@code .ci/run} runs.
 *
 * <p><b>Thread-safe:</b> not applicable (a main class).
 */
public final class Suite {
    private static final List<String> PARTS = List.of("jmh", "fanout", "https", "throughput", "memory");

    private final String size;
    private final long start = System.nanoTime();

    private Suite(String size) {
        this.size = size;
    }

    /**
     * Runs the suite.
     *
     * @param args the size, then optionally {@code --only} and a comma-separated list of parts
     * @throws Exception if a part cannot run at all
     */
    public static void main(String[] args) throws Exception {
        if (args.length == 0 || !List.of("smoke", "quick", "full").contains(args[0])) {
            throw new IllegalArgumentException("usage: Suite smoke|quick|full [--only " + String.join(",", PARTS) + "]");
        }
        Cli cli = new Cli(java.util.Arrays.copyOfRange(args, 1, args.length), Set.of("only"));
        List<String> only = cli.list("only", PARTS);
        if (!PARTS.containsAll(only)) {
            throw new IllegalArgumentException("--only takes parts of " + PARTS + ", not " + only);
        }
        System.exit(new Suite(args[0]).run(only) ? 0 : 1);
    }

    private boolean run(List<String> parts) throws Exception {
        progress("suite " + size + " on " + Runtime.version() + ", " + Runtime.getRuntime().availableProcessors()
                + " CPUs, load average " + loadAverage());
        List<RunResult> results = new ArrayList<>();
        boolean ok = true;
        if (parts.contains("jmh")) {
            progress("JMH: AwaitBenchmark, SpawnBenchmark, SyncBenchmark");
            ok &= jmh(micro(), results);
        }
        if (parts.contains("fanout")) {
            progress("JMH: FanOutBenchmark");
            ok &= jmh(fanOut(), results);
        }
        if (parts.contains("https")) {
            progress("https fan-out: Spindle and the JDK's HttpClient, a handshake per request and a warm pool");
            ok &= https();
        }
        if (parts.contains("throughput")) {
            progress("throughput under wrk");
            ok &= ServerThroughput.run(throughput());
        }
        if (parts.contains("memory")) {
            progress("idle memory");
            ok &= IdleMemory.run(memory());
        }
        if (!results.isEmpty()) {
            progress("JMH results (" + jmhSettings() + ")");
            SuiteReport.print(results);
        }
        progress("suite " + size + (ok ? " done" : " FAILED") + ", load average " + loadAverage());
        return ok;
    }

    private boolean jmh(ChainedOptionsBuilder options, List<RunResult> results) {
        try {
            Collection<RunResult> r = new Runner(options.shouldFailOnError(true).build()).run();
            results.addAll(r);
            return true;
        } catch (RunnerException e) {
            System.out.println("JMH: FAILED: " + e.getMessage());
            return false;
        }
    }

    private ChainedOptionsBuilder micro() {
        ChainedOptionsBuilder o = new OptionsBuilder().include("dev\\.spindle\\.jmh\\.(Await|Spawn|Sync)Benchmark\\.");
        return switch (size) {
            case "smoke" -> o.forks(1).warmupIterations(0).measurementIterations(1).measurementTime(TimeValue.milliseconds(100));
            case "quick" -> o.forks(1).warmupIterations(2).warmupTime(TimeValue.milliseconds(300))
                    .measurementIterations(5).measurementTime(TimeValue.milliseconds(300));
            default -> o.forks(2);
        };
    }

    private ChainedOptionsBuilder fanOut() {
        ChainedOptionsBuilder o = new OptionsBuilder().include("dev\\.spindle\\.jmh\\.FanOutBenchmark\\.")
                .addProfiler(ClientCpuProfiler.class);
        return switch (size) {
            case "smoke" -> o.param("requests", "100").warmupIterations(0).measurementIterations(1);
            case "quick" -> o.param("requests", "10000").warmupIterations(1).measurementIterations(3);
            default -> o;
        };
    }

    /** The https fan-out driver (http's HttpsFanOut): N requests, C in flight, rounds. */
    private boolean https() {
        String[] args = switch (size) {
            case "smoke" -> new String[] {"40", "10", "1"};
            case "quick" -> new String[] {"1000", "100", "2"};
            default -> new String[] {"2000", "100", "3"};
        };
        // In a JVM of its own: its clients run loops, which need the flag this JVM may lack.
        List<String> cmd = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
                "--add-opens", "java.base/java.lang=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                "dev.spindle.http.client.HttpsFanOut"));
        cmd.addAll(List.of(args));
        try {
            int exit = new ProcessBuilder(cmd).inheritIO().start().waitFor();
            if (exit != 0) {
                System.out.println("https fan-out: FAILED: exit status " + exit);
            }
            return exit == 0;
        } catch (java.io.IOException e) {
            System.out.println("https fan-out: FAILED: " + e);
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private ServerThroughput.Settings throughput() {
        String[] args = switch (size) {
            case "smoke" -> new String[] {"--rounds", "1", "--warmup", "0", "--duration", "1", "--retries", "0",
                "--smoke", "true"};
            case "quick" -> new String[] {"--rounds", "2", "--warmup", "2", "--duration", "4", "--retries", "1"};
            default -> new String[0];
        };
        return ServerThroughput.Settings.parse(args);
    }

    private IdleMemory.Settings memory() {
        return IdleMemory.Settings.parse(size.equals("smoke") ? new String[] {"--connections", "200", "--bursts", "1"}
                : new String[0]);
    }

    private String jmhSettings() {
        return switch (size) {
            case "smoke" -> "smoke: 1 fork, no warm-up, 1 iteration; FanOut 1 shot";
            case "quick" -> "quick: 1 fork, 2 × 300 ms warm-up, 5 × 300 ms measured; FanOut 1 + 3 shots";
            default -> "full: 2 forks, 3 × 1 s warm-up, 5 × 1 s measured; FanOut 1 fork, 5 + 5 shots";
        };
    }

    private void progress(String what) {
        long s = (System.nanoTime() - start) / 1_000_000_000L;
        System.out.printf(Locale.ROOT, "%n[suite %02d:%02d] %s%n", s / 60, s % 60, what);
        System.out.flush();
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).strip();
        } catch (java.io.IOException e) {
            return "unknown";
        }
    }
}
