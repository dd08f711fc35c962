package dev.spindle.http.server;

import static dev.spindle.runtime.Coroutines.await;

import dev.spindle.runtime.IOLoop;
import java.net.InetAddress;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * A server on a fresh loop that runs on its own platform thread, for tests that drive it with
 * real clients from the test thread (Tornado's {@code AsyncHTTPTestCase}). Binds 127.0.0.1, port 0.
 */
final class ServerFixture implements AutoCloseable {
    final IOLoop loop = IOLoop.create();
    final HttpServer server;
    private final Thread thread;

    private ServerFixture(HttpServerOptions options, Consumer<HttpServer> routes) {
        server = HttpServer.create(loop, options);
        routes.accept(server);
        server.listen(0, InetAddress.getLoopbackAddress());
        thread = Thread.ofPlatform().name("server-fixture-loop").daemon().start(loop::start);
    }

    static ServerFixture start(Consumer<HttpServer> routes) {
        return new ServerFixture(HttpServerOptions.DEFAULTS, routes);
    }

    static ServerFixture start(HttpServerOptions options, Consumer<HttpServer> routes) {
        return new ServerFixture(options, routes);
    }

    int port() {
        return server.port();
    }

    URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port() + path);
    }

    /** The URL of {@code path}: {@code https://localhost:port...} for an https server, else {@code http://127.0.0.1:port...}. */
    String url(String path) {
        return (server.options().tls() != null ? "https://localhost:" : "http://127.0.0.1:") + port() + path;
    }

    /** Runs {@code body} as a coroutine of the server's loop and waits for its value. */
    <T> T onLoop(Callable<T> body) {
        CompletableFuture<T> f = loop.spawn(body);
        return await(f);
    }

    RawClient connect() {
        return RawClient.connect(port());
    }

    @Override
    public void close() throws InterruptedException {
        server.close();
        loop.close();
        thread.join(Duration.ofSeconds(10));
    }
}
