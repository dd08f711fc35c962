package dev.spindle.jmh;

import dev.spindle.jmh.HelloServers.Running;
import dev.spindle.jmh.HelloServers.Server;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * What an idle keep-alive HTTP connection costs a server: a measured program, not a JMH
 * benchmark (the connections come from another process). For each server of
 * {@link HelloServers#idleMemory()}, in a fresh JVM of its own: the heap after two full
 * collections and the resident set size (RSS, from {@code /proc/<pid>/status}) are read, then
 * {@link IdleClients} in another JVM opens {@code --connections} connections (default 10,000),
 * each sends one {@code GET /}, reads the answer and stays open and idle, and both are read
 * again. Per connection = the difference / connections. A second burst in the same server JVM,
 * once the first connections are gone, shows the cost once the JIT has compiled the server's
 * idle path (the first burst runs interpreted frames on a cold JVM). RSS is given for the first
 * burst only: a JVM does not hand memory back at once, so the second burst mostly reuses it.
 * RSS counts what the heap does not: platform thread stacks, direct buffers, the JVM's own.
 *
 * <pre>
 * java -cp jmh/target/benchmarks.jar dev.spindle.jmh.IdleMemory [--connections 10000] [--bursts 2]
 *     [--servers spindle,nio,netty,virtual,platform]
 * </pre>
 *
 * <p><b>Thread-safe:</b> not applicable (a main class).
 */
public final class IdleMemory {
    /**
     * What to run.
     *
     * @param connections idle connections per burst
     * @param bursts bursts per server JVM, the first on a fresh JVM
     * @param servers the servers
     */
    record Settings(int connections, int bursts, List<Server> servers) {
        static Settings parse(String[] args) {
            Cli cli = new Cli(args, Set.of("connections", "bursts", "servers"));
            Settings s = new Settings(cli.integer("connections", 10_000), cli.integer("bursts", 2),
                    HelloServers.select(HelloServers.idleMemory(), cli.list("servers", List.of())));
            if (s.connections < 1 || s.bursts < 1) {
                throw new IllegalArgumentException("--connections and --bursts must be at least 1: " + s);
            }
            return s;
        }
    }

    /** Bytes per idle connection of one server: heap for each burst, RSS for the first. */
    record Result(Server server, double[] heapPerConnection, double rssPerConnection) {}

    private IdleMemory() {}

    /**
     * Runs the measurement; see the class description for the options.
     *
     * @throws Exception if a server cannot be started or measured
     */
    public static void main(String[] args) throws Exception {
        System.exit(run(Settings.parse(args)) ? 0 : 1);
    }

    /** Measures every server and prints the table; false if one broke. */
    static boolean run(Settings s) throws InterruptedException {
        if (!ProcStat.available()) {
            System.out.println("idle memory: skipped, this machine has no Linux /proc to read RSS from");
            return true;
        }
        List<Result> results = new ArrayList<>();
        for (Server server : s.servers) {
            try {
                results.add(measure(s, server));
            } catch (IOException e) {
                System.out.println("idle memory: FAILED: " + server.name() + ": " + e.getMessage());
                return false;
            }
        }
        System.out.printf("%nidle memory: bytes per idle keep-alive connection, %,d connections, heap after full GC;"
                + " burst 1 on a fresh server JVM%n| server | heap, burst 1 |%s RSS, burst 1 |%n|---|---|%s---|%n",
                s.connections, s.bursts > 1 ? " heap, burst 2 |" : "", s.bursts > 1 ? "---|" : "");
        for (Result r : results) {
            System.out.printf(Locale.ROOT, "| %s (`%s`) | %,.0f |%s %,.0f |%n", r.server.label(), r.server.name(),
                    r.heapPerConnection[0], s.bursts > 1 ? String.format(Locale.ROOT, " %,.0f |", r.heapPerConnection[1]) : "",
                    r.rssPerConnection);
        }
        return true;
    }

    private static Result measure(Settings s, Server server) throws IOException, InterruptedException {
        try (Running r = server.start()) {
            r.checkAnswers();
            long pid = r.jvm().pid();
            int files = ProcStat.openFiles(pid);
            double[] heap = new double[s.bursts];
            double rss = 0;
            for (int b = 0; b < s.bursts; b++) {
                long heap0 = heap(r);
                long rss0 = ProcStat.rssBytes(pid);
                try (ChildJvm clients = ChildJvm.start("idle-clients", IdleClients.class, List.of("-Xmx256m"),
                        List.of(Integer.toString(r.port()), Integer.toString(s.connections)))) {
                    clients.awaitLine("IDLE ");
                    heap[b] = (double) (heap(r) - heap0) / s.connections;
                    if (b == 0) {
                        rss = (double) (ProcStat.rssBytes(pid) - rss0) / s.connections;
                    }
                }
                System.out.printf(Locale.ROOT, "idle memory: %-8s burst %d: %,6.0f B heap per connection%s%n",
                        server.name(), b + 1, heap[b], b == 0 ? String.format(Locale.ROOT, ", %,6.0f B RSS", rss) : "");
                awaitClosed(r, files);
            }
            return new Result(server, heap, rss);
        }
    }

    private static long heap(Running r) throws IOException {
        return Long.parseLong(r.jvm().ask("heap", "HEAP ").substring(5).strip());
    }

    /** Waits, at most 60 s, until the server has closed the connections of a burst (its descriptors are back). */
    private static void awaitClosed(Running r, int files) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (ProcStat.openFiles(r.jvm().pid()) > files + 16) {
            if (System.nanoTime() > deadline) {
                throw new IOException(r.server().name() + " still holds " + ProcStat.openFiles(r.jvm().pid())
                        + " descriptors 60 s after its clients left");
            }
            Thread.sleep(100); // A measured program polling /proc, not a test.
        }
    }
}
