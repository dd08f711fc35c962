package dev.spindle.http.client;

import dev.spindle.http.HttpRequest;
import dev.spindle.http.HttpResponse;
import dev.spindle.http.client.HttpTimeoutException.Phase;
import dev.spindle.runtime.Deadline;
import dev.spindle.runtime.IOLoop;
import dev.spindle.runtime.internal.Durations;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * The deadline and the timing of one fetch (Tornado's timeouts, phase by phase), handed down the
 * fetch's chain so that each link says what it is doing without knowing the fetch:
 *
 * <pre>
 *   QUEUE   --slot--> CONNECT --connected--> REQUEST --redirect to a new origin--> CONNECT ...
 *   start + min(connect, request)   min(t0 + connect, start + request)   start + request
 * </pre>
 *
 * (a pooled connection skips CONNECT). Deadlines almost always move later, so a phase change is a
 * store on a {@link Deadline}, which keeps one loop timer; a fetch that completes in time costs
 * one timer, not three. When the deadline passes, the expiry action gets an
 * {@link HttpTimeoutException} naming the phase.
 *
 * <p><b>Loop-confined:</b> used on the client's loop.
 */
final class FetchTimer {
    private final IOLoop loop;
    private final Duration connectTimeout;
    private final Duration requestTimeout;
    /** What times out, for the exception's message. */
    private final HttpRequest request;
    private final Deadline deadline;
    /** When the fetch began, in the loop's clock. */
    private final long start;
    /** What receives the timeout. */
    private final Consumer<HttpTimeoutException> onTimeout;
    /** The phase the deadline belongs to, and its timeout. Loop-confined. */
    private Phase phase = Phase.QUEUE;
    private Duration timeout;
    /** Timing, in the loop's clock. Loop-confined. */
    private long grantedAt;
    private long connectStart;
    private long connectNanos;
    private long firstByteAt;
    private boolean reused;

    FetchTimer(IOLoop loop, Duration connectTimeout, Duration requestTimeout, HttpRequest request,
            Consumer<HttpTimeoutException> onTimeout) {
        this.loop = loop;
        this.connectTimeout = connectTimeout;
        this.requestTimeout = requestTimeout;
        this.request = request;
        this.onTimeout = onTimeout;
        this.deadline = Deadline.create(loop, this::expired);
        this.start = loop.time();
    }

    /** The fetch waits for a slot: the smaller of the two timeouts applies. */
    void queued() {
        Duration first = connectTimeout.compareTo(requestTimeout) <= 0 ? connectTimeout : requestTimeout;
        arm(Phase.QUEUE, start + Durations.toNanos(first), first);
    }

    /** The fetch got its slot. */
    void granted() {
        grantedAt = loop.time();
    }

    /** A new connection is being opened. */
    void connecting() {
        connectStart = loop.time();
        long connectDeadline = connectStart + Durations.toNanos(connectTimeout);
        long requestDeadline = start + Durations.toNanos(requestTimeout);
        if (connectDeadline - requestDeadline <= 0) {
            arm(Phase.CONNECT, connectDeadline, connectTimeout);
        } else {
            arm(Phase.CONNECT, requestDeadline, requestTimeout); // Connecting, under the request's deadline.
        }
    }

    /** The connection is open. */
    void connected() {
        connectNanos += loop.time() - connectStart;
    }

    /** Whether the request runs on a pooled connection. */
    void reused(boolean value) {
        reused = value;
    }

    /** The request goes on a connection: only the request timeout applies from now on. */
    void requesting() {
        if (phase != Phase.REQUEST) {
            arm(Phase.REQUEST, start + Durations.toNanos(requestTimeout), requestTimeout);
        }
    }

    /** The head of the final response arrived. */
    void firstByte() {
        firstByteAt = loop.time();
    }

    /** The fetch ended: no timeout any more. */
    void cancel() {
        deadline.cancel();
    }

    /** Time spent in each phase so far. */
    HttpResponse.Timing timing() {
        long now = loop.time();
        return new HttpResponse.Timing(Duration.ofNanos(Math.max(0, grantedAt - start)), Duration.ofNanos(connectNanos),
                Duration.ofNanos(Math.max(0, firstByteAt - start)), Duration.ofNanos(now - start), reused);
    }

    private void arm(Phase p, long at, Duration t) {
        phase = p;
        timeout = t;
        deadline.arm(at);
    }

    private void expired() {
        onTimeout.accept(new HttpTimeoutException(phase, timeout, request.method() + " " + request.url()));
    }

    @Override
    public String toString() {
        return "FetchTimer[" + phase + ", " + deadline + "]";
    }
}
