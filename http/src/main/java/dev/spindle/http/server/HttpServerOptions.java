package dev.spindle.http.server;

import dev.spindle.http.codec.Ascii;
import dev.spindle.http.codec.Http1Options;
import java.time.Duration;
import java.util.Objects;

/**
 * Limits and timeouts of an {@link HttpServer} (Tornado: the keyword arguments of
 * {@code HTTPServer}: {@code idle_connection_timeout}, {@code body_timeout},
 * {@code max_body_size}, ...). <b>Thread-safe:</b> may be called from any thread (immutable).
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
 * <tr><td>{@code http1}: request line, header and body sizes, see {@link Http1Options}; its
 *     {@code maxBodySize} (10 MiB) bounds every request body, streamed or not</td>
 *     <td>{@link Http1Options#DEFAULTS}</td><td>414, 431, 413 and close</td></tr>
 * <tr><td>{@code serverHeader}: the {@code Server} field of every response; null for none</td>
 *     <td>{@code Spindle}</td><td></td></tr>
 * </table>
 *
 * @param idleTimeout how long a connection may wait for a request to begin
 * @param headerTimeout how long a request head may take to arrive once it has begun
 * @param bodyTimeout how long a request body may take to arrive once the server first waits for it
 * @param http1 the parser's limits
 * @param serverHeader the value of the {@code Server} response field, or null to send none
 * @since 0.1
 */
public record HttpServerOptions(
        Duration idleTimeout, Duration headerTimeout, Duration bodyTimeout, Http1Options http1, String serverHeader) {

    /** The defaults of the table above. */
    public static final HttpServerOptions DEFAULTS = new HttpServerOptions(
            Duration.ofSeconds(60), Duration.ofSeconds(30), Duration.ofSeconds(60), Http1Options.DEFAULTS, "Spindle");

    /**
     * Checks the components.
     *
     * @throws NullPointerException if a timeout or {@code http1} is null
     * @throws IllegalArgumentException if a timeout is not positive, or {@code serverHeader}
     *     is not sendable field text; the message shows the value
     */
    public HttpServerOptions {
        requirePositive(idleTimeout, "idleTimeout");
        requirePositive(headerTimeout, "headerTimeout");
        requirePositive(bodyTimeout, "bodyTimeout");
        Objects.requireNonNull(http1, "http1");
        if (serverHeader != null && (serverHeader.isBlank() || !Ascii.isFieldText(serverHeader))) {
            throw new IllegalArgumentException("invalid serverHeader: " + Ascii.quote(serverHeader));
        }
    }

    private static void requirePositive(Duration d, String name) {
        Objects.requireNonNull(d, name);
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be positive: " + d);
        }
    }

    /** Returns a copy with {@code idleTimeout} replaced. */
    public HttpServerOptions withIdleTimeout(Duration value) {
        return new HttpServerOptions(value, headerTimeout, bodyTimeout, http1, serverHeader);
    }

    /** Returns a copy with {@code headerTimeout} replaced. */
    public HttpServerOptions withHeaderTimeout(Duration value) {
        return new HttpServerOptions(idleTimeout, value, bodyTimeout, http1, serverHeader);
    }

    /** Returns a copy with {@code bodyTimeout} replaced. */
    public HttpServerOptions withBodyTimeout(Duration value) {
        return new HttpServerOptions(idleTimeout, headerTimeout, value, http1, serverHeader);
    }

    /** Returns a copy with {@code http1} replaced. */
    public HttpServerOptions withHttp1(Http1Options value) {
        return new HttpServerOptions(idleTimeout, headerTimeout, bodyTimeout, value, serverHeader);
    }

    /** Returns a copy with {@code serverHeader} replaced (null: no {@code Server} field). */
    public HttpServerOptions withServerHeader(String value) {
        return new HttpServerOptions(idleTimeout, headerTimeout, bodyTimeout, http1, value);
    }

    /**
     * Returns a copy whose {@code http1().maxBodySize()} is {@code bytes}: the largest request
     * body, larger ones get 413 (Tornado: {@code max_body_size}).
     *
     * @throws IllegalArgumentException if {@code bytes} is negative
     */
    public HttpServerOptions withMaxBodySize(long bytes) {
        return withHttp1(http1.withMaxBodySize(bytes));
    }
}
