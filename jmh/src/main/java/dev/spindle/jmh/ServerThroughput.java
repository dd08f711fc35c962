package dev.spindle.jmh;

import dev.spindle.jmh.HelloServers.Running;
import dev.spindle.jmh.HelloServers.Server;
import java.io.File;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Hello world over keep-alive under {@code wrk -t1}, server by server: a measured program, not a
 * JMH benchmark (the load comes from another process). Every server of
 * {@link HelloServers#throughput()} runs in a JVM of its own on 127.0.0.1, all up at once; each
 * round runs wrk against every server in turn, at each connection count, starting one server
 * further each round, so that drift of the machine hits all alike. For each run it prints
 * requests per second, the p99 latency, and the server's CPU time per request from
 * {@code /proc/<pid>/stat}; a run during which other processes used more than {@code --max-other}
 * percent of the machine is repeated, up to {@code --retries} times (the quietest is kept and
 * flagged). The table gives medians over rounds, CPU per request as a ratio to the hand-written
 * NIO server.
 *
 * <pre>
 * java -cp jmh/target/benchmarks.jar dev.spindle.jmh.ServerThroughput \
 *     [--rounds 3] [--warmup 5] [--duration 10] [--connections 50,1000] [--servers spindle,nio,...]
 *     [--max-other 3] [--retries 3] [--smoke false]
 * </pre>
 *
 * <p>Exits with 1 when a server does not answer a GET, dies, or answers wrk with error statuses;
 * {@code --smoke true} skips the load, with a message, when wrk is not installed (the servers
 * must still answer), where a normal run fails.
 *
 * <p><b>Thread-safe:</b> not applicable (a main class).
 */
public final class ServerThroughput {
    /**
     * What to run.
     *
     * @param rounds measured rounds
     * @param warmup seconds of wrk per server and connection count before the first round
     * @param duration seconds per measured run
     * @param connections wrk's connection counts
     * @param maxOther percent of the machine other processes may use during a kept run
     * @param retries how often a run is repeated when other processes used more
     * @param smoke whether a missing wrk only skips the load
     * @param servers the servers
     */
    record Settings(int rounds, int warmup, int duration, List<Integer> connections, double maxOther, int retries,
            boolean smoke, List<Server> servers) {
        static Settings parse(String[] args) {
            Cli cli = new Cli(args, Set.of("rounds", "warmup", "duration", "connections", "servers", "max-other",
                    "retries", "smoke"));
            Settings s = new Settings(cli.integer("rounds", 3), cli.integer("warmup", 5), cli.integer("duration", 10),
                    cli.integers("connections", List.of(50, 1000)), cli.decimal("max-other", 3), cli.integer("retries", 3),
                    cli.flag("smoke"), HelloServers.select(HelloServers.throughput(), cli.list("servers", List.of())));
            if (s.duration < 1 || s.rounds < 1) {
                throw new IllegalArgumentException("--duration and --rounds must be at least 1: " + s);
            }
            return s;
        }
    }

    /** One kept run: what wrk and {@code /proc} said. */
    record Run(String server, int connections, double perSecond, double p99Millis, double cpuMicros, double otherPercent) {}

    private ServerThroughput() {}

    /**
     * Runs the comparison; see the class description for the options.
     *
     * @throws Exception if a server cannot be started or measured
     */
    public static void main(String[] args) throws Exception {
        System.exit(run(Settings.parse(args)) ? 0 : 1);
    }

    /** Runs the comparison and prints the table; false if a server broke. */
    static boolean run(Settings s) throws IOException, InterruptedException {
        if (!ProcStat.available()) {
            System.out.println("throughput: skipped, this machine has no Linux /proc to read CPU times from");
            return true;
        }
        File wrk = Wrk.find();
        List<Running> running = new ArrayList<>();
        try {
            for (Server server : s.servers) {
                running.add(server.start());
            }
            for (Running r : running) {
                r.checkAnswers();
            }
            System.out.println("throughput: " + running.size() + " servers answer GET /");
            if (wrk == null) {
                System.out.println("throughput: " + Wrk.INSTALL + (s.smoke ? "; load skipped" : ""));
                return s.smoke;
            }
            List<Run> runs = measure(s, wrk, running);
            report(s, runs);
            return true;
        } catch (IOException e) {
            System.out.println("throughput: FAILED: " + e.getMessage());
            return false;
        } finally {
            running.forEach(Running::close);
        }
    }

    private static List<Run> measure(Settings s, File wrk, List<Running> running) throws IOException, InterruptedException {
        if (s.warmup > 0) {
            for (int c : s.connections) {
                for (Running r : running) {
                    System.out.printf("throughput: warm-up %s c=%d %d s%n", r.server().name(), c, s.warmup);
                    check(r, Wrk.run(wrk, r.url(), c, s.warmup));
                }
            }
        }
        List<Run> runs = new ArrayList<>();
        for (int round = 0; round < s.rounds; round++) {
            List<Running> order = new ArrayList<>(running);
            Collections.rotate(order, -round);
            for (int c : s.connections) {
                for (Running r : order) {
                    Run run = quietest(s, wrk, r, running, c);
                    runs.add(run);
                    System.out.printf(Locale.ROOT, "throughput: round %d/%d c=%-4d %-9s %,9.0f req/s  p99 %7.2f ms"
                            + "  CPU %6.2f µs/req  other load %4.1f%%%s%n", round + 1, s.rounds, c, r.server().name(),
                            run.perSecond, run.p99Millis, run.cpuMicros, run.otherPercent,
                            run.otherPercent > s.maxOther ? " (over the limit: quietest of " + (s.retries + 1) + ")" : "");
                }
            }
        }
        return runs;
    }

    /** Runs wrk until other processes stayed under the limit or the retries are spent; the quietest run. */
    private static Run quietest(Settings s, File wrk, Running r, List<Running> all, int c)
            throws IOException, InterruptedException {
        Run best = null;
        for (int attempt = 0; attempt <= s.retries; attempt++) {
            Run run = sample(wrk, r, all, c, s.duration);
            if (best == null || run.otherPercent < best.otherPercent) {
                best = run;
            }
            if (run.otherPercent <= s.maxOther) {
                break;
            }
            if (attempt < s.retries) {
                System.out.printf(Locale.ROOT, "throughput: other processes used %.1f%% of the machine: again%n",
                        run.otherPercent);
            }
        }
        return best;
    }

    private static Run sample(File wrk, Running r, List<Running> all, int c, int seconds)
            throws IOException, InterruptedException {
        long busy0 = ProcStat.machineBusyTicks();
        long ours0 = serverTicks(all) + ProcStat.selfAndReapedChildrenTicks();
        long server0 = ProcStat.cpuTicks(r.jvm().pid());
        long t0 = System.nanoTime();
        Wrk.Result w = Wrk.run(wrk, r.url(), c, seconds);
        long t1 = System.nanoTime();
        long server1 = ProcStat.cpuTicks(r.jvm().pid());
        long ours1 = serverTicks(all) + ProcStat.selfAndReapedChildrenTicks();
        long busy1 = ProcStat.machineBusyTicks();
        check(r, w);
        double capacity = (t1 - t0) / 1e9 * ProcStat.TICKS_PER_SECOND * Runtime.getRuntime().availableProcessors();
        double other = Math.max(0, (busy1 - busy0) - (ours1 - ours0)) * 100 / capacity;
        double cpuMicros = w.requests() == 0 ? Double.NaN
                : (server1 - server0) * (1e6 / ProcStat.TICKS_PER_SECOND) / w.requests();
        return new Run(r.server().name(), c, w.perSecond(), w.p99Millis(), cpuMicros, other);
    }

    private static long serverTicks(List<Running> all) throws IOException {
        long sum = 0;
        for (Running r : all) {
            sum += ProcStat.cpuTicks(r.jvm().pid());
        }
        return sum;
    }

    /**
     * A server that died, or answered with errors, is broken. One that completed no request in a
     * short run on a loaded machine is not, as long as it still answers a fresh GET afterwards.
     */
    private static void check(Running r, Wrk.Result w) throws IOException {
        if (!r.jvm().isAlive()) {
            throw new IOException(r.server().name() + " died under load: " + r.jvm());
        }
        if (w.non2xx() > 0) {
            throw new IOException(r.server().name() + " answered " + w.non2xx() + " requests with an error status:\n"
                    + w.output());
        }
        if (w.requests() == 0) {
            r.checkAnswers();
            System.out.println("throughput: " + r.server().name() + " completed no request within the run (a loaded"
                    + " machine or a cold JVM) but answers a GET after it");
        }
    }

    private static void report(Settings s, List<Run> runs) {
        StringBuilder head = new StringBuilder("| server |");
        StringBuilder rule = new StringBuilder("|---|");
        for (int c : s.connections) {
            head.append(" c=").append(c).append(" req/s | CPU µs/req | × NIO | p99 ms |");
            rule.append("---|---|---|---|");
        }
        System.out.printf(Locale.ROOT, "%nthroughput: medians ± half the spread of %d round(s) × %d s, wrk -t1, after"
                + " %d s warm-up; most other load in a kept run %.1f%%%n%s%n%s%n", s.rounds, s.duration, s.warmup,
                runs.stream().mapToDouble(Run::otherPercent).max().orElse(0), head, rule);
        for (Server server : s.servers) {
            StringBuilder row = new StringBuilder("| " + server.label() + " (`" + server.name() + "`) |");
            for (int c : s.connections) {
                double[] rate = spread(runs, server.name(), c, Run::perSecond);
                double[] cpu = spread(runs, server.name(), c, Run::cpuMicros);
                double base = spread(runs, HelloServers.BASELINE, c, Run::cpuMicros)[0];
                row.append(String.format(Locale.ROOT, " %,.0f ± %,.0f | %.2f ± %.2f | %.2f | %.2f |", rate[0], rate[1],
                        cpu[0], cpu[1], cpu[0] / base, spread(runs, server.name(), c, Run::p99Millis)[0]));
            }
            System.out.println(row);
        }
    }

    /** The median of {@code f} over the kept runs of {@code server} at {@code c}, and half the spread (max - min). */
    private static double[] spread(List<Run> runs, String server, int c, java.util.function.ToDoubleFunction<Run> f) {
        double[] v = runs.stream().filter(r -> r.server.equals(server) && r.connections == c).mapToDouble(f)
                .filter(x -> !Double.isNaN(x)).sorted().toArray();
        if (v.length == 0) {
            return new double[] {Double.NaN, Double.NaN};
        }
        double median = v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
        return new double[] {median, (v[v.length - 1] - v[0]) / 2};
    }
}
