package dev.spindle.http.client;

import static dev.spindle.runtime.Coroutines.await;

import dev.spindle.http.HttpRequest;
import dev.spindle.http.HttpResponse;
import dev.spindle.runtime.IOLoop;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;

/**
 * A blocking HTTP client for code outside any loop: {@code main}, tests, worker threads
 * (Tornado: {@code tornado.httpclient.HTTPClient}).
 *
 * {@snippet :
 * HttpClient httpClient = HttpClient.create();
 * HttpResponse response = httpClient.fetch(url);
 * return response.bodyText();
 * }
 *
 * <p><b>Thread-safe:</b> may be called from any thread that is not running a loop; several
 * threads may fetch through one client at once.
 *
 * <p>It is a thin facade over an {@link AsyncHttpClient} on one process-wide loop, started on
 * first use and run by a daemon thread named {@code spindle-http-client}. Every
 * {@code HttpClient.create()} shares that loop and its connection pool, so creating a client per
 * call, and never closing it, leaks no thread, socket or loop; {@link #close()} is cheap.
 *
 * <p>{@link #fetch} blocks the calling thread (parks it, if virtual) until the response is
 * complete and throws what {@link AsyncHttpClient#fetch} would fail with, the same exception
 * objects: {@link HttpClientException}, {@link HttpTimeoutException},
 * {@link java.net.ConnectException} and {@link javax.net.ssl.SSLHandshakeException} (thrown
 * although checked: catch them as {@code IOException} in a {@code try} that declares one), and
 * so on. https works as in {@link AsyncHttpClient}; {@code create(HttpClientOptions.DEFAULTS
 * .withSslContext(context))} trusts a private CA. Interrupting the thread aborts the request
 * and throws {@link CancellationException}, the interrupt status kept.
 *
 * @since 0.1
 */
public final class HttpClient implements AutoCloseable {
    private final AsyncHttpClient client;
    /** Whether {@link #client} is this facade's own, closed with it. */
    private final boolean owned;
    private volatile boolean closed;

    private HttpClient(AsyncHttpClient client, boolean owned) {
        this.client = client;
        this.owned = owned;
    }

    /** A client with default options over the shared loop and pool. <b>Thread-safe.</b> */
    public static HttpClient create() {
        return new HttpClient(AsyncHttpClient.create(SharedLoop.get()), false);
    }

    /**
     * A client with {@code options} and a pool of its own, on the shared loop. Close it when
     * done, which closes its idle connections. <b>Thread-safe.</b>
     */
    public static HttpClient create(HttpClientOptions options) {
        Objects.requireNonNull(options, "options");
        return new HttpClient(AsyncHttpClient.create(SharedLoop.get(), options), true);
    }

    /**
     * Fetches {@code url} with a {@code GET}, blocking until the response is complete.
     *
     * @throws IllegalArgumentException if {@code url} is malformed, or neither {@code http} nor {@code https}
     * @see #fetch(HttpRequest)
     */
    public HttpResponse fetch(String url) {
        return fetch(HttpRequest.get(url));
    }

    /**
     * Sends {@code request}, blocking until the response is complete.
     *
     * @return the response (for a status outside 2xx only with {@code raiseError(false)})
     * @throws HttpClientException for a final status outside 2xx
     * @throws HttpTimeoutException when a timeout expires
     * @throws IllegalStateException if called from a coroutine or callback of a loop (it would
     *     block the loop; use {@link AsyncHttpClient} and {@code await}), or if the client is closed
     * @throws CancellationException if the thread is interrupted while waiting
     */
    public HttpResponse fetch(HttpRequest request) {
        Objects.requireNonNull(request, "request");
        checkNotInLoop();
        if (closed) {
            throw new IllegalStateException("fetch() called on a closed HttpClient; create a new one");
        }
        CompletableFuture<HttpResponse> f = client.fetch(request);
        try {
            return await(f);
        } catch (CancellationException e) {
            f.cancel(true); // Interrupted: abort the request.
            throw e;
        }
    }

    private static void checkNotInLoop() {
        IOLoop loop;
        try {
            loop = IOLoop.current();
        } catch (IllegalStateException outsideAnyLoop) {
            return;
        }
        throw new IllegalStateException("HttpClient.fetch() called from a coroutine or callback of " + loop.name()
                + ": it would block the loop's thread; use AsyncHttpClient.create() and await(client.fetch(...))"
                + " instead");
    }

    /**
     * Closes this client: later fetches throw {@link IllegalStateException}. A client made with
     * options closes its pool; one made by {@link #create()} leaves the shared loop and pool to
     * the others. Idempotent and cheap. <b>Thread-safe.</b>
     */
    @Override
    public void close() {
        closed = true;
        if (owned) {
            client.close();
        }
    }

    /** Returns e.g. {@code HttpClient[open, AsyncHttpClient[IOLoop-1, shared, ...]]}. */
    @Override
    public String toString() {
        return "HttpClient[" + (closed ? "closed" : "open") + ", " + client + "]";
    }
}
