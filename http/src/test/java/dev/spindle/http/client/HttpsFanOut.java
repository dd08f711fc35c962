package dev.spindle.http.client;

import static dev.spindle.runtime.Coroutines.all;
import static dev.spindle.runtime.Coroutines.await;

import dev.spindle.http.HttpResponse;
import dev.spindle.runtime.IOLoop;
import dev.spindle.runtime.net.TlsOptions;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * https fan-out: N GETs, C in flight at once, to {@link HttpsHelloServer} in a child JVM, done
 * four ways in this JVM, round-robin over several rounds, printing wall time, requests per
 * second and this JVM's CPU time (user + system, all threads) per request:
 *
 * <ul>
 * <li>{@code spindle-handshake}: one loop, an {@link AsyncHttpClient} with {@code maxClients = C},
 *     fetching {@code /close}: every request opens a connection and makes a full TLS handshake;
 * <li>{@code jdk-handshake}: the JDK's {@code java.net.http.HttpClient} (HTTP/1.1, async, a
 *     window of C requests), the same {@code /close};
 * <li>{@code spindle-warm}: the same Spindle client shape fetching {@code /hello} over the C
 *     connections its pool kept from a first warm-up fan-out (no handshake in the measured part);
 * <li>{@code jdk-warm}: the JDK client fetching {@code /hello} over its own pool, warmed the same way.
 * </ul>
 *
 * <p>Not a JMH benchmark: one fan-out is a single long operation; rounds stand in for
 * iterations, and the first round is the cold one.
 *
 * <p>Run, from the repository root:
 * <pre>
 * mvn -B -q -pl http -am test-compile -DskipTests
 * /usr/lib/jvm/temurin-25-jdk-amd64/bin/java --add-opens java.base/java.lang=ALL-UNNAMED \
 *     -cp http/target/test-classes:http/target/classes:runtime/target/classes \
 *     dev.spindle.http.client.HttpsFanOut 2000 100 3
 * </pre>
 * Arguments: N (default 2000), C (default 100), rounds (default 3), and optionally a
 * comma-separated subset of the clients.
 *
 * <p><b>Thread-safe:</b> not applicable (a main class).
 */
public final class HttpsFanOut {
    private static final Duration PATIENCE = Duration.ofMinutes(2);

    private HttpsFanOut() {}

    /** One way of doing the fan-out: returns how many requests got {@code hello}. */
    private interface Client {
        int run(String url, int n, int c) throws Exception;
    }

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 2_000;
        int c = args.length > 1 ? Integer.parseInt(args[1]) : 100;
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        List<String> only = args.length > 3 ? List.of(args[3].split(",")) : List.of();
        String java = ProcessHandle.current().info().command().orElseThrow();
        Process server = new ProcessBuilder(java, "--add-opens", "java.base/java.lang=ALL-UNNAMED", "-cp",
                System.getProperty("java.class.path"), HttpsHelloServer.class.getName())
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try (IOLoop loop = IOLoop.create()) {
            BufferedReader out = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8));
            SSLContext trust = trusting(Path.of(out.readLine().substring(3)));
            String base = "https://localhost:" + Integer.parseInt(out.readLine().substring(5));
            HttpClientOptions options = HttpClientOptions.DEFAULTS.withMaxClients(c).withMaxIdlePerOrigin(c)
                    .withConnectTimeout(PATIENCE).withRequestTimeout(PATIENCE)
                    .withTls(TlsOptions.client(trust).withHandshakeTimeout(PATIENCE));
            // Each way has a client of its own, so that the handshake rounds leave the warm pools alone.
            AsyncHttpClient spindleCold = AsyncHttpClient.create(loop, options.withMaxIdlePerOrigin(0));
            AsyncHttpClient spindleWarm = AsyncHttpClient.create(loop, options);
            java.net.http.HttpClient jdkCold = jdk(trust);
            java.net.http.HttpClient jdkWarm = jdk(trust);
            List<String> names = List.of("spindle-handshake", "jdk-handshake", "spindle-warm", "jdk-warm");
            List<Client> clients = List.of(
                    (url, k, w) -> loop.runSync(() -> spindleFanOut(spindleCold, url, k), PATIENCE),
                    (url, k, w) -> jdkFanOut(jdkCold, url, k, w),
                    (url, k, w) -> loop.runSync(() -> spindleFanOut(spindleWarm, url, k), PATIENCE),
                    (url, k, w) -> jdkFanOut(jdkWarm, url, k, w));
            clients.get(2).run(base + "/hello", c, c); // Warm the pools: C connections each.
            clients.get(3).run(base + "/hello", c, c);
            for (int round = 1; round <= rounds; round++) {
                for (int i = 0; i < names.size(); i++) {
                    String name = names.get(i);
                    if (only.isEmpty() || only.contains(name)) {
                        measure(server, round, name, clients.get(i), base + (name.endsWith("handshake") ? "/close" : "/hello"), n, c);
                    }
                }
            }
            spindleCold.close();
            spindleWarm.close();
            jdkCold.close();
            jdkWarm.close();
        } finally {
            server.getOutputStream().close();
            server.waitFor();
        }
    }

    private static java.net.http.HttpClient jdk(SSLContext trust) {
        return java.net.http.HttpClient.newBuilder().sslContext(trust).version(java.net.http.HttpClient.Version.HTTP_1_1)
                .connectTimeout(PATIENCE).build();
    }

    private static void measure(Process server, int round, String name, Client client, String url, int n, int c)
            throws Exception {
        long cpu0 = cpuNanos();
        long serverCpu0 = cpuNanos(server);
        long t0 = System.nanoTime();
        int ok = client.run(url, n, c);
        long wall = System.nanoTime() - t0;
        long cpu = cpuNanos() - cpu0;
        long serverCpu = cpuNanos(server) - serverCpu0;
        System.out.printf("round %d %-18s n=%d c=%d ok=%d wall %6d ms %7.0f req/s  client CPU %7.1f us/req"
                + "  server CPU %7.1f us/req%n", round, name, n, c, ok, wall / 1_000_000, n * 1e9 / wall, cpu / 1e3 / n,
                serverCpu / 1e3 / n);
    }

    /** The CPU time of the server's process, as the kernel counts it. */
    private static long cpuNanos(Process p) {
        return p.info().totalCpuDuration().orElse(Duration.ZERO).toNanos();
    }

    /** N fetches at once; the client's maxClients keeps C in flight. */
    private static int spindleFanOut(AsyncHttpClient client, String url, int n) {
        List<CompletableFuture<HttpResponse>> fs = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            fs.add(client.fetch(url));
        }
        return (int) await(all(fs)).stream().filter(r -> r.bodyText().equals("hello")).count();
    }

    /** N fetches, C in flight: each completion sends the next. */
    private static int jdkFanOut(java.net.http.HttpClient jdk, String url, int n, int c) {
        java.net.http.HttpRequest request = java.net.http.HttpRequest.newBuilder(URI.create(url)).timeout(PATIENCE).build();
        AtomicInteger started = new AtomicInteger();
        AtomicInteger ok = new AtomicInteger();
        CompletableFuture<Void> done = new CompletableFuture<>();
        AtomicInteger finished = new AtomicInteger();
        Runnable[] next = new Runnable[1];
        next[0] = () -> {
            if (started.getAndIncrement() >= n) {
                return;
            }
            jdk.sendAsync(request, java.net.http.HttpResponse.BodyHandlers.ofString()).whenComplete((r, e) -> {
                if (e == null && r.body().equals("hello")) {
                    ok.incrementAndGet();
                }
                if (finished.incrementAndGet() == n) {
                    done.complete(null);
                } else {
                    next[0].run();
                }
            });
        };
        for (int i = 0; i < Math.min(c, n); i++) {
            next[0].run();
        }
        done.join();
        return ok.get();
    }

    private static long cpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    /** A context that trusts the CA certificate in {@code pem}. */
    private static SSLContext trusting(Path pem) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        try (InputStream in = java.nio.file.Files.newInputStream(pem)) {
            store.setCertificateEntry("ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(store);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, tmf.getTrustManagers(), null);
        return context;
    }
}
