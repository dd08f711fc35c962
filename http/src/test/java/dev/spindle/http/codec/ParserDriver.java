package dev.spindle.http.codec;

import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.spindle.http.HttpHeaders;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.StringJoiner;

/**
 * Drives a parser as a connection would: input arrives in fragments into one buffer, events are
 * pulled until {@code NeedMore}, {@code End} is followed by {@code reset()}, the end of input by
 * {@code eof()}. Records a transcript that is the same however the input was split.
 */
final class ParserDriver {
    /** Where the connection's bytes live. */
    enum BufferKind { HEAP, DIRECT }

    private final Http1Parser parser;
    private final boolean noBody;
    private final StringBuilder transcript = new StringBuilder();
    private final ByteArrayOutputStream body = new ByteArrayOutputStream();

    private ParserDriver(Http1Parser parser, boolean noBody) {
        this.parser = parser;
        this.noBody = noBody;
    }

    /** Turns a text block into wire text: every LF becomes CRLF. */
    static String crlf(String text) {
        return text.replace("\n", "\r\n");
    }

    /**
     * Feeds {@code input} in fragments of {@code fragment} bytes, then signals EOF, and returns
     * the transcript. {@code noBody}: every message answers a HEAD request.
     */
    static String run(Http1Parser parser, String input, int fragment, BufferKind kind, boolean noBody) {
        byte[] bytes = input.getBytes(StandardCharsets.ISO_8859_1);
        ParserDriver driver = new ParserDriver(parser, noBody);
        if (noBody) parser.expectNoBody();
        ByteBuffer buf = kind == BufferKind.HEAP ? ByteBuffer.allocate(bytes.length) : ByteBuffer.allocateDirect(bytes.length);
        buf.flip();
        for (int at = 0; at < bytes.length; at += fragment) {
            buf.compact().put(bytes, at, Math.min(fragment, bytes.length - at)).flip();
            driver.drain(buf);
        }
        driver.record(parser.eof());
        return driver.transcript.toString();
    }

    /** {@link #run} for a request parser with default options and a heap buffer. */
    static String requests(String input, int fragment) {
        return run(Http1Parser.forRequests(Http1Options.DEFAULTS), input, fragment, BufferKind.HEAP, false);
    }

    private void drain(ByteBuffer buf) {
        while (true) {
            Http1Event event = parser.feed(buf);
            if (event instanceof Http1Event.NeedMore) {
                assertFalse(buf.hasRemaining(), "NeedMore with bytes left");
                return;
            }
            record(event);
        }
    }

    private void record(Http1Event event) {
        switch (event) {
            case Http1Event.NeedMore n -> { }
            case Http1Event.Head h -> transcript.append("HEAD ").append(h.startLine()).append(" | ")
                    .append(fields(h.headers())).append(" | ").append(h.framing()).append('\n');
            case Http1Event.Body b -> {
                ByteBuffer data = b.data();
                while (data.hasRemaining()) body.write(data.get());
            }
            case Http1Event.End e -> {
                if (body.size() > 0) transcript.append("BODY ").append(body.toString(StandardCharsets.ISO_8859_1)).append('\n');
                body.reset();
                transcript.append("END ").append(fields(e.trailers())).append('\n');
                parser.reset();
                if (noBody) parser.expectNoBody();
            }
        }
    }

    private static String fields(HttpHeaders headers) {
        StringJoiner joiner = new StringJoiner(", ", "[", "]");
        for (var field : headers) joiner.add(field.getKey() + ": " + field.getValue());
        return joiner.toString();
    }
}
