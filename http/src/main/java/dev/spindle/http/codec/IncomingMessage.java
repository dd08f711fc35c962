package dev.spindle.http.codec;

import dev.spindle.http.HttpHeaders;
import dev.spindle.http.ResponseStartLine;
import dev.spindle.http.StartLine;
import dev.spindle.runtime.net.IoStream;
import dev.spindle.runtime.net.StreamClosedException;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletionException;

/**
 * The incoming direction of an {@link Http1Connection}: the parser fed from the stream's read
 * buffer, the head once read, and the body handed out of it. Never parks: the connection does
 * the waiting for bytes and checks the order of the calls.
 *
 * <p><b>Loop-confined</b>, as its connection.
 */
final class IncomingMessage {
    private final IoStream stream;
    private final Http1Parser parser;
    private final boolean server;
    /** Run when the body reached its end through the parser. */
    private final Runnable ended;
    private Http1Connection.Direction state = Http1Connection.Direction.HEAD;
    /** The head, once read. */
    private Http1Event.Head head;
    /** A byte of the message (or an interim response before it) arrived. */
    private boolean started;
    /** Bytes of the body handed out so far. */
    private long bodyReceived;
    /** Whether the message's framing or fields mean that the connection closes after it. */
    private boolean closing;
    /** The request this side sent is a HEAD, whose response has no body (client). */
    private boolean noBody;

    IncomingMessage(IoStream stream, Http1Options options, boolean server, Runnable ended) {
        this.stream = stream;
        this.parser = server ? Http1Parser.forRequests(options) : Http1Parser.forResponses(options);
        this.server = server;
        this.ended = ended;
    }

    Http1Connection.Direction state() {
        return state;
    }

    Http1Event.Head head() {
        return head;
    }

    boolean started() {
        return started;
    }

    long bodyReceived() {
        return bodyReceived;
    }

    boolean closing() {
        return closing;
    }

    /** Whether the bytes so far began a message: a wait for more is a wait for the head's rest. */
    boolean inHead() {
        return started || !parser.isIdle();
    }

    StartLine startLine() {
        return head != null ? head.startLine() : parser.startLine();
    }

    /** The response to come answers a HEAD request (client): it has no body. */
    void expectNoBody(boolean headRequest) {
        noBody = headRequest;
        if (noBody) {
            parser.expectNoBody();
        }
    }

    /** See {@link Http1Connection#pollHead()}. */
    Http1Event.Head pollHead() {
        ByteBuffer buffered = stream.readBuffer();
        while (buffered.hasRemaining()) { // Feeding nothing would cost the parser a line buffer.
            started = true;
            if (!(parser.feed(buffered) instanceof Http1Event.Head h)) {
                return null;
            } else if (!server && ((ResponseStartLine) h.startLine()).code() < 200) {
                parser.feed(buffered); // The End of the interim response, which has no body.
                parser.reset();
                expectNoBody(noBody);
                buffered = stream.readBuffer();
                continue;
            }
            return headArrived(h);
        }
        return null;
    }

    private Http1Event.Head headArrived(Http1Event.Head h) {
        head = h;
        state = Http1Connection.Direction.BODY;
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

    /** See {@link Http1Connection#pollBody()}. */
    ByteBuffer pollBody() {
        if (state == Http1Connection.Direction.DONE) {
            return Http1Connection.END;
        }
        Http1Event e = parser.feed(stream.readBuffer());
        if (e instanceof Http1Event.Body(ByteBuffer data)) {
            bodyReceived += data.remaining();
            return data;
        } else if (e instanceof Http1Event.End) {
            state = Http1Connection.Direction.DONE;
            ended.run();
            return Http1Connection.END;
        }
        return null;
    }

    /**
     * The peer closed cleanly while no body was read: false if that was before any byte of a
     * message; throws {@link dev.spindle.http.HttpInputException} ({@code PREMATURE_EOF}) if it
     * was in the middle of a head.
     */
    boolean closedInHead() {
        return !(parser.eof() instanceof Http1Event.NeedMore);
    }

    /** The stream failed while the body was read: the end of a close-delimited body, or rethrown. */
    void bodyInterrupted(Throwable e) {
        if (!(e instanceof StreamClosedException closed) || !CleanEnd.of(closed)) {
            throw e instanceof RuntimeException r ? r : new CompletionException(e);
        } else if (server && !(head.framing() instanceof BodyFraming.UntilClose)) {
            throw closed; // The client went away.
        }
        parser.eof(); // End of a close-delimited body; else PREMATURE_EOF.
        state = Http1Connection.Direction.DONE;
    }

    /** Ready for the next exchange's message; bytes already buffered begin it. */
    void reset() {
        parser.reset();
        state = Http1Connection.Direction.HEAD;
        head = null;
        started = false;
        bodyReceived = 0;
        noBody = false;
    }
}
