package dev.spindle.http.server;

import dev.spindle.http.HttpSyntax;
import dev.spindle.runtime.internal.Durations;
import dev.spindle.runtime.net.TlsOptions;
import java.time.Duration;
import java.util.Objects;
import javax.net.ssl.SSLContext;

/**
 * Limits and timeouts of an {@link HttpServer} (Tornado: the keyword arguments of
 * {@code HTTPServer}: {@code idle_connection_timeout}, {@code body_timeout},
 * {@code max_body_size}, {@code max_header_size}, ...). <b>Thread-safe:</b> may be called from
 * any thread (immutable).
 *
 * {@snippet :
 * HttpServer server = HttpServer.create(loop, HttpServerOptions.DEFAULTS
 *         .withIdleTimeout(Duration.ofSeconds(30))
 *         .withMaxBodySize(100 << 20));
 *
 * HttpServer https = HttpServer.create(loop, HttpServerOptions.DEFAULTS
 *         .withSslContext(sslContext))               // serves https: the context's key manager has the certificate
 *         .get("/", (request, response) -> response.send("Hello over " + request.scheme()))
 *         .listen(8443);
 * }
 *
 * <table class="striped">
 * <caption>Components, defaults and what exceeding them does</caption>
 * <tr><th>component</th><th>default</th><th>when exceeded</th></tr>
 * <tr><td>{@code idleTimeout}: waiting for the first byte of a request, on a new or a
 *     keep-alive connection</td><td>60 s</td><td>the connection is closed quietly</td></tr>
 * <tr><td>{@code headerTimeout}: from the first byte of a request to the end of its head</td>
 *     <td>30 s</td><td>408 and close</td></tr>
 * <tr><td>{@code bodyTimeout}: from the first wait for body bytes to the end of the body; it
 *     applies while the server waits for body bytes, not while the handler works</td>
 *     <td>60 s</td><td>408 (if no response has started) and close</td></tr>
 * <tr><td>{@code maxRequestLineLength}: the request line, CRLF included, at least 16</td>
 *     <td>8 KiB</td><td>414 and close</td></tr>
 * <tr><td>{@code maxHeaderBytes}: the header block, CRLFs and the empty line included (the
 *     trailers of a chunked body have a budget of the same size), at least 16</td>
 *     <td>64 KiB</td><td>431 and close</td></tr>
 * <tr><td>{@code maxHeaderCount}: header fields (or trailer fields), at least 1</td>
 *     <td>100</td><td>431 and close</td></tr>
 * <tr><td>{@code maxBodySize}: every request body, whole or streamed, after chunked decoding
 *     ({@link Long#MAX_VALUE}: no limit)</td><td>10 MiB</td><td>413 and close</td></tr>
 * <tr><td>{@code serverHeader}: the {@code Server} field of every response; null for none</td>
 *     <td>{@code Spindle}</td><td></td></tr>
 * <tr><td>{@code tls}: serve https with these TLS settings ({@link #withSslContext},
 *     {@link #withTls}); null for plain http</td><td>null</td><td>the handshake deadline
 *     passes (10 s by default): the connection is closed and logged at INFO</td></tr>
 * </table>
 *
 * <p><b>https.</b> With {@code tls}, every connection begins with a TLS handshake (TLS 1.3 or
 * 1.2) in which the server shows the certificate of the context's key manager and advertises
 * {@code http/1.1} by ALPN (whatever ALPN names {@code tls} has: the server speaks HTTP/1.1
 * only). The handshake runs on the loop's callbacks, with its costly steps on a pool of
 * platform threads; a connection gets its coroutine once it is over. A client that fails it
 * (plain HTTP on the https port, garbage, a rejected certificate, silence until the deadline)
 * is closed and logged at INFO on {@code spindle.general}, and the server goes on. Handlers
 * see {@link HttpServerRequest#scheme()} {@code "https"}, {@link HttpServerRequest#isSecure()},
 * the SNI host name the client asked for ({@link HttpServerRequest#serverName()}) and the
 * session ({@link HttpServerRequest#tlsSession()}).
 *
 * <p>Of the record's two constructors, the shorter one (without {@code tls}) is that of
 * version 0.1 and makes a plain http server.
 *
 * @param idleTimeout how long a connection may wait for a request to begin
 * @param headerTimeout how long a request head may take to arrive once it has begun
 * @param bodyTimeout how long a request body may take to arrive once the server first waits for it
 * @param maxRequestLineLength the longest request line, in bytes
 * @param maxHeaderBytes the largest header block, in bytes
 * @param maxHeaderCount the most header fields
 * @param maxBodySize the largest request body, in bytes
 * @param serverHeader the value of the {@code Server} response field, or null to send none
 * @param tls the TLS settings of an https server, a server's ({@link TlsOptions#server}); null
 *     for plain http; since 0.2
 * @since 0.1
 */
public record HttpServerOptions(Duration idleTimeout, Duration headerTimeout, Duration bodyTimeout,
        int maxRequestLineLength, int maxHeaderBytes, int maxHeaderCount, long maxBodySize, String serverHeader,
        TlsOptions tls) {

    /** The defaults of the table above. */
    public static final HttpServerOptions DEFAULTS = new HttpServerOptions(Duration.ofSeconds(60),
            Duration.ofSeconds(30), Duration.ofSeconds(60), 8 * 1024, 64 * 1024, 100, 10L << 20, "Spindle", null);

    /** The shortest line limit: room for a minimal request line. */
    private static final int MIN_LINE = 16;

    /** Options of a plain http server: {@code tls} null; see the canonical constructor. */
    public HttpServerOptions(Duration idleTimeout, Duration headerTimeout, Duration bodyTimeout,
            int maxRequestLineLength, int maxHeaderBytes, int maxHeaderCount, long maxBodySize, String serverHeader) {
        this(idleTimeout, headerTimeout, bodyTimeout, maxRequestLineLength, maxHeaderBytes, maxHeaderCount,
                maxBodySize, serverHeader, null);
    }

    /**
     * Checks the components.
     *
     * @throws NullPointerException if a timeout is null
     * @throws IllegalArgumentException if a timeout is not positive, a limit is below its
     *     minimum, {@code serverHeader} is not sendable field text, or {@code tls} are a
     *     client's; the message shows the value
     */
    public HttpServerOptions {
        Durations.requirePositive(idleTimeout, "idleTimeout");
        Durations.requirePositive(headerTimeout, "headerTimeout");
        Durations.requirePositive(bodyTimeout, "bodyTimeout");
        atLeast("maxRequestLineLength", maxRequestLineLength, MIN_LINE);
        atLeast("maxHeaderBytes", maxHeaderBytes, MIN_LINE);
        atLeast("maxHeaderCount", maxHeaderCount, 1);
        if (maxBodySize < 0) {
            throw new IllegalArgumentException("maxBodySize < 0: " + maxBodySize);
        }
        if (serverHeader != null && (serverHeader.isBlank() || !HttpSyntax.isFieldText(serverHeader))) {
            throw new IllegalArgumentException("invalid serverHeader: " + HttpSyntax.quote(serverHeader));
        }
        if (tls != null && tls.clientMode()) {
            throw new IllegalArgumentException("tls: a server needs server settings, TlsOptions.server(sslContext): " + tls);
        }
    }

    private static void atLeast(String name, int value, int min) {
        if (value < min) {
            throw new IllegalArgumentException(name + " < " + min + ": " + value);
        }
    }

    /** Returns a copy with {@code idleTimeout} replaced. */
    public HttpServerOptions withIdleTimeout(Duration value) {
        return new HttpServerOptions(value, headerTimeout, bodyTimeout, maxRequestLineLength, maxHeaderBytes,
                maxHeaderCount, maxBodySize, serverHeader, tls);
    }

    /** Returns a copy with {@code headerTimeout} replaced. */
    public HttpServerOptions withHeaderTimeout(Duration value) {
        return new HttpServerOptions(idleTimeout, value, bodyTimeout, maxRequestLineLength, maxHeaderBytes,
                maxHeaderCount, maxBodySize, serverHeader, tls);
    }

    /** Returns a copy with {@code bodyTimeout} replaced. */
    public HttpServerOptions withBodyTimeout(Duration value) {
        return new HttpServerOptions(idleTimeout, headerTimeout, value, maxRequestLineLength, maxHeaderBytes,
                maxHeaderCount, maxBodySize, serverHeader, tls);
    }

    /** Returns a copy with {@code maxRequestLineLength} replaced. */
    public HttpServerOptions withMaxRequestLineLength(int value) {
        return new HttpServerOptions(idleTimeout, headerTimeout, bodyTimeout, value, maxHeaderBytes,
                maxHeaderCount, maxBodySize, serverHeader, tls);
    }

    /** Returns a copy with {@code maxHeaderBytes} replaced. */
    public HttpServerOptions withMaxHeaderBytes(int value) {
        return new HttpServerOptions(idleTimeout, headerTimeout, bodyTimeout, maxRequestLineLength, value,
                maxHeaderCount, maxBodySize, serverHeader, tls);
    }

    /** Returns a copy with {@code maxHeaderCount} replaced. */
    public HttpServerOptions withMaxHeaderCount(int value) {
        return new HttpServerOptions(idleTimeout, headerTimeout, bodyTimeout, maxRequestLineLength, maxHeaderBytes,
                value, maxBodySize, serverHeader, tls);
    }

    /**
     * Returns a copy with {@code maxBodySize} replaced: the largest request body, larger ones get
     * 413 (Tornado: {@code max_body_size}).
     */
    public HttpServerOptions withMaxBodySize(long value) {
        return new HttpServerOptions(idleTimeout, headerTimeout, bodyTimeout, maxRequestLineLength, maxHeaderBytes,
                maxHeaderCount, value, serverHeader, tls);
    }

    /**
     * Returns a copy that serves https with the certificate of {@code context}'s key manager
     * (and the chain that comes with it), with the other TLS settings at their defaults:
     * {@code withTls(TlsOptions.server(context))}. Make the context from a key store as usual,
     * or, for tests, with {@link dev.spindle.runtime.testing.TestCertificates#serverContext()}.
     *
     * @since 0.2
     */
    public HttpServerOptions withSslContext(SSLContext context) {
        return withTls(TlsOptions.server(Objects.requireNonNull(context, "context")));
    }

    /**
     * Returns a copy with {@code tls} replaced: an https server with these TLS settings (made by
     * {@link TlsOptions#server} and its {@code with...} methods: protocol versions, the
     * handshake deadline, client certificates with {@code withPeerVerification(true)}), or null
     * for plain http. Their ALPN names are replaced by {@code http/1.1}.
     *
     * @throws IllegalArgumentException if {@code value} are a client's settings
     * @since 0.2
     */
    public HttpServerOptions withTls(TlsOptions value) {
        return new HttpServerOptions(idleTimeout, headerTimeout, bodyTimeout, maxRequestLineLength, maxHeaderBytes,
                maxHeaderCount, maxBodySize, serverHeader, value);
    }

    /** Returns a copy with {@code serverHeader} replaced (null: no {@code Server} field). */
    public HttpServerOptions withServerHeader(String value) {
        return new HttpServerOptions(idleTimeout, headerTimeout, bodyTimeout, maxRequestLineLength, maxHeaderBytes,
                maxHeaderCount, maxBodySize, value, tls);
    }
}
