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
 * <p><b>Errors</b> keep the JDK's types: {@link java.net.ConnectException} when the connection
 * is refused, whose message names the host, the address and the port ("Connection refused:
 * localhost (127.0.0.1) port 8080"; the JDK's own exception is its cause), and
 * {@link java.net.UnknownHostException} for an unknown host (the last address's error when all
 * fail); Spindle's {@link dev.spindle.runtime.TimeoutException}, saying "while connecting to
 * host:port", when the connect timeout passes.
 *
 * <p><b>TLS.</b> A client made {@link #withTls(TlsOptions) withTls} runs the TLS handshake once
 * connected, and its future completes with a {@link TlsStream} whose handshake completed. The
 * client sends the host name as SNI (unless it is an IP address) and, by default, verifies the
 * server's certificate chain and that it is valid for the host name. A handshake that fails
 * fails the future with an {@link javax.net.ssl.SSLHandshakeException} whose message names the
 * peer and what was wrong ("TLS handshake with localhost:8443 failed: the certificate is not
 * trusted (...)"; the engine's exception is its cause); the handshake deadline
 * ({@link TlsOptions#handshakeTimeout()}, counted from the end of the TCP connect, which the
 * connect timeout covers) fails it with {@link dev.spindle.runtime.TimeoutException}. Either way
 * the connection is closed.
 *
 * <p>Streams start with {@code TCP_NODELAY} on and {@link IoStream#maxBufferSize()} as set by
 * {@link #withMaxBufferSize(int)} (default {@link IoStream#DEFAULT_MAX_BUFFER_SIZE}).
 */
public final class TcpClient {
    final int maxBufferSize;
    /** The TLS settings of the connections; null for plain TCP. */
    final TlsOptions tls;

    private TcpClient(int maxBufferSize, TlsOptions tls) {
        this.maxBufferSize = maxBufferSize;
        this.tls = tls;
    }

    /** A client with default settings: plain TCP. */
    public static TcpClient create() {
        return new TcpClient(IoStream.DEFAULT_MAX_BUFFER_SIZE, null);
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
        return new TcpClient(bytes, tls);
    }

    /**
     * A copy of this client whose connections speak TLS with {@code options}; null for plain
     * TCP. See "TLS" above.
     *
     * {@snippet :
     * TcpClient client = TcpClient.create().withTls(TlsOptions.client(trustingContext).withApplicationProtocols("http/1.1"));
     * TlsStream stream = (TlsStream) await(client.connect("localhost", 8443, Duration.ofSeconds(5)));
     * }
     *
     * @param options made by {@link TlsOptions#client()} or {@link TlsOptions#client(javax.net.ssl.SSLContext)}
     * @throws IllegalArgumentException if {@code options} are a server's
     * @since 0.2
     */
    public TcpClient withTls(TlsOptions options) {
        if (options != null && !options.clientMode()) {
            throw new IllegalArgumentException("a client needs client settings, TlsOptions.client(...): " + options);
        }
        return new TcpClient(maxBufferSize, options);
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
        Connector c = new Connector(this, loop, host, port, timeout);
        if (!loop.runOnLoop(c::start)) {
            throw new IllegalStateException(loop.name() + " is closed: connect() has no loop to run on; create a new IOLoop");
        }
        return c.result;
    }

    @Override
    public String toString() {
        return "TcpClient[maxBufferSize=" + maxBufferSize + (tls != null ? ", " + tls : "") + "]";
    }
}
