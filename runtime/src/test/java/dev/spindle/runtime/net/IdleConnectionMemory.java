package dev.spindle.runtime.net;

import static dev.spindle.runtime.Coroutines.await;

import dev.spindle.runtime.IOLoop;
import dev.spindle.runtime.testing.TestCertificates;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import javax.management.ObjectName;

/**
 * Measures the heap an idle connection costs a {@link TcpServer}: N clients (in a child JVM)
 * connect and send nothing, while each server handler coroutine is parked in
 * {@code readUntil("\r\n\r\n")}, as an HTTP server waits for the next request. Reports the heap
 * after a full GC minus the baseline, per connection, by {@code MemoryMXBean} and by the class
 * histogram, with the classes that grew most. With {@code tls}, the connections are TLS ones,
 * each idle after its handshake.
 *
 * <pre>
 * java --add-opens java.base/java.lang=ALL-UNNAMED -cp CLASSPATH dev.spindle.runtime.net.IdleConnectionMemory [N [ROUNDS [tls]]]
 * </pre>
 */
public final class IdleConnectionMemory {
    private IdleConnectionMemory() {}

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        boolean tls = args.length > 2 && args[2].equals("tls");
        TestCertificates certs = tls ? TestCertificates.create("localhost", "127.0.0.1") : null;
        AtomicInteger live = new AtomicInteger();
        AtomicInteger parked = new AtomicInteger();
        @SuppressWarnings("unchecked")
        CompletableFuture<Void>[] target = new CompletableFuture[] {new CompletableFuture<>()};
        IOLoop loop = IOLoop.create();
        TcpServer server = TcpServer.create(loop, (stream, address) -> {
            live.incrementAndGet();
            try {
                if (parked.incrementAndGet() == n) {
                    target[0].complete(null);
                }
                await(stream.readUntil("\r\n\r\n", 8192));
            } finally {
                live.decrementAndGet();
            }
        }).backlog(4096).tls(tls ? TlsOptions.server(certs.serverContext()).withHandshakeTimeout(Duration.ofMinutes(5)) : null)
                .listen(0, NetTestSupport.LOOPBACK);
        Thread.ofPlatform().name("server-loop").daemon().start(loop::start);

        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        String mode = tls ? "idle-tls" : "idle";
        runClients(mode, server.port(), 200, null); // Load classes, create the loop's buffers.
        for (int round = 1; round <= rounds; round++) {
            while (live.get() > 0) {
                Thread.sleep(50);
            }
            parked.set(0);
            CompletableFuture<Void> allParked = new CompletableFuture<>();
            target[0] = allParked;
            Snapshot base = Snapshot.take();
            int r = round;
            runClients(mode, server.port(), n, () -> {
                allParked.join();
                CompletableFuture<Void> turn = new CompletableFuture<>();
                loop.execute(() -> turn.complete(null)); // The last handler has parked by now.
                turn.join();
                System.out.printf("round %d (%s):%n", r, r == 1 ? "cold: first time these frames park" : "warmer JIT");
                report(n, base, Snapshot.take(), r == rounds);
            });
        }
        loop.close();
    }

    /** Runs a child JVM with {@code n} idle connections; {@code whileConnected} runs while they are open. */
    private static void runClients(String mode, int port, int n, Action whileConnected) throws Exception {
        Process child = LoadClient.start(mode, Integer.toString(port), Integer.toString(n));
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream()))) {
            String line = out.readLine();
            if (line == null || !line.equals("CONNECTED " + n)) {
                throw new IllegalStateException("client said: " + line);
            }
            if (whileConnected != null) {
                whileConnected.run();
            }
            child.getOutputStream().close();
            out.readLine();
            child.waitFor();
        } finally {
            child.destroyForcibly();
        }
    }

    private static void report(int n, Snapshot base, Snapshot idle, boolean byClass) {
        System.out.printf("heap used after GC (MemoryMXBean): %,d -> %,d bytes: %,d bytes per connection%n",
                base.used, idle.used, (idle.used - base.used) / n);
        System.out.printf("live objects (class histogram):    %,d -> %,d bytes: %,d bytes per connection%n",
                base.total, idle.total, (idle.total - base.total) / n);
        if (!byClass) {
            return;
        }
        List<Map.Entry<String, Long>> grown = new ArrayList<>();
        idle.bytes.forEach((cls, b) -> grown.add(Map.entry(cls, b - base.bytes.getOrDefault(cls, 0L))));
        grown.sort(Map.Entry.<String, Long>comparingByValue().reversed());
        System.out.println("bytes per connection by class:");
        for (Map.Entry<String, Long> e : grown.subList(0, Math.min(25, grown.size()))) {
            if (e.getValue() >= n) {
                System.out.printf("  %6.1f  %s%n", (double) e.getValue() / n, e.getKey());
            }
        }
    }

    private interface Action {
        void run() throws Exception;
    }

    /** Heap after a full GC. */
    private record Snapshot(long used, long total, Map<String, Long> bytes) {
        static Snapshot take() throws Exception {
            for (int i = 0; i < 3; i++) {
                System.gc();
            }
            long used = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
            String histogram = (String) ManagementFactory.getPlatformMBeanServer().invoke(
                    new ObjectName("com.sun.management:type=DiagnosticCommand"), "gcClassHistogram",
                    new Object[] {null}, new String[] {String[].class.getName()});
            Map<String, Long> bytes = new HashMap<>();
            long total = 0;
            for (String line : histogram.split("\n")) {
                String[] f = line.trim().split("\\s+");
                if (f.length >= 4 && f[0].endsWith(":")) {
                    bytes.merge(f[3], Long.parseLong(f[2]), Long::sum);
                } else if (f.length == 3 && f[0].equals("Total")) {
                    total = Long.parseLong(f[2]);
                }
            }
            return new Snapshot(used, total, bytes);
        }
    }
}
