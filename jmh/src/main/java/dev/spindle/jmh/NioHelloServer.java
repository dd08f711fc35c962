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
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * The floor for the hello-world load test: a hand-written one-thread NIO selector loop with no
 * framework, answering every request head ({@code \r\n\r\n}) with the same 200 and
 * {@code Hello, world} (plus {@code Date}, formatted once per second), as PERFORMANCE.md's
 * "hand-written one-thread NIO selector" row. It does not parse HTTP; it only finds heads.
 * Runs until killed; see {@link SpindleHelloServer} for the commands. <b>Thread-safe:</b>
 * {@link #main} may be called from any thread, and runs the loop on it.
 */
public final class NioHelloServer {
    private static final DateTimeFormatter DATE =
            DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US);

    private NioHelloServer() {}

    /**
     * Starts the server.
     *
     * @param args the port (default 8890) and the address (default 127.0.0.1)
     * @throws IOException if the port cannot be bound
     */
    public static void main(String[] args) throws IOException {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 8890;
        InetAddress address = InetAddress.getByName(args.length > 1 ? args[1] : "127.0.0.1");
        Selector selector = Selector.open();
        ServerSocketChannel server = ServerSocketChannel.open().bind(new InetSocketAddress(address, port), 1024);
        server.configureBlocking(false).register(selector, SelectionKey.OP_ACCEPT);
        System.out.println("Listening on http://" + address.getHostAddress() + ":" + server.socket().getLocalPort() + "/");
        ByteBuffer in = ByteBuffer.allocateDirect(64 * 1024);
        ByteBuffer out = ByteBuffer.allocateDirect(64 * 1024);
        long second = -1;
        byte[] response = null;
        while (true) {
            selector.select();
            long now = System.currentTimeMillis() / 1000;
            if (now != second) {
                second = now;
                response = ("HTTP/1.1 200 OK\r\nServer: nio\r\nDate: "
                        + DATE.format(ZonedDateTime.now(ZoneOffset.UTC)) + "\r\nContent-Type: text/plain; charset=utf-8\r\n"
                        + "Content-Length: 12\r\n\r\nHello, world").getBytes(StandardCharsets.ISO_8859_1);
            }
            for (SelectionKey key : selector.selectedKeys()) {
                if (key.isAcceptable()) {
                    for (SocketChannel ch; (ch = server.accept()) != null; ) {
                        ch.configureBlocking(false);
                        ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
                        ch.register(selector, SelectionKey.OP_READ, new int[1]);
                    }
                } else if (key.isReadable()) {
                    serve(key, in.clear(), out.clear(), response);
                }
            }
            selector.selectedKeys().clear();
        }
    }

    /** Reads what came, answers each complete head; state[0] counts the bytes of "\r\n\r\n" matched so far. */
    private static void serve(SelectionKey key, ByteBuffer in, ByteBuffer out, byte[] response) throws IOException {
        SocketChannel ch = (SocketChannel) key.channel();
        int n;
        try {
            n = ch.read(in);
        } catch (IOException e) {
            n = -1;
        }
        if (n < 0) {
            key.cancel();
            ch.close();
            return;
        }
        int[] state = (int[]) key.attachment();
        int matched = state[0];
        for (int i = 0; i < n; i++) {
            byte b = in.get(i);
            matched = b == (matched % 2 == 0 ? '\r' : '\n') ? matched + 1 : b == '\r' ? 1 : 0;
            if (matched == 4) {
                out.put(response);
                matched = 0;
            }
        }
        state[0] = matched;
        out.flip();
        while (out.hasRemaining() && ch.write(out) > 0) {
            // A full kernel buffer drops the rest: wrk never lets it fill.
        }
    }
}
