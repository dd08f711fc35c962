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
 * <li>IDLE: in the pool, with a pending read that notices the server closing it (or sending
 *     bytes nobody asked for, which also closes it). {@link #activate()} makes it ACTIVE again
 *     for a new owner; the pending read is not cancelled but handed over: the new exchange's
 *     first {@link #fill()} awaits it (cancelling would cost two exceptions per reuse).
 * <li>{@link #close()} from any state: CLOSED for good.
 * </ol>
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
    /** The read that watches an idle connection, kept for the next exchange; null if none pending. */
    private CompletableFuture<Integer> watch;

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

    /** Moves to the pool: IDLE since {@code now}, watched for the server closing it. */
    void idle(long now) {
        check(State.ACTIVE, "idle");
        state = State.IDLE;
        idleSince = now;
        CompletableFuture<Integer> w = stream.fill();
        watch = w;
        w.whenComplete((n, e) -> {
            if (state == State.IDLE && watch == w) {
                close(); // Closed by the server, or it sent bytes no request asked for.
            }
        });
    }

    /**
     * Reads more bytes into the stream's buffer, as {@link IoStream#fill()}: the first call of
     * an exchange on a reused connection returns the read that watched it while idle.
     */
    CompletableFuture<Integer> fill() {
        CompletableFuture<Integer> w = watch;
        if (w != null) {
            watch = null;
            return w;
        }
        return stream.fill();
    }

    /** Takes an idle connection out of the pool; false if it closed meanwhile. */
    boolean activate() {
        if (state == State.CLOSED) {
            return false;
        }
        check(State.IDLE, "activate");
        if (stream.isClosed()) {
            state = State.CLOSED;
            return false;
        }
        state = State.ACTIVE;
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
        watch = null;
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
