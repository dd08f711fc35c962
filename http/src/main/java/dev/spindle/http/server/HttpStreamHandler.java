package dev.spindle.http.server;

import dev.spindle.runtime.internal.StreamOwner;
import dev.spindle.runtime.net.IoStream;
import dev.spindle.runtime.net.TcpServer;
import java.net.SocketAddress;

/**
 * The {@link TcpServer.StreamHandler} of an {@link HttpServer} (Tornado:
 * {@code HTTPServer.handle_stream}): serves each connection the TCP server accepted as an HTTP/1.1
 * connection. As a {@link StreamOwner} it takes the connection on the loop and lets it run its
 * own coroutines, none while it is idle; {@link #handleStream} serves a stream on the caller's
 * coroutine instead, until the connection ends.
 *
 * <p><b>Loop-confined:</b> {@code TcpServer} calls it on the server's loop.
 *
 * @param server the server the connections are for
 */
record HttpStreamHandler(HttpServer server) implements TcpServer.StreamHandler, StreamOwner {
    @Override
    public void accepted(IoStream stream, Runnable ended) {
        Http1ServerConnection c = server.register(stream, ended);
        if (c != null) {
            c.start();
        } else {
            stream.close(); // Accepted after stop().
            ended.run();
        }
    }

    @Override
    public void handleStream(IoStream stream, SocketAddress address) {
        Http1ServerConnection c = server.register(stream, null);
        if (c != null) {
            c.serve(false);
        }
    }
}
