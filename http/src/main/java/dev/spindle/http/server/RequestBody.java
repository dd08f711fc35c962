package dev.spindle.http.server;

import static dev.spindle.runtime.Coroutines.await;

import dev.spindle.http.HttpInputException;
import dev.spindle.http.codec.BodyFraming;
import dev.spindle.http.codec.Http1Event;
import dev.spindle.runtime.net.StreamClosedException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * The body of one request, parsed in place from the connection's read buffer as the handler
 * asks for it: whole ({@link #readAll()}), piece by piece ({@link #next()}), or drained after
 * the handler returned so that the connection can serve the next request.
 *
 * <p><b>Loop-confined:</b> owned by one exchange of one connection.
 *
 * <p>{@code 100 Continue} is sent when the body is first asked for, if the client expects it
 * and has not started sending (RFC 9110 §10.1.1).
 */
final class RequestBody {
    /** What the connection drains after the handler, at most, before it gives up and closes. */
    static final long DRAIN_LIMIT = 256 * 1024;
    private static final byte[] CONTINUE = HeadEncoder.ascii("HTTP/1.1 100 Continue\r\n\r\n");

    private final Http1ServerConnection conn;
    private final BodyFraming framing;
    /** Whether the client sent {@code Expect: 100-continue}. */
    private final boolean expectContinue;
    /** Whether {@code 100 Continue} was sent, or need not be. Loop-confined. */
    private boolean continued;
    /** Whether the parser reached the end of the body. Loop-confined. */
    private boolean ended;
    /** Body bytes handed out (or dropped) so far. Loop-confined. */
    private long received;
    /** Whether the exchange is over: reads are misuse then. Loop-confined. */
    private boolean closed;
    /** When the body may no longer be waited for (loop time); null until the first wait. Loop-confined. */
    private Long deadline;

    RequestBody(Http1ServerConnection conn, BodyFraming framing, boolean expectContinue) {
        this.conn = conn;
        this.framing = framing;
        this.expectContinue = expectContinue;
        if (framing == BodyFraming.NONE || framing instanceof BodyFraming.Length(long n) && n == 0) {
            ended = conn.parser().feed(conn.stream().readBuffer()) instanceof Http1Event.End;
            continued = true;
        }
    }

    boolean ended() {
        return ended;
    }

    long received() {
        return received;
    }

    /** The declared length, or -1 for a chunked body. */
    long length() {
        return framing instanceof BodyFraming.Length(long n) ? n : ended ? received : -1;
    }

    /**
     * The next piece of the body, a view into the read buffer valid until the next read; null
     * at the end. Completes at once when bytes are buffered.
     */
    CompletableFuture<ByteBuffer> next() {
        checkOpen();
        sendContinue();
        ByteBuffer piece;
        try {
            piece = poll();
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        if (piece != null) {
            return CompletableFuture.completedFuture(piece == Http1ServerConnection.NO_MORE ? null : piece);
        }
        CompletableFuture<ByteBuffer> result = new CompletableFuture<>();
        fillThenPoll(result);
        return result;
    }

    private void fillThenPoll(CompletableFuture<ByteBuffer> result) {
        conn.waitingForBody(deadline());
        conn.stream().fill().whenComplete((n, e) -> {
            conn.waitingForBody(null);
            ByteBuffer piece = null;
            try {
                if (e != null) {
                    throw e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
                }
                piece = poll();
            } catch (Throwable failure) {
                result.completeExceptionally(failure);
                return;
            }
            if (piece == null) {
                fillThenPoll(result);
            } else {
                result.complete(piece == Http1ServerConnection.NO_MORE ? null : piece);
            }
        });
    }

    /**
     * Reads the whole body, parking the calling coroutine while bytes are on the way.
     *
     * @throws StreamClosedException if the client goes away (or a timeout closed the connection)
     * @throws dev.spindle.http.HttpInputException for a malformed or too large body
     */
    byte[] readAll() {
        checkOpen();
        sendContinue();
        long declared = framing instanceof BodyFraming.Length(long n) ? n - received : -1;
        byte[] out = new byte[(int) Math.max(0, Math.min(declared >= 0 ? declared : 1024, Integer.MAX_VALUE - 16))];
        int size = 0;
        for (ByteBuffer piece; (piece = pollOrWait()) != Http1ServerConnection.NO_MORE; ) {
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
        if (ended) {
            return true;
        } else if (!mayDrain(limit)) {
            return false;
        }
        try {
            for (ByteBuffer piece; (piece = pollOrWait()) != Http1ServerConnection.NO_MORE; ) {
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
            Http1ServerConnection.GENERAL.log(System.Logger.Level.INFO, "Malformed HTTP message (request body) from "
                    + conn.stream().remoteAddress() + ": " + e.getMessage());
            return false;
        }
    }

    /** Whether the rest of the body can be drained: the client will send it, and it is not known to be large. */
    boolean mayDrain(long limit) {
        if (ended) {
            return true;
        } else if (expectContinue && !continued) {
            return false; // The client waits for 100 Continue, or for this final answer.
        }
        return !(framing instanceof BodyFraming.Length(long n)) || n - received <= limit;
    }

    /** The body deadline, set at the first wait for body bytes (see HttpServerOptions.bodyTimeout). */
    private Long deadline() {
        if (deadline == null) {
            deadline = conn.stream().loop().time() + conn.server().options().bodyTimeout().toNanos();
        }
        return deadline;
    }

    /** Marks the exchange over: later reads throw. */
    void close() {
        closed = true;
    }

    private ByteBuffer pollOrWait() {
        ByteBuffer piece;
        while ((piece = poll()) == null) {
            conn.waitingForBody(deadline());
            try {
                await(conn.stream().fill());
            } finally {
                conn.waitingForBody(null);
            }
        }
        return piece;
    }

    /** The next piece from buffered bytes: a view, {@code NO_MORE} at the end, null if more bytes are needed. */
    private ByteBuffer poll() {
        if (ended) {
            return Http1ServerConnection.NO_MORE;
        }
        Http1Event e = conn.parser().feed(conn.stream().readBuffer());
        if (e instanceof Http1Event.Body(ByteBuffer data)) {
            received += data.remaining();
            return data;
        } else if (e instanceof Http1Event.End) {
            ended = true;
            conn.bodyEnded();
            return Http1ServerConnection.NO_MORE;
        }
        return null;
    }

    private void sendContinue() {
        if (!continued && expectContinue) {
            continued = true;
            if (!conn.stream().readBuffer().hasRemaining() && !conn.responseStarted()) {
                conn.stream().write(CONTINUE);
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
        return "RequestBody[" + framing + ", received " + received + (ended ? ", ended" : "")
                + (expectContinue ? continued ? ", continued" : ", expects 100-continue" : "") + "]";
    }
}
