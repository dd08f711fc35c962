package dev.spindle.jmh;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;

/**
 * The limit of the hello-world comparisons: a hand-written one-thread NIO selector loop with no
 * framework, answering every request head ({@code \r\n\r\n}) with {@link HelloResponse}. It does
 * not parse HTTP; it only finds heads. An idle connection holds its channel, its key and a
 * {@link HeadCounter}. Run by {@link ServerThroughput} and {@link IdleMemory} in a JVM of its
 * own; see {@link ServerControl} for how it talks to them.
 *
 * <p><b>Thread-safe:</b> {@link #main} may be called from any thread, and serves on it.
 */
public final class NioHelloServer {
    private NioHelloServer() {}

    /**
     * Serves until standard input closes.
     *
     * @param args the port (default 0: any free one); binds 127.0.0.1
     * @throws IOException if the port cannot be bound
     */
    public static void main(String[] args) throws IOException {
        Selector selector = Selector.open();
        ServerSocketChannel server = ServerSocketChannel.open()
                .bind(new InetSocketAddress(ServerControl.LOOPBACK, ServerControl.port(args)), 4096);
        server.configureBlocking(false).register(selector, SelectionKey.OP_ACCEPT);
        ServerControl.ready(server.socket().getLocalPort());
        ByteBuffer in = ByteBuffer.allocateDirect(64 * 1024);
        ByteBuffer out = ByteBuffer.allocateDirect(64 * 1024);
        while (true) {
            selector.select();
            byte[] response = HelloResponse.bytes();
            for (SelectionKey key : selector.selectedKeys()) {
                if (key.isAcceptable()) {
                    for (SocketChannel ch; (ch = server.accept()) != null; ) {
                        ch.configureBlocking(false);
                        ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
                        ch.register(selector, SelectionKey.OP_READ, new HeadCounter());
                    }
                } else if (key.isReadable()) {
                    serve(key, in.clear(), out.clear(), response);
                }
            }
            selector.selectedKeys().clear();
        }
    }

    /** Reads what came and answers each complete head. */
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
        for (int heads = ((HeadCounter) key.attachment()).feed(in, n); heads > 0; heads--) {
            out.put(response);
        }
        out.flip();
        while (out.hasRemaining() && ch.write(out) > 0) {
            // A full kernel buffer drops the rest: a load generator that waits for each answer never fills it.
        }
    }
}
