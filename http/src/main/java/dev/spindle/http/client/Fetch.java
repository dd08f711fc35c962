package dev.spindle.http.client;

import static dev.spindle.runtime.Coroutines.await;

import dev.spindle.http.HttpHeaders;
import dev.spindle.http.HttpRequest;
import dev.spindle.http.HttpResponse;
import dev.spindle.http.ResponseStartLine;
import dev.spindle.http.client.HttpTimeoutException.Phase;
import dev.spindle.runtime.IOLoop;
import dev.spindle.runtime.TimerHandle;
import dev.spindle.runtime.net.IoStream;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;

/**
 * One call of {@code fetch}: waits for a slot, then runs in a coroutine of its own through
 * connections, redirects and one retry, under one timer that knows the phase (Tornado:
 * {@code _HTTPConnection} and the queue of {@code SimpleAsyncHTTPClient}).
 *
 * <p><b>Loop-confined,</b> except {@link #result}, an ordinary future the caller holds.
 */
/*
 * Implementation notes. The deadline follows Tornado's, phase by phase:
 *
 *   QUEUE   --slot--> CONNECT --connected--> REQUEST --redirect to a new origin--> CONNECT ...
 *   start + min(connect, request)   min(t0 + connect, start + request)   start + request
 *
 * (a pooled connection skips CONNECT). Deadlines almost always move later, so changing phase
 * only records the new deadline; the one loop timer is rescheduled when it fires early (or when
 * a deadline moves earlier). A fetch that completes in time thus costs one timer, not three.
 * When the deadline passes, `result` fails with an HttpTimeoutException naming the phase, then
 * the coroutine is cancelled: its pending await throws CancellationException, and it closes its
 * connection and frees its slot. A caller's cancel of `result` does the same. Any other
 * CancellationException can only come from the loop closing, and then the client shuts down.
 */
final class Fetch {
    private final PooledHttpClient client;
    private final IOLoop loop;
    private final HttpRequest request;
    /** What the caller awaits. Completed on the loop, once. */
    final CompletableFuture<HttpResponse> result = new Result();
    /** When fetch() was called, in the loop's clock. */
    private final long start;
    private final Duration connectTimeout;
    private final Duration requestTimeout;
    /** The phase the deadline belongs to. Loop-confined. */
    private Phase phase = Phase.QUEUE;
    /** When the current phase times out, in the loop's clock. Loop-confined. */
    private long deadline;
    /** The timeout that sets {@link #deadline}, for the message. Loop-confined. */
    private Duration timeout;
    /** The loop timer, due at or before {@link #deadline}; null once disarmed. Loop-confined. */
    private TimerHandle timer;
    /** When {@link #timer} is due. Loop-confined. */
    private long timerDue;
    /** The coroutine running this fetch; null while queued. Loop-confined. */
    private CompletableFuture<Void> coroutine;
    /** Timing, in the loop's clock; loop-confined. */
    private long grantedAt;
    private long connectNanos;
    private long firstByteAt;
    private boolean reused;
    /** Redirects followed so far. Loop-confined. */
    private int redirects;
    /** Why the final 3xx response was not followed, for the exception's message; or null. */
    private String notFollowed;

    Fetch(PooledHttpClient client, HttpRequest request) {
        this.client = client;
        this.loop = client.loop;
        this.request = request;
        this.start = loop.time();
        this.connectTimeout = request.connectTimeout().orElse(client.options().connectTimeout());
        this.requestTimeout = request.requestTimeout().orElse(client.options().requestTimeout());
    }

    HttpRequest request() {
        return request;
    }

    PooledHttpClient client() {
        return client;
    }

    boolean isDone() {
        return result.isDone();
    }

    /** The caller's future: cancelling it aborts the fetch. */
    private final class Result extends CompletableFuture<HttpResponse> {
        @Override
        public boolean cancel(boolean mayInterruptIfRunning) {
            boolean cancelled = super.cancel(mayInterruptIfRunning);
            if (cancelled) {
                try {
                    client.onLoop(Fetch.this::cancelled);
                } catch (IllegalStateException closed) {
                    // The loop is closed: its coroutines were cancelled with it.
                }
            }
            return cancelled;
        }
    }

    /** Enters the client: arms the queue timeout and waits for a slot. Call on the loop. */
    void start() {
        Duration first = connectTimeout.compareTo(requestTimeout) <= 0 ? connectTimeout : requestTimeout;
        arm(Phase.QUEUE, start + nanos(first), first);
        client.enqueue(this);
    }

    /** A slot is ours: runs the fetch in a coroutine. Call on the loop. */
    void begin() {
        grantedAt = loop.time();
        try {
            coroutine = loop.spawn(this::run);
        } catch (RuntimeException e) {
            disarm();
            result.completeExceptionally(e);
            client.finished();
        }
    }

    private Void run() {
        HttpResponse response = null;
        Throwable failure = null;
        try {
            response = follow();
        } catch (Throwable e) {
            failure = e;
        }
        disarm();
        if (failure instanceof CancellationException && !result.isDone()) {
            client.loopClosing(); // Neither our timer nor the caller: the loop is closing.
        }
        client.finished(); // Before completing, so that the caller's next fetch finds the slot free.
        if (failure == null) {
            result.complete(response);
        } else {
            result.completeExceptionally(failure);
        }
        return null;
    }

    /** Runs the exchanges until a response that is not followed. */
    private HttpResponse follow() throws Exception {
        Hop hop = Hop.of(request);
        while (true) {
            Exchange.Outcome o = exchange(hop);
            if (o.redirect() != null) {
                hop = o.redirect();
                continue;
            }
            ResponseStartLine status = o.status();
            HttpResponse.Builder b = HttpResponse.builder(request, status.code()).headers(o.headers()).body(o.body())
                    .effectiveUrl(hop.url()).timing(timing());
            if (!status.reason().isEmpty()) {
                b.reason(status.reason());
            }
            HttpResponse response = b.build();
            if (request.raiseError() && (status.code() < 200 || status.code() >= 300)) {
                throw new HttpClientException(response, notFollowed);
            }
            return response;
        }
    }

    /** One exchange; retried once on a new connection if a pooled one turns out closed (Tornado #324). */
    private Exchange.Outcome exchange(Hop hop) throws Exception {
        Connection c = connection(hop, false);
        Exchange x = new Exchange(this, c, hop);
        try {
            return x.run();
        } catch (Throwable e) {
            c.close();
            if (!x.failedBeforeResponse() || !c.wasReused() || !hop.idempotent()) {
                throw e;
            }
        }
        Connection fresh = connection(hop, true);
        try {
            return new Exchange(this, fresh, hop).run();
        } catch (Throwable e) {
            fresh.close();
            throw e;
        }
    }

    /** A pooled connection to the hop's origin, or (if none, or {@code fresh}) a new one. */
    private Connection connection(Hop hop, boolean fresh) throws Exception {
        Connection pooled = fresh ? null : client.pool.take(hop.origin());
        reused = pooled != null;
        if (pooled != null) {
            enterRequestPhase();
            return pooled;
        }
        long t0 = loop.time();
        long connectDeadline = t0 + nanos(connectTimeout);
        long requestDeadline = start + nanos(requestTimeout);
        if (connectDeadline - requestDeadline <= 0) {
            arm(Phase.CONNECT, connectDeadline, connectTimeout);
        } else {
            arm(Phase.CONNECT, requestDeadline, requestTimeout);
        }
        CompletableFuture<IoStream> connecting = client.tcp.connect(loop, hop.host(), hop.port(), null);
        IoStream stream;
        try {
            stream = await(connecting);
        } catch (CancellationException e) {
            connecting.cancel(false); // Abandons the attempt and closes its socket.
            throw e;
        }
        connectNanos += loop.time() - t0;
        enterRequestPhase();
        return new Connection(hop.origin(), stream);
    }

    /**
     * Where a 3xx response leads, if it is to be followed; else null (and, if following was
     * wanted but impossible, {@link #notFollowed} says why).
     */
    Hop redirectTarget(Hop hop, ResponseStartLine status, HttpHeaders headers) {
        String location = headers.get("Location");
        if (!request.followRedirects() || !Redirects.isRedirect(status.code()) || location == null) {
            return null;
        } else if (redirects >= request.maxRedirects()) {
            notFollowed = "too many redirects: maxRedirects=" + request.maxRedirects();
            return null;
        }
        URI target;
        try {
            target = Redirects.resolve(hop.uri(), location);
        } catch (IllegalArgumentException e) {
            notFollowed = "redirect not followed: " + e.getMessage();
            return null;
        }
        if (!Redirects.isHttp(target)) {
            notFollowed = "redirect to " + target + " not followed: only http:// URLs are supported";
            return null;
        }
        redirects++;
        return Redirects.next(hop, status.code(), target);
    }

    /** The head of the final response arrived. */
    void firstByte() {
        firstByteAt = loop.time();
    }

    private HttpResponse.Timing timing() {
        long now = loop.time();
        return new HttpResponse.Timing(Duration.ofNanos(grantedAt - start), Duration.ofNanos(connectNanos),
                Duration.ofNanos(Math.max(0, firstByteAt - start)), Duration.ofNanos(now - start), reused);
    }

    private void enterRequestPhase() {
        if (phase != Phase.REQUEST) {
            arm(Phase.REQUEST, start + nanos(requestTimeout), requestTimeout);
        }
    }

    /** Enters phase {@code p}, which times out at {@code at} after {@code t}. */
    private void arm(Phase p, long at, Duration t) {
        phase = p;
        deadline = at;
        timeout = t;
        if (timer == null || at - timerDue < 0) {
            disarm();
            timerDue = at;
            timer = loop.callAt(at, this::timerFired);
        }
    }

    private void disarm() {
        if (timer != null) {
            timer.cancel();
            timer = null;
        }
    }

    private void timerFired() {
        timer = null;
        if (result.isDone()) {
            return;
        } else if (loop.time() - deadline < 0) {
            timerDue = deadline; // The phase changed to a later deadline meanwhile.
            timer = loop.callAt(deadline, this::timerFired);
            return;
        }
        if (result.completeExceptionally(new HttpTimeoutException(phase, timeout,
                request.method() + " " + request.url())) && coroutine != null) {
            coroutine.cancel(true);
        }
    }

    /** The caller cancelled {@link #result}. Call on the loop. */
    private void cancelled() {
        disarm();
        if (coroutine != null) {
            coroutine.cancel(true);
        }
    }

    private static long nanos(Duration d) {
        return d.compareTo(Duration.ofDays(365)) >= 0 ? Duration.ofDays(365).toNanos() : d.toNanos();
    }

    @Override
    public String toString() {
        return "Fetch[" + request.method() + " " + request.url() + ", " + (result.isDone() ? "done" : phase) + "]";
    }
}
