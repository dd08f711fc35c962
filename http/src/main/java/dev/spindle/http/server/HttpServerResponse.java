package dev.spindle.http.server;

import dev.spindle.http.HttpHeaders;
import dev.spindle.http.codec.Ascii;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * The response to one {@link HttpServerRequest}: status and headers, then either one
 * {@link #send} of the whole body or a stream of {@link #write}s ended by {@link #finish()}
 * (Tornado: {@code RequestHandler.set_status}, {@code set_header}, {@code write},
 * {@code flush}, {@code finish}).
 *
 * <p><b>Loop-confined:</b> call only from a coroutine or callback of the server's
 * {@link dev.spindle.runtime.IOLoop}, normally the handler itself.
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
    static final byte[] TEXT_PLAIN = HeadEncoder.ascii("Content-Type: text/plain; charset=utf-8\r\n");
    private static final byte[] LAST_CHUNK = HeadEncoder.ascii("0\r\n\r\n");
    private static final byte[] EMPTY = new byte[0];
    private static final CompletableFuture<Void> DONE = CompletableFuture.completedFuture(null);

    private enum State { NEW, STREAMING, FINISHED }

    private enum Framing { LENGTH, CHUNKED, UNTIL_CLOSE }

    private final Http1ServerConnection conn;
    private final Exchange exchange;
    private final HttpServerRequest request;
    private State state = State.NEW;
    private int status = 200;
    /** The handler's fields, framing fields excluded; null until the first one. Loop-confined. */
    private HttpHeaders headers;
    /** The {@code Content-Length} the handler declared, or -1. Loop-confined. */
    private long declaredLength = -1;
    /** Whether the handler asked for {@code Connection: close}. Loop-confined. */
    private boolean closeRequested;
    /** Whether {@code Content-Type: text/plain; charset=utf-8} goes out for a text body without a type. */
    private boolean defaultTextType;
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
        this.status = code;
        return this;
    }

    /** The status code: 200 unless set. */
    public int status() {
        return status;
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
        if (!framingField(name, value)) {
            fields().set(name, value);
        }
        return this;
    }

    /** Adds a value to header {@code name}, keeping earlier ones (Tornado: {@code add_header}); see {@link #header}. */
    public HttpServerResponse addHeader(String name, String value) {
        if (!framingField(name, value)) {
            fields().add(name, value);
        }
        return this;
    }

    /** The fields set so far, framing fields excluded; read-only. */
    public HttpHeaders headers() {
        return headers == null ? HttpHeaders.of() : headers.unmodifiableView();
    }

    private HttpHeaders fields() {
        checkNew();
        return headers != null ? headers : (headers = HttpHeaders.create());
    }

    private boolean framingField(String name, String value) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(value, "value");
        checkNew();
        if (name.equalsIgnoreCase("Content-Length")) {
            declaredLength = parseLength(value);
        } else if (name.equalsIgnoreCase("Transfer-Encoding")) {
            throw new IllegalArgumentException("Transfer-Encoding is the server's: write() without a Content-Length"
                    + " sends a chunked body");
        } else if (name.equalsIgnoreCase("Connection")) {
            closeRequested |= HttpServerRequest.hasToken(value, "close");
        } else {
            return false;
        }
        return true;
    }

    private static long parseLength(String value) {
        try {
            long n = Long.parseLong(value.strip());
            if (n >= 0 && Character.isDigit(value.strip().charAt(0))) {
                return n;
            }
        } catch (NumberFormatException e) {
            // Reported below.
        }
        throw new IllegalArgumentException("invalid Content-Length: " + Ascii.quote(value));
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
        if (body.length > 0 && noBodyStatus()) {
            throw new IllegalStateException("a " + status + " response has no body; got " + body.length + " bytes");
        }
        long length = request.isHead() && body.length == 0 && declaredLength >= 0 ? declaredLength : body.length;
        ByteBuffer head = startHead(Framing.LENGTH, length);
        state = State.FINISHED;
        written = body.length;
        if (body.length == 0 || request.isHead()) {
            return conn.stream().write(head);
        } else if (head.remaining() + body.length <= HttpServer.SMALL_RESPONSE) {
            return conn.stream().write(conn.server().assemblyBuffer().put(head).put(body).flip());
        }
        return conn.stream().write(head, ByteBuffer.wrap(body));
    }

    /**
     * Sends {@code text} encoded as UTF-8, with {@code Content-Type: text/plain; charset=utf-8}
     * unless a {@code Content-Type} was set; see {@link #send(byte[])}.
     */
    public CompletableFuture<Void> send(String text) {
        markText();
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
        if (declaredLength >= 0 && n > declaredLength - written) {
            throw new IllegalStateException("writing " + n + " bytes would exceed Content-Length " + declaredLength
                    + " (" + written + " written)");
        }
        ByteBuffer head = state == State.NEW
                ? startHead(declaredLength >= 0 ? Framing.LENGTH : Framing.CHUNKED, declaredLength) : null;
        state = State.STREAMING;
        written += n;
        if (n == 0 || request.isHead() || noBodyStatus()) {
            data.position(data.limit());
            return head == null ? DONE : conn.stream().write(head);
        } else if (framing == Framing.CHUNKED) {
            ByteBuffer size = chunkSizeLine(n);
            ByteBuffer crlf = ByteBuffer.wrap(HeadEncoder.CRLF);
            return head == null ? conn.stream().write(size, data, crlf) : conn.stream().write(head, size, data, crlf);
        }
        return head == null ? conn.stream().write(data) : conn.stream().write(head, data);
    }

    /** Writes {@code bytes}; see {@link #write(ByteBuffer)}. */
    public CompletableFuture<Void> write(byte[] bytes) {
        return write(ByteBuffer.wrap(bytes));
    }

    /** Writes {@code text} as UTF-8, with a default text {@code Content-Type} as {@link #send(String)}; see {@link #write(ByteBuffer)}. */
    public CompletableFuture<Void> write(String text) {
        if (state == State.NEW) {
            markText();
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
        if (state == State.NEW && declaredLength < 0) {
            return send(EMPTY);
        }
        CompletableFuture<Void> f = state == State.NEW ? write(ByteBuffer.wrap(EMPTY)) : DONE;
        state = State.FINISHED;
        if (framing == Framing.CHUNKED && !request.isHead() && !noBodyStatus()) {
            return conn.stream().write(LAST_CHUNK);
        } else if (framing == Framing.LENGTH && written < declaredLength && !request.isHead()) {
            keepAlive = false;
            throw new IllegalStateException("finished after " + written + " of the " + declaredLength
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

    private ByteBuffer startHead(Framing f, long length) {
        boolean http10 = request.version().equals("HTTP/1.0");
        Framing chosen = f == Framing.CHUNKED && http10 ? Framing.UNTIL_CLOSE : f;
        boolean alive = !closeRequested && exchange.keepAlive(chosen != Framing.UNTIL_CLOSE);
        HeadEncoder e = conn.server().commonFields(conn.encoder().begin(status));
        if (headers != null) {
            e.fields(headers);
        }
        if (defaultTextType && (headers == null || !headers.contains("Content-Type"))) {
            e.put(TEXT_PLAIN);
        }
        if (!noBodyStatus()) {
            if (chosen == Framing.LENGTH) {
                e.contentLength(length);
            } else if (chosen == Framing.CHUNKED) {
                e.chunked();
            }
        }
        ByteBuffer head = e.connection(alive, http10).end();
        framing = chosen;
        keepAlive = alive;
        state = State.STREAMING;
        return head;
    }

    private boolean noBodyStatus() {
        return status == 204 || status == 304;
    }

    private void markText() {
        defaultTextType = true;
    }

    private static ByteBuffer chunkSizeLine(int n) {
        byte[] line = new byte[10];
        int digits = (32 - Integer.numberOfLeadingZeros(n) + 3) / 4;
        for (int i = digits - 1, v = n; i >= 0; i--, v >>>= 4) {
            line[i] = (byte) Character.forDigit(v & 0xF, 16);
        }
        line[digits] = '\r';
        line[digits + 1] = '\n';
        return ByteBuffer.wrap(line, 0, digits + 2);
    }

    /** Whether the connection stays open after this response; decided when the head goes out. */
    boolean keepAlive() {
        return keepAlive && state == State.FINISHED;
    }

    /** Clears what the handler set, for the server's 500. Call only before the head was sent. */
    void reset() {
        status = 200;
        headers = null;
        declaredLength = -1;
        closeRequested = false;
        defaultTextType = false;
    }

    /** The server answered in the handler's stead (a timeout, a malformed body): for the access log. */
    void sentByServer(int code) {
        status = code;
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
        return "HttpServerResponse[" + status + ", " + state.name().toLowerCase(java.util.Locale.ROOT)
                + (framing != null ? " " + framing.name().toLowerCase(java.util.Locale.ROOT) : "")
                + ", " + written + " bytes written" + (state != State.NEW ? keepAlive ? ", keep-alive" : ", close" : "")
                + "]";
    }
}
