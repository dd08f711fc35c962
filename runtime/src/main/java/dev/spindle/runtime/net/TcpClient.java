package dev.spindle.runtime.net;

import dev.spindle.runtime.IOLoop;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * Opens TCP connections as {@link IoStream}s of a loop (Tornado:
 * {@code tornado.tcpclient.TCPClient}). <b>Thread-safe:</b> may be called from any thread; a
 * client is immutable and may be shared by every loop.
 *
 * {@snippet :
 * TcpClient client = TcpClient.create();
 * IoStream stream = await(client.connect("example.com", 80, Duration.ofSeconds(5)));
 * }
 *
 * <p>The {@code connect} methods without a loop use the caller's loop and so must be called
 * from one of its coroutines or callbacks. Actions before {@code connect} happen-before
 * the connection attempt runs on the loop.
 *
 * <p><b>Suspension and cancellation.</b> {@code connect} never blocks: it returns a future
 * completed on the loop with the connected stream. Host names are resolved on a platform thread
 * (see {@link IOLoop#runInExecutor}), never on the loop; IP literals and {@code localhost} need
 * no lookup. A host with several addresses is tried address by address until one accepts.
 * Cancelling the future abandons the attempt and closes its socket.
 *
 * <p><b>Errors</b> are the JDK's own, unchanged: {@link java.net.ConnectException} when the
 * connection is refused, {@link java.net.UnknownHostException} for an unknown host (the last
 * address's error when all fail); and Spindle's {@link dev.spindle.runtime.TimeoutException},
 * saying "while connecting to host:port", when the connect timeout passes.
 *
 * <p>Streams start with {@code TCP_NODELAY} on and {@link IoStream#maxBufferSize()} as set by
 * {@link #withMaxBufferSize(int)} (default {@link IoStream#DEFAULT_MAX_BUFFER_SIZE}).
 */
public final class TcpClient {
    private final int maxBufferSize;

    private TcpClient(int maxBufferSize) {
        this.maxBufferSize = maxBufferSize;
    }

    /** A client with default settings. */
    public static TcpClient create() {
        return new TcpClient(IoStream.DEFAULT_MAX_BUFFER_SIZE);
    }

    /**
     * A copy of this client whose streams buffer at most {@code bytes} for reads.
     *
     * @throws IllegalArgumentException if {@code bytes < 1}
     */
    public TcpClient withMaxBufferSize(int bytes) {
        if (bytes < 1) {
            throw new IllegalArgumentException("maxBufferSize < 1: " + bytes);
        }
        return new TcpClient(bytes);
    }

    /**
     * Connects to {@code host:port} on the current loop, with no timeout of its own (the
     * kernel's applies).
     *
     * @throws IllegalStateException if not called from a coroutine or callback of a loop
     */
    public CompletableFuture<IoStream> connect(String host, int port) {
        return connect(IOLoop.current(), host, port, null);
    }

    /**
     * Connects to {@code host:port} on the current loop; fails with
     * {@link dev.spindle.runtime.TimeoutException} if not connected within {@code timeout}
     * (resolution included).
     *
     * @throws IllegalStateException if not called from a coroutine or callback of a loop
     */
    public CompletableFuture<IoStream> connect(String host, int port, Duration timeout) {
        return connect(IOLoop.current(), host, port, timeout);
    }

    /**
     * Connects to {@code host:port} with a stream of {@code loop}. <b>Thread-safe.</b>
     *
     * @param timeout positive, or null for none
     * @throws IllegalArgumentException if {@code port} is outside 1..65535 or {@code timeout}
     *     is not positive
     * @throws IllegalStateException if {@code loop} is closed
     */
    public CompletableFuture<IoStream> connect(IOLoop loop, String host, int port, Duration timeout) {
        Objects.requireNonNull(loop, "loop");
        Objects.requireNonNull(host, "host");
        if (port < 1 || port > 0xFFFF) {
            throw new IllegalArgumentException("port out of range: " + port);
        } else if (timeout != null && (timeout.isNegative() || timeout.isZero())) {
            throw new IllegalArgumentException("timeout must be positive: " + timeout);
        }
        Connector c = new Connector(loop, host, port, timeout, maxBufferSize);
        if (loop.inLoop()) {
            c.start();
        } else {
            loop.execute(c::start);
        }
        return c.result;
    }

    @Override
    public String toString() {
        return "TcpClient[maxBufferSize=" + maxBufferSize + "]";
    }
}
