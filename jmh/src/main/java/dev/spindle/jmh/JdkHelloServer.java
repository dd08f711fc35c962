package dev.spindle.jmh;

import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import dev.spindle.runtime.testing.TestCertificates;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;

/**
 * The JDK's {@code com.sun.net.httpserver} with a pool of 16 platform threads, answering
 * {@code GET /} with {@code Hello, world}. The JDK server closes keep-alive connections beyond
 * 200 unless {@code sun.net.httpserver.maxIdleConnections} is raised: this main raises it to
 * 2,000 unless the command line sets it. Run by {@link ServerThroughput} in a JVM of its own.
 *
 * <p><b>Thread-safe:</b> {@link #main} may be called from any thread; the JDK server runs on
 * threads of its own.
 */
public final class JdkHelloServer {
    private static final byte[] HELLO = HelloResponse.BODY.getBytes(StandardCharsets.UTF_8);

    private JdkHelloServer() {}

    /**
     * Serves until standard input closes.
     *
     * @param args the port (default 0: any free one), then {@code tls} to serve https
     *     ({@code HttpsServer}) with a throwaway certificate for 127.0.0.1 (see
     *     {@link TestCertificates}); binds 127.0.0.1
     * @throws IOException if the port cannot be bound
     */
    public static void main(String[] args) throws IOException {
        if (System.getProperty("sun.net.httpserver.maxIdleConnections") == null) {
            System.setProperty("sun.net.httpserver.maxIdleConnections", "2000");
        }
        InetSocketAddress address = new InetSocketAddress(ServerControl.LOOPBACK, ServerControl.port(args));
        HttpServer server;
        if (args.length > 1 && args[1].equals("tls")) {
            HttpsServer https = HttpsServer.create(address, 4096);
            https.setHttpsConfigurator(new HttpsConfigurator(TestCertificates.create("localhost", "127.0.0.1").serverContext()));
            server = https;
        } else if (args.length > 1) {
            throw new IllegalArgumentException("the second argument can only be tls: " + args[1]);
        } else {
            server = HttpServer.create(address, 4096);
        }
        server.setExecutor(Executors.newFixedThreadPool(16));
        server.createContext("/", exchange -> {
            exchange.getResponseHeaders().set("Content-Type", HelloResponse.CONTENT_TYPE);
            exchange.sendResponseHeaders(200, HELLO.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(HELLO);
            }
        });
        server.start();
        ServerControl.ready(server.getAddress().getPort());
    }
}
