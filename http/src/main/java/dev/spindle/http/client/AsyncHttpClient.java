package dev.spindle.http.client;

import dev.spindle.http.HttpRequest;
import dev.spindle.http.HttpResponse;
import dev.spindle.runtime.IOLoop;
import dev.spindle.runtime.LoopGroup;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A non-blocking HTTP/1.1 client whose fetches run as coroutines of one {@link IOLoop}
 * (Tornado: {@code tornado.httpclient.AsyncHTTPClient}).
 *
 * {@snippet :
 * // In a coroutine:
 * AsyncHttpClient httpClient = AsyncHttpClient.create();
 * HttpResponse response = await(httpClient.fetch(url));
 * return response.bodyText();
 * }
 *
 * <p><b>Thread-safe:</b> may be called from any thread. Requests run on the client's loop; the
 * futures complete there, so their dependents run on the loop and must not block. Actions before
 * {@code fetch} happen-before the request is sent.
 *
 * <p><b>One client per loop.</b> Like Tornado's pseudo-singleton, {@link #create()} and
 * {@link #create(IOLoop)} return the same client for the same loop, so creating one per call is
 * free and leaks nothing; its pool serves every caller on the loop. When the loop closes, the
 * client closes too. {@link #create(IOLoop, HttpClientOptions)} makes a separate client with its
 * own settings and pool (Tornado's {@code force_instance=True}), to be closed by its owner.
 *
 * <p><b>https</b> URLs are fetched over TLS 1.3 or 1.2, verifying the server's certificate chain
 * against the JDK's default trust store (or the context of
 * {@link HttpClientOptions#withSslContext}, or the request's own,
 * {@link HttpRequest.Builder#sslContext}) and its host name, with the host name as SNI and ALPN
 * offering {@code http/1.1}. The handshake is part of connecting: its costly steps run off the
 * loop, and it is bounded by the connect timeout and by the TLS settings' handshake deadline
 * (both "while connecting"). See {@link HttpClientOptions} for what a failed check looks like
 * and for the unsafe way to turn verification off.
 *
 * <p><b>Connections</b> are kept alive and pooled per origin: scheme, host and port (the
 * default port is 80 for http, 443 for https), and the request's own TLS context if it has one;
 * an https request never goes on a plain connection or the reverse. A request that fails on
 * a pooled connection the server had closed, before any byte of the response, is retried once on
 * a new connection if its method is idempotent (GET, HEAD, PUT, DELETE, OPTIONS, TRACE).
 *
 * <p><b>Limits:</b> by default every fetch runs at once, as with the JDK's {@code HttpClient}: a
 * fan-out of 10,000 fetches opens 10,000 connections. {@code maxClients} caps the requests in
 * progress; more wait in a FIFO queue. See {@link HttpClientOptions} for the defaults.
 *
 * <p><b>Timeouts</b> (Tornado's semantics): the request timeout counts from the call to
 * {@code fetch} and covers everything: the queue, connecting, redirects, the body. The connect
 * timeout covers opening each connection. In the queue, the smaller of the two applies. An
 * expired timeout fails the future with {@link HttpTimeoutException} (a
 * {@link dev.spindle.runtime.TimeoutException}) whose message says where: "in request queue",
 * "while connecting" or "during request".
 *
 * <p><b>Errors</b> reach {@code await} unchanged, through the returned future; only misuse is
 * thrown at once ({@code NullPointerException} for a null argument, {@code IllegalStateException}
 * for a closed client): {@link HttpClientException} for a final status
 * outside 2xx (unless {@code raiseError(false)}), also after too many redirects;
 * {@link java.net.ConnectException} when the connection is refused;
 * {@link dev.spindle.runtime.net.StreamClosedException} when the server closes the connection
 * before a response; {@link dev.spindle.http.HttpInputException} for a malformed response;
 * {@link java.util.zip.ZipException} for a damaged compressed body; the exception of a throwing
 * streaming or header callback; for https, {@link javax.net.ssl.SSLHandshakeException} when the
 * handshake fails (the certificate is not trusted or not for the host, the server does not
 * speak TLS), its message saying which, the engine's {@link javax.net.ssl.SSLException} as its
 * cause. Cancelling the future aborts the request and closes its connection.
 *
 * <p><b>Closing</b> ({@link #close()}) stops new fetches ({@code IllegalStateException}) and closes
 * the idle connections. Requests already fetched run to completion; their connections are closed
 * afterwards instead of pooled. Closing the shared client of a loop makes the next
 * {@code create} on that loop return a new one, as in Tornado.
 *
 * @since 0.1
 */
public final class AsyncHttpClient implements AutoCloseable {
    /** The shared client of each loop; an entry goes when its client or loop closes. */
    private static final ConcurrentHashMap<IOLoop, AsyncHttpClient> SHARED = new ConcurrentHashMap<>();

    /** One engine per loop: the loop's, or each loop's of a group, in the group's order. */
    private final List<PooledHttpClient> engines;
    /** The group the client runs on, or null for one loop. */
    private final LoopGroup group;
    private final boolean shared;
    /**
     * The request of the last {@link #fetch(String)}: fetching one URL over and over (polling, fan-out)
     * parses it once. Immutable, so a racy read is harmless.
     */
    private volatile HttpRequest lastGet;

    private AsyncHttpClient(IOLoop loop, HttpClientOptions options, boolean shared) {
        this.engines = List.of(new PooledHttpClient(loop, options));
        this.group = null;
        this.shared = shared;
    }

    private AsyncHttpClient(LoopGroup group, HttpClientOptions options) {
        this.engines = group.loops().stream().map(l -> new PooledHttpClient(l, options)).toList();
        this.group = group;
        this.shared = false;
    }

    /**
     * The client of the current loop (Tornado: {@code AsyncHTTPClient()}), with default options.
     *
     * @throws IllegalStateException if not called from a coroutine or callback of a loop
     */
    public static AsyncHttpClient create() {
        return create(IOLoop.current());
    }

    /**
     * The client of {@code loop}, with default options: the same instance on every call until it
     * or the loop is closed. <b>Thread-safe.</b>
     *
     * @throws IllegalStateException if {@code loop} is closed
     */
    public static AsyncHttpClient create(IOLoop loop) {
        Objects.requireNonNull(loop, "loop");
        while (true) {
            AsyncHttpClient c = SHARED.get(loop);
            if (c != null && !c.isClosed()) {
                return c;
            }
            checkOpen(loop);
            AsyncHttpClient fresh = new AsyncHttpClient(loop, HttpClientOptions.DEFAULTS, true);
            boolean won = c == null ? SHARED.putIfAbsent(loop, fresh) == null : SHARED.replace(loop, c, fresh);
            if (won) {
                fresh.closeWith(loop);
                return fresh;
            }
        }
    }

    /**
     * A new client of its own on {@code loop} with {@code options}, not shared (Tornado:
     * {@code AsyncHTTPClient(force_instance=True, ...)}). Close it when done; it also closes
     * when the loop does. <b>Thread-safe.</b>
     *
     * @throws IllegalStateException if {@code loop} is closed
     */
    public static AsyncHttpClient create(IOLoop loop, HttpClientOptions options) {
        Objects.requireNonNull(loop, "loop");
        Objects.requireNonNull(options, "options");
        checkOpen(loop);
        AsyncHttpClient c = new AsyncHttpClient(loop, options, false);
        c.closeWith(loop);
        return c;
    }

    /**
     * A new client on the loops of {@code group}, with {@code options}: one connection pool per
     * loop, and each fetch runs on the loop of the coroutine that calls {@code fetch} (or, from a
     * thread outside the group, on the group's next loop), so its connection stays on one loop
     * and the caller's {@code await} resumes without a hop. Close it when done; each loop's part
     * also closes when that loop does. <b>Thread-safe.</b>
     *
     * @throws IllegalStateException if a loop of the group is closed
     */
    public static AsyncHttpClient create(LoopGroup group, HttpClientOptions options) {
        Objects.requireNonNull(group, "group");
        Objects.requireNonNull(options, "options");
        group.loops().forEach(AsyncHttpClient::checkOpen);
        AsyncHttpClient c = new AsyncHttpClient(group, options);
        group.loops().forEach(c::closeWith);
        return c;
    }

    /** {@code create(group, HttpClientOptions.DEFAULTS)}: a new client on the loops of {@code group}. <b>Thread-safe.</b> */
    public static AsyncHttpClient create(LoopGroup group) {
        return create(group, HttpClientOptions.DEFAULTS);
    }

    private static void checkOpen(IOLoop loop) {
        if (loop.isClosed()) {
            throw new IllegalStateException(loop.name() + " is closed: an AsyncHttpClient needs a live loop");
        }
    }

    private void closeWith(IOLoop loop) {
        loop.closeFuture().whenComplete((v, e) -> {
            PooledHttpClient engine = engineOf(loop);
            engine.loopClosing();
            if (group == null) {
                close();
            } else {
                engine.close();
            }
        });
    }

    private PooledHttpClient engineOf(IOLoop loop) {
        for (PooledHttpClient e : engines) {
            if (e.loop == loop) {
                return e;
            }
        }
        return null;
    }

    /** The engine of the caller's loop if it has one here, else the single one, else the group's next loop's. */
    private PooledHttpClient engine() {
        if (group == null) {
            return engines.getFirst();
        }
        IOLoop current = IOLoop.currentOrNull();
        PooledHttpClient mine = current == null ? null : engineOf(current);
        return mine != null ? mine : engineOf(group.next());
    }

    /**
     * Fetches {@code url} with a {@code GET}: {@code fetch(HttpRequest.get(url))}. A malformed
     * or unsupported URL fails the returned future with {@link IllegalArgumentException}, as
     * every other fetch error does, so a caller that completes its own future from a callback
     * hears of it there.
     *
     * @throws NullPointerException if {@code url} is null
     * @throws IllegalStateException if the client is closed
     */
    public CompletableFuture<HttpResponse> fetch(String url) {
        Objects.requireNonNull(url, "url");
        HttpRequest r = lastGet;
        if (r == null || !r.url().equals(url)) {
            try {
                lastGet = r = HttpRequest.get(url);
            } catch (IllegalArgumentException e) {
                return CompletableFuture.failedFuture(e);
            }
        }
        return fetch(r);
    }

    /**
     * Sends {@code request} and returns a future of the response; never blocks (Tornado:
     * {@code fetch}). The future fails with the exceptions listed in the class description.
     * Cancelling it aborts the request.
     *
     * @throws IllegalStateException if the client or its loop is closed
     */
    public CompletableFuture<HttpResponse> fetch(HttpRequest request) {
        return engine().fetch(request);
    }

    /**
     * Closes the client: see the class description. Idempotent. <b>Thread-safe.</b>
     */
    @Override
    public void close() {
        if (shared) {
            SHARED.remove(engines.getFirst().loop, this);
        }
        engines.forEach(PooledHttpClient::close);
    }

    /** Whether {@link #close()} was called, or the loop (every loop of the group) closed. */
    public boolean isClosed() {
        return engines.stream().allMatch(PooledHttpClient::isClosed);
    }

    /** The loop the requests run on; for a client of a group, the group's first loop. */
    public IOLoop loop() {
        return engines.getFirst().loop;
    }

    /** The client's settings. */
    public HttpClientOptions options() {
        return engines.getFirst().options();
    }

    /**
     * Returns e.g. {@code AsyncHttpClient[IOLoop-1, shared, active 3, queued 0, 2 idle]}; for a
     * group, one such part per loop.
     */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("AsyncHttpClient[");
        for (int i = 0; i < engines.size(); i++) {
            String s = engines.get(i).toString();
            int comma = s.indexOf(',');
            sb.append(i > 0 ? "; " : "").append(comma < 0 || !shared ? s : s.substring(0, comma) + ", shared" + s.substring(comma));
        }
        return sb.append(']').toString();
    }
}
