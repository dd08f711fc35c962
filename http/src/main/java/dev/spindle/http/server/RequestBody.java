package dev.spindle.http.server;

import dev.spindle.http.HttpInputException;
import dev.spindle.http.codec.BodyFraming;
import dev.spindle.http.codec.Http1Connection;
import dev.spindle.runtime.internal.Log;
import dev.spindle.runtime.net.StreamClosedException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;

/**
 * The body of one request, read in place from the connection as the handler asks for it: whole
 * ({@link #readAll()}), piece by piece ({@link #next()}), or drained after the handler returned
 * so that the connection can serve the next request.
 *
 * <p><b>Loop-confined:</b> owned by one dispatcher of one connection.
 *
 * <p>{@code 100 Continue} is sent when the body is first asked for, if the client expects it
 * and has not started sending (RFC 9110 §10.1.1).
 */
final class RequestBody {
    /** What the connection drains after the handler, at most, before it gives up and closes. */
    static final long DRAIN_LIMIT = 256 * 1024;

    private final Http1ServerConnection conn;
    private final Http1Connection http;
    private final BodyFraming framing;
    /** Whether the client sent {@code Expect: 100-continue}. */
    private final boolean expectContinue;
    /** Whether {@code 100 Continue} was sent, or need not be. Loop-confined. */
    private boolean continued;
    /** Whether the exchange is over: reads are misuse then. Loop-confined. */
    private boolean closed;
    /** When the body may no longer be waited for (loop time); 0 until the first wait. Loop-confined. */
    private long deadline;

    RequestBody(Http1ServerConnection conn, BodyFraming framing, boolean expectContinue) {
        this.conn = conn;
        this.http = conn.http();
        this.framing = framing;
        this.expectContinue = expectContinue;
        this.continued = ended();
    }

    /** Whether the end of the body was read. */
    boolean ended() {
        return http.bodyEnded();
    }

    /** Body bytes handed out (or dropped) so far. */
    long received() {
        return http.bodyReceived();
    }

    /** The declared length, or -1 for a chunked body not read to its end. */
    long length() {
        return framing instanceof BodyFraming.Length(long n) ? n : ended() ? received() : -1;
    }

    /**
     * The next piece of the body, a view into the read buffer valid until the next read; null
     * at the end. Completes at once when bytes are buffered.
     */
    CompletableFuture<ByteBuffer> next() {
        checkOpen();
        sendContinue();
        return http.nextBody();
    }

    /**
     * Reads the whole body, parking the calling coroutine while bytes are on the way.
     *
     * @throws StreamClosedException if the client goes away (or a timeout closed the connection)
     * @throws HttpInputException for a malformed or too large body
     */
    byte[] readAll() {
        checkOpen();
        sendContinue();
        long declared = framing instanceof BodyFraming.Length(long n) ? n - received() : -1;
        byte[] out = new byte[(int) Math.max(0, Math.min(declared >= 0 ? declared : 1024, Integer.MAX_VALUE - 16))];
        int size = 0;
        for (ByteBuffer piece; (piece = http.readBody()) != null; ) {
            int n = piece.remaining();
            if (size + n > out.length) {
                out = Arrays.copyOf(out, (int) Math.min(Math.max(size + n, 2L * out.length), Integer.MAX_VALUE - 16));
            }
            piece.get(out, size, n);
            size += n;
        }
        return size == out.length ? out : Arrays.copyOf(out, size);
    }

    /**
     * Reads and drops the rest of the body, at most {@code limit} bytes, parking while bytes
     * are on the way.
     *
     * @return whether the body ended, so that the connection may serve another request
     */
    boolean drain(long limit) {
        if (ended()) {
            return true;
        } else if (!mayDrain(limit)) {
            return false;
        }
        try {
            for (ByteBuffer piece; (piece = http.readBody()) != null; ) {
                limit -= piece.remaining();
                piece.position(piece.limit());
                if (limit < 0) {
                    return false;
                }
            }
            return true;
        } catch (StreamClosedException e) {
            return false;
        } catch (HttpInputException e) {
            // The response went out already: no status to answer with, just close.
            Log.GENERAL.log(System.Logger.Level.INFO, "Malformed HTTP message (request body) from "
                    + conn.stream().remoteAddress() + ": " + e.getMessage());
            return false;
        }
    }

    /** Whether the rest of the body can be drained: the client will send it, and it is not known to be large. */
    boolean mayDrain(long limit) {
        if (ended()) {
            return true;
        } else if (expectContinue && !continued) {
            return false; // The client waits for 100 Continue, or for this final answer.
        }
        return !(framing instanceof BodyFraming.Length(long n)) || n - received() <= limit;
    }

    /** The body deadline, set at the first wait for body bytes (see HttpServerOptions.bodyTimeout). */
    long deadline() {
        if (deadline == 0) {
            deadline = conn.stream().loop().time() + conn.server().options().bodyTimeout().toNanos();
        }
        return deadline;
    }

    /** Marks the exchange over: later reads throw. */
    void close() {
        closed = true;
    }

    private void sendContinue() {
        if (!continued && expectContinue) {
            continued = true;
            if (!conn.stream().readBuffer().hasRemaining() && !http.headWritten()) {
                http.writeContinue();
            }
        }
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("the request is over: its body can be read only while its handler runs");
        }
    }

    @Override
    public String toString() {
        return "RequestBody[" + framing + ", received " + received() + (ended() ? ", ended" : "")
                + (expectContinue ? continued ? ", continued" : ", expects 100-continue" : "") + "]";
    }
}
