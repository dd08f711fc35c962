package dev.spindle.http.client;

import static dev.spindle.runtime.Coroutines.await;

import dev.spindle.http.server.HttpServer;
import dev.spindle.runtime.IOLoop;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;

/**
 * A Spindle {@link HttpServer} on the current loop, on 127.0.0.1 and a free port, for client
 * tests whose peer must be on the client's own loop: with a virtual clock, such a test does not
 * depend on how fast another thread answers. Call everything in a coroutine of that loop.
 *
 * <ul>
 * <li>{@code /hello}: 200, {@code hello}
 * <li>{@code /hang}: never answers, until the client closes the connection
 * </ul>
 */
final class LoopServer implements AutoCloseable {
    private final HttpServer server;
    /** The client ports requests came from: one per connection. Loop-confined. */
    private final Set<Integer> clientPorts = new HashSet<>();

    LoopServer() {
        server = HttpServer.create(IOLoop.current())
                .get("/hello", (request, response) -> {
                    seen(request.remoteAddress());
                    response.send("hello");
                })
                .get("/hang", (request, response) -> {
                    seen(request.remoteAddress());
                    await(request.connectionClosed());
                })
                .listen(0, InetAddress.getLoopbackAddress());
    }

    private void seen(java.net.SocketAddress from) {
        clientPorts.add(((InetSocketAddress) from).getPort());
    }

    String url(String path) {
        return "http://127.0.0.1:" + server.port() + path;
    }

    /** Connections seen so far: one per client port. */
    int connections() {
        return clientPorts.size();
    }

    /** Closes every connection and waits until their handlers have ended. */
    @Override
    public void close() {
        await(server.stop(Duration.ZERO));
    }
}
