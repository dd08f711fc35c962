package dev.spindle.http.client;

import dev.spindle.http.HttpRequest;
import dev.spindle.http.HttpResponse;
import dev.spindle.runtime.IOLoop;
import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;

/**
 * One call of {@code fetch} (OkHttp: {@code RealCall}): waits for a slot, then runs its chain in
 * a coroutine of its own, under one {@link FetchTimer} that knows the phase (Tornado:
 * {@code _HTTPConnection} and the queue of {@code SimpleAsyncHTTPClient}). The chain goes one
 * way: {@link FollowUps} (redirects, the one retry) → {@link HeadersBridge} →
 * {@link ExchangeFinder} (an {@link Exchange} on a pooled connection) → the response.
 *
 * <p><b>Loop-confined,</b> except {@link #result}, an ordinary future the caller holds.
 */
/*
 * Implementation notes: when the deadline passes, `result` fails with an HttpTimeoutException
 * naming the phase, then the coroutine is cancelled: its pending await throws
 * CancellationException, and it closes its connection and frees its slot. A caller's cancel of
 * `result` does the same. Any other CancellationException can only come from the loop closing,
 * and then the client shuts down.
 */
final class Fetch {
    private final PooledHttpClient client;
    private final IOLoop loop;
    private final HttpRequest request;
    /** What the caller awaits. Completed on the loop, once. */
    final CompletableFuture<HttpResponse> result = new Result();
    private final FetchTimer timer;
    /** The coroutine running this fetch; null while queued. Loop-confined. */
    private CompletableFuture<Void> coroutine;

    Fetch(PooledHttpClient client, HttpRequest request) {
        this.client = client;
        this.loop = client.loop;
        this.request = request;
        Duration connectTimeout = request.connectTimeout().orElse(client.options().connectTimeout());
        Duration requestTimeout = request.requestTimeout().orElse(client.options().requestTimeout());
        this.timer = new FetchTimer(loop, connectTimeout, requestTimeout, request, this::timedOut);
    }

    HttpRequest request() {
        return request;
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
                loop.runOnLoop(Fetch.this::cancelled); // A closed loop cancelled its coroutines itself.
            }
            return cancelled;
        }
    }

    /** Enters the client: arms the queue timeout and waits for a slot. Call on the loop. */
    void start() {
        timer.queued();
        client.enqueue(this);
    }

    /** A slot is ours: runs the fetch in a coroutine. Call on the loop. */
    void begin() {
        timer.granted();
        try {
            coroutine = loop.spawn(this::run);
        } catch (RuntimeException e) {
            timer.cancel();
            result.completeExceptionally(e);
            client.finished();
        }
    }

    private Void run() {
        HttpResponse response = null;
        Throwable failure = null;
        try {
            ExchangeFinder finder = new ExchangeFinder(client, timer);
            response = new FollowUps(request, new HeadersBridge(request, client.options(), finder), timer).run();
        } catch (Throwable e) {
            failure = e;
        }
        timer.cancel();
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

    private void timedOut(HttpTimeoutException e) {
        if (result.completeExceptionally(e) && coroutine != null) {
            coroutine.cancel(true);
        }
    }

    /** The caller cancelled {@link #result}. Call on the loop. */
    private void cancelled() {
        timer.cancel();
        if (coroutine != null) {
            coroutine.cancel(true);
        }
    }

    @Override
    public String toString() {
        return "Fetch[" + request.method() + " " + request.url() + ", " + (result.isDone() ? "done" : timer) + "]";
    }
}
