package dev.spindle.http.server;

import dev.spindle.http.codec.Http1Writer;
import dev.spindle.runtime.IOLoop;
import java.util.concurrent.CompletableFuture;

/**
 * What an {@link HttpServer} keeps on each loop that serves its connections: the head writer,
 * the {@code Date} line, the access log and the live connections. A server on one loop has one;
 * a server on a {@link dev.spindle.runtime.LoopGroup} one per loop of the group, so nothing of
 * it is shared across threads.
 *
 * <p><b>Loop-confined:</b> used on its loop only.
 */
final class ServerLoop {
    final HttpServer server;
    final IOLoop loop;
    /**
     * Encodes every response head of the loop, and assembles small responses: a head is written
     * before anything can suspend, so one writer serves all the loop's connections.
     */
    final Http1Writer writer = new Http1Writer();
    final AccessLog accessLog;
    final LiveConnections connections;
    private final DateCache dates = new DateCache(System::currentTimeMillis);
    /** Connections accepted on this loop, for toString. Loop-confined; read racily by toString. */
    private long accepted;

    ServerLoop(HttpServer server, IOLoop loop) {
        this.server = server;
        this.loop = loop;
        this.accessLog = new AccessLog(loop);
        this.connections = new LiveConnections(loop);
    }

    /** A connection for a stream just accepted on this loop. */
    Http1ServerConnection register(dev.spindle.runtime.net.IoStream stream) {
        Http1ServerConnection c = new Http1ServerConnection(this, stream);
        connections.add(c);
        accepted++;
        return c;
    }

    /** Appends the {@code Server} field (if configured and {@code server}) and the {@code Date} field (if {@code date}). */
    Http1Writer commonLines(Http1Writer w, boolean server, boolean date) {
        byte[] serverLine = this.server.serverLine();
        if (server && serverLine != null) {
            w.line(serverLine);
        }
        return date ? w.line(dates.line()) : w;
    }

    /** Stops this loop's connections: see {@link LiveConnections#stop}. Call on the loop. */
    CompletableFuture<Void> stop(java.time.Duration grace) {
        return connections.stop(grace);
    }

    long accepted() {
        return accepted;
    }

    @Override
    public String toString() {
        return "ServerLoop[" + loop.name() + ", " + connections + ", accepted=" + accepted + "]";
    }
}
