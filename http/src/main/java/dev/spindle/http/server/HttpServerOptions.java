package dev.spindle.http.server;

import dev.spindle.http.HttpSyntax;
import dev.spindle.runtime.internal.Durations;
import java.time.Duration;

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
 * </table>
 *
 * @param idleTimeout how long a connection may wait for a request to begin
 * @param headerTimeout how long a request head may take to arrive once it has begun
 * @param bodyTimeout how long a request body may take to arrive once the server first waits for it
 * @param maxRequestLineLength the longest request line, in bytes
 * @param maxHeaderBytes the largest header block, in bytes
 * @param maxHeaderCount the most header fields
 * @param maxBodySize the largest request body, in bytes
 * @param serverHeader the value of the {@code Server} response field, or null to send none
 * @since 0.1
 */
public record HttpServerOptions(Duration idleTimeout, Duration headerTimeout, Duration bodyTimeout,
        int maxRequestLineLength, int maxHeaderBytes, int maxHeaderCount, long maxBodySize, String serverHeader) {

    /** The defaults of the table above. */
    public static final HttpServerOptions DEFAULTS = new HttpServerOptions(Duration.ofSeconds(60),
            Duration.ofSeconds(30), Duration.ofSeconds(60), 8 * 1024, 64 * 1024, 100, 10L << 20, "Spindle");

    /** The shortest line limit: room for a minimal request line. */
    private static final int MIN_LINE = 16;

    /**
     * Checks the components.
     *
     * @throws NullPointerException if a timeout is null
     * @throws IllegalArgumentException if a timeout is not positive, a limit is below its
     *     minimum, or {@code serverHeader} is not sendable field text; the message shows the value
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
    }

    private static void atLeast(String name, int value, int min) {
        if (value < min) {
            throw new IllegalArgumentException(name + " < " + min + ": " + value);
        }
    }

    /** Returns a copy with {@code idleTimeout} replaced. */
    public HttpServerOptions withIdleTimeout(Duration value) {
        return new HttpServerOptions(value, headerTimeout, bodyTimeout, maxRequestLineLength, maxHeaderBytes,
                maxHeaderCount, maxBodySize, serverHeader);
    }

    /** Returns a copy with {@code headerTimeout} replaced. */
    public HttpServerOptions withHeaderTimeout(Duration value) {
        return new HttpServerOptions(idleTimeout, value, bodyTimeout, maxRequestLineLength, maxHeaderBytes,
                maxHeaderCount, maxBodySize, serverHeader);
    }

    /** Returns a copy with {@code bodyTimeout} replaced. */
    public HttpServerOptions withBodyTimeout(Duration value) {
        return new HttpServerOptions(idleTimeout, headerTimeout, value, maxRequestLineLength, maxHeaderBytes,
                maxHeaderCount, maxBodySize, serverHeader);
    }

    /** Returns a copy with {@code maxRequestLineLength} replaced. */
    public HttpServerOptions withMaxRequestLineLength(int value) {
        return new HttpServerOptions(idleTimeout, headerTimeout, bodyTimeout, value, maxHeaderBytes,
                maxHeaderCount, maxBodySize, serverHeader);
    }

    /** Returns a copy with {@code maxHeaderBytes} replaced. */
    public HttpServerOptions withMaxHeaderBytes(int value) {
        return new HttpServerOptions(idleTimeout, headerTimeout, bodyTimeout, maxRequestLineLength, value,
                maxHeaderCount, maxBodySize, serverHeader);
    }

    /** Returns a copy with {@code maxHeaderCount} replaced. */
    public HttpServerOptions withMaxHeaderCount(int value) {
        return new HttpServerOptions(idleTimeout, headerTimeout, bodyTimeout, maxRequestLineLength, maxHeaderBytes,
                value, maxBodySize, serverHeader);
    }

    /**
     * Returns a copy with {@code maxBodySize} replaced: the largest request body, larger ones get
     * 413 (Tornado: {@code max_body_size}).
     */
    public HttpServerOptions withMaxBodySize(long value) {
        return new HttpServerOptions(idleTimeout, headerTimeout, bodyTimeout, maxRequestLineLength, maxHeaderBytes,
                maxHeaderCount, value, serverHeader);
    }

    /** Returns a copy with {@code serverHeader} replaced (null: no {@code Server} field). */
    public HttpServerOptions withServerHeader(String value) {
        return new HttpServerOptions(idleTimeout, headerTimeout, bodyTimeout, maxRequestLineLength, maxHeaderBytes,
                maxHeaderCount, maxBodySize, value);
    }
}
