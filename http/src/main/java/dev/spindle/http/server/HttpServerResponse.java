package dev.spindle.http.server;

import dev.spindle.http.HttpHeaders;
import dev.spindle.http.server.ResponseHead.Framing;
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
    private static final byte[] LAST_CHUNK = HeadEncoder.ascii("0\r\n\r\n");
    private static final byte[] EMPTY = new byte[0];
    private static final CompletableFuture<Void> DONE = CompletableFuture.completedFuture(null);

    private enum State { NEW, STREAMING, FINISHED }

    private final Http1ServerConnection conn;
    private final Exchange exchange;
    private final HttpServerRequest request;
    /** Status and fields, until the head goes out. Loop-confined. */
    private final ResponseHead head = new ResponseHead();
    private State state = State.NEW;
    /** Settled when the head goes out. Loop-confined. */
    private Framing framing;
    /** Body bytes written so far. Loop-confined. */
    private long written;
    /** Decided when the head goes out: whether the connection stays open. Loop-confined. */
    private boolean keepAlive;

    HttpServerResponse(Http1ServerConnection conn, Exchange exchange, HttpServerRequest request) {
        this.conn = conn;
        this.exchange = exchange;
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
        ByteBuffer h = startHead(Framing.LENGTH, declaredForHead ? head.declaredLength : body.length);
        state = State.FINISHED;
        written = body.length;
        if (body.length == 0 || request.isHead()) {
            return conn.stream().write(h);
        } else if (h.remaining() + body.length <= HttpServer.SMALL_RESPONSE) {
            return conn.stream().write(conn.server().assemblyBuffer().put(h).put(body).flip());
        }
        return conn.stream().write(h, ByteBuffer.wrap(body));
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
        long declared = head.declaredLength;
        if (declared >= 0 && n > declared - written) {
            throw new IllegalStateException("writing " + n + " bytes would exceed Content-Length " + declared
                    + " (" + written + " written)");
        }
        ByteBuffer h = state == State.NEW ? startHead(declared >= 0 ? Framing.LENGTH : Framing.CHUNKED, declared) : null;
        written += n;
        if (n == 0 || request.isHead() || head.forbidsBody()) {
            data.position(data.limit());
            return h == null ? DONE : conn.stream().write(h);
        } else if (framing == Framing.CHUNKED) {
            ByteBuffer size = ResponseHead.chunkSizeLine(n);
            ByteBuffer crlf = ByteBuffer.wrap(HeadEncoder.CRLF);
            return h == null ? conn.stream().write(size, data, crlf) : conn.stream().write(h, size, data, crlf);
        }
        return h == null ? conn.stream().write(data) : conn.stream().write(h, data);
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
            write(ByteBuffer.wrap(EMPTY));
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
            return send(EMPTY);
        }
        CompletableFuture<Void> f = state == State.NEW ? write(ByteBuffer.wrap(EMPTY)) : DONE;
        state = State.FINISHED;
        if (framing == Framing.CHUNKED && !request.isHead() && !head.forbidsBody()) {
            return conn.stream().write(LAST_CHUNK);
        } else if (framing == Framing.LENGTH && written < head.declaredLength && !request.isHead()) {
            keepAlive = false;
            throw new IllegalStateException("finished after " + written + " of the " + head.declaredLength
                    + " bytes declared in Content-Length; the connection will be closed");
        }
        return f;
    }

    /** Whether the head was sent (Tornado: {@code _headers_written}). */
    public boolean isStarted() {
        return state != State.NEW;
    }

    /** Whether the response is complete. */
    public boolean isFinished() {
        return state == State.FINISHED;
    }

    /** Encodes the head and moves to STREAMING; the caller writes it. */
    private ByteBuffer startHead(Framing f, long length) {
        boolean http10 = request.version().equals("HTTP/1.0");
        Framing chosen = f == Framing.CHUNKED && http10 ? Framing.UNTIL_CLOSE : f;
        boolean alive = !head.closeRequested && exchange.keepAlive(chosen != Framing.UNTIL_CLOSE);
        ByteBuffer h = head.encode(conn, chosen, length, alive, http10);
        framing = chosen;
        keepAlive = alive;
        state = State.STREAMING;
        return h;
    }

    /** Whether the connection stays open after this response; decided when the head goes out. */
    boolean keepAlive() {
        return keepAlive && state == State.FINISHED;
    }

    /** Clears what the handler set, for the server's 500. Call only before the head was sent. */
    void reset() {
        head.reset();
    }

    /** The server answered in the handler's stead (a timeout, a malformed body): for the access log. */
    void sentByServer(int code) {
        head.status = code;
        state = State.FINISHED;
        keepAlive = false;
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

    /** Returns e.g. {@code HttpServerResponse[200, streaming chunked, 1024 bytes written, keep-alive]}. */
    @Override
    public String toString() {
        return "HttpServerResponse[" + head.status + ", " + state.name().toLowerCase(Locale.ROOT)
                + (framing != null ? " " + framing.name().toLowerCase(Locale.ROOT) : "")
                + ", " + written + " bytes written" + (state != State.NEW ? keepAlive ? ", keep-alive" : ", close" : "")
                + "]";
    }
}
