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
 * few microseconds per request, so with 10,000 connections the clients are what is measured.
 * (The JDK's {@code com.sun.net.httpserver.HttpServer} took over 10 s for 10,000 such requests.)
 *
 * <p>Prints {@code PORT <n>} when ready; exits when its standard input closes.
 * Arguments: the delay in milliseconds (default 100).
 *
 * <p>The http module's test-jar carries it to {@code jmh}, whose {@code FanOutBenchmark} runs it too.
 *
 * <p><b>Thread-safe:</b> not applicable (a main class).
 */
public final class DelayServer {
    /** Connections open now. */
    private static int open;
    private static final byte[] END = {'\r', '\n', '\r', '\n'};

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
        ServerSocketChannel server = ServerSocketChannel.open();
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16_384);
        server.configureBlocking(false);
        server.register(selector, SelectionKey.OP_ACCEPT);
        System.out.println("PORT " + server.socket().getLocalPort());
        System.out.flush();
        Thread.ofPlatform().daemon().start(() -> {
            try {
                while (System.in.read() >= 0) {
                    // Until the parent closes our standard input (or dies).
                }
            } catch (IOException e) {
                // Exit below.
            }
            System.exit(0);
        });
        serve(selector, server, delay);
    }

    private static void serve(Selector selector, ServerSocketChannel server, long delay) throws IOException {
        ByteBuffer in = ByteBuffer.allocate(64 * 1024);
        ArrayDeque<Due> due = new ArrayDeque<>();
        while (true) {
            Due next = due.peekFirst();
            long wait = next == null ? 0 : Math.max(1, (next.deadline - System.nanoTime() + 999_999) / 1_000_000);
            selector.select(k -> {
                try {
                    if (k.isAcceptable()) {
                        for (SocketChannel c; (c = server.accept()) != null; ) {
                            c.configureBlocking(false);
                            c.setOption(StandardSocketOptions.TCP_NODELAY, true);
                            c.register(selector, SelectionKey.OP_READ, new Conn());
                            open++;
                        }
                    } else if (k.isReadable()) {
                        read(k, in, due, System.nanoTime() + delay);
                    }
                } catch (IOException e) {
                    close(k);
                }
            }, wait);
            long now = System.nanoTime();
            for (Due d; (d = due.peekFirst()) != null && d.deadline - now <= 0; ) {
                due.pollFirst();
                answer(d.key);
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
