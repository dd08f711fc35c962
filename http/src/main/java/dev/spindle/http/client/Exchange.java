package dev.spindle.http.client;

import dev.spindle.http.HttpHeaders;
import dev.spindle.http.HttpInputException;
import dev.spindle.http.RequestStartLine;
import dev.spindle.http.codec.BodyFraming;
import dev.spindle.http.codec.Http1Connection;
import dev.spindle.http.codec.Http1Event;
import dev.spindle.runtime.net.IoStream;
import dev.spindle.runtime.net.StreamClosedException;
import java.nio.ByteBuffer;

/**
 * One request and its response on one pooled connection (OkHttp: {@code Exchange}): writes the
 * request, reads the head of the final response, then its body into a sink. It knows nothing of
 * redirects, retries or the pool: it reports whether the connection may be reused, and whether
 * it failed before any byte of the response came.
 *
 * <p><b>Loop-confined:</b> runs in the fetch's coroutine on the client's loop.
 */
final class Exchange {
    /**
     * Request bodies up to this size go out with the head in one write; larger ones in slices of
     * this size, each once the connection's write buffer is down to one slice, so that a large
     * upload to a slow server holds at most about two slices of the connection's memory
     * (encrypted records, over TLS) besides the request's own array.
     */
    static final int SLICE = 256 * 1024;

    private final PooledConnection connection;
    private final Http1Connection http;
    private final OutgoingRequest request;
    private final HttpHeaders wireHeaders;
    /** Whether it failed before any byte of the response arrived. Loop-confined. */
    private boolean failedBeforeResponse;

    /** @param wireHeaders every field to send, the client's own included */
    Exchange(PooledConnection connection, OutgoingRequest request, HttpHeaders wireHeaders) {
        this.connection = connection;
        this.http = connection.http;
        this.request = request;
        this.wireHeaders = wireHeaders;
    }

    /**
     * Writes the request and reads the head of the final response (interim ones are skipped).
     *
     * @throws StreamClosedException if the connection closes first
     * @throws HttpInputException for a malformed response head; one that says the server
     *     answered a plain request in TLS if it begins with a TLS record
     */
    Http1Event.Head send() {
        connection.beginExchange();
        ByteBuffer body = request.body();
        boolean hasBody = body != null || bodyExpected(request.method());
        http.beginRequest(new RequestStartLine(request.method(), request.target(), "HTTP/1.1")).fields(wireHeaders);
        // Not awaited: the response may come before the server read all of a large body, and a
        // failed write closes the stream, which the read below reports.
        ByteBuffer rest = body == null ? Http1Connection.END : body.duplicate();
        boolean whole = rest.remaining() <= SLICE;
        http.writeHead(hasBody ? new BodyFraming.Length(body == null ? 0 : body.remaining()) : BodyFraming.NONE,
                wireHeaders.hasToken("Connection", "close"), whole ? rest : nextSlice(rest), whole);
        if (!whole) {
            writeRest(rest);
        }
        try {
            Http1Event.Head head = http.readHead();
            if (head == null) {
                throw closedBeforeResponse(null);
            }
            return head;
        } catch (HttpInputException e) {
            throw connection.origin.secure() || !beginsWithTlsRecord(e) ? e : answeredInTls(e);
        } catch (StreamClosedException e) {
            failedBeforeResponse = http.receivedNothing();
            if (failedBeforeResponse && e.getCause() != null) {
                throw closedBeforeResponse(e.getCause());
            }
            throw e;
        }
    }

    private StreamClosedException closedBeforeResponse(Throwable cause) {
        return new StreamClosedException("Connection to " + request.origin().authority() + " closed before any response to "
                + request, cause);
    }

    /** Whether the rejected line (quoted in the message) begins as a TLS alert or handshake record: 0x15 or 0x16, then 0x03. */
    private static boolean beginsWithTlsRecord(HttpInputException e) {
        String m = String.valueOf(e.getMessage());
        return m.contains("\"\\x15\\x03") || m.contains("\"\\x16\\x03");
    }

    private HttpInputException answeredInTls(HttpInputException e) {
        HttpInputException x = new HttpInputException(e.reason(), "the server answered in TLS, not in HTTP: is "
                + request.origin() + " an https port? (" + e.getMessage() + ")");
        x.initCause(e);
        return x;
    }

    private static ByteBuffer nextSlice(ByteBuffer body) {
        ByteBuffer slice = body.slice(body.position(), Math.min(SLICE, body.remaining()));
        body.position(body.position() + slice.remaining());
        return slice;
    }

    /**
     * Writes the rest of a large body, a slice whenever at most one is buffered, from loop
     * callbacks while the exchange reads the response; stops if the connection closes (a
     * response that came first, a timeout, a reset), which the exchange reports by itself.
     */
    private void writeRest(ByteBuffer rest) {
        IoStream stream = http.stream();
        while (rest.hasRemaining()) {
            if (stream.isClosed()) {
                return;
            } else if (stream.writeBufferSize() > SLICE) {
                stream.writeBufferAtMost(SLICE).whenComplete((v, e) -> {
                    if (e == null) {
                        writeRest(rest);
                    }
                });
                return;
            }
            http.write(nextSlice(rest));
        }
        http.finish();
    }

    /** Whether a request with this method says how long its (maybe empty) body is. */
    private static boolean bodyExpected(String method) {
        return method.equals("POST") || method.equals("PUT") || method.equals("PATCH");
    }

    /**
     * Reads the body of the response into {@code sink}, parking while bytes are on the way.
     *
     * @throws Exception what the stream, the parser or the sink threw
     */
    void readBody(BodySink sink) throws Exception {
        try {
            for (ByteBuffer piece; (piece = http.readBody()) != null; ) {
                sink.accept(piece);
            }
            sink.finish();
        } finally {
            sink.release();
        }
    }

    /**
     * Ends the exchange once the body was read: returns whether the connection may carry another
     * (both sides keep it alive, nothing unexpected is buffered), and if so readies it for the next.
     */
    boolean end() {
        boolean reusable = http.keepAlive() && http.isDone() && !http.stream().readBuffer().hasRemaining();
        if (reusable) {
            http.next();
        }
        return reusable;
    }

    /** Whether it failed before any response byte came, so that a retry cannot repeat side effects of a response. */
    boolean failedBeforeResponse() {
        return failedBeforeResponse;
    }

    @Override
    public String toString() {
        return "Exchange[" + request + " on " + connection + "]";
    }
}
