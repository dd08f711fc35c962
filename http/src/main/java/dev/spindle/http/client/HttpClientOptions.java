package dev.spindle.http.client;

import java.time.Duration;
import java.util.Objects;

/**
 * Settings of an {@link AsyncHttpClient} or {@link HttpClient} (Tornado: the keyword arguments of
 * {@code AsyncHTTPClient.configure}).
 *
 * {@snippet :
 * AsyncHttpClient client = AsyncHttpClient.create(loop, HttpClientOptions.DEFAULTS
 *         .withMaxClients(100)                      // at most 100 requests at once
 *         .withRequestTimeout(Duration.ofSeconds(5)));
 * }
 *
 * <p><b>Thread-safe:</b> immutable.
 *
 * <table class="striped">
 * <caption>Settings and defaults</caption>
 * <tr><th>component</th><th>default</th><th>meaning</th></tr>
 * <tr><td>{@code maxClients}</td><td>no limit ({@link #UNLIMITED})</td><td>requests in progress
 *     at once; more wait in a FIFO queue, and the time they wait is reported as the response's
 *     {@code timing().queue()} and, if it times out, as {@link HttpTimeoutException.Phase#QUEUE}
 *     (Tornado: {@code max_clients}, 10 there). Set it to protect a peer (or this process's file
 *     descriptors) from a fan-out: as the JDK's {@code HttpClient} and Go's {@code net/http}, the
 *     default lets every fetch run at once</td></tr>
 * <tr><td>{@code maxIdlePerOrigin}</td><td>10</td><td>idle keep-alive connections kept per
 *     host:port, so that a finished fan-out does not hold thousands of the peer's connections;
 *     0 turns pooling off</td></tr>
 * <tr><td>{@code idleTimeout}</td><td>30 s</td><td>an idle connection is closed after this</td></tr>
 * <tr><td>{@code connectTimeout}</td><td>20 s</td><td>for requests that set none</td></tr>
 * <tr><td>{@code requestTimeout}</td><td>20 s</td><td>for requests that set none; counts from
 *     {@code fetch}, queue included</td></tr>
 * <tr><td>{@code userAgent}</td><td>{@code Spindle/0.1}</td><td>sent unless the request sets
 *     {@code User-Agent}</td></tr>
 * <tr><td>{@code maxBodySize}</td><td>100 MiB</td><td>largest response body collected
 *     (decompressed); streamed bodies are not limited</td></tr>
 * </table>
 *
 * @param maxClients the most requests in progress at once, at least 1; {@link #UNLIMITED} for no limit
 * @param maxIdlePerOrigin the most idle connections kept per origin, at least 0
 * @param idleTimeout how long an idle connection is kept, positive
 * @param connectTimeout the default connect timeout, positive
 * @param requestTimeout the default request timeout, positive
 * @param userAgent the default {@code User-Agent}, not blank
 * @param maxBodySize the largest response body collected, in bytes, positive
 * @since 0.1
 */
public record HttpClientOptions(int maxClients, int maxIdlePerOrigin, Duration idleTimeout, Duration connectTimeout,
        Duration requestTimeout, String userAgent, long maxBodySize) {

    /** {@code maxClients} without a limit. */
    public static final int UNLIMITED = Integer.MAX_VALUE;

    /** The defaults of the table above. */
    public static final HttpClientOptions DEFAULTS = new HttpClientOptions(UNLIMITED, 10, Duration.ofSeconds(30),
            Duration.ofSeconds(20), Duration.ofSeconds(20), "Spindle/0.1", 100L << 20);

    /**
     * Checks the settings.
     *
     * @throws IllegalArgumentException if one is out of range; the message shows it
     * @throws NullPointerException if a duration or the user agent is null
     */
    public HttpClientOptions {
        if (maxClients < 1) {
            throw new IllegalArgumentException("maxClients < 1: " + maxClients);
        }
        if (maxIdlePerOrigin < 0) {
            throw new IllegalArgumentException("maxIdlePerOrigin < 0: " + maxIdlePerOrigin);
        }
        positive(idleTimeout, "idleTimeout");
        positive(connectTimeout, "connectTimeout");
        positive(requestTimeout, "requestTimeout");
        if (Objects.requireNonNull(userAgent, "userAgent").isBlank()) {
            throw new IllegalArgumentException("blank userAgent: \"" + userAgent + "\"");
        }
        if (maxBodySize < 1) {
            throw new IllegalArgumentException("maxBodySize < 1: " + maxBodySize);
        }
    }

    private static void positive(Duration d, String what) {
        if (Objects.requireNonNull(d, what).isNegative() || d.isZero()) {
            throw new IllegalArgumentException(what + " must be positive: " + d);
        }
    }

    /** Returns a copy with {@code maxClients} replaced. */
    public HttpClientOptions withMaxClients(int value) {
        return new HttpClientOptions(value, maxIdlePerOrigin, idleTimeout, connectTimeout, requestTimeout, userAgent,
                maxBodySize);
    }

    /** Returns a copy with {@code maxIdlePerOrigin} replaced. */
    public HttpClientOptions withMaxIdlePerOrigin(int value) {
        return new HttpClientOptions(maxClients, value, idleTimeout, connectTimeout, requestTimeout, userAgent,
                maxBodySize);
    }

    /** Returns a copy with {@code idleTimeout} replaced. */
    public HttpClientOptions withIdleTimeout(Duration value) {
        return new HttpClientOptions(maxClients, maxIdlePerOrigin, value, connectTimeout, requestTimeout, userAgent,
                maxBodySize);
    }

    /** Returns a copy with {@code connectTimeout} replaced. */
    public HttpClientOptions withConnectTimeout(Duration value) {
        return new HttpClientOptions(maxClients, maxIdlePerOrigin, idleTimeout, value, requestTimeout, userAgent,
                maxBodySize);
    }

    /** Returns a copy with {@code requestTimeout} replaced. */
    public HttpClientOptions withRequestTimeout(Duration value) {
        return new HttpClientOptions(maxClients, maxIdlePerOrigin, idleTimeout, connectTimeout, value, userAgent,
                maxBodySize);
    }

    /** Returns a copy with {@code userAgent} replaced. */
    public HttpClientOptions withUserAgent(String value) {
        return new HttpClientOptions(maxClients, maxIdlePerOrigin, idleTimeout, connectTimeout, requestTimeout, value,
                maxBodySize);
    }

    /** Returns a copy with {@code maxBodySize} replaced. */
    public HttpClientOptions withMaxBodySize(long value) {
        return new HttpClientOptions(maxClients, maxIdlePerOrigin, idleTimeout, connectTimeout, requestTimeout,
                userAgent, value);
    }
}
