package dev.spindle.jmh;

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
 * The server of {@link FanOutComparison}, run in a JVM of its own: one thread, one NIO selector,
 * on 127.0.0.1. Every request head ({@code ...\r\n\r\n}; bodies are not expected) is answered
 * with {@code 200 ok} after a fixed delay, kept alive. Since the delay is fixed, the pending
 * answers are a FIFO queue, and the thread never waits for anything but its selector. It costs a
 * few microseconds per request, so with 10,000 connections the clients are what is measured.
 * (The JDK's {@code com.sun.net.httpserver.HttpServer} took over 10 s for 10,000 such requests.)
 *
 * <p>Prints {@code PORTS <n>...} when ready; exits when its standard input closes. Arguments:
 * the delay in milliseconds (default 100) and how many ports to listen on (default 1). A
 * benchmark uses a fresh port per run: otherwise the TIME_WAIT entries that each run's 10,000
 * closed connections leave toward the same port make the kernel's search for a free local port
 * in {@code connect()} slow for whoever runs next (measured: over half of the connecting
 * thread's time).
 *
 * <p>{@code http/src/test/java/dev/spindle/http/client/DelayServer.java} is its twin for tests.
 *
 * <p><b>Thread-safe:</b> not applicable (a main class).
 */
public final class FanOutServer {
    private static final byte[] RESPONSE =
            "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] END = {'\r', '\n', '\r', '\n'};

    /** An answer due at {@code deadline}. */
    private record Due(long deadline, SelectionKey key) {}

    /** Per connection: how many bytes of CRLFCRLF the last bytes matched. */
    private static final class Conn {
        int matched;
    }

    private FanOutServer() {}

    public static void main(String[] args) throws IOException {
        long delay = (args.length > 0 ? Long.parseLong(args[0]) : 100) * 1_000_000;
        int ports = args.length > 1 ? Integer.parseInt(args[1]) : 1;
        Selector selector = Selector.open();
        StringBuilder ready = new StringBuilder("PORTS");
        for (int i = 0; i < ports; i++) {
            ServerSocketChannel server = ServerSocketChannel.open();
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16_384);
            server.configureBlocking(false);
            server.register(selector, SelectionKey.OP_ACCEPT);
            ready.append(' ').append(server.socket().getLocalPort());
        }
        System.out.println(ready);
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
        serve(selector, delay);
    }

    private static void serve(Selector selector, long delay) throws IOException {
        ByteBuffer in = ByteBuffer.allocate(64 * 1024);
        ArrayDeque<Due> due = new ArrayDeque<>();
        while (true) {
            Due next = due.peekFirst();
            long wait = next == null ? 0 : Math.max(1, (next.deadline - System.nanoTime() + 999_999) / 1_000_000);
            selector.select(k -> {
                try {
                    if (k.isAcceptable()) {
                        for (SocketChannel c; (c = ((ServerSocketChannel) k.channel()).accept()) != null; ) {
                            c.configureBlocking(false);
                            c.setOption(StandardSocketOptions.TCP_NODELAY, true);
                            c.register(selector, SelectionKey.OP_READ, new Conn());
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
            ((SocketChannel) k.channel()).write(ByteBuffer.wrap(RESPONSE)); // 40 bytes always fit.
        } catch (IOException e) {
            close(k);
        }
    }

    private static void close(SelectionKey k) {
        k.cancel();
        try {
            k.channel().close();
        } catch (IOException e) {
            // Gone either way.
        }
    }
}
