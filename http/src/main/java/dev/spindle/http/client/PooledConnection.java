package dev.spindle.http.client;

import dev.spindle.http.codec.Http1Connection;
import dev.spindle.runtime.net.IoStream;

/**
 * One keep-alive connection of the client to an origin, over the codec's
 * {@link Http1Connection}.
 *
 * <p><b>Loop-confined:</b> call only from a coroutine or callback of the client's loop.
 *
 * <p>Lifecycle, checked at each step (STYLE S18):
 * <ol>
 * <li>{@link #PooledConnection} after connecting: ACTIVE, owned by one fetch, which runs one
 *     exchange on it and hands it back to the pool ({@link #idle}) or {@link #close()}s it.
 * <li>IDLE: in the pool, with no pending read, so an idle connection costs no future and closing
 *     a pool costs no exceptions. {@link #activate()} checks it before reuse (OkHttp's health
 *     check): it starts the codec's close watch; if that finds the end of stream, an error or
 *     bytes nobody asked for, the connection is dead and closes. Otherwise it is ACTIVE again,
 *     and the exchange's first read takes the watch's read over.
 * <li>{@link #close()} from any state: CLOSED for good.
 * </ol>
 *
 * <p>A server that closes an idle connection is thus noticed at the next reuse or at expiry; the
 * stream notices the end of stream as soon as its loop selects it, so the check finds it. If the
 * close races with the reuse, the request fails before any response byte and is retried once
 * (see {@link FollowUps}).
 */
final class PooledConnection {
    enum State { ACTIVE, IDLE, CLOSED }

    final Origin origin;
    final Http1Connection http;
    private State state = State.ACTIVE;
    /** Exchanges begun on this connection; more than one means it was reused. Loop-confined. */
    private int exchanges;
    /** When it last became idle, in the loop's clock; meaningful while IDLE. Loop-confined. */
    private long idleSince;

    PooledConnection(Origin origin, Http1Connection http) {
        this.origin = origin;
        this.http = http;
    }

    IoStream stream() {
        return http.stream();
    }

    /** Starts an exchange on the connection. */
    void beginExchange() {
        check(State.ACTIVE, "beginExchange");
        exchanges++;
    }

    /** Whether an exchange ran on this connection before the current one. */
    boolean wasReused() {
        return exchanges > 1;
    }

    /** Moves to the pool: IDLE since {@code now}, ready for the next exchange. */
    void idle(long now) {
        check(State.ACTIVE, "idle");
        state = State.IDLE;
        idleSince = now;
    }

    /**
     * Takes an idle connection out of the pool if it is healthy; otherwise closes it.
     *
     * @return whether it is ACTIVE now; false if it was closed, or is now
     */
    boolean activate() {
        if (state == State.CLOSED) {
            return false;
        }
        check(State.IDLE, "activate");
        if (!stream().isClosed()) {
            http.watchClose();
        }
        if (stream().isClosed() || stream().readBuffer().hasRemaining()) {
            close(); // End of stream, an error, or bytes no request asked for.
            return false;
        }
        state = State.ACTIVE;
        return true;
    }

    long idleSince() {
        return idleSince;
    }

    boolean isOpen() {
        return state != State.CLOSED && !stream().isClosed();
    }

    /** Closes the connection, which fails a pending read. Idempotent. */
    void close() {
        state = State.CLOSED;
        stream().close();
    }

    private void check(State expected, String what) {
        if (state != expected) {
            throw new IllegalStateException(what + "() on a connection in state " + state + ": " + this);
        }
    }

    @Override
    public String toString() {
        return "PooledConnection[" + origin + ", " + state + ", exchanges=" + exchanges + "]";
    }
}
