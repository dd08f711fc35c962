package dev.spindle.runtime.net;

import static dev.spindle.runtime.Coroutines.await;

import dev.spindle.runtime.Coroutines;
import dev.spindle.runtime.IOLoop;
import dev.spindle.runtime.testing.TestCertificates;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Measures TLS handshakes per second: a client loop (the main thread) opens connections to a
 * TLS {@link TcpServer} on a second loop (its own platform thread) in the same JVM, C at a time,
 * each closed once its handshake completed. Delegated tasks run on Spindle's shared pool. Prints
 * handshakes per second and the process CPU time per handshake (client and server together),
 * for full handshakes (each client session invalidated, so none is resumed) and for resumed
 * ones (the JDK's TLS 1.3 session tickets).
 *
 * <pre>
 * java --add-opens java.base/java.lang=ALL-UNNAMED -cp CLASSPATH dev.spindle.runtime.net.TlsHandshakeRate [N [C [PROTOCOL]]]
 * </pre>
 */
public final class TlsHandshakeRate {
    private TlsHandshakeRate() {}

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
        int concurrency = args.length > 1 ? Integer.parseInt(args[1]) : 50;
        String protocol = args.length > 2 ? args[2] : "TLSv1.3";
        TestCertificates certs = TestCertificates.create("localhost", "127.0.0.1");
        IOLoop serverLoop = IOLoop.create();
        CompletableFuture<Integer> port = new CompletableFuture<>();
        Thread.ofPlatform().daemon().name("server-loop").start(() -> serverLoop.runSync(() -> {
            TcpServer server = TcpServer.create(serverLoop, (stream, address) -> await(stream.readUntilClose()))
                    .tls(TlsOptions.server(certs.serverContext()).withProtocols(protocol)).backlog(4096).listen(0, NetTestSupport.LOOPBACK);
            port.complete(server.port());
            await(new CompletableFuture<Void>()); // Until the process ends.
            return null;
        }, Duration.ofDays(1)));
        TcpClient client = TcpClient.create().withTls(TlsOptions.client(certs.clientContext()).withHandshakeTimeout(Duration.ofMinutes(1)));
        try (IOLoop loop = IOLoop.create()) {
            loop.runSync(() -> {
                int p = await(port);
                run(client, p, Math.max(200, n / 4), concurrency, true, "warm-up, full");
                run(client, p, n, concurrency, true, "full handshakes");
                run(client, p, n, concurrency, false, "resumed handshakes");
                return null;
            }, Duration.ofHours(1));
        }
        jdkBaseline(certs, n, concurrency, protocol);
        certs.close();
        System.exit(0);
    }

    /**
     * The same work with the JDK's blocking sockets: an {@code SSLServerSocket} with a platform
     * thread per connection, and C platform threads connecting in turn.
     */
    private static void jdkBaseline(TestCertificates certs, int n, int concurrency, String protocol) throws Exception {
        javax.net.ssl.SSLServerSocket ss = (javax.net.ssl.SSLServerSocket) certs.serverContext().getServerSocketFactory()
                .createServerSocket(0, 4096, NetTestSupport.LOOPBACK);
        ss.setEnabledProtocols(new String[] {protocol});
        Thread.ofPlatform().daemon().start(() -> {
            while (true) {
                try {
                    java.net.Socket s = ss.accept();
                    Thread.ofPlatform().daemon().start(() -> {
                        try (s) {
                            ((javax.net.ssl.SSLSocket) s).startHandshake();
                            s.getInputStream().read();
                        } catch (java.io.IOException e) {
                            // The client went away.
                        }
                    });
                } catch (java.io.IOException e) {
                    return;
                }
            }
        });
        for (boolean full : new boolean[] {true, true, false}) {
            var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
            long cpu0 = os.getProcessCpuTime();
            long t0 = System.nanoTime();
            java.util.concurrent.atomic.AtomicInteger next = new java.util.concurrent.atomic.AtomicInteger();
            List<Thread> threads = new ArrayList<>();
            for (int w = 0; w < concurrency; w++) {
                threads.add(Thread.ofPlatform().start(() -> {
                    while (next.getAndIncrement() < n) {
                        try (javax.net.ssl.SSLSocket s = (javax.net.ssl.SSLSocket) certs.clientContext().getSocketFactory()
                                .createSocket("localhost", ss.getLocalPort())) {
                            javax.net.ssl.SSLParameters p = s.getSSLParameters();
                            p.setEndpointIdentificationAlgorithm("HTTPS");
                            s.setSSLParameters(p);
                            s.startHandshake();
                            if (full) {
                                s.getSession().invalidate();
                            }
                        } catch (java.io.IOException e) {
                            throw new java.io.UncheckedIOException(e);
                        }
                    }
                }));
            }
            for (Thread t : threads) {
                t.join();
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            System.out.printf("%-20s %,6d handshakes, %d at a time: %,8.0f handshakes/s, %.2f ms CPU each (load average %.1f)%n",
                    "JDK sockets, " + (full ? "full" : "resumed"), n, concurrency, n / seconds,
                    (os.getProcessCpuTime() - cpu0) / 1e6 / n, os.getSystemLoadAverage());
        }
        ss.close();
    }

    private static void run(TcpClient client, int port, int n, int concurrency, boolean full, String what) {
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        long cpu0 = os.getProcessCpuTime();
        long t0 = System.nanoTime();
        int[] next = {0};
        List<CompletableFuture<Void>> workers = new ArrayList<>();
        for (int w = 0; w < concurrency; w++) {
            workers.add(IOLoop.current().spawn(() -> {
                while (next[0]++ < n) {
                    TlsStream s = (TlsStream) await(client.connect("localhost", port));
                    if (full) {
                        s.session().invalidate(); // Not cached: the next handshake is a full one.
                    }
                    s.close();
                }
                return null;
            }));
        }
        await(Coroutines.all(workers));
        double seconds = (System.nanoTime() - t0) / 1e9;
        double cpuMs = (os.getProcessCpuTime() - cpu0) / 1e6;
        System.out.printf("%-20s %,6d handshakes, %d at a time: %,8.0f handshakes/s, %.2f ms CPU each (load average %.1f)%n",
                what, n, concurrency, n / seconds, cpuMs / n, os.getSystemLoadAverage());
    }
}
