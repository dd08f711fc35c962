package dev.spindle.jmh;

import dev.spindle.http.demo.ConsoleLogHandler;
import dev.spindle.http.server.HttpServer;
import dev.spindle.http.server.HttpServerOptions;
import dev.spindle.runtime.IOLoop;
import dev.spindle.runtime.LoopGroup;
import dev.spindle.runtime.testing.TestCertificates;
import java.io.FileNotFoundException;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Spindle's hello world on one {@link IOLoop}, or on a {@link LoopGroup} of several:
 * {@code GET /} answers {@code Hello, world}, with
 * the access log off (one console line per request would measure the console), or on into a
 * handler that drops the records and an idle
 * timeout of 10 minutes (so that {@link IdleMemory}'s connections stay while it measures them).
 * Run by {@link ServerThroughput} and {@link IdleMemory} in a JVM of its own.
 *
 * <p><b>Thread-safe:</b> {@link #main} may be called from any thread, and runs the loop on it.
 */
public final class SpindleHelloServer {
    /** Held strongly: java.util.logging keeps loggers weakly and would forget the level. */
    private static final Logger ACCESS = Logger.getLogger("spindle.access");

    private SpindleHelloServer() {}

    /**
     * Serves until standard input closes.
     *
     * @param args the port (default 0: any free one), then the number of loops (default 1: one
     *     loop run by the main thread; more: a group, a thread per loop), then the access log:
     *     {@code off} (the default); {@code drop}: on, into a handler that drops each record,
     *     which costs the loop what any handler that writes elsewhere costs it; {@code console}:
     *     on, through the example servers' {@link ConsoleLogHandler} (not exported: the
     *     benchmarks run on the class path), which writes to standard error, here /dev/null, in
     *     batches from a thread of its own; then {@code tls} to serve https with a throwaway
     *     certificate for 127.0.0.1 (see {@link TestCertificates}); binds 127.0.0.1
     */
    public static void main(String[] args) {
        String access = args.length > 2 ? args[2] : "off";
        switch (access) {
            case "off" -> ACCESS.setLevel(Level.OFF);
            case "drop" -> dropAccessLog();
            case "console" -> consoleAccessLog();
            default -> throw new IllegalArgumentException("access log must be off, drop or console: " + access);
        }
        int loops = args.length > 1 ? Integer.parseInt(args[1]) : 1;
        HttpServerOptions options = HttpServerOptions.DEFAULTS.withIdleTimeout(Duration.ofMinutes(10));
        if (args.length > 3) {
            if (!args[3].equals("tls")) {
                throw new IllegalArgumentException("the fourth argument can only be tls: " + args[3]);
            }
            options = options.withSslContext(TestCertificates.create("localhost", "127.0.0.1").serverContext());
        }
        if (loops == 1) {
            IOLoop loop = IOLoop.create();
            // The detector stays on, as by default, but a cold JVM's first requests (class loading,
            // locale data) on a loaded machine should not print stacks into the measurements.
            loop.setBlockingThreshold(Duration.ofSeconds(1));
            HttpServer server = hello(HttpServer.create(loop, options), ServerControl.port(args));
            ServerControl.ready(server.port());
            loop.start();
        } else {
            LoopGroup group = LoopGroup.create(loops);
            group.loops().forEach(l -> l.setBlockingThreshold(Duration.ofSeconds(1)));
            HttpServer server = hello(HttpServer.create(group, options), ServerControl.port(args));
            group.start();
            ServerControl.ready(server.port());
        }
    }

    /** Turns the access log on, into a handler that takes every record and drops it. */
    private static void dropAccessLog() {
        ACCESS.setLevel(Level.INFO);
        ACCESS.setUseParentHandlers(false);
        ACCESS.addHandler(new Handler() {
            @Override
            public void publish(LogRecord record) {
                // Produced, handed over, and dropped: the loop's share of logging.
            }

            @Override
            public void flush() { }

            @Override
            public void close() { }
        });
    }

    /** Turns the access log on, through the example servers' handler, writing to /dev/null. */
    private static void consoleAccessLog() {
        try {
            System.setErr(new PrintStream(new FileOutputStream("/dev/null"), false, StandardCharsets.UTF_8));
        } catch (FileNotFoundException e) {
            throw new IllegalStateException("no /dev/null to write the access log to", e);
        }
        ACCESS.setLevel(Level.INFO);
        ConsoleLogHandler.install();
    }

    private static HttpServer hello(HttpServer server, int port) {
        return server.get("/", (request, response) -> response.send(HelloResponse.BODY))
                .listen(port, ServerControl.LOOPBACK);
    }
}
