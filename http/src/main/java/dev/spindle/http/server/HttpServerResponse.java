package dev.spindle.http.server;

import dev.spindle.http.HttpHeaders;
import dev.spindle.http.codec.BodyFraming;
import dev.spindle.http.codec.Http1Connection;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * The response to one {@link HttpServerRequest}: status and headers, then either one
 * {@link #send} of the whole body or a stream of {@link #write}s ended by {@link #finish()}
 * (Tornado: {@code RequestHandler.set_status}, {@code set_header}, {@code write},
 * {@code flush}, {@code finish}). <b>Loop-confined:</b> call only from a coroutine or callback
 * of the owning {@link dev.spindle.runtime.IOLoop}, normally the handler itself.
 *
 * {@snippet :
 * response.status(201).header("Location", "/users/7").send("created");   // whole body
 *
 * response.header("Content-Type", "text/event-stream");                  // streamed body
 * for (String event : events) {
 *     response.write("data: " + event + "\n\n");
 *     await(response.flush());      // wait for the kernel: a slow client slows this loop only
 * }
 * response.finish();
 * }
 *
 * <p><b>Framing.</b> {@code send} sets {@code Content-Length} and writes head and body in one
 * gathering write. The first {@code write} sends the head: with the {@code Content-Length} the
 * handler set, if any, else chunked for HTTP/1.1 and close-delimited for HTTP/1.0. A
 * {@code HEAD} request gets the same head and no body. {@code Date}, {@code Server},
 * {@code Content-Length}, {@code Transfer-Encoding} and {@code Connection} are the server's:
 * setting {@code Content-Length} declares the length of a streamed body, {@code Connection:
 * close} closes the connection after this response, and {@code Transfer-Encoding} is refused.
 *
 * <p><b>Writes do not park.</b> Bytes go straight to the kernel or, if it is full, to the
 * connection's write buffer; the returned futures complete when they were handed to the
 * kernel. Await them, or {@link #flush()}, to keep memory bounded when writing much to a slow
 * client. They fail with {@link dev.spindle.runtime.net.StreamClosedException} if the client
 * went away.
 *
 * <p>If the handler returns without finishing, the server finishes: an empty 200 (or the
 * status set), or the end of the streamed body.
 */
public final class HttpServerResponse {
    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0).asReadOnlyBuffer();

    private enum State { NEW, STREAMING, FINISHED }

    private final Http1ServerConnection conn;
    private final Http1Connection http;
    private final HttpServerRequest request;
    /** Status and fields, until the head goes out. Loop-confined. */
    private final ResponseHead head = new ResponseHead();
    private State state = State.NEW;
    /** The framing the handler's writes asked for, for toString; null before the head. Loop-confined. */
    private BodyFraming framing;
    /** Body bytes written so far. Loop-confined. */
    private long written;
    /** The last write of the response, to tell whether it reached the kernel. Loop-confined. */
    private CompletableFuture<Void> lastWrite;
    /** The server answered in the handler's stead (a timeout, a malformed body). Loop-confined. */
    private boolean byServer;

    HttpServerResponse(Http1ServerConnection conn, HttpServerRequest request) {
        this.conn = conn;
        this.http = conn.http();
        this.request = request;
    }

    /**
     * Sets the status code (Tornado: {@code set_status}); the reason phrase is the standard one.
     *
     * @return this
     * @throws IllegalArgumentException unless {@code 200 <= code <= 999} (1xx responses are the server's)
     * @throws IllegalStateException once the head was sent
     */
    public HttpServerResponse status(int code) {
        checkNew();
        if (code < 200 || code > 999) {
            throw new IllegalArgumentException("status must be in 200..999: " + code);
        }
        head.status = code;
        return this;
    }

    /** The status code: 200 unless set. */
    public int status() {
        return head.status;
    }

    /**
     * Sets header {@code name} to {@code value}, replacing earlier values (Tornado:
     * {@code set_header}). See the class description for the fields the server owns.
     *
     * @return this
     * @throws IllegalArgumentException for an invalid name or value, a {@code Content-Length}
     *     that is not a non-negative number, or {@code Transfer-Encoding}
     * @throws IllegalStateException once the head was sent
     */
    public HttpServerResponse header(String name, String value) {
        checkNew();
        head.put(name, value, true);
        return this;
    }

    /** Adds a value to header {@code name}, keeping earlier ones (Tornado: {@code add_header}); see {@link #header}. */
    public HttpServerResponse addHeader(String name, String value) {
        checkNew();
        head.put(name, value, false);
        return this;
    }

    /** The fields set so far, framing fields excluded; read-only. */
    public HttpHeaders headers() {
        return head.fields();
    }

    /**
     * Sends {@code body} as the whole response body with a {@code Content-Length}, and
     * finishes: head and body go out in one write.
     *
     * @return completes when the bytes were handed to the kernel
     * @throws IllegalStateException once the head was sent, or for a non-empty body with
     *     status 204 or 304
     * @throws IllegalArgumentException if a header cannot be sent (a character above U+00FF)
     */
    public CompletableFuture<Void> send(byte[] body) {
        Objects.requireNonNull(body, "body");
        checkNew();
        if (body.length > 0 && head.forbidsBody()) {
            throw new IllegalStateException("a " + head.status + " response has no body; got " + body.length + " bytes");
        }
        boolean declaredForHead = request.isHead() && body.length == 0 && head.declaredLength >= 0;
        written = body.length;
        return writeHead(new BodyFraming.Length(declaredForHead ? head.declaredLength : body.length),
                ByteBuffer.wrap(body), true);
    }

    /**
     * Sends {@code text} encoded as UTF-8, with {@code Content-Type: text/plain; charset=utf-8}
     * unless a {@code Content-Type} was set; see {@link #send(byte[])}.
     */
    public CompletableFuture<Void> send(String text) {
        checkNew();
        head.defaultTextType = true;
        return send(text.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Writes {@code data}'s remaining bytes as part of a streamed body (Tornado: {@code write}
     * followed by {@code flush}); the first write sends the head. The buffer is consumed and may
     * be reused at once.
     *
     * @return completes when the bytes were handed to the kernel
     * @throws IllegalStateException after {@link #finish()} or {@link #send}, or beyond the
     *     declared {@code Content-Length}
     */
    public CompletableFuture<Void> write(ByteBuffer data) {
        Objects.requireNonNull(data, "data");
        checkNotFinished();
        int n = data.remaining();
        CompletableFuture<Void> f;
        if (state == State.NEW) {
            long declared = head.declaredLength;
            f = writeHead(declared >= 0 ? new BodyFraming.Length(declared) : BodyFraming.CHUNKED, data, false);
        } else {
            f = lastWrite = http.write(data);
        }
        written += n;
        return f;
    }

    /** Writes {@code bytes}; see {@link #write(ByteBuffer)}. */
    public CompletableFuture<Void> write(byte[] bytes) {
        return write(ByteBuffer.wrap(bytes));
    }

    /** Writes {@code text} as UTF-8, with a default text {@code Content-Type} as {@link #send(String)}; see {@link #write(ByteBuffer)}. */
    public CompletableFuture<Void> write(String text) {
        if (state == State.NEW) {
            head.defaultTextType = true;
        }
        return write(ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)));
    }

    /**
     * A future that completes when everything written so far was handed to the kernel
     * (Tornado: {@code flush}); sends the head first if it was not sent. Await it between writes
     * to stream much to a slow client without buffering it all.
     *
     * @return fails with {@link dev.spindle.runtime.net.StreamClosedException} if the client went away
     */
    public CompletableFuture<Void> flush() {
        if (state == State.NEW) {
            write(EMPTY.duplicate());
        }
        return conn.stream().flush();
    }

    /**
     * Ends the response (Tornado: {@code finish}): the last chunk of a chunked body; an empty
     * body if nothing was sent.
     *
     * @return completes when the bytes were handed to the kernel
     * @throws IllegalStateException if already finished, or if fewer bytes were written than
     *     the declared {@code Content-Length} (the connection will be closed)
     */
    public CompletableFuture<Void> finish() {
        checkNotFinished();
        if (state == State.NEW && head.declaredLength < 0) {
            return send(new byte[0]);
        } else if (state == State.NEW) {
            write(EMPTY.duplicate());
        }
        state = State.FINISHED;
        CompletableFuture<Void> f = http.finish();
        return lastWrite = f;
    }

    /** Whether the head was sent (Tornado: {@code _headers_written}). */
    public boolean isStarted() {
        return state != State.NEW;
    }

    /** Whether the response is complete. */
    public boolean isFinished() {
        return state == State.FINISHED;
    }

    /** Sends the head with the server's fields, and {@code data}; moves to STREAMING, or FINISHED if {@code last}. */
    private CompletableFuture<Void> writeHead(BodyFraming f, ByteBuffer data, boolean last) {
        head.writeFields(http.beginResponse(head.status), conn.home());
        boolean close = head.closeRequested || !conn.dispatcher().serverKeepsAlive();
        lastWrite = http.writeHead(f, close, data, last);
        framing = f;
        state = last ? State.FINISHED : State.STREAMING;
        return lastWrite;
    }

    /** Whether the response was complete and its last write reached the kernel (or is on its way). */
    boolean delivered() {
        return state == State.FINISHED && lastWrite != null && !lastWrite.isCompletedExceptionally();
    }

    /** Clears what the handler set, for the server's 500. Call only before the head was sent. */
    void reset() {
        head.reset();
    }

    /** The server answered in the handler's stead (a timeout, a malformed body): for the access log. */
    void sentByServer(int code) {
        head.status = code;
        state = State.FINISHED;
        byServer = true;
    }

    /** Whether {@link #sentByServer} was called. */
    boolean sentByServer() {
        return byServer;
    }

    private void checkNew() {
        if (state != State.NEW) {
            throw new IllegalStateException("the response head was already sent (" + this + "); set status and"
                    + " headers before the first write()/send()");
        }
    }

    private void checkNotFinished() {
        if (state == State.FINISHED) {
            throw new IllegalStateException("the response is finished (" + this + "); nothing more can be written");
        }
    }

    /** Returns e.g. {@code HttpServerResponse[200, streaming CHUNKED, 1024 bytes written, keep-alive]}. */
    @Override
    public String toString() {
        return "HttpServerResponse[" + head.status + ", " + state.name().toLowerCase(Locale.ROOT)
                + (framing == null ? "" : framing instanceof BodyFraming.Length ? " length"
                        : " " + framing.toString().toLowerCase(Locale.ROOT)) + ", " + written + " bytes written"
                + (state != State.NEW ? http.keepAlive() ? ", keep-alive" : ", close" : "") + "]";
    }
}
