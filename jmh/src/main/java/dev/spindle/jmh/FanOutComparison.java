package dev.spindle.jmh;

import static dev.spindle.runtime.Coroutines.all;
import static dev.spindle.runtime.Coroutines.await;

import dev.spindle.http.HttpResponse;
import dev.spindle.http.client.AsyncHttpClient;
import dev.spindle.http.client.HttpClientOptions;
import dev.spindle.runtime.IOLoop;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Fan-out: N concurrent GETs to a local server that delays each response 100 ms, all in flight
 * at once, done four ways in the same JVM, round-robin over several rounds, printing wall time
 * and this JVM's CPU time (the server runs in a child JVM, {@link FanOutServer}):
 *
 * <ul>
 * <li>{@code platform}: one platform thread per request, blocking {@link Socket} I/O;
 * <li>{@code virtual}: one default virtual thread per request, the same blocking code;
 * <li>{@code spindle}: one {@link IOLoop} and an {@link AsyncHttpClient} with {@code maxClients =
 *     N}, new connections (its pool starts empty each round);
 * <li>{@code spindle-warm}: the same client again, over the N connections its pool kept.
 * <li>{@code spindle-loops}: one loop per core, each on its own platform thread with its own
 *     client, splitting the requests between them (DESIGN "Scale").
 * </ul>
 *
 * <p>Every request opens a new connection except in {@code spindle-warm}. Not a JMH benchmark:
 * one fan-out is a single long operation; rounds stand in for iterations, and the first round is
 * the cold one.
 *
 * <p>Run: {@code mvn -B -q -DskipTests package exec:exec@fanout -pl jmh -am} (arguments with
 * {@code -Dfanout.args="N rounds delayMs [clients]"}, default {@code 10000 3 100}; clients is a
 * comma-separated subset such as {@code spindle,spindle-warm}).
 *
 * <p><b>Thread-safe:</b> not applicable (a main class).
 */
public final class FanOutComparison {
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    private FanOutComparison() {}

    /** One way of doing the fan-out: returns how many requests got a 200. */
    private interface Client {
        int run(int port, int n) throws Exception;
    }

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        long delay = args.length > 2 ? Long.parseLong(args[2]) : 100;
        List<String> only = args.length > 3 ? List.of(args[3].split(",")) : List.of();
        Process server = startServer(delay, rounds * 5);
        try {
            int[] ports = readPorts(server);
            int run = 0;
            SpindleClient spindle = new SpindleClient();
            Map<String, Client> clients = new LinkedHashMap<>();
            clients.put("platform", (p, k) -> blockingFanOut(p, k, Executors.newThreadPerTaskExecutor(
                    Thread.ofPlatform().factory())));
            clients.put("virtual", (p, k) -> blockingFanOut(p, k, Executors.newVirtualThreadPerTaskExecutor()));
            // Before spindle: its loops close their pools, while spindle's pool stays open for
            // spindle-warm until the end of the round (the descriptors would not fit both).
            clients.put("spindle-loops", FanOutComparison::loopPerCore);
            clients.put("spindle", spindle::cold);
            clients.put("spindle-warm", spindle::warm);
            if (!only.isEmpty()) {
                clients.keySet().retainAll(only);
            }
            Map<String, List<long[]>> results = new LinkedHashMap<>();
            System.out.printf("fan-out of %d GETs, server delay %d ms, %d rounds, %d CPUs%n", n, delay, rounds,
                    Runtime.getRuntime().availableProcessors());
            for (int r = 0; r < rounds; r++) {
                for (Map.Entry<String, Client> c : clients.entrySet()) {
                    System.gc();
                    // A fresh server port per run; spindle-warm reuses spindle's connections.
                    int port = ports[c.getKey().equals("spindle-warm") ? run - 1 : run];
                    run++;
                    long[] m = measure(c.getValue(), port, n);
                    results.computeIfAbsent(c.getKey(), k -> new ArrayList<>()).add(m);
                    System.out.printf("round %d %-13s wall %5d ms  cpu %5d ms  gc %4d ms%n", r + 1, c.getKey(), m[0],
                            m[1], m[2]);
                }
                spindle.close();
            }
            report(results);
        } finally {
            server.getOutputStream().close();
            server.waitFor();
        }
    }

    private static long[] measure(Client c, int port, int n) throws Exception {
        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        long cpu0 = os.getProcessCpuTime();
        long[] us0 = userSys();
        long main0 = ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
        long gc0 = gcMillis();
        long t0 = System.nanoTime();
        int ok = c.run(port, n);
        long wall = (System.nanoTime() - t0) / 1_000_000;
        long cpu = (os.getProcessCpuTime() - cpu0) / 1_000_000;
        long[] us1 = userSys();
        long main = (ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime() - main0) / 1_000_000;
        if (Boolean.getBoolean("fanout.detail")) {
            System.out.printf("    user %d ms, sys %d ms, main thread %d ms%n", us1[0] - us0[0], us1[1] - us0[1], main);
        }
        if (ok != n) {
            throw new IllegalStateException(ok + " of " + n + " requests succeeded");
        }
        return new long[] {wall, cpu, gcMillis() - gc0};
    }

    /** Time the collectors report spent collecting (for G1's young collections: their pauses). */
    private static long gcMillis() {
        return ManagementFactory.getGarbageCollectorMXBeans().stream()
                .mapToLong(java.lang.management.GarbageCollectorMXBean::getCollectionTime).sum();
    }

    /** User and system CPU of this process in ms, from /proc (Linux), else zeros. */
    private static long[] userSys() {
        try {
            String stat = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/self/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return new long[] {Long.parseLong(f[11]) * 10, Long.parseLong(f[12]) * 10}; // 100 ticks per second
        } catch (IOException | RuntimeException e) {
            return new long[2];
        }
    }

    private static void report(Map<String, List<long[]>> results) {
        long[] virtual = results.containsKey("virtual") ? median(results.get("virtual")) : new long[] {1, 1};
        System.out.println("median over rounds (first round = cold JVM):");
        for (Map.Entry<String, List<long[]>> e : results.entrySet()) {
            long[] m = median(e.getValue());
            System.out.printf("%-13s wall %5d ms (%.2fx virtual)  cpu %5d ms (%.2fx virtual)%n", e.getKey(), m[0],
                    (double) m[0] / virtual[0], m[1], (double) m[1] / virtual[1]);
        }
    }

    private static long[] median(List<long[]> ms) {
        long[] wall = ms.stream().mapToLong(m -> m[0]).sorted().toArray();
        long[] cpu = ms.stream().mapToLong(m -> m[1]).sorted().toArray();
        return new long[] {wall[wall.length / 2], cpu[cpu.length / 2]};
    }

    /** The same blocking client code on one thread per request of {@code executor}. */
    private static int blockingFanOut(int port, int n, ExecutorService executor) throws Exception {
        AtomicInteger ok = new AtomicInteger();
        try (executor) {
            List<Future<?>> fs = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                fs.add(executor.submit(() -> {
                    if (blockingGet(port) == 200) {
                        ok.incrementAndGet();
                    }
                    return null;
                }));
            }
            for (Future<?> f : fs) {
                f.get();
            }
        }
        return ok.get();
    }

    /** GET / over a new connection with blocking socket I/O; returns the status code. */
    static int blockingGet(int port) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(LOOPBACK, port));
            s.setTcpNoDelay(true);
            OutputStream out = s.getOutputStream();
            out.write(("GET / HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            InputStream in = s.getInputStream();
            byte[] buf = new byte[1024];
            int have = 0;
            int end;
            while ((end = indexOf(buf, have)) < 0) {
                int k = in.read(buf, have, buf.length - have);
                if (k < 0) {
                    throw new IOException("closed after " + have + " bytes");
                }
                have += k;
            }
            String head = new String(buf, 0, end, StandardCharsets.ISO_8859_1);
            int length = contentLength(head);
            for (int body = have - end - 4; body < length; ) {
                int k = in.read(buf, 0, buf.length);
                if (k < 0) {
                    throw new IOException("closed in the body");
                }
                body += k;
            }
            return Integer.parseInt(head.substring(9, 12));
        }
    }

    private static int indexOf(byte[] b, int n) {
        for (int i = 0; i + 3 < n; i++) {
            if (b[i] == '\r' && b[i + 1] == '\n' && b[i + 2] == '\r' && b[i + 3] == '\n') {
                return i;
            }
        }
        return -1;
    }

    private static int contentLength(String head) {
        for (String line : head.split("\r\n")) {
            if (line.regionMatches(true, 0, "Content-Length:", 0, 15)) {
                return Integer.parseInt(line.substring(15).strip());
            }
        }
        return 0;
    }

    /**
     * One loop per core (DESIGN "Scale"), each on its own platform thread with its own client,
     * fetching its share of the {@code n} requests on new connections.
     */
    private static int loopPerCore(int port, int n) throws Exception {
        int loops = Runtime.getRuntime().availableProcessors();
        List<java.util.concurrent.Future<Integer>> parts = new ArrayList<>();
        try (ExecutorService carriers = Executors.newFixedThreadPool(loops)) {
            for (int i = 0; i < loops; i++) {
                int share = n / loops + (i < n % loops ? 1 : 0);
                parts.add(carriers.submit(() -> {
                    SpindleClient c = new SpindleClient();
                    try {
                        return c.cold(port, share);
                    } finally {
                        c.close();
                    }
                }));
            }
            int ok = 0;
            for (java.util.concurrent.Future<Integer> f : parts) {
                ok += f.get();
            }
            return ok;
        }
    }

    /** One loop and one client; {@code cold} starts with an empty pool, {@code warm} reuses it. */
    private static final class SpindleClient {
        private IOLoop loop;
        private AsyncHttpClient client;

        int cold(int port, int n) {
            close();
            loop = IOLoop.create();
            client = AsyncHttpClient.create(loop, HttpClientOptions.DEFAULTS.withMaxClients(n).withMaxIdlePerOrigin(n)
                    .withRequestTimeout(Duration.ofSeconds(60)).withConnectTimeout(Duration.ofSeconds(60)));
            return warm(port, n);
        }

        int warm(int port, int n) {
            String url = "http://127.0.0.1:" + port + "/";
            return loop.runSync(() -> {
                List<CompletableFuture<HttpResponse>> fs = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    fs.add(client.fetch(url));
                }
                int ok = 0;
                for (HttpResponse r : await(all(fs))) {
                    ok += r.code() == 200 ? 1 : 0;
                }
                return ok;
            });
        }

        void close() {
            if (loop != null) {
                client.close();
                loop.close();
                loop = null;
            }
        }
    }

    private static Process startServer(long delay, int ports) throws IOException {
        String java = ProcessHandle.current().info().command().orElse("java");
        return new ProcessBuilder(java, "-Xss256k", "-cp", System.getProperty("java.class.path"),
                FanOutServer.class.getName(), Long.toString(delay), Integer.toString(ports))
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
    }

    private static int[] readPorts(Process server) throws IOException {
        BufferedReader r = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8));
        String line = r.readLine();
        if (line == null || !line.startsWith("PORTS ")) {
            throw new IOException("the server did not start: " + line);
        }
        return java.util.Arrays.stream(line.substring(6).strip().split(" ")).mapToInt(Integer::parseInt).toArray();
    }
}
