package dev.spindle.jmh;

import java.io.IOException;
import java.net.Socket;
import java.util.List;

/**
 * The hello-world servers that {@link ServerThroughput} and {@link IdleMemory} compare, each run
 * in a JVM of its own on an ephemeral port of 127.0.0.1. This is the one place to add a row.
 *
 * <p><b>Thread-safe:</b> may be called from any thread (immutable lists).
 */
final class HelloServers {
    /** The name of the baseline of every ratio: the hand-written limit. */
    static final String BASELINE = "nio";

    /**
     * One server of a comparison.
     *
     * @param name short name, for {@code --servers} and the tables
     * @param label what it is, for the tables
     * @param main its main class
     * @param args its arguments (the port comes last, when it takes one, and defaults to 0)
     * @param jvmArgs options of its JVM
     * @param tls whether it serves https (a throwaway certificate of its own, which neither wrk
     *     nor {@link Running#checkAnswers} verifies)
     */
    record Server(String name, String label, Class<?> main, List<String> args, List<String> jvmArgs, boolean tls) {
        /** Starts it and waits until it listens. */
        Running start() throws IOException {
            ChildJvm jvm = ChildJvm.start(name, main, jvmArgs, args);
            try {
                return new Running(this, jvm, jvm.awaitPort());
            } catch (IOException | RuntimeException e) {
                jvm.close();
                throw e;
            }
        }
    }

    /** A started server: its JVM and port. */
    record Running(Server server, ChildJvm jvm, int port) implements AutoCloseable {
        String url() {
            return (server.tls ? "https" : "http") + "://127.0.0.1:" + port + "/";
        }

        /** Fails unless the server answers a {@code GET /} with 200 on a new connection. */
        void checkAnswers() throws IOException {
            try (Socket s = server.tls ? BlockingGet.connectTls(port) : BlockingGet.connect(port)) {
                s.setSoTimeout(30_000);
                int status = BlockingGet.get(s);
                if (status != 200) {
                    throw new IOException(server.name + " answered GET / with " + status);
                }
            } catch (IOException e) {
                throw new IOException(server.name + " (" + jvm + ") does not answer GET / on port " + port + ": " + e, e);
            }
        }

        @Override
        public void close() {
            jvm.close();
        }
    }

    private static final Server SPINDLE = server("spindle", "Spindle HttpServer, one loop", SpindleHelloServer.class);
    private static final Server SPINDLE_LOG = server("spindlelog", "Spindle HttpServer, one loop, access log on"
            + " into a handler that drops the records", SpindleHelloServer.class, "0", "1", "drop");
    private static final Server SPINDLE_CONSOLE = server("spindlecon", "Spindle HttpServer, one loop, access log on"
            + " through the example servers' ConsoleLogHandler into /dev/null", SpindleHelloServer.class, "0", "1", "console");
    private static final Server NIO = server("nio", "hand-written one-thread NIO", NioHelloServer.class);
    private static final Server SPINDLE_GROUP = server("spindle2", "Spindle HttpServer, a LoopGroup of two loops",
            SpindleHelloServer.class, "0", "2");
    private static final Server NETTY = server("netty", "Netty 4.2, one event loop", NettyHelloServer.class);
    private static final Server NETTY_TWO = server("netty2", "Netty 4.2, two event loops", NettyHelloServer.class,
            "0", "2");
    private static final Server VERTX = server("vertx", "Vert.x 5, one event loop", VertxHelloServer.class);
    private static final Server VIRTUAL = server("virtual", "ServerSocket, a virtual thread per connection",
            BlockingHelloServer.class, "virtual");
    private static final Server PLATFORM = server("platform", "ServerSocket, a platform thread per connection",
            BlockingHelloServer.class, "platform");
    private static final Server JDK = new Server("jdk", "JDK HttpServer, 16 platform threads", JdkHelloServer.class,
            List.of(), List.of("-Dsun.net.httpserver.maxIdleConnections=2000"), false);
    private static final Server SPINDLE_TLS = new Server("spindletls", "Spindle HttpServer, one loop, https (TLS 1.3)",
            SpindleHelloServer.class, List.of("0", "1", "off", "tls"), List.of(), true);
    private static final Server JDK_TLS = new Server("jdktls", "JDK HttpsServer, 16 platform threads, https (TLS 1.3)",
            JdkHelloServer.class, List.of("0", "tls"), List.of("-Dsun.net.httpserver.maxIdleConnections=2000"), true);

    private HelloServers() {}

    /** The servers of the throughput comparison, baseline included. */
    static List<Server> throughput() {
        return List.of(SPINDLE, SPINDLE_LOG, SPINDLE_CONSOLE, SPINDLE_GROUP, NIO, NETTY, NETTY_TWO, VERTX, VIRTUAL, JDK,
                SPINDLE_TLS, JDK_TLS);
    }

    /** The servers of the idle-memory comparison, baseline included. */
    static List<Server> idleMemory() {
        return List.of(SPINDLE, NIO, NETTY, VIRTUAL, PLATFORM);
    }

    /** The servers of {@code all} named in {@code names} (all of them if {@code names} is empty), in the order of {@code all}. */
    static List<Server> select(List<Server> all, List<String> names) {
        for (String n : names) {
            if (all.stream().noneMatch(s -> s.name.equals(n))) {
                throw new IllegalArgumentException("unknown server '" + n + "'; known: "
                        + all.stream().map(Server::name).toList());
            }
        }
        return names.isEmpty() ? all : all.stream().filter(s -> names.contains(s.name)).toList();
    }

    private static Server server(String name, String label, Class<?> main, String... args) {
        return new Server(name, label, main, List.of(args), List.of(), false);
    }
}
