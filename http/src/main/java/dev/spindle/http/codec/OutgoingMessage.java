package dev.spindle.http.codec;

import dev.spindle.http.RequestStartLine;
import dev.spindle.runtime.net.IoStream;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;

/**
 * The outgoing direction of an {@link Http1Connection}: the head it writes, the framing of the
 * body and the bytes written of it. The connection checks the order of the calls; this class
 * does the writing.
 *
 * <p><b>Loop-confined</b>, as its connection.
 */
final class OutgoingMessage {
    private final IoStream stream;
    private final Http1Writer writer;
    private final boolean server;
    private Http1Connection.Direction state = Http1Connection.Direction.HEAD;
    /** Whether a {@code begin...} call started a head that {@link #writeHead} has not ended. */
    private boolean headOpen;
    /** Whether this side said, or its framing means, that the connection closes after this exchange. */
    private boolean closing;
    /** The status of the response being written (server), or 0. */
    private int status;
    /** The framing of the body, and bytes written of it. */
    private BodyFraming framing;
    private long written;
    /** The body is not sent: a response to HEAD, a 204 or 304. */
    private boolean suppressBody;

    OutgoingMessage(IoStream stream, Http1Writer writer, boolean server) {
        this.stream = stream;
        this.writer = writer;
        this.server = server;
    }

    Http1Connection.Direction state() {
        return state;
    }

    boolean headOpen() {
        return headOpen;
    }

    boolean closing() {
        return closing;
    }

    Http1Writer beginResponse(int code) {
        Http1Writer w = writer.beginResponse(code);
        status = code;
        headOpen = true;
        return w;
    }

    Http1Writer beginRequest(RequestStartLine line) {
        Http1Writer w = writer.begin(line);
        headOpen = true;
        return w;
    }

    /**
     * See {@link Http1Connection#writeHead}.
     *
     * @param request the head of the request being answered (server), or null
     * @param peerCloses whether the incoming message already settled that the connection closes
     */
    CompletableFuture<Void> writeHead(BodyFraming requested, boolean close, ByteBuffer data, boolean last,
            Http1Event.Head request, boolean peerCloses) {
        boolean forbidden = server && (status < 200 || status == 204 || status == 304);
        boolean http10 = request != null && request.startLine().version().equals("HTTP/1.0");
        BodyFraming f = forbidden ? BodyFraming.NONE
                : requested == BodyFraming.CHUNKED && http10 ? BodyFraming.UNTIL_CLOSE : requested;
        checkLength(f, 0, data.remaining());
        switch (f) {
            case BodyFraming.Length(long n) -> writer.contentLength(n);
            case BodyFraming.Chunked c -> writer.chunked();
            case BodyFraming.UntilClose u -> closing = true;
            case BodyFraming.None none -> { }
        }
        closing |= close;
        if (server && (closing || peerCloses)) {
            writer.close();
        } else if (http10) {
            writer.keepAlive();
        }
        ByteBuffer encoded = writer.end();
        headOpen = false;
        state = Http1Connection.Direction.BODY;
        framing = f;
        suppressBody = forbidden
                || (request != null && ((RequestStartLine) request.startLine()).method().equals("HEAD"));
        return writeBody(encoded, data, last);
    }

    CompletableFuture<Void> write(ByteBuffer data) {
        checkLength(framing, written, data.remaining());
        return writeBody(null, data, false);
    }

    CompletableFuture<Void> finish() {
        return writeBody(null, Http1Connection.END, true);
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
        ByteBuffer body = suppressBody ? Http1Connection.END : data;
        // A head with an unchunked body that fits goes out as one buffer: one write, no framing arrays.
        ByteBuffer one = encodedHead != null && !(framing instanceof BodyFraming.Chunked)
                ? writer.assemble(encodedHead, body) : null;
        ByteBuffer[] parts = one != null ? writer.single(one)
                : BodyFrames.frame(encodedHead, body, framing, last && !suppressBody);
        data.position(data.limit());
        if (last) {
            state = Http1Connection.Direction.DONE;
            if (framing instanceof BodyFraming.Length(long declared) && written < declared && !suppressBody) {
                closing = true;
                stream.write(parts);
                throw new IllegalStateException("finished after " + written + " of the " + declared
                        + " bytes declared in Content-Length; the connection will be closed");
            }
        }
        return parts.length == 0 ? BodyFrames.DONE : stream.write(parts);
    }

    /** Ready for the next exchange's message. */
    void reset() {
        state = Http1Connection.Direction.HEAD;
        status = 0;
        framing = null;
        written = 0;
        suppressBody = false;
    }
}
