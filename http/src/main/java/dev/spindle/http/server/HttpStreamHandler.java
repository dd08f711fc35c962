package dev.spindle.http.server;

import dev.spindle.runtime.net.IoStream;
import dev.spindle.runtime.net.TcpServer;
import java.net.SocketAddress;

/**
 * The {@link TcpServer.StreamHandler} of an {@link HttpServer} (Tornado:
 * {@code HTTPServer.handle_stream}): serves each connection the TCP server accepted as an HTTP/1.1
 * connection, on that connection's coroutine. A record rather than a lambda: every frame under
 * a parked connection is copied at each suspension, and a lambda adds one.
 *
 * <p><b>Loop-confined:</b> {@code TcpServer} calls it on a coroutine of the server's loop.
 *
 * @param server the server the connections are for
 */
record HttpStreamHandler(HttpServer server) implements TcpServer.StreamHandler {
    @Override
    public void handleStream(IoStream stream, SocketAddress address) {
        Http1ServerConnection c = server.register(stream);
        if (c != null) {
            c.serve();
        }
    }
}
