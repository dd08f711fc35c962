package dev.spindle.jmh;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The baseline for the hello-world load test: the JDK's {@code com.sun.net.httpserver} with a
 * pool of 16 platform threads, answering {@code GET /} with {@code Hello, world} as
 * {@link dev.spindle.http.examples.HelloServer} does. Runs until killed; see
 * {@link SpindleHelloServer} for the commands that compare the two. <b>Thread-safe:</b>
 * {@link #main} may be called from any thread; the JDK server runs on threads of its own.
 *
 * <pre>{@code
 * java -Dsun.net.httpserver.maxIdleConnections=2000 -cp jmh/target/classes dev.spindle.jmh.JdkHelloServer 8889
 * }</pre>
 *
 * The JDK server closes keep-alive connections beyond 200 unless
 * {@code -Dsun.net.httpserver.maxIdleConnections} is raised: set it for runs with many connections.
 */
public final class JdkHelloServer {
    private static final byte[] HELLO = "Hello, world".getBytes(StandardCharsets.UTF_8);

    private JdkHelloServer() {}

    /**
     * Starts the server.
     *
     * @param args the port (default 8889) and the address (default 127.0.0.1)
     * @throws IOException if the port cannot be bound
     */
    public static void main(String[] args) throws IOException {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 8889;
        InetAddress address = InetAddress.getByName(args.length > 1 ? args[1] : "127.0.0.1");
        HttpServer server = HttpServer.create(new InetSocketAddress(address, port), 1024);
        ExecutorService pool = Executors.newFixedThreadPool(16);
        server.setExecutor(pool);
        server.createContext("/", exchange -> {
            exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
            exchange.sendResponseHeaders(200, HELLO.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(HELLO);
            }
        });
        server.start();
        System.out.println("Listening on http://" + address.getHostAddress() + ":" + server.getAddress().getPort() + "/");
    }
}
