package dev.spindle.http.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spindle.http.HttpHeaders;
import dev.spindle.http.RequestStartLine;
import dev.spindle.http.ResponseStartLine;
import dev.spindle.http.codec.ParserDriver.BufferKind;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class Http1WriterTest {
    private static final RequestStartLine POST = new RequestStartLine("POST", "/a?b=c", "HTTP/1.1");

    private static String text(ByteBuffer b) {
        return StandardCharsets.ISO_8859_1.decode(b.duplicate()).toString();
    }

    @Test
    void requestHeadIsWrittenInWireFormat() {
        String head = text(new Http1Writer().begin(POST).fields(HttpHeaders.of("Host", "example.com")).contentLength(0).end());
        assertEquals("POST /a?b=c HTTP/1.1\r\nHost: example.com\r\nContent-Length: 0\r\n\r\n", head);
    }

    @Test
    void responseHeadHasTheStatusLineFieldsFramingAndConnection() {
        Http1Writer w = new Http1Writer();
        assertEquals("HTTP/1.1 200 OK\r\nA: 1\r\nb: two\r\nContent-Length: 1234567890123\r\n\r\n",
                text(w.beginResponse(200).fields(HttpHeaders.of("A", "1", "b", "two")).contentLength(1234567890123L).end()));
        assertEquals("HTTP/1.1 599 Unknown\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n",
                text(w.beginResponse(599).chunked().close().end()));
        assertEquals("HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: keep-alive\r\n\r\n",
                text(w.beginResponse(404).contentLength(0).keepAlive().end()));
        assertEquals("HTTP/1.0 204 \r\n\r\n", text(w.begin(new ResponseStartLine("HTTP/1.0", 204, "")).end()));
        assertThrows(IllegalArgumentException.class, () -> w.beginResponse(99));
        assertThrows(IllegalArgumentException.class, () -> w.beginResponse(1000));
    }

    @Test
    void headsRoundTripThroughTheParser() {
        HttpHeaders headers = HttpHeaders.of("Host", "h", "Accept", "a", "accept", "b", "X-Latin", "caf\u00e9");
        ByteBuffer wire = new Http1Writer().begin(POST).fields(headers).end();
        Http1Event.Head head = (Http1Event.Head) Http1Parser.forRequests(Http1Options.DEFAULTS).feed(wire);
        assertEquals(POST, head.startLine());
        assertEquals(headers, head.headers());
        ResponseStartLine line = new ResponseStartLine("HTTP/1.1", 404, "Not Found");
        ByteBuffer response = new Http1Writer().begin(line).field("Server", "spindle").contentLength(0).end();
        head = (Http1Event.Head) Http1Parser.forResponses(Http1Options.DEFAULTS).feed(response);
        assertEquals(line, head.startLine());
        assertEquals(HttpHeaders.of("Server", "spindle", "Content-Length", "0"), head.headers());
    }

    @Test
    void growsForLargeHeadsAndIsReusable() {
        Http1Writer w = new Http1Writer();
        String big = "v".repeat(5000);
        assertEquals("HTTP/1.1 200 OK\r\nBig: " + big + "\r\n\r\n", text(w.beginResponse(200).field("Big", big).end()));
        assertEquals("HTTP/1.1 204 No Content\r\n\r\n", text(w.beginResponse(204).end()));
    }

    @Test
    void chunkedBodyFramesRoundTripThroughTheParser() {
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        ByteBuffer head = new Http1Writer().beginResponse(200).chunked().end();
        for (ByteBuffer part : BodyFrames.frame(head, ascii("hello, "), BodyFraming.CHUNKED, false)) {
            wire.writeBytes(bytes(part));
        }
        for (ByteBuffer part : BodyFrames.frame(null, ascii("x".repeat(300)), BodyFraming.CHUNKED, true)) {
            wire.writeBytes(bytes(part));
        }
        String expected = "HEAD HTTP/1.1 200 OK | [Transfer-Encoding: chunked] | CHUNKED\n"
                + "BODY hello, " + "x".repeat(300) + "\nEND []\n";
        Http1Parser parser = Http1Parser.forResponses(Http1Options.DEFAULTS);
        assertEquals(expected, ParserDriver.run(parser, wire.toString(StandardCharsets.ISO_8859_1), 7, BufferKind.HEAP, false));
    }

    @Test
    void framesAreNothingForAnEmptyPieceAndTheLastChunkAtTheEnd() {
        assertEquals(0, BodyFrames.frame(null, ascii(""), BodyFraming.CHUNKED, false).length);
        assertEquals(0, BodyFrames.frame(null, ascii(""), new BodyFraming.Length(5), true).length);
        ByteBuffer[] last = BodyFrames.frame(null, ascii(""), BodyFraming.CHUNKED, true);
        assertEquals("0\r\n\r\n", text(last[0]));
        ByteBuffer[] plain = BodyFrames.frame(null, ascii("abc"), new BodyFraming.Length(3), true);
        assertEquals(1, plain.length);
        assertEquals("abc", text(plain[0]));
    }

    @Test
    void chunkSizeLinesAreLowerCaseHexWithoutLeadingZeros() {
        assertEquals("1\r\n", text(Http1Writer.chunkSizeLine(1)));
        assertEquals("12c\r\n", text(Http1Writer.chunkSizeLine(300)));
        assertEquals("7fffffff\r\n", text(Http1Writer.chunkSizeLine(Integer.MAX_VALUE)));
        assertThrows(IllegalArgumentException.class, () -> Http1Writer.chunkSizeLine(0));
    }

    @Test
    void aContentLengthLikeTheLastOneIsCopiedAndAnotherIsEncodedAnew() {
        Http1Writer w = new Http1Writer();
        for (long n : new long[] {12, 12, 5, 5, 1234567890123L, 0, 12}) {
            assertEquals("HTTP/1.1 200 OK\r\nContent-Length: " + n + "\r\nConnection: close\r\n\r\n",
                    text(w.beginResponse(200).contentLength(n).close().end()));
        }
        String big = "v".repeat(600); // The head grows past its first buffer right before the length.
        assertEquals("HTTP/1.1 200 OK\r\nBig: " + big + "\r\nContent-Length: 12\r\n\r\n",
                text(w.beginResponse(200).field("Big", big).contentLength(12).end()));
    }

    @Test
    void smallMessagesAreAssembledIntoOneBufferAndLargeOnesAreNot() {
        Http1Writer w = new Http1Writer();
        ByteBuffer one = w.assemble(ascii("head|"), ascii("body"));
        assertEquals("head|body", text(one));
        assertTrue(one.isDirect());
        assertNull(w.assemble(ascii("h"), ByteBuffer.allocate(Http1Writer.SMALL_MESSAGE)));
    }

    @Test
    void headerInjectionAttemptIsRejectedBeforeAnythingIsWritten() {
        HttpHeaders headers = HttpHeaders.create();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> headers.add("X-Name", "a\r\nSet-Cookie: session=evil"));
        assertTrue(e.getMessage().contains("a\\r\\nSet-Cookie"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new RequestStartLine("GET", "/\r\nX: y", "HTTP/1.1"));
        assertThrows(IllegalArgumentException.class, () -> new ResponseStartLine("HTTP/1.1", 200, "OK\r\nX: y"));
        assertThrows(IllegalArgumentException.class, () -> new Http1Writer().beginResponse(200).field("X", "a\nb"));
        assertThrows(IllegalArgumentException.class, () -> new Http1Writer().beginResponse(200).field("Bad Name", "v"));
        assertTrue(headers.isEmpty());
    }

    @Test
    void charactersBeyondLatin1AreRejected() {
        HttpHeaders headers = HttpHeaders.of("X-Snowman", "\u2603");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new Http1Writer().begin(POST).fields(headers));
        assertTrue(e.getMessage().contains("\u2603"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new Http1Writer().beginResponse(200).field("Price", "5 \u20ac"));
        assertEquals("HTTP/1.1 200 OK\r\nLatin: \u00e9\r\n\r\n",
                text(new Http1Writer().beginResponse(200).field("Latin", "\u00e9").end()));
    }

    @Test
    void toStringShowsTheHeadSoFar() {
        assertEquals("Http1Writer[HTTP/1.1 200 OK\\r\\n]", new Http1Writer().beginResponse(200).toString());
    }

    private static ByteBuffer ascii(String s) {
        return ByteBuffer.wrap(s.getBytes(StandardCharsets.ISO_8859_1));
    }

    private static byte[] bytes(ByteBuffer b) {
        byte[] out = new byte[b.remaining()];
        b.duplicate().get(out);
        return out;
    }
}
