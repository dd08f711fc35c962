package dev.spindle.jmh;

import dev.spindle.http.server.HttpServer;
import dev.spindle.http.server.HttpServerOptions;
import dev.spindle.runtime.IOLoop;
import dev.spindle.runtime.LoopGroup;
import java.time.Duration;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Spindle's hello world on one {@link IOLoop}, or on a {@link LoopGroup} of several:
 * {@code GET /} answers {@code Hello, world}, with
 * the access log off (one console line per request would measure the console) and an idle
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
     *     loop run by the main thread; more: a group, a thread per loop); binds 127.0.0.1
     */
    public static void main(String[] args) {
        ACCESS.setLevel(Level.OFF);
        int loops = args.length > 1 ? Integer.parseInt(args[1]) : 1;
        HttpServerOptions options = HttpServerOptions.DEFAULTS.withIdleTimeout(Duration.ofMinutes(10));
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

    private static HttpServer hello(HttpServer server, int port) {
        return server.get("/", (request, response) -> response.send(HelloResponse.BODY))
                .listen(port, ServerControl.LOOPBACK);
    }
}
