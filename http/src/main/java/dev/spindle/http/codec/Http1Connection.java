package dev.spindle.http.codec;

import static dev.spindle.runtime.Coroutines.await;

import dev.spindle.http.HttpHeaders;
import dev.spindle.http.HttpInputException;
import dev.spindle.http.RequestStartLine;
import dev.spindle.http.ResponseStartLine;
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
public final class Http1Connection {
    /** What the connection waits for while it parks for bytes, as told to {@link #onWait}. */
    public enum Waiting { NOTHING, NEXT_MESSAGE, HEAD, BODY }

    private enum Direction { HEAD, BODY, DONE }

    /** What {@link #pollBody()} returns at the end of the body: empty and read-only. */
    public static final ByteBuffer END = ByteBuffer.allocate(0).asReadOnlyBuffer();
    private static final Consumer<Waiting> NO_LISTENER = w -> { };

    private final IoStream stream;
    private final Http1Parser parser;
    private final Http1Writer writer;
    private final boolean server;
    /** The watch for the peer closing; made on the first {@link #watchClose()}, as few connections need one. Loop-confined. */
    private CloseWatch watch;
    /** Told before and after each wait for bytes. Loop-confined. */
    private Consumer<Waiting> onWait = NO_LISTENER;
    /** Where the incoming and the outgoing message are. Loop-confined. */
    private Direction in = Direction.HEAD;
    private Direction out = Direction.HEAD;
    /** The head of the incoming message, once read. Loop-confined. */
    private Http1Event.Head head;
    /** A byte of the incoming message (or an interim response before it) arrived. Loop-confined. */
    private boolean started;
    /** Bytes of the incoming body handed out so far. Loop-confined. */
    private long bodyReceived;
    /** Whether a {@code begin...} call started a head that {@link #writeHead} has not ended. Loop-confined. */
    private boolean headOpen;
    /** Whether this side said, or the framing means, that the connection closes after this exchange. */
    private boolean closing;
    /** The status of the response being written (server), or 0. Loop-confined. */
    private int status;
    /** The outgoing request is a HEAD, whose response has no body (client). Loop-confined. */
    private boolean noResponseBody;
    /** The framing of the outgoing body, and bytes written of it. Loop-confined. */
    private BodyFraming outFraming;
    private long written;
    /** The outgoing body is not sent: a response to HEAD, a 204 or 304. Loop-confined. */
    private boolean suppressBody;
    /** Exchanges begun, for toString. Loop-confined. */
    private long exchanges = 1;

    private Http1Connection(IoStream stream, Http1Options options, Http1Writer writer, boolean server) {
        this.stream = Objects.requireNonNull(stream, "stream");
        this.writer = Objects.requireNonNull(writer, "writer");
        this.parser = server ? Http1Parser.forRequests(options) : Http1Parser.forResponses(options);
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
            if (!awaitBytes(started || !parser.isIdle() ? Waiting.HEAD : Waiting.NEXT_MESSAGE)) {
                return null;
            }
        }
        return h;
    }

    /** {@link #readHead()} from buffered bytes only: the head, or null if more bytes are needed. */
    public Http1Event.Head pollHead() {
        check(in == Direction.HEAD, "pollHead");
        ByteBuffer buffered = stream.readBuffer();
        while (buffered.hasRemaining()) { // Feeding nothing would cost the parser a line buffer.
            started = true;
            if (!(parser.feed(buffered) instanceof Http1Event.Head h)) {
                return null;
            } else if (!server && ((ResponseStartLine) h.startLine()).code() < 200) {
                parser.feed(buffered); // The End of the interim response, which has no body.
                parser.reset();
                expectResponseBody();
                buffered = stream.readBuffer();
                continue;
            }
            return headArrived(h);
        }
        return null;
    }

    private Http1Event.Head headArrived(Http1Event.Head h) {
        head = h;
        in = Direction.BODY;
        if (h.framing() instanceof BodyFraming.UntilClose || !peerKeepsAlive(h)) {
            closing = true;
        }
        if (h.framing() == BodyFraming.NONE || h.framing() instanceof BodyFraming.Length(long n) && n == 0) {
            pollBody(); // Takes the End at once, so the message is done.
        }
        return h;
    }

    /** RFC 9112 §9.3: {@code close} ends it; HTTP/1.0 needs {@code keep-alive}. */
    private static boolean peerKeepsAlive(Http1Event.Head h) {
        HttpHeaders fields = h.headers();
        if (fields.hasToken("Connection", "close")) {
            return false;
        }
        return !h.startLine().version().equals("HTTP/1.0") || fields.hasToken("Connection", "keep-alive");
    }

    /**
     * The next piece of the incoming body from buffered bytes: a view into the stream's read
     * buffer, valid until the next read; {@link #END} at the end; null if more bytes are needed.
     */
    public ByteBuffer pollBody() {
        check(in != Direction.HEAD, "pollBody");
        if (in == Direction.DONE) {
            return END;
        }
        Http1Event e = parser.feed(stream.readBuffer());
        if (e instanceof Http1Event.Body(ByteBuffer data)) {
            bodyReceived += data.remaining();
            return data;
        } else if (e instanceof Http1Event.End) {
            in = Direction.DONE;
            if (watch != null) {
                watch.poll();
            }
            return END;
        }
        return null;
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
                    bodyInterrupted(e instanceof CompletionException && e.getCause() != null ? e.getCause() : e);
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
            if (in == Direction.BODY) {
                bodyInterrupted(e);
                return true;
            } else if (!CleanEnd.of(e)) {
                throw e;
            }
            return !(parser.eof() instanceof Http1Event.NeedMore); // Or PREMATURE_EOF.
        } finally {
            onWait.accept(Waiting.NOTHING);
        }
    }

    /** The stream failed while a body was read: the end of a close-delimited body, or rethrown. */
    private void bodyInterrupted(Throwable e) {
        if (!(e instanceof StreamClosedException closed) || !CleanEnd.of(closed)) {
            throw e instanceof RuntimeException r ? r : new CompletionException(e);
        } else if (server && !(head.framing() instanceof BodyFraming.UntilClose)) {
            throw closed; // The client went away.
        }
        parser.eof(); // End of a close-delimited body; else PREMATURE_EOF.
        in = Direction.DONE;
    }

    /** Whether the incoming body was read to its end (at once for a message without body). */
    public boolean bodyEnded() {
        return in == Direction.DONE;
    }

    /** Bytes of the incoming body handed out so far, framing removed. */
    public long bodyReceived() {
        return bodyReceived;
    }

    /** Whether no byte of the incoming message (or of an interim response) arrived yet. */
    public boolean receivedNothing() {
        return !started;
    }

    /** The start line of the incoming message, once parsed (also of one that failed later), or null. */
    public StartLine incomingStartLine() {
        return head != null ? head.startLine() : parser.startLine();
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
        return in == Direction.DONE || (in == Direction.HEAD && out == Direction.HEAD && !started && !headOpen);
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
        check(server && out == Direction.HEAD, "beginResponse");
        Http1Writer w = writer.beginResponse(code);
        status = code;
        headOpen = true;
        return w;
    }

    /**
     * Starts the head of a request with {@code line}; see {@link #beginResponse}. A {@code HEAD}
     * request makes the parser expect a response without body.
     *
     * @throws IllegalStateException on a server connection, or once a head was written
     */
    public Http1Writer beginRequest(RequestStartLine line) {
        check(!server && out == Direction.HEAD, "beginRequest");
        Http1Writer w = writer.begin(line);
        noResponseBody = line.method().equals("HEAD");
        expectResponseBody();
        headOpen = true;
        return w;
    }

    private void expectResponseBody() {
        if (noResponseBody) {
            parser.expectNoBody();
        }
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
        check(headOpen, "writeHead");
        Objects.requireNonNull(framing, "framing");
        boolean forbidden = server && (status < 200 || status == 204 || status == 304);
        boolean http10 = server && head != null && head.startLine().version().equals("HTTP/1.0");
        BodyFraming f = forbidden ? BodyFraming.NONE : framing == BodyFraming.CHUNKED && http10 ? BodyFraming.UNTIL_CLOSE : framing;
        checkLength(f, 0, data.remaining());
        switch (f) {
            case BodyFraming.Length(long n) -> writer.contentLength(n);
            case BodyFraming.Chunked c -> writer.chunked();
            case BodyFraming.UntilClose u -> closing = true;
            case BodyFraming.None none -> { }
        }
        closing |= close;
        if (server && closing) {
            writer.close();
        } else if (http10) {
            writer.keepAlive();
        }
        ByteBuffer encoded = writer.end();
        headOpen = false;
        out = Direction.BODY;
        outFraming = f;
        suppressBody = forbidden || (server && head != null && ((RequestStartLine) head.startLine()).method().equals("HEAD"));
        return writeBody(encoded, data, last);
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
        check(out == Direction.BODY, "write");
        checkLength(outFraming, written, data.remaining());
        return writeBody(null, data, false);
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
        check(out == Direction.BODY, "finish");
        return writeBody(null, END, true);
    }

    /**
     * Sends {@code 100 Continue} (RFC 9110 §15.2.1) before the final response.
     *
     * @throws IllegalStateException on a client connection or once the response head was written
     */
    public CompletableFuture<Void> writeContinue() {
        check(server && out == Direction.HEAD && !headOpen, "writeContinue");
        return stream.write(Http1Writer.CONTINUE);
    }

    private static void checkLength(BodyFraming f, long written, int n) {
        if (f instanceof BodyFraming.Length(long declared) && n > declared - written) {
            throw new IllegalStateException("writing " + n + " bytes would exceed Content-Length " + declared
                    + " (" + written + " written)");
        }
    }

    private CompletableFuture<Void> writeBody(ByteBuffer encodedHead, ByteBuffer data, boolean last) {
        int n = data.remaining();
        written += n;
        ByteBuffer body = suppressBody ? END : data;
        // A head with an unchunked body that fits goes out as one buffer: one write, no framing arrays.
        ByteBuffer one = encodedHead != null && !(outFraming instanceof BodyFraming.Chunked)
                ? writer.assemble(encodedHead, body) : null;
        ByteBuffer[] parts = one != null ? writer.single(one) : BodyFrames.frame(encodedHead, body, outFraming,
                last && !suppressBody);
        data.position(data.limit());
        if (last) {
            out = Direction.DONE;
            if (outFraming instanceof BodyFraming.Length(long declared) && written < declared && !suppressBody) {
                closing = true;
                stream.write(parts);
                throw new IllegalStateException("finished after " + written + " of the " + declared
                        + " bytes declared in Content-Length; the connection will be closed");
            }
        }
        return parts.length == 0 ? BodyFrames.DONE : stream.write(parts);
    }

    // ---------------------------------------------------------------- between exchanges

    /**
     * Whether the connection may carry another exchange after this one: nobody asked to close
     * and both messages are delimited. Settled as the heads go by.
     */
    public boolean keepAlive() {
        return !closing;
    }

    /** Whether both the incoming and the outgoing message are complete. */
    public boolean isDone() {
        return in == Direction.DONE && out == Direction.DONE;
    }

    /** Whether the outgoing head was written. */
    public boolean headWritten() {
        return out != Direction.HEAD;
    }

    /**
     * Prepares the connection for the next exchange; bytes already buffered begin the next
     * incoming message. Ends the close watch.
     *
     * @throws IllegalStateException unless both messages are complete and {@link #keepAlive()}
     */
    public void next() {
        check(isDone() && !closing, "next");
        stopWatching();
        parser.reset();
        in = Direction.HEAD;
        out = Direction.HEAD;
        head = null;
        started = false;
        bodyReceived = 0;
        status = 0;
        noResponseBody = false;
        outFraming = null;
        written = 0;
        suppressBody = false;
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
        return "Http1Connection[" + (server ? "server" : "client") + ", exchange " + exchanges + ", in " + in
                + ", out " + (headOpen ? "HEAD (open)" : out) + (closing ? ", closing" : ", keep-alive")
                + (watch != null && watch.isWatching() ? ", watching" : "") + "]";
    }
}
