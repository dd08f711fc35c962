package dev.spindle.http.codec;

import static dev.spindle.runtime.Coroutines.await;

import dev.spindle.http.HttpInputException;
import dev.spindle.http.RequestStartLine;
import dev.spindle.http.StartLine;
import dev.spindle.runtime.internal.ResumingFuture;
import dev.spindle.runtime.net.IoStream;
import dev.spindle.runtime.net.StreamClosedException;
import java.nio.ByteBuffer;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Consumer;

/**
 * One HTTP/1.1 connection, for the server and the client alike (Tornado:
 * {@code HTTP1Connection}): it owns the parser, head and chunk writing, body framing, the
 * keep-alive decision and the watch for the peer closing, over any {@link IoStream}. The
 * server's connection coroutine and the client's exchange are thin users of it.
 *
 * <p><b>Loop-confined:</b> call only from a coroutine or callback of the stream's
 * {@code IOLoop}. The reading methods whose names begin with {@code read} park the calling
 * coroutine; everything else returns at once.
 *
 * <p><b>Lifecycle</b>, checked at every step (STYLE S18); each direction carries one message at
 * a time, and the two directions advance independently (a server may answer before it read the
 * whole request body):
 * <ol>
 * <li>incoming: {@link #readHead()} (or {@link #pollHead()}) → {@link #readBody()},
 *     {@link #pollBody()} or {@link #nextBody()} until the end of the body → done;
 * <li>outgoing: {@link #beginResponse(int)} or {@link #beginRequest(RequestStartLine)}, fields
 *     on the returned writer → {@link #writeHead} → {@link #write} … → {@link #finish()} (or
 *     {@code writeHead(..., last = true)}) → done;
 * <li>{@link #next()} once both are done and {@link #keepAlive()} holds: the connection carries
 *     the next exchange. Otherwise the owner closes the stream.
 * </ol>
 * A call out of order throws {@link IllegalStateException} naming the state.
 *
 * <p><b>Errors.</b> A malformed message throws {@link HttpInputException} with the status to
 * answer; the connection is then unusable. A reset connection throws
 * {@link StreamClosedException} with the real cause. A clean close ends a close-delimited
 * response body; elsewhere in a message it is a {@code StreamClosedException} on the server (the
 * client went away) and an {@code HttpInputException} ({@code PREMATURE_EOF}) on the client (the
 * response was cut short).
 *
 * <p><b>TLS.</b> A TLS connection that ends without a {@code close_notify} counts as a clean
 * close here, as in Tornado and Python's {@code ssl} ({@code suppress_ragged_eofs}) and for
 * browsers: many servers never send one. A message whose length is known (a
 * {@code Content-Length} or chunked body) is thus still checked, and a cut short one fails as
 * above; but the end of a close-delimited response body cannot be told from a truncation by
 * someone on the path. Any other TLS failure (a bad record, an alert) is a
 * {@code StreamClosedException} with the {@link javax.net.ssl.SSLException} as its cause.
 * ({@link CleanEnd} tells the two apart.)
 */
/*
 * Implementation notes: the class checks the lifecycle and does the waiting for bytes; each
 * direction's state and work is a package-private class of its own, IncomingMessage (the parser,
 * the head, the body handed out, the keep-alive decision of the peer) and OutgoingMessage (the
 * head written, the framing and the bytes written of the body).
 */
public final class Http1Connection {
    /** What the connection waits for while it parks for bytes, as told to {@link #onWait}. */
    public enum Waiting { NOTHING, NEXT_MESSAGE, HEAD, BODY }

    /** Where one direction of the connection is in its message. */
    enum Direction { HEAD, BODY, DONE }

    /** What {@link #pollBody()} returns at the end of the body: empty and read-only. */
    public static final ByteBuffer END = ByteBuffer.allocate(0).asReadOnlyBuffer();
    private static final Consumer<Waiting> NO_LISTENER = w -> { };

    private final IoStream stream;
    private final IncomingMessage in;
    private final OutgoingMessage out;
    private final boolean server;
    /** The watch for the peer closing; made on the first {@link #watchClose()}, as few connections need one. Loop-confined. */
    private CloseWatch watch;
    /** Told before and after each wait for bytes. Loop-confined. */
    private Consumer<Waiting> onWait = NO_LISTENER;
    /** Exchanges begun, for toString. Loop-confined. */
    private long exchanges = 1;

    private Http1Connection(IoStream stream, Http1Options options, Http1Writer writer, boolean server) {
        this.stream = Objects.requireNonNull(stream, "stream");
        this.out = new OutgoingMessage(stream, Objects.requireNonNull(writer, "writer"), server);
        this.in = new IncomingMessage(stream, options, server, this::incomingEnded);
        this.server = server;
    }

    /** The server side of a connection: reads requests, writes responses. */
    public static Http1Connection forServer(IoStream stream, Http1Options options, Http1Writer writer) {
        return new Http1Connection(stream, options, writer, true);
    }

    /** The client side of a connection: writes requests, reads responses. */
    public static Http1Connection forClient(IoStream stream, Http1Options options, Http1Writer writer) {
        return new Http1Connection(stream, options, writer, false);
    }

    public IoStream stream() {
        return stream;
    }

    /**
     * Sets what is told, before each park for bytes, what the connection waits for, and
     * {@link Waiting#NOTHING} after it: the server arms its idle, header and body deadlines so.
     */
    public void onWait(Consumer<Waiting> listener) {
        onWait = Objects.requireNonNull(listener, "listener");
    }

    // ---------------------------------------------------------------- incoming

    /**
     * Reads the head of the next incoming message, parking while its bytes are on the way. On
     * the client, interim (1xx) responses are skipped.
     *
     * @return the head, or null if the peer closed cleanly before any byte of a message
     * @throws HttpInputException for a malformed head, or a clean close in the middle of one
     * @throws StreamClosedException if the connection was reset or closed locally
     */
    public Http1Event.Head readHead() {
        Http1Event.Head h;
        while ((h = pollHead()) == null) {
            if (!awaitBytes(in.inHead() ? Waiting.HEAD : Waiting.NEXT_MESSAGE)) {
                return null;
            }
        }
        return h;
    }

    /** {@link #readHead()} from buffered bytes only: the head, or null if more bytes are needed. */
    public Http1Event.Head pollHead() {
        check(in.state() == Direction.HEAD, "pollHead");
        return in.pollHead();
    }

    /**
     * The next piece of the incoming body from buffered bytes: a view into the stream's read
     * buffer, valid until the next read; {@link #END} at the end; null if more bytes are needed.
     */
    public ByteBuffer pollBody() {
        check(in.state() != Direction.HEAD, "pollBody");
        return in.pollBody();
    }

    /** The incoming body reached its end: the close watch may start its read. */
    private void incomingEnded() {
        if (watch != null) {
            watch.poll();
        }
    }

    /**
     * The next piece of the incoming body, parking while bytes are on the way: a view valid
     * until the next read, or null at the end.
     *
     * @throws HttpInputException for a malformed or too large body
     * @throws StreamClosedException if the connection closes (see the class description)
     */
    public ByteBuffer readBody() {
        ByteBuffer piece;
        while ((piece = pollBody()) == null) {
            awaitBytes(Waiting.BODY);
        }
        return piece == END ? null : piece;
    }

    /** {@link #readBody()} without parking: a future of the next piece, or of null at the end. */
    public CompletableFuture<ByteBuffer> nextBody() {
        ByteBuffer piece;
        try {
            piece = pollBody();
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        CompletableFuture<ByteBuffer> result = new ResumingFuture<>();
        if (piece != null) {
            result.complete(piece == END ? null : piece);
        } else {
            fillThenPoll(result);
        }
        return result;
    }

    private void fillThenPoll(CompletableFuture<ByteBuffer> result) {
        onWait.accept(Waiting.BODY);
        fill().whenComplete((n, e) -> {
            onWait.accept(Waiting.NOTHING);
            ByteBuffer piece;
            try {
                if (e != null) {
                    in.bodyInterrupted(e instanceof CompletionException && e.getCause() != null ? e.getCause() : e);
                }
                piece = pollBody();
            } catch (Throwable failure) {
                result.completeExceptionally(failure);
                return;
            }
            if (piece == null) {
                fillThenPoll(result);
            } else {
                result.complete(piece == END ? null : piece);
            }
        });
    }

    /** Parks until more bytes came; false if the peer closed cleanly before any byte of a message. */
    private boolean awaitBytes(Waiting what) {
        onWait.accept(what);
        try {
            await(fill());
            return true;
        } catch (StreamClosedException e) {
            if (in.state() == Direction.BODY) {
                in.bodyInterrupted(e);
                return true;
            } else if (!CleanEnd.of(e)) {
                throw e;
            }
            return in.closedInHead(); // Or PREMATURE_EOF.
        } finally {
            onWait.accept(Waiting.NOTHING);
        }
    }

    /** Whether the incoming body was read to its end (at once for a message without body). */
    public boolean bodyEnded() {
        return in.state() == Direction.DONE;
    }

    /** Bytes of the incoming body handed out so far, framing removed. */
    public long bodyReceived() {
        return in.bodyReceived();
    }

    /** Whether no byte of the incoming message (or of an interim response) arrived yet. */
    public boolean receivedNothing() {
        return !in.started();
    }

    /** The start line of the incoming message, once parsed (also of one that failed later), or null. */
    public StartLine incomingStartLine() {
        return in.startLine();
    }

    /**
     * Reads more bytes into the stream's buffer, as {@link IoStream#fill()}. A pending read of
     * the close watch is handed over rather than a second one started.
     */
    public CompletableFuture<Integer> fill() {
        CompletableFuture<Integer> pending = watch == null ? null : watch.takeOver();
        return pending != null ? pending : stream.fill();
    }

    /**
     * Watches for the peer closing while nobody reads, until {@link #stopWatching()} or
     * {@link #next()}: once the incoming message is complete (or, between exchanges, before one
     * began), the connection keeps one {@code fill()} pending, which takes no bytes (pipelined
     * ones stay buffered, up to 64 KiB) and closes the stream at the end of stream, completing
     * {@link IoStream#closeFuture()}. The next read takes the pending one over.
     */
    public void watchClose() {
        if (watch == null) {
            watch = new CloseWatch(stream, this::mayWatch);
        }
        watch.want();
    }

    /** Ends the close watch; what it read stays buffered. */
    public void stopWatching() {
        if (watch != null) {
            watch.stop();
        }
    }

    private boolean mayWatch() {
        return in.state() == Direction.DONE
                || (in.state() == Direction.HEAD && out.state() == Direction.HEAD && !in.started() && !out.headOpen());
    }

    // ---------------------------------------------------------------- outgoing

    /**
     * Starts the head of a response with the status line of {@code code} (HTTP/1.1, the standard
     * reason phrase). Add fields to the returned writer, then call {@link #writeHead} before
     * anything can suspend (the writer is shared).
     *
     * @throws IllegalStateException on a client connection, or once a head was written
     * @throws IllegalArgumentException unless {@code 100 <= code <= 999}
     */
    public Http1Writer beginResponse(int code) {
        check(server && out.state() == Direction.HEAD, "beginResponse");
        return out.beginResponse(code);
    }

    /**
     * Starts the head of a request with {@code line}; see {@link #beginResponse}. A {@code HEAD}
     * request makes the parser expect a response without body.
     *
     * @throws IllegalStateException on a server connection, or once a head was written
     */
    public Http1Writer beginRequest(RequestStartLine line) {
        check(!server && out.state() == Direction.HEAD, "beginRequest");
        Http1Writer w = out.beginRequest(line);
        in.expectNoBody(line.method().equals("HEAD"));
        return w;
    }

    /**
     * Ends the head begun with {@code begin…}: appends the framing field of {@code framing} and
     * the {@code Connection} field the keep-alive decision needs, and writes it together with
     * {@code data}, the first body bytes (consumed; may be empty).
     *
     * <p>On a server, a chunked body for an HTTP/1.0 client is sent close-delimited; a 1xx, 204
     * or 304 response gets no framing field and no body, a response to {@code HEAD} its framing
     * field but no body. The connection stays open afterwards only if the peer asked for that,
     * {@code close} is false and the body is delimited; a server says {@code Connection: close}
     * otherwise (and {@code keep-alive} to an HTTP/1.0 client that asked for it). A client sends
     * its caller's {@code Connection} field as one of the fields, and says {@code close} here if
     * that field has the token.
     *
     * @param last whether {@code data} is all of the body: the message is then complete
     * @return completes when the kernel has the bytes
     * @throws IllegalStateException if no head was begun, or {@code data} exceeds a
     *     {@code Content-Length} framing
     */
    public CompletableFuture<Void> writeHead(BodyFraming framing, boolean close, ByteBuffer data, boolean last) {
        check(out.headOpen(), "writeHead");
        Objects.requireNonNull(framing, "framing");
        return out.writeHead(framing, close, data, last, server ? in.head() : null, in.closing());
    }

    /**
     * Writes {@code data}'s remaining bytes as part of the outgoing body, chunk-framed if the body
     * is chunked; the buffer is consumed and may be reused at once.
     *
     * @return completes when the kernel has the bytes
     * @throws IllegalStateException before {@link #writeHead}, after the end, or beyond a
     *     {@code Content-Length}
     */
    public CompletableFuture<Void> write(ByteBuffer data) {
        check(out.state() == Direction.BODY, "write");
        return out.write(data);
    }

    /**
     * Ends the outgoing body: the last chunk of a chunked body.
     *
     * @return completes when the kernel has the bytes
     * @throws IllegalStateException before {@link #writeHead} or after the end, or if fewer bytes
     *     were written than a {@code Content-Length} declared: the message is then cut short and
     *     the connection will not be kept
     */
    public CompletableFuture<Void> finish() {
        check(out.state() == Direction.BODY, "finish");
        return out.finish();
    }

    /**
     * Sends {@code 100 Continue} (RFC 9110 §15.2.1) before the final response.
     *
     * @throws IllegalStateException on a client connection or once the response head was written
     */
    public CompletableFuture<Void> writeContinue() {
        check(server && out.state() == Direction.HEAD && !out.headOpen(), "writeContinue");
        return stream.write(Http1Writer.CONTINUE);
    }

    // ---------------------------------------------------------------- between exchanges

    /**
     * Whether the connection may carry another exchange after this one: nobody asked to close
     * and both messages are delimited. Settled as the heads go by.
     */
    public boolean keepAlive() {
        return !in.closing() && !out.closing();
    }

    /** Whether both the incoming and the outgoing message are complete. */
    public boolean isDone() {
        return in.state() == Direction.DONE && out.state() == Direction.DONE;
    }

    /** Whether the outgoing head was written. */
    public boolean headWritten() {
        return out.state() != Direction.HEAD;
    }

    /**
     * Prepares the connection for the next exchange; bytes already buffered begin the next
     * incoming message. Ends the close watch.
     *
     * @throws IllegalStateException unless both messages are complete and {@link #keepAlive()}
     */
    public void next() {
        check(isDone() && keepAlive(), "next");
        stopWatching();
        in.reset();
        out.reset();
        exchanges++;
    }

    private void check(boolean allowed, String what) {
        if (!allowed) {
            throw new IllegalStateException(what + "() out of order: " + this);
        }
    }

    /** Returns e.g. {@code Http1Connection[server, exchange 3, in BODY, out HEAD, keep-alive, watching]}. */
    @Override
    public String toString() {
        return "Http1Connection[" + (server ? "server" : "client") + ", exchange " + exchanges + ", in " + in.state()
                + ", out " + (out.headOpen() ? "HEAD (open)" : out.state()) + (keepAlive() ? ", keep-alive" : ", closing")
                + (watch != null && watch.isWatching() ? ", watching" : "") + "]";
    }
}
