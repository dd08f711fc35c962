package dev.spindle.jmh;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;

/**
 * Hello world the blocking way: a {@link ServerSocket} accepting on the main thread and one
 * thread per connection, reading with a 2 KiB buffer and answering every request head with
 * {@link HelloResponse}. With {@code virtual}, each connection gets a default-scheduler virtual
 * thread (the JDK's poller parks it between requests); with {@code platform}, a platform thread.
 * Run by {@link ServerThroughput} and {@link IdleMemory} in a JVM of its own.
 *
 * <p><b>Thread-safe:</b> {@link #main} may be called from any thread, and accepts on it.
 */
public final class BlockingHelloServer {
    private BlockingHelloServer() {}

    /**
     * Serves until standard input closes.
     *
     * @param args {@code virtual} or {@code platform}, then the port (default 0: any free one);
     *     binds 127.0.0.1
     * @throws IOException if the port cannot be bound
     * @throws IllegalArgumentException if the first argument is neither
     */
    public static void main(String[] args) throws IOException {
        String kind = args.length > 0 ? args[0] : "";
        Thread.Builder threads = switch (kind) {
            case "virtual" -> Thread.ofVirtual().name("conn-", 0);
            case "platform" -> Thread.ofPlatform().name("conn-", 0);
            default -> throw new IllegalArgumentException("first argument: virtual or platform, not '" + kind + "'");
        };
        int port = args.length > 1 ? Integer.parseInt(args[1]) : 0;
        try (ServerSocket server = new ServerSocket(port, 4096, ServerControl.LOOPBACK)) {
            ServerControl.ready(server.getLocalPort());
            while (true) {
                Socket s = server.accept();
                threads.start(() -> serve(s));
            }
        }
    }

    private static void serve(Socket socket) {
        try (socket) {
            socket.setTcpNoDelay(true);
            InputStream in = socket.getInputStream();
            OutputStream out = socket.getOutputStream();
            byte[] buffer = new byte[2048];
            ByteBuffer view = ByteBuffer.wrap(buffer);
            HeadCounter heads = new HeadCounter();
            for (int n; (n = in.read(buffer)) > 0; ) {
                for (int h = heads.feed(view, n); h > 0; h--) {
                    out.write(HelloResponse.bytes());
                }
            }
        } catch (IOException e) {
            // The client went away.
        }
    }
}
