package dev.spindle.http.client;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;

/**
 * The server of {@link FanOutTest}, run in a JVM of its own: one thread, one NIO selector, on
 * 127.0.0.1. Every request head ({@code ...\r\n\r\n}; bodies are not expected) is answered with
 * {@code 200 ok} after a fixed delay, kept alive, with a header {@code X-Connections} telling how
 * many connections were open when the answer was written. Since the delay is fixed, the pending
 * answers are a FIFO queue, and the thread never waits for anything but its selector. It costs a
 * few microseconds per request once compiled, so with 10,000 connections on a warm server the
 * clients are what is measured. It accepts between reads as well, every {@value #ACCEPT_EVERY}
 * of them, so that a client connecting fast does not overflow its accept queue (the kernel caps
 * the backlog at {@code net.core.somaxconn}, 4,096 here) while requests queue up.
 * (The JDK's {@code com.sun.net.httpserver.HttpServer} took over 10 s for 10,000 such requests.)
 *
 * <p>Prints {@code PORT <n>} when ready; exits when its standard input closes. The line
 * {@code next} on its standard input closes every connection and the listening socket, listens
 * on a new ephemeral port and prints its {@code PORT <n>}: a benchmark runs many fan-outs on one
 * warm JVM, each on a port of its own, with this side's active closes leaving the TIME_WAIT
 * entries on the old port. Arguments: the delay in milliseconds (default 100).
 *
 * <p>The http module's test-jar carries it to {@code jmh}, whose {@code FanOutBenchmark} runs it too.
 *
 * <p><b>Thread-safe:</b> not applicable (a main class).
 */
public final class DelayServer {
    private static final byte[] END = {'\r', '\n', '\r', '\n'};
    /** Every this many reads the server also accepts what is waiting. */
    private static final int ACCEPT_EVERY = 64;
    /** Connections open now. */
    private static int open;
    /** The listening socket, replaced by {@code next}. */
    private static ServerSocketChannel listener;
    /** Reads handled, for {@link #ACCEPT_EVERY}. */
    private static long reads;
    /** Set by the standard-input thread for {@code next}; the selector thread relistens. */
    private static volatile boolean relisten;

    /** An answer due at {@code deadline}. */
    private record Due(long deadline, SelectionKey key) {}

    /** Per connection: how many bytes of CRLFCRLF the last bytes matched. */
    private static final class Conn {
        int matched;
    }

    private DelayServer() {}

    public static void main(String[] args) throws IOException {
        long delay = (args.length > 0 ? Long.parseLong(args[0]) : 100) * 1_000_000;
        Selector selector = Selector.open();
        listen(selector);
        Thread.ofPlatform().daemon().start(() -> {
            try (var in = new java.io.BufferedReader(new java.io.InputStreamReader(System.in, StandardCharsets.US_ASCII))) {
                for (String line; (line = in.readLine()) != null; ) {
                    if (line.strip().equals("next")) {
                        relisten = true;
                        selector.wakeup();
                    }
                }
            } catch (IOException e) {
                // Exit below.
            }
            System.exit(0); // The parent closed our standard input (or died).
        });
        serve(selector, delay);
    }

    /** Opens a listening socket on an ephemeral loopback port and prints {@code PORT <n>}. */
    private static void listen(Selector selector) throws IOException {
        listener = ServerSocketChannel.open();
        listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16_384);
        listener.configureBlocking(false);
        listener.register(selector, SelectionKey.OP_ACCEPT);
        System.out.println("PORT " + listener.socket().getLocalPort());
        System.out.flush();
    }

    /** For {@code next}: closes every connection and the listening socket, then listens anew. */
    private static void relisten(Selector selector, ArrayDeque<Due> due) throws IOException {
        for (SelectionKey k : selector.keys()) {
            k.channel().close();
        }
        selector.selectNow(); // Deregisters the closed channels.
        due.clear();
        open = 0;
        listen(selector);
    }

    private static void serve(Selector selector, long delay) throws IOException {
        ByteBuffer in = ByteBuffer.allocate(64 * 1024);
        ArrayDeque<Due> due = new ArrayDeque<>();
        while (true) {
            if (relisten) {
                relisten = false;
                relisten(selector, due);
            }
            Due next = due.peekFirst();
            long wait = next == null ? 0 : Math.max(1, (next.deadline - System.nanoTime() + 999_999) / 1_000_000);
            selector.select(k -> {
                if (k.isAcceptable()) {
                    acceptAll(selector);
                } else if (k.isReadable()) {
                    try {
                        read(k, in, due, System.nanoTime() + delay);
                    } catch (IOException e) {
                        close(k);
                    }
                    if (++reads % ACCEPT_EVERY == 0) {
                        acceptAll(selector); // Keeps the accept queue from overflowing while reads queue up.
                    }
                }
            }, wait);
            long now = System.nanoTime();
            for (Due d; (d = due.peekFirst()) != null && d.deadline - now <= 0; ) {
                due.pollFirst();
                answer(d.key);
            }
        }
    }

    /** Accepts every connection waiting on the listening socket. */
    private static void acceptAll(Selector selector) {
        while (true) {
            SocketChannel c;
            try {
                c = listener.accept();
            } catch (IOException e) {
                return; // Closed by next, or out of descriptors: the next select retries.
            }
            if (c == null) {
                return;
            }
            try {
                c.configureBlocking(false);
                c.setOption(StandardSocketOptions.TCP_NODELAY, true);
                c.register(selector, SelectionKey.OP_READ, new Conn());
                open++;
            } catch (IOException e) {
                try {
                    c.close(); // Reset by the peer already.
                } catch (IOException ignored) {
                    // Gone either way.
                }
            }
        }
    }

    private static void read(SelectionKey k, ByteBuffer in, ArrayDeque<Due> due, long deadline) throws IOException {
        SocketChannel c = (SocketChannel) k.channel();
        Conn conn = (Conn) k.attachment();
        in.clear();
        int n = c.read(in);
        if (n < 0) {
            close(k);
            return;
        }
        byte[] a = in.array();
        for (int i = 0; i < n; i++) {
            conn.matched = a[i] == END[conn.matched] ? conn.matched + 1 : a[i] == '\r' ? 1 : 0;
            if (conn.matched == END.length) {
                conn.matched = 0;
                due.addLast(new Due(deadline, k));
            }
        }
    }

    private static void answer(SelectionKey k) {
        if (!k.isValid()) {
            return;
        }
        try {
            byte[] response = ("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nX-Connections: " + open + "\r\n\r\nok")
                    .getBytes(StandardCharsets.US_ASCII);
            ((SocketChannel) k.channel()).write(ByteBuffer.wrap(response)); // 60 bytes always fit.
        } catch (IOException e) {
            close(k);
        }
    }

    private static void close(SelectionKey k) {
        if (k.isValid()) {
            open--;
        }
        k.cancel();
        try {
            k.channel().close();
        } catch (IOException e) {
            // Gone either way.
        }
    }
}
