package dev.spindle.http.client;

import static dev.spindle.runtime.Coroutines.await;

import dev.spindle.http.HttpHeaders;
import dev.spindle.http.HttpRequest;
import dev.spindle.http.RequestStartLine;
import dev.spindle.http.ResponseStartLine;
import dev.spindle.http.codec.BodyFraming;
import dev.spindle.http.codec.Http1Event;
import dev.spindle.http.codec.Http1Parser;
import dev.spindle.http.codec.Http1Writer;
import dev.spindle.runtime.net.IoStream;
import dev.spindle.runtime.net.StreamClosedException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * One request and its response on one connection: writes the head and body, parses the
 * response in place from the stream's buffer, skips 1xx responses, and routes the body to its
 * sink (Tornado: {@code _HTTPConnection} with {@code HTTP1Connection}).
 *
 * <p><b>Loop-confined:</b> {@link #run()} runs in the fetch's coroutine on the client's loop.
 *
 * <p>A failure before any byte of the response arrived is marked {@link #failedBeforeResponse()}:
 * on a reused connection that is the server having closed it meanwhile, and the fetch may retry.
 */
final class Exchange {
    /** What the exchange produced. {@code redirect} is set when the response is to be followed. */
    record Outcome(ResponseStartLine status, HttpHeaders headers, byte[] body, Hop redirect) {}

    private final Fetch fetch;
    private final Connection connection;
    private final Hop hop;
    private final IoStream stream;
    /** True until a byte of the response arrives. */
    private boolean nothingReceived = true;
    private boolean failedBeforeResponse;

    Exchange(Fetch fetch, Connection connection, Hop hop) {
        this.fetch = fetch;
        this.connection = connection;
        this.hop = hop;
        this.stream = connection.stream;
    }

    /** Whether it failed before any response byte came, so that a retry cannot repeat side effects of a response. */
    boolean failedBeforeResponse() {
        return failedBeforeResponse;
    }

    /**
     * Runs the exchange; on success the connection is back in the pool or closed.
     *
     * @throws Exception what went wrong: the stream's, the parser's, a sink's, a callback's
     */
    Outcome run() throws Exception {
        connection.beginExchange();
        send();
        Http1Parser parser = connection.parser;
        expectBody(parser);
        Http1Event.Head head = finalHead(parser);
        ResponseStartLine status = (ResponseStartLine) head.startLine();
        Hop redirect = fetch.redirectTarget(hop, status, head.headers());
        BodySink sink = redirect != null ? BodySink.DISCARD : onFinalHead(head);
        try {
            for (Http1Event e; !((e = next(parser)) instanceof Http1Event.End); ) {
                sink.accept(((Http1Event.Body) e).data());
            }
            sink.finish();
        } finally {
            sink.release();
        }
        release(head);
        return new Outcome(status, head.headers(), sink.body(), redirect);
    }

    private void send() {
        byte[] head = Http1Writer.encodeHead(new RequestStartLine(hop.method(), hop.target(), "HTTP/1.1"), headers());
        ByteBuffer body = hop.body();
        // Not awaited: the response may come before the server read all of a large body, and a
        // failed write closes the stream, which the read below reports.
        stream.write(body == null || !body.hasRemaining()
                ? new ByteBuffer[] {ByteBuffer.wrap(head)} : new ByteBuffer[] {ByteBuffer.wrap(head), body.duplicate()});
    }

    /** The head of the first response that is not 1xx; interim responses are skipped. */
    private Http1Event.Head finalHead(Http1Parser parser) {
        while (true) {
            Http1Event.Head h = (Http1Event.Head) next(parser);
            if (((ResponseStartLine) h.startLine()).code() >= 200) {
                return h;
            }
            next(parser); // The End of the 1xx, which has no body.
            parser.reset();
            expectBody(parser);
        }
    }

    private void expectBody(Http1Parser parser) {
        if (hop.method().equals("HEAD")) {
            parser.expectNoBody();
        }
    }

    /** The header fields to send: the caller's, plus what the client adds. */
    private HttpHeaders headers() {
        HttpHeaders user = hop.headers();
        HttpHeaders h = HttpHeaders.create();
        if (!user.contains("Host")) {
            h.add("Host", hop.hostHeader());
        }
        for (int i = 0; i < user.size(); i++) {
            h.add(user.name(i), user.value(i));
        }
        if (!user.contains("User-Agent")) {
            h.add("User-Agent", fetch.client().options().userAgent());
        }
        if (fetch.request().decompressResponse() && !user.contains("Accept-Encoding")) {
            h.add("Accept-Encoding", "gzip, deflate");
        }
        ByteBuffer body = hop.body();
        if (body != null || hop.method().equals("POST") || hop.method().equals("PUT") || hop.method().equals("PATCH")) {
            h.add("Content-Length", Integer.toString(body == null ? 0 : body.remaining()));
        }
        return h;
    }

    /** The next event of the response, reading the socket as needed; never {@code NeedMore}. */
    private Http1Event next(Http1Parser parser) {
        while (true) {
            Http1Event event = parser.feed(stream.readBuffer());
            if (!(event instanceof Http1Event.NeedMore)) {
                return event;
            }
            try {
                await(connection.fill());
                nothingReceived = false;
            } catch (StreamClosedException e) {
                if (nothingReceived) {
                    failedBeforeResponse = true;
                    throw new StreamClosedException("Connection to " + hop.origin() + " closed before any response to "
                            + hop, e.getCause());
                } else if (e.getCause() != null) {
                    throw e;
                }
                Http1Event last = parser.eof(); // End of a close-delimited body, or PREMATURE_EOF.
                if (!(last instanceof Http1Event.End)) {
                    throw e; // Only empty lines came.
                }
                return last;
            }
        }
    }

    /** The final response's head arrived: callbacks, decoder, sink. */
    private BodySink onFinalHead(Http1Event.Head h) {
        fetch.firstByte();
        HttpRequest request = fetch.request();
        HttpHeaders headers = h.headers();
        request.headerCallback().ifPresent(cb -> sendHeaderLines(cb, h));
        BodySink sink = request.streamingCallback().<BodySink>map(BodySink.Streamer::new)
                .orElseGet(() -> new BodySink.Collector(
                        h.framing() instanceof BodyFraming.Length(long n) && !encoded(headers) ? n : -1,
                        fetch.client().options().maxBodySize()));
        if (!request.decompressResponse()) {
            return sink;
        }
        String encoding = headers.get("Content-Encoding");
        ContentDecoder decoder = ContentDecoder.forEncoding(encoding, sink);
        if (decoder == null) {
            return sink;
        }
        headers.remove("Content-Encoding");
        headers.add("X-Consumed-Content-Encoding", encoding);
        return decoder;
    }

    private static boolean encoded(HttpHeaders headers) {
        return headers.contains("Content-Encoding");
    }

    private static void sendHeaderLines(Consumer<String> callback, Http1Event.Head h) {
        callback.accept(h.startLine() + "\r\n");
        for (int i = 0; i < h.headers().size(); i++) {
            callback.accept(h.headers().name(i) + ": " + h.headers().value(i) + "\r\n");
        }
        callback.accept("\r\n");
    }

    /** Pools the connection if both sides keep it alive and nothing unexpected is buffered; else closes it. */
    private void release(Http1Event.Head head) {
        boolean keep = !(head.framing() instanceof BodyFraming.UntilClose) && !stream.readBuffer().hasRemaining()
                && !hasToken(hop.headers().get("Connection"), "close")
                && keepsAlive(head.startLine().version(), head.headers().get("Connection"));
        fetch.client().release(connection, keep);
    }

    private static boolean keepsAlive(String version, String connection) {
        if (hasToken(connection, "close")) {
            return false;
        }
        return !version.equals("HTTP/1.0") || hasToken(connection, "keep-alive");
    }

    private static boolean hasToken(String list, String token) {
        if (list == null) {
            return false;
        }
        for (String t : list.split(",")) {
            if (t.strip().toLowerCase(Locale.ROOT).equals(token)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public String toString() {
        return "Exchange[" + hop + " on " + connection + "]";
    }
}
