package dev.spindle.http.codec;

import dev.spindle.http.HttpHeaders;
import dev.spindle.http.HttpInputException;
import dev.spindle.http.HttpInputException.Reason;
import dev.spindle.http.StartLine;
import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * Incremental HTTP/1.1 parser for one connection: push bytes in, get {@link Http1Event}s out.
 * No sockets, no loop, no clock (STYLE S17).
 *
 * <p><b>Loop-confined:</b> call only from a coroutine or callback of the owning {@code IOLoop}
 * (one parser per connection; it is not thread-safe).
 *
 * {@snippet :
 * Http1Parser parser = Http1Parser.forRequests(Http1Options.DEFAULTS);
 * ByteBuffer buf = ByteBuffer.allocate(8192).flip();   // empty, ready to be read from
 * while (true) {
 *     switch (parser.feed(buf)) {
 *         case Http1Event.NeedMore n -> {                // every byte of buf was consumed
 *             buf.clear();
 *             if (channel.read(buf) < 0) { parser.eof(); return; }
 *             buf.flip();
 *         }
 *         case Http1Event.Head h -> handler.head(h.startLine(), h.headers(), h.framing());
 *         case Http1Event.Body b -> handler.body(b.data());  // a view into buf
 *         case Http1Event.End e -> { handler.end(e.trailers()); parser.reset(); }
 *     }
 * }
 * }
 *
 * <p>Protocol, in order: {@code feed} until {@code End}; then {@link #reset()} and keep feeding
 * the same buffer, whose remaining bytes are the next (pipelined) message. {@code feed} returns
 * {@code NeedMore} only after consuming every byte of its input (partial lines are copied
 * inside), so the caller may then clear its buffer; other events may leave bytes in it. When the
 * peer closes, call {@link #eof()}. A client calls {@link #expectNoBody()} before feeding the
 * response to a HEAD request; a 1xx response arrives as its own {@code Head} (framing
 * {@code NONE}) and {@code End}, after which the client resets and feeds on.
 *
 * <p>Violations of RFC 9112 and exceeded {@link Http1Options} limits throw
 * {@link HttpInputException} with the status to answer; the parser is then failed for good.
 * Misuse (feeding after {@code End} without {@code reset()}) throws {@link IllegalStateException}.
 *
 * @since 0.1
 */
public final class Http1Parser {
    /*
     * Implementation notes. States are sections of a message, not byte history. A state method
     * returns an event, or null when it moved to another state that may make progress at once.
     *
     *   START_LINE -> HEADERS -+-> FIXED_BODY --------------------------------+
     *                          +-> CHUNK_SIZE -> CHUNK_DATA -> CHUNK_END        |
     *                          |     ^  |  size 0                  |            v
     *                          |     +--|--------------------------+          DONE
     *                          |        +-> TRAILERS --empty line-----------> DONE
     *                          +-> UNTIL_CLOSE --eof()----------------------> DONE
     *   DONE --reset()--> START_LINE
     *   any state --HttpInputException--> FAILED (for good)
     *
     * A head without body goes to FIXED_BODY with nothing remaining, which ends it at once.
     */

    /** Empty lines tolerated before a start line (RFC 9112 §2.2). */
    private static final int MAX_EMPTY_LINES = 4;
    private static final Http1Event.End END_WITHOUT_TRAILERS = new Http1Event.End(HttpHeaders.of());

    enum State { START_LINE, HEADERS, FIXED_BODY, CHUNK_SIZE, CHUNK_DATA, CHUNK_END, TRAILERS, UNTIL_CLOSE, DONE, FAILED }

    private final Http1Options options;
    private final Dialect dialect;
    /** Line splitting and the byte budgets of line sections. Owned by this parser. */
    private final LineReader lines = new LineReader();
    /** The section being parsed. */
    private State state = State.START_LINE;
    /** Start line of the current message; null before it is parsed. */
    private StartLine startLine;
    /** Header or trailer fields being collected; null outside HEADERS and TRAILERS. */
    private HttpHeaders fields;
    /** Bytes left in the fixed-length body or in the current chunk. */
    private long remaining;
    /** Body bytes of this message charged against the limit so far. */
    private long bodyBytes;
    /** Empty lines skipped before the current start line. */
    private int emptyLines;
    /** Whether the coming message has no body whatever its headers say. */
    private boolean noBody;
    /** What moved the parser to FAILED; null before. */
    private HttpInputException failure;

    private Http1Parser(Http1Options options, Dialect dialect) {
        this.options = Objects.requireNonNull(options, "options");
        this.dialect = dialect;
        beginStartLine();
    }

    /** Returns a parser of requests, for a server connection. */
    public static Http1Parser forRequests(Http1Options options) {
        return new Http1Parser(options, RequestDialect.INSTANCE);
    }

    /** Returns a parser of responses, for a client connection. */
    public static Http1Parser forResponses(Http1Options options) {
        return new Http1Parser(options, ResponseDialect.INSTANCE);
    }

    /**
     * Consumes what it can of {@code in} (advancing its position) and returns the next event.
     *
     * @return {@code NeedMore} (then {@code in} has no bytes left), {@code Head}, {@code Body}
     *     (a view into {@code in}) or {@code End}
     * @throws HttpInputException if the input violates HTTP/1.1 or a limit; the parser is failed
     * @throws IllegalStateException after {@code End} without {@link #reset()}, or after a failure
     */
    public Http1Event feed(ByteBuffer in) {
        Objects.requireNonNull(in, "in");
        try {
            Http1Event event;
            do {
                event = step(in);
            } while (event == null);
            return event;
        } catch (HttpInputException e) {
            fail(e);
            throw e;
        }
    }

    private Http1Event step(ByteBuffer in) {
        return switch (state) {
            case START_LINE -> startLine(in);
            case HEADERS -> headers(in);
            case FIXED_BODY -> fixedBody(in);
            case CHUNK_SIZE -> chunkSize(in);
            case CHUNK_DATA -> chunkData(in);
            case CHUNK_END -> chunkEnd(in);
            case TRAILERS -> trailers(in);
            case UNTIL_CLOSE -> untilClose(in);
            case DONE -> throw new IllegalStateException("message complete: call reset() before feeding the next one");
            case FAILED -> throw failedState();
        };
    }

    /**
     * Tells the parser that the peer closed the connection; call it after {@code feed} returned
     * {@code NeedMore}.
     *
     * @return {@code End} if that completes a close-delimited body (or a message whose last event
     *     was not fed yet); {@code NeedMore} if no byte of a message had arrived (a clean close)
     * @throws HttpInputException with {@link Reason#PREMATURE_EOF} in the middle of a message
     * @throws IllegalStateException after a failure
     */
    public Http1Event eof() {
        return switch (state) {
            case UNTIL_CLOSE -> finish(END_WITHOUT_TRAILERS);
            case FIXED_BODY -> remaining == 0 ? finish(END_WITHOUT_TRAILERS) : prematureEof();
            case START_LINE -> lines.hasPartialLine() ? prematureEof() : finish(Http1Event.NEED_MORE);
            case DONE -> Http1Event.NEED_MORE;
            case FAILED -> throw failedState();
            default -> prematureEof();
        };
    }

    /**
     * Prepares for the next message on the connection, after {@code End}. The unconsumed bytes
     * of the caller's buffer are its beginning.
     *
     * @throws IllegalStateException in the middle of a message or after a failure
     */
    public void reset() {
        if (state != State.DONE && !isIdle()) {
            throw new IllegalStateException("reset() in state " + state + ": feed until End, or close the connection");
        }
        state = State.START_LINE;
        startLine = null;
        fields = null;
        remaining = 0;
        bodyBytes = 0;
        emptyLines = 0;
        noBody = false;
        lines.clear();
        beginStartLine();
    }

    /**
     * Declares that the coming response has no body whatever its headers say: it answers a HEAD
     * request (or a successful CONNECT). Call it before feeding the head; {@link #reset()} clears
     * it. 1xx, 204 and 304 responses need no call. Ignored by request parsers.
     *
     * @throws IllegalStateException once the head was parsed
     */
    public void expectNoBody() {
        if (state != State.START_LINE && state != State.HEADERS) {
            throw new IllegalStateException("expectNoBody() in state " + state + ": call it before feeding the head");
        }
        noBody = true;
    }

    /** The start line of the message being parsed, or null before it was parsed. */
    StartLine startLine() {
        return startLine;
    }

    /** Returns whether no byte of a next message has arrived (only empty lines, if any). */
    public boolean isIdle() {
        return state == State.START_LINE && !lines.hasPartialLine();
    }

    /** Returns e.g. {@code Http1Parser[requests, CHUNK_DATA, POST /up HTTP/1.1, remaining=5, bodyBytes=12]}. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("Http1Parser[").append(dialect).append(", ").append(state);
        if (startLine != null) sb.append(", ").append(startLine);
        if (state == State.FIXED_BODY || state == State.CHUNK_DATA) sb.append(", remaining=").append(remaining);
        if (startLine != null) sb.append(", bodyBytes=").append(bodyBytes);
        if (failure != null) sb.append(", failure=").append(failure.reason());
        return sb.append(']').toString();
    }

    private Http1Event startLine(ByteBuffer in) {
        assert state == State.START_LINE;
        if (!lines.readLine(in)) return Http1Event.NEED_MORE;
        if (lines.isEmpty()) {
            if (++emptyLines > MAX_EMPTY_LINES) {
                throw new HttpInputException(Reason.BAD_START_LINE, "more than " + MAX_EMPTY_LINES + " empty lines");
            }
            beginStartLine();
            return null;
        }
        startLine = dialect.parseStartLine(lines.array, lines.start, lines.end);
        fields = HttpHeaders.create();
        lines.begin(options.maxHeaderBytes(), Reason.HEADERS_TOO_LARGE, false);
        state = State.HEADERS;
        return null;
    }

    private Http1Event headers(ByteBuffer in) {
        assert state == State.HEADERS;
        while (lines.readLine(in)) {
            if (lines.isEmpty()) return endOfHead();
            addField();
        }
        return Http1Event.NEED_MORE;
    }

    private Http1Event endOfHead() {
        assert state == State.HEADERS;
        BodyFraming framing = dialect.framing(startLine, fields, noBody);
        Http1Event head = new Http1Event.Head(startLine, fields, framing);
        fields = null;
        switch (framing) {
            case BodyFraming.Length(long n) -> enterFixedBody(n);
            case BodyFraming.None none -> enterFixedBody(0);
            case BodyFraming.Chunked chunked -> beginChunkLine();
            case BodyFraming.UntilClose untilClose -> state = State.UNTIL_CLOSE;
        }
        return head;
    }

    private Http1Event fixedBody(ByteBuffer in) {
        assert state == State.FIXED_BODY;
        if (remaining == 0) return finish(END_WITHOUT_TRAILERS);
        if (!in.hasRemaining()) return Http1Event.NEED_MORE;
        int n = (int) Math.min(remaining, in.remaining());
        remaining -= n;
        return body(in, n);
    }

    private Http1Event chunkSize(ByteBuffer in) {
        assert state == State.CHUNK_SIZE;
        if (!lines.readLine(in)) return Http1Event.NEED_MORE;
        long size = FramingFields.chunkSize(lines.array, lines.start, lines.end);
        chargeBody(size);
        if (size == 0) {
            lines.begin(options.maxHeaderBytes(), Reason.HEADERS_TOO_LARGE, true);
            state = State.TRAILERS;
        } else {
            remaining = size;
            state = State.CHUNK_DATA;
        }
        return null;
    }

    private Http1Event chunkData(ByteBuffer in) {
        assert state == State.CHUNK_DATA;
        if (!in.hasRemaining()) return Http1Event.NEED_MORE;
        int n = (int) Math.min(remaining, in.remaining());
        remaining -= n;
        if (remaining == 0) {
            lines.begin(2, Reason.BAD_CHUNK_TERMINATOR, true);
            state = State.CHUNK_END;
        }
        return body(in, n);
    }

    private Http1Event chunkEnd(ByteBuffer in) {
        assert state == State.CHUNK_END;
        if (!lines.readLine(in)) return Http1Event.NEED_MORE;
        if (!lines.isEmpty()) throw new HttpInputException(Reason.BAD_CHUNK_TERMINATOR, "chunk data not followed by CRLF");
        beginChunkLine();
        return null;
    }

    private Http1Event trailers(ByteBuffer in) {
        assert state == State.TRAILERS;
        while (lines.readLine(in)) {
            if (lines.isEmpty()) {
                return finish(fields == null ? END_WITHOUT_TRAILERS : new Http1Event.End(fields.unmodifiableView()));
            }
            if (fields == null) fields = HttpHeaders.create();
            addField();
        }
        return Http1Event.NEED_MORE;
    }

    private Http1Event untilClose(ByteBuffer in) {
        assert state == State.UNTIL_CLOSE;
        if (!in.hasRemaining()) return Http1Event.NEED_MORE;
        int n = in.remaining();
        chargeBody(n);
        return body(in, n);
    }

    private void beginStartLine() {
        lines.begin(options.maxStartLineLength(), dialect.startLineTooLong(), false);
    }

    private void beginChunkLine() {
        lines.begin(options.maxChunkLineLength(), Reason.BAD_CHUNK_SIZE, true);
        state = State.CHUNK_SIZE;
    }

    private void enterFixedBody(long length) {
        chargeBody(length);
        remaining = length;
        state = State.FIXED_BODY;
    }

    /** Call only while collecting fields ({@code HEADERS} or {@code TRAILERS}). */
    private void addField() {
        assert state == State.HEADERS || state == State.TRAILERS;
        if (fields.size() == options.maxHeaderCount()) {
            throw new HttpInputException(Reason.TOO_MANY_HEADERS, "more than " + options.maxHeaderCount() + " fields");
        }
        FieldLines.parse(lines.array, lines.start, lines.end, fields);
    }

    private void chargeBody(long n) {
        if (n > options.maxBodySize() - bodyBytes) {
            throw new HttpInputException(Reason.BODY_TOO_LARGE, "body larger than " + options.maxBodySize() + " bytes");
        }
        bodyBytes += n;
    }

    private static Http1Event body(ByteBuffer in, int n) {
        int at = in.position();
        in.position(at + n);
        return new Http1Event.Body(in.slice(at, n));
    }

    private Http1Event finish(Http1Event last) {
        state = State.DONE;
        return last;
    }

    private Http1Event prematureEof() {
        String where = startLine == null ? "in the start line" : "in state " + state + " of " + startLine;
        HttpInputException e = new HttpInputException(Reason.PREMATURE_EOF, "connection closed " + where);
        fail(e);
        throw e;
    }

    private void fail(HttpInputException e) {
        state = State.FAILED;
        failure = e;
    }

    private IllegalStateException failedState() {
        return new IllegalStateException("parser failed with " + failure.reason() + ": close the connection");
    }
}
