package dev.spindle.http.client;

import dev.spindle.http.server.HttpServer;
import dev.spindle.http.server.HttpServerOptions;
import dev.spindle.runtime.IOLoop;
import dev.spindle.runtime.net.TlsOptions;
import dev.spindle.runtime.testing.TestCertificates;
import java.io.IOException;
import java.net.InetAddress;
import java.time.Duration;

/**
 * The server of {@link HttpsFanOut}, run in a JVM of its own: Spindle's https server on one loop
 * on 127.0.0.1, with a certificate a fresh test CA signed for localhost. {@code GET /hello}
 * answers {@code hello} and keeps the connection; {@code GET /close} answers {@code hello} with
 * {@code Connection: close}, so that every request costs a new connection and a handshake.
 *
 * <p>Prints {@code CA <path of the CA certificate, PEM>}, then {@code PORT <n>} when ready;
 * exits when its standard input closes.
 *
 * <p><b>Thread-safe:</b> not applicable (a main class).
 */
public final class HttpsHelloServer {
    /** Held so that its level stays: no access log line per request. */
    private static final java.util.logging.Logger ACCESS = java.util.logging.Logger.getLogger("spindle.access");

    private HttpsHelloServer() {}

    public static void main(String[] args) throws Exception {
        ACCESS.setLevel(java.util.logging.Level.WARNING);
        try (TestCertificates certs = TestCertificates.create("localhost", "127.0.0.1"); IOLoop loop = IOLoop.create()) {
            HttpServerOptions options = HttpServerOptions.DEFAULTS.withTls(TlsOptions.server(certs.serverContext())
                    .withHandshakeTimeout(Duration.ofMinutes(2)));
            HttpServer server = HttpServer.create(loop, options)
                    .get("/hello", (rq, rs) -> rs.send("hello"))
                    .get("/close", (rq, rs) -> rs.header("Connection", "close").send("hello"))
                    .listen(0, InetAddress.getLoopbackAddress());
            System.out.println("CA " + certs.caCertificatePem());
            System.out.println("PORT " + server.port());
            System.out.flush();
            Thread.ofPlatform().daemon().start(() -> {
                try {
                    while (System.in.read() >= 0) {
                        // Until the parent closes our standard input (or dies).
                    }
                } catch (IOException e) {
                    // The parent is gone.
                }
                loop.stop();
            });
            loop.start();
        }
    }
}
