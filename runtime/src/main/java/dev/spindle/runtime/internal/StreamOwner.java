package dev.spindle.runtime.internal;

import dev.spindle.runtime.net.IoStream;

/**
 * A {@link dev.spindle.runtime.net.TcpServer.StreamHandler} that takes each accepted
 * connection on its loop, outside any coroutine, and owns it from then on: it runs coroutines
 * for it as it likes (none while the connection is idle), closes the stream itself, and says
 * when the connection is over. The server calls {@link #accepted} instead of starting a coroutine
 * of {@code handleStream}.
 *
 * <p><b>Loop-confined:</b> {@link #accepted} is called on the loop that serves the stream.
 *
 * <p>Internal: exported only to {@code dev.spindle.http}, whose server keeps no coroutine on an
 * idle keep-alive connection.
 */
public interface StreamOwner {
    /**
     * Takes {@code stream}, just accepted (with TLS: its handshake done), on its loop.
     *
     * @param ended to run once, on the loop, when the connection is over and its stream closed
     *     (or closing): the server counts it as active until then
     */
    void accepted(IoStream stream, Runnable ended);
}
