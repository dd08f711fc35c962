package dev.spindle.http.client;

import dev.spindle.http.codec.Http1Options;
import dev.spindle.http.codec.Http1Parser;
import dev.spindle.runtime.net.IoStream;
import java.util.concurrent.CompletableFuture;

/**
 * One keep-alive connection of the client to an origin: its stream and its response parser.
 *
 * <p><b>Loop-confined:</b> call only from a coroutine or callback of the client's loop.
 *
 * <p>Lifecycle, checked at each step (STYLE S18):
 * <ol>
 * <li>{@link #Connection} after connecting: ACTIVE, owned by one fetch.
 * <li>While ACTIVE, the owner runs one exchange at a time ({@link #beginExchange()}), then hands
 *     the connection to the pool ({@link #idle}) or {@link #close()}s it.
 * <li>IDLE: in the pool, with no pending read, so an idle connection costs no future and closing
 *     a pool costs no exceptions. {@link #activate()} checks it before reuse (OkHttp's health
 *     check): it starts the read the next response needs; if that read finds the end of stream,
 *     an error or bytes nobody asked for, the connection is dead and closes. Otherwise it is
 *     ACTIVE again and the exchange's first {@link #fill()} awaits that read.
 * <li>{@link #close()} from any state: CLOSED for good.
 * </ol>
 *
 * <p>A server that closes an idle connection is thus noticed at the next reuse or at expiry; the
 * stream notices the end of stream as soon as its loop selects it, so the check finds it. If the
 * close races with the reuse, the request fails before any response byte and is retried (see
 * {@link Exchange#failedBeforeResponse()}).
 */
final class Connection {
    /** The parser's limits: bodies are limited by the client after decompression, not here. */
    static final Http1Options PARSER_OPTIONS = Http1Options.DEFAULTS.withMaxBodySize(Long.MAX_VALUE);

    enum State { ACTIVE, IDLE, CLOSED }

    final String origin;
    final IoStream stream;
    final Http1Parser parser = Http1Parser.forResponses(PARSER_OPTIONS);
    private State state = State.ACTIVE;
    /** Exchanges begun on this connection; more than one means it was reused. */
    private int exchanges;
    /** When it last became idle, in the loop's clock; meaningful while IDLE. */
    private long idleSince;
    /** The read started by {@link #activate()}, for the exchange's first fill; null otherwise. */
    private CompletableFuture<Integer> probe;

    Connection(String origin, IoStream stream) {
        this.origin = origin;
        this.stream = stream;
    }

    /** Starts an exchange: the parser is ready for a response. */
    void beginExchange() {
        check(State.ACTIVE, "beginExchange");
        if (exchanges++ > 0) {
            parser.reset();
        }
    }

    /** Whether an exchange ran on this connection before the current one. */
    boolean wasReused() {
        return exchanges > 1;
    }

    /** Moves to the pool: IDLE since {@code now}. */
    void idle(long now) {
        check(State.ACTIVE, "idle");
        state = State.IDLE;
        idleSince = now;
    }

    /**
     * Reads more bytes into the stream's buffer, as {@link IoStream#fill()}; the first call after
     * {@link #activate()} returns the read the health check started.
     */
    CompletableFuture<Integer> fill() {
        CompletableFuture<Integer> p = probe;
        if (p != null) {
            probe = null;
            return p;
        }
        return stream.fill();
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
        CompletableFuture<Integer> p = stream.isClosed() ? null : stream.fill();
        if (p == null || p.isDone()) {
            close(); // End of stream, an error, or bytes no request asked for.
            return false;
        }
        state = State.ACTIVE;
        probe = p;
        return true;
    }

    long idleSince() {
        return idleSince;
    }

    boolean isOpen() {
        return state != State.CLOSED && !stream.isClosed();
    }

    /** Closes the connection, which fails a pending read. Idempotent. */
    void close() {
        state = State.CLOSED;
        probe = null;
        stream.close();
    }

    private void check(State expected, String what) {
        if (state != expected) {
            throw new IllegalStateException(what + "() on a connection in state " + state + ": " + this);
        }
    }

    @Override
    public String toString() {
        return "Connection[" + origin + ", " + state + ", exchanges=" + exchanges + "]";
    }
}
