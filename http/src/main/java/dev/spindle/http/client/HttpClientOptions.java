package dev.spindle.http.client;

import dev.spindle.runtime.net.TlsOptions;
import java.time.Duration;
import java.util.Objects;
import javax.net.ssl.SSLContext;

/**
 * Settings of an {@link AsyncHttpClient} or {@link HttpClient} (Tornado: the keyword arguments of
 * {@code AsyncHTTPClient.configure}).
 *
 * {@snippet :
 * AsyncHttpClient client = AsyncHttpClient.create(loop, HttpClientOptions.DEFAULTS
 *         .withMaxClients(100)                      // at most 100 requests at once
 *         .withRequestTimeout(Duration.ofSeconds(5)));
 *
 * AsyncHttpClient internal = AsyncHttpClient.create(loop, HttpClientOptions.DEFAULTS
 *         .withSslContext(companyCaContext));           // https servers whose CA is private
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
 *     origin (scheme, host, port), so that a finished fan-out does not hold thousands of the peer's connections;
 *     0 turns pooling off</td></tr>
 * <tr><td>{@code idleTimeout}</td><td>30 s</td><td>an idle connection is closed after this</td></tr>
 * <tr><td>{@code connectTimeout}</td><td>20 s</td><td>for requests that set none</td></tr>
 * <tr><td>{@code requestTimeout}</td><td>20 s</td><td>for requests that set none; counts from
 *     {@code fetch}, queue included</td></tr>
 * <tr><td>{@code userAgent}</td><td>{@code Spindle/0.1}</td><td>sent unless the request sets
 *     {@code User-Agent}</td></tr>
 * <tr><td>{@code maxBodySize}</td><td>100 MiB</td><td>largest response body collected
 *     (decompressed); streamed bodies are not limited</td></tr>
 * <tr><td>{@code tls}</td><td>{@link TlsOptions#client()}: the JDK's default trust store,
 *     verification on, TLS 1.3 and 1.2, a 10 s handshake deadline</td><td>how {@code https}
 *     connections are made: the {@link SSLContext} whose trust managers verify the server (its
 *     key managers show a client certificate if the server asks), the protocol versions, the
 *     handshake deadline (see {@link #withTls}). ALPN always offers {@code http/1.1} only</td></tr>
 * </table>
 *
 * <p><b>https.</b> The server's certificate chain is verified against the trust managers of
 * the context, and its host name against the URL's (HTTPS endpoint identification, RFC 2818);
 * the host name goes out as SNI. A failed check fails the fetch with the
 * {@link javax.net.ssl.SSLHandshakeException} that says what was wrong ("TLS handshake with
 * host:443 failed: the certificate is not trusted (...)", "... is not valid for this host name
 * (...)", "... the peer does not speak TLS ..."), the engine's exception as its cause. Turning
 * verification off is possible only explicitly,
 * {@code withTls(TlsOptions.client().withPeerVerification(false))}, and <b>unsafe</b>: the client
 * then accepts any certificate for any host, so anyone on the path can read and change the
 * traffic; the first such settings of the process log a warning on {@code spindle.general}.
 * Use it for tests only, and prefer {@link #withSslContext} with the test CA.
 *
 * <p>Of the record's two constructors, the shorter one (without {@code tls}) is that of
 * version 0.1 and takes the default TLS settings.
 *
 * @param maxClients the most requests in progress at once, at least 1; {@link #UNLIMITED} for no limit
 * @param maxIdlePerOrigin the most idle connections kept per origin, at least 0
 * @param idleTimeout how long an idle connection is kept, positive
 * @param connectTimeout the default connect timeout, positive
 * @param requestTimeout the default request timeout, positive
 * @param userAgent the default {@code User-Agent}, not blank
 * @param maxBodySize the largest response body collected, in bytes, positive
 * @param tls the TLS settings of https connections, a client's ({@link TlsOptions#client()}); since 0.2
 * @since 0.1
 */
public record HttpClientOptions(int maxClients, int maxIdlePerOrigin, Duration idleTimeout, Duration connectTimeout,
        Duration requestTimeout, String userAgent, long maxBodySize, TlsOptions tls) {

    /** {@code maxClients} without a limit. */
    public static final int UNLIMITED = Integer.MAX_VALUE;

    /** The defaults of the table above. */
    public static final HttpClientOptions DEFAULTS = new HttpClientOptions(UNLIMITED, 10, Duration.ofSeconds(30),
            Duration.ofSeconds(20), Duration.ofSeconds(20), "Spindle/0.1", 100L << 20, TlsOptions.client());

    /**
     * Settings with the default TLS settings, {@link TlsOptions#client()}; see the canonical
     * constructor.
     */
    public HttpClientOptions(int maxClients, int maxIdlePerOrigin, Duration idleTimeout, Duration connectTimeout,
            Duration requestTimeout, String userAgent, long maxBodySize) {
        this(maxClients, maxIdlePerOrigin, idleTimeout, connectTimeout, requestTimeout, userAgent, maxBodySize,
                TlsOptions.client());
    }

    /**
     * Checks the settings.
     *
     * @throws IllegalArgumentException if one is out of range, or {@code tls} are a server's;
     *     the message shows it
     * @throws NullPointerException if a duration, the user agent or {@code tls} is null
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
        if (!Objects.requireNonNull(tls, "tls").clientMode()) {
            throw new IllegalArgumentException("tls: a client needs client settings, TlsOptions.client(...): " + tls);
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
                maxBodySize, tls);
    }

    /** Returns a copy with {@code maxIdlePerOrigin} replaced. */
    public HttpClientOptions withMaxIdlePerOrigin(int value) {
        return new HttpClientOptions(maxClients, value, idleTimeout, connectTimeout, requestTimeout, userAgent,
                maxBodySize, tls);
    }

    /** Returns a copy with {@code idleTimeout} replaced. */
    public HttpClientOptions withIdleTimeout(Duration value) {
        return new HttpClientOptions(maxClients, maxIdlePerOrigin, value, connectTimeout, requestTimeout, userAgent,
                maxBodySize, tls);
    }

    /** Returns a copy with {@code connectTimeout} replaced. */
    public HttpClientOptions withConnectTimeout(Duration value) {
        return new HttpClientOptions(maxClients, maxIdlePerOrigin, idleTimeout, value, requestTimeout, userAgent,
                maxBodySize, tls);
    }

    /** Returns a copy with {@code requestTimeout} replaced. */
    public HttpClientOptions withRequestTimeout(Duration value) {
        return new HttpClientOptions(maxClients, maxIdlePerOrigin, idleTimeout, connectTimeout, value, userAgent,
                maxBodySize, tls);
    }

    /** Returns a copy with {@code userAgent} replaced. */
    public HttpClientOptions withUserAgent(String value) {
        return new HttpClientOptions(maxClients, maxIdlePerOrigin, idleTimeout, connectTimeout, requestTimeout, value,
                maxBodySize, tls);
    }

    /**
     * Returns a copy with {@code tls} replaced: the TLS settings of https connections, made by
     * {@link TlsOptions#client()} or {@link TlsOptions#client(SSLContext)} and their
     * {@code with...} methods (protocol versions, handshake deadline, where the engine's tasks
     * run, and the unsafe {@link TlsOptions#withPeerVerification(boolean) withPeerVerification(false)}).
     * Their ALPN names are replaced by {@code http/1.1}.
     *
     * {@snippet :
     * HttpClientOptions.DEFAULTS.withTls(TlsOptions.client(caContext).withProtocols("TLSv1.3")
     *         .withHandshakeTimeout(Duration.ofSeconds(5)));
     * }
     *
     * @throws IllegalArgumentException if {@code value} are a server's settings
     * @since 0.2
     */
    public HttpClientOptions withTls(TlsOptions value) {
        return new HttpClientOptions(maxClients, maxIdlePerOrigin, idleTimeout, connectTimeout, requestTimeout,
                userAgent, maxBodySize, value);
    }

    /**
     * Returns a copy whose https connections trust what {@code context}'s trust managers trust
     * (a private CA, say) instead of the JDK's default trust store, and show the certificate of
     * its key managers if a server asks for one; the other TLS settings stay, verification of
     * the chain and the host name included.
     *
     * {@snippet :
     * TestCertificates certs = TestCertificates.create("localhost");   // or your CA's SSLContext
     * HttpClient client = HttpClient.create(HttpClientOptions.DEFAULTS.withSslContext(certs.clientContext()));
     * }
     *
     * @since 0.2
     */
    public HttpClientOptions withSslContext(SSLContext context) {
        Objects.requireNonNull(context, "context");
        return withTls(withContext(tls, context));
    }

    /** {@code tls} with {@code context} instead of its own. */
    static TlsOptions withContext(TlsOptions tls, SSLContext context) {
        return new TlsOptions(true, context, tls.verifyPeer(), tls.applicationProtocols(), tls.protocols(),
                tls.handshakeTimeout(), tls.taskExecutor());
    }

    /** Returns a copy with {@code maxBodySize} replaced. */
    public HttpClientOptions withMaxBodySize(long value) {
        return new HttpClientOptions(maxClients, maxIdlePerOrigin, idleTimeout, connectTimeout, requestTimeout,
                userAgent, value, tls);
    }
}
