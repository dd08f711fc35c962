package dev.spindle.http.client;

import dev.spindle.http.HttpRequest;
import dev.spindle.http.HttpResponse;
import dev.spindle.http.codec.Http1Options;
import dev.spindle.http.codec.Http1Writer;
import dev.spindle.runtime.IOLoop;
import dev.spindle.runtime.TimerHandle;
import dev.spindle.runtime.net.TcpClient;
import dev.spindle.runtime.net.TlsOptions;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;

/**
 * The work behind an {@link AsyncHttpClient}: at most {@code maxClients} fetches in progress,
 * the rest in a FIFO queue, and a {@link ConnectionPool} with one expiry timer (Tornado:
 * {@code SimpleAsyncHTTPClient}; OkHttp: {@code Dispatcher} and {@code RealConnectionPool}).
 *
 * <p><b>Loop-confined,</b> except {@link #fetch}, {@link #close} and {@link #isClosed}, which are
 * thread-safe.
 */
final class PooledHttpClient {
    /** The parser's limits: bodies are limited by the client after decompression, not here. */
    static final Http1Options PARSER_OPTIONS = Http1Options.DEFAULTS.withMaxBodySize(Long.MAX_VALUE);

    final IOLoop loop;
    private final HttpClientOptions options;
    /** Opens plain connections. */
    private final TcpClient tcp = TcpClient.create();
    /** The TLS settings of https connections: the options', offering {@code http/1.1} by ALPN. */
    private final TlsOptions tls;
    /** Opens https connections with {@link #tls}. */
    private final TcpClient tlsTcp;
    final ConnectionPool pool;
    /** Encodes the request heads of every connection of this client: a head is written before anything can suspend. */
    final Http1Writer writer = new Http1Writer();
    /** Fetches waiting for a slot, in arrival order; ones already done are skipped. Loop-confined. */
    private final ArrayDeque<Fetch> queue = new ArrayDeque<>();
    /** Fetches holding a slot. Loop-confined. */
    private int active;
    /** The pool's expiry timer, while connections are idle. Loop-confined. */
    private TimerHandle cleanupTimer;
    /** Set by close(); read by any thread. */
    private volatile boolean closed;

    PooledHttpClient(IOLoop loop, HttpClientOptions options) {
        this.loop = Objects.requireNonNull(loop, "loop");
        this.options = Objects.requireNonNull(options, "options");
        this.pool = new ConnectionPool(options.maxIdlePerOrigin(), options.idleTimeout().toNanos());
        this.tls = options.tls().withApplicationProtocols("http/1.1");
        this.tlsTcp = TcpClient.create().withTls(tls);
    }

    HttpClientOptions options() {
        return options;
    }

    /** The TLS settings of this client's https connections. */
    TlsOptions tls() {
        return tls;
    }

    /** What opens connections to {@code origin}: plain TCP, the client's TLS, or TLS with the request's own context. */
    TcpClient connector(Origin origin) {
        if (!origin.secure()) {
            return tcp;
        }
        return origin.sslContext() == null ? tlsTcp
                : TcpClient.create().withTls(HttpClientOptions.withContext(tls, origin.sslContext()));
    }

    /** Starts a fetch. <b>Thread-safe.</b> */
    CompletableFuture<HttpResponse> fetch(HttpRequest request) {
        Objects.requireNonNull(request, "request");
        if (closed) {
            throw new IllegalStateException("fetch() called on a closed AsyncHttpClient; create a new one");
        }
        Fetch f = new Fetch(this, request);
        if (!loop.runOnLoop(f::start)) {
            throw new IllegalStateException("fetch() called on a client whose loop " + loop.name() + " is closed;"
                    + " create a new AsyncHttpClient on an open loop");
        }
        return f.result;
    }

    /** Gives {@code f} a slot now, or queues it. */
    void enqueue(Fetch f) {
        if (active < options.maxClients()) {
            active++;
            f.begin();
        } else {
            queue.addLast(f);
        }
    }

    /** A fetch gave its slot back: the oldest waiting one gets it. */
    void finished() {
        active--;
        for (Fetch next; active < options.maxClients() && (next = queue.pollFirst()) != null; ) {
            if (!next.isDone()) {
                active++;
                next.begin();
            }
        }
    }

    /** After an exchange: pools {@code c} if {@code keepAlive} and pooling is on, else closes it. */
    void release(PooledConnection c, boolean keepAlive) {
        if (keepAlive && !closed && pool.offer(c, loop.time())) {
            if (cleanupTimer == null) {
                cleanupTimer = loop.callLater(options.idleTimeout(), this::cleanup);
            }
        } else {
            c.close();
        }
    }

    private void cleanup() {
        cleanupTimer = null;
        long next = pool.cleanup(loop.time());
        if (next >= 0) {
            cleanupTimer = loop.callLater(Duration.ofNanos(next), this::cleanup);
        }
    }

    /**
     * Stops taking fetches and closes the idle connections; fetches already taken finish, and
     * their connections are closed afterwards. Idempotent. <b>Thread-safe.</b>
     */
    void close() {
        closed = true;
        if (!loop.runOnLoop(this::closeIdle)) {
            closeIdle(); // The loop is closed: nothing runs on it any more.
        }
    }

    boolean isClosed() {
        return closed;
    }

    /** The loop is closing or closed: queued fetches fail, idle connections close. */
    void loopClosing() {
        closed = true;
        for (Fetch f; (f = queue.pollFirst()) != null; ) {
            f.result.completeExceptionally(new CancellationException(loop.name() + " closed before "
                    + f.request().method() + " " + f.request().url() + " started"));
        }
        closeIdle();
    }

    private void closeIdle() {
        pool.closeAll();
        if (cleanupTimer != null) {
            cleanupTimer.cancel();
            cleanupTimer = null;
        }
    }

    /** Diagnostics; read racily when called off the loop. */
    @Override
    public String toString() {
        String cap = options.maxClients() == HttpClientOptions.UNLIMITED ? "" : "/" + options.maxClients();
        return loop.name() + (closed ? ", closed" : "") + ", active " + active + cap + ", queued "
                + queue.size() + ", " + pool.idleCount() + " idle";
    }
}
