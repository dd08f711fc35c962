package dev.spindle.jmh;

import dev.spindle.http.server.HttpServer;
import dev.spindle.http.server.HttpServerOptions;
import dev.spindle.runtime.IOLoop;
import java.time.Duration;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Spindle's hello world on one {@link IOLoop}: {@code GET /} answers {@code Hello, world}, with
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
     * @param args the port (default 0: any free one); binds 127.0.0.1
     */
    public static void main(String[] args) {
        ACCESS.setLevel(Level.OFF);
        IOLoop loop = IOLoop.create();
        // The detector stays on, as by default, but a cold JVM's first requests (class loading,
        // locale data) on a loaded machine should not print stacks into the measurements.
        loop.setBlockingThreshold(Duration.ofSeconds(1));
        HttpServer server = HttpServer.create(loop, HttpServerOptions.DEFAULTS.withIdleTimeout(Duration.ofMinutes(10)))
                .get("/", (request, response) -> response.send(HelloResponse.BODY))
                .listen(ServerControl.port(args), ServerControl.LOOPBACK);
        ServerControl.ready(server.port());
        loop.start();
    }
}
