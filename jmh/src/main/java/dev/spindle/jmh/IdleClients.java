package dev.spindle.jmh;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;

/**
 * The client side of {@link IdleMemory}, in a JVM of its own (a process may hold about 20,000
 * descriptors here, and server and client each need one per connection): opens {@code count}
 * keep-alive connections from one NIO thread, at most {@value #CONNECTING} connecting at a time,
 * sends one {@code GET /} on each, reads the whole {@code Hello, world} answer, and then leaves
 * the connection idle. Prints {@code IDLE <count>} when all are idle, or {@code FAILED ...} and exits
 * after {@value #LIMIT_SECONDS} s; closes them all with a reset (linger 0: no TIME_WAIT left on this
 * machine) and exits when its standard input closes.
 *
 * <p><b>Thread-safe:</b> not applicable (a main class).
 */
public final class IdleClients {
    private static final int CONNECTING = 256;
    private static final int LIMIT_SECONDS = 120;
    private static final byte[] END = HelloResponse.BODY.getBytes(StandardCharsets.US_ASCII);

    /** Per connection: how many bytes of the body's text the bytes read so far end with. */
    private static final class Conn {
        int matched;
    }

    private IdleClients() {}

    /**
     * Runs the clients.
     *
     * @param args the server's port on 127.0.0.1 and the number of connections
     * @throws IOException if the selector cannot be opened
     */
    public static void main(String[] args) throws IOException {
        InetSocketAddress server = new InetSocketAddress(ServerControl.LOOPBACK, Integer.parseInt(args[0]));
        int count = Integer.parseInt(args[1]);
        byte[] get = ("GET / HTTP/1.1\r\nHost: 127.0.0.1:" + server.getPort() + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        Selector selector = Selector.open();
        ByteBuffer in = ByteBuffer.allocate(16 * 1024);
        long deadline = System.nanoTime() + LIMIT_SECONDS * 1_000_000_000L;
        int opened = 0;
        int idle = 0;
        while (idle < count && System.nanoTime() < deadline) {
            while (opened < count && opened - idle < CONNECTING) {
                SocketChannel ch = SocketChannel.open();
                ch.configureBlocking(false);
                ch.setOption(StandardSocketOptions.SO_LINGER, 0);
                ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
                ch.connect(server);
                ch.register(selector, SelectionKey.OP_CONNECT, new Conn());
                opened++;
            }
            selector.select(1000);
            for (SelectionKey key : selector.selectedKeys()) {
                idle += step(key, get, in);
            }
            selector.selectedKeys().clear();
        }
        if (idle < count) {
            System.out.println("FAILED " + idle + " of " + count + " idle within " + LIMIT_SECONDS + " s");
            System.exit(1);
        }
        System.out.println("IDLE " + count);
        System.out.flush();
        while (System.in.read() >= 0) {
            // Until the parent closes our standard input.
        }
        System.exit(0); // The kernel resets every connection.
    }

    /** Advances one connection; returns 1 when it just became idle. */
    private static int step(SelectionKey key, byte[] get, ByteBuffer in) throws IOException {
        SocketChannel ch = (SocketChannel) key.channel();
        if (key.isConnectable()) {
            ch.finishConnect();
            ch.write(ByteBuffer.wrap(get)); // A few dozen bytes always fit.
            key.interestOps(SelectionKey.OP_READ);
            return 0;
        }
        int n = ch.read(in.clear());
        if (n < 0) {
            throw new IOException("the server closed a connection before answering");
        }
        Conn conn = (Conn) key.attachment();
        for (int i = 0; i < n; i++) {
            byte b = in.get(i);
            conn.matched = b == END[conn.matched] ? conn.matched + 1 : b == END[0] ? 1 : 0;
            if (conn.matched == END.length) {
                key.interestOps(0); // Idle from now on.
                return 1;
            }
        }
        return 0;
    }
}
