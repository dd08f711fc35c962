package dev.spindle.runtime.net;

import static dev.spindle.runtime.Coroutines.await;

import dev.spindle.runtime.IOLoop;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.concurrent.CompletableFuture;

/**
 * Echo round trips per second on one loop: a client in a child JVM ({@link LoadClient}, one
 * Spindle loop) keeps C connections ping-ponging 64-byte messages for S seconds against a
 * server in this JVM, first a {@link TcpServer} whose handler does
 * {@code await(stream.write(await(stream.readBytes(64))))}, then, as the baseline, a
 * hand-written one-thread NIO echo server. Reports round trips per second and the server
 * thread's CPU time per round trip.
 *
 * <pre>
 * java --add-opens java.base/java.lang=ALL-UNNAMED -cp CLASSPATH dev.spindle.runtime.net.EchoRoundTrips [C [S [RUNS]]]
 * </pre>
 */
public final class EchoRoundTrips {
    private EchoRoundTrips() {}

    public static void main(String[] args) throws Exception {
        int connections = args.length > 0 ? Integer.parseInt(args[0]) : 50;
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        int runs = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        for (int run = 1; run <= runs; run++) {
            spindle(connections, seconds);
            nio(connections, seconds);
        }
        System.exit(0);
    }

    private static void spindle(int connections, int seconds) throws Exception {
        IOLoop loop = IOLoop.create();
        TcpServer server = TcpServer.create(loop, (stream, address) -> {
            while (true) {
                await(stream.write(await(stream.readBytes(64))));
            }
        }).listen(0, NetTestSupport.LOOPBACK);
        CompletableFuture<Long> tid = new CompletableFuture<>();
        Thread t = Thread.ofPlatform().name("spindle-loop").daemon().start(() -> {
            tid.complete(Thread.currentThread().threadId());
            loop.start();
        });
        measure("spindle TcpServer", server.port(), tid.get(), connections, seconds);
        loop.close();
        t.join();
    }

    private static void nio(int connections, int seconds) throws Exception {
        ServerSocketChannel ssc = ServerSocketChannel.open().bind(new InetSocketAddress(NetTestSupport.LOOPBACK, 0), 1024);
        Selector selector = Selector.open();
        ssc.configureBlocking(false).register(selector, SelectionKey.OP_ACCEPT);
        CompletableFuture<Long> tid = new CompletableFuture<>();
        Thread t = Thread.ofPlatform().name("nio-loop").daemon().start(() -> {
            tid.complete(Thread.currentThread().threadId());
            nioLoop(selector);
        });
        measure("hand-written NIO", ((InetSocketAddress) ssc.getLocalAddress()).getPort(), tid.get(), connections, seconds);
        selector.close();
        ssc.close();
        t.join();
    }

    /** The baseline: read what is there, write it back. */
    private static void nioLoop(Selector selector) {
        ByteBuffer buf = ByteBuffer.allocateDirect(64 * 1024);
        try {
            while (selector.isOpen()) {
                selector.select(key -> {
                    try {
                        if (key.isAcceptable()) {
                            SocketChannel ch = ((ServerSocketChannel) key.channel()).accept();
                            if (ch != null) {
                                ch.configureBlocking(false).register(selector, SelectionKey.OP_READ);
                                ch.setOption(java.net.StandardSocketOptions.TCP_NODELAY, true);
                            }
                        } else if (key.isReadable()) {
                            SocketChannel ch = (SocketChannel) key.channel();
                            int n = ch.read(buf.clear());
                            if (n < 0) {
                                key.cancel();
                                ch.close();
                            } else {
                                ch.write(buf.flip());
                            }
                        }
                    } catch (IOException e) {
                        key.cancel();
                    }
                });
            }
        } catch (IOException | java.nio.channels.ClosedSelectorException e) {
            // Closed: the measurement is over.
        }
    }

    private static void measure(String what, int port, long serverThread, int connections, int seconds)
            throws Exception {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        Process child = LoadClient.start("pingpong", Integer.toString(port), Integer.toString(connections),
                Integer.toString(seconds));
        long cpu0;
        long cpu1;
        String line;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream()))) {
            expect("START", out.readLine());
            cpu0 = threads.getThreadCpuTime(serverThread);
            expect("END", out.readLine());
            cpu1 = threads.getThreadCpuTime(serverThread);
            line = out.readLine();
        }
        child.waitFor();
        String[] f = line.split(" ");
        long trips = Long.parseLong(f[1]);
        double secs = Double.parseDouble(f[2]);
        System.out.printf("%-18s %d connections: %,9.0f round trips/s, server thread CPU %.2f us per round trip%n",
                what, connections, trips / secs, (cpu1 - cpu0) / 1e3 / trips);
    }

    private static void expect(String expected, String line) {
        if (!expected.equals(line)) {
            throw new IllegalStateException("client said " + line + ", expected " + expected);
        }
    }
}
