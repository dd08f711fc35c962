package dev.spindle.jmh;

import dev.spindle.http.examples.HelloServer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * {@link HelloServer} with the access log off, for load tests: one log line per request to the
 * console would measure the console. Runs until killed. <b>Thread-safe:</b> {@link #main} may be
 * called from any thread, and runs the loop on it.
 *
 * <p>The comparison with {@link JdkHelloServer} (build once, then run each server alone and
 * load it from a second process on the same machine):
 * <pre>{@code
 * mvn -B -q -DskipTests package -pl jmh -am
 * CP=jmh/target/classes:http/target/classes:runtime/target/classes
 * java --add-opens java.base/java.lang=ALL-UNNAMED -cp $CP dev.spindle.jmh.SpindleHelloServer 8888
 * java -Dsun.net.httpserver.maxIdleConnections=2000 -cp $CP dev.spindle.jmh.JdkHelloServer 8889
 * wrk -t1 -c50 -d10s http://127.0.0.1:8888/        # and -c1000, and port 8889
 * }</pre>
 */
public final class SpindleHelloServer {
    /** Held strongly: java.util.logging keeps loggers weakly and would forget the level. */
    private static final Logger ACCESS = Logger.getLogger("spindle.access");

    private SpindleHelloServer() {}

    /**
     * Starts the server; see {@link HelloServer#main} for the arguments.
     *
     * @throws Exception as {@link HelloServer#main}
     */
    public static void main(String[] args) throws Exception {
        ACCESS.setLevel(Level.OFF);
        HelloServer.main(args);
    }
}
