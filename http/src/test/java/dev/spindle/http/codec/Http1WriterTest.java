package dev.spindle.http.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spindle.http.HttpHeaders;
import dev.spindle.http.RequestStartLine;
import dev.spindle.http.ResponseStartLine;
import dev.spindle.http.codec.ParserDriver.BufferKind;
import java.io.ByteArrayOutputStream;
import java.nio.BufferOverflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class Http1WriterTest {
    private static final RequestStartLine POST = new RequestStartLine("POST", "/a?b=c", "HTTP/1.1");

    @Test
    void requestHeadIsWrittenInWireFormat() {
        byte[] head = Http1Writer.encodeHead(POST, HttpHeaders.of("Host", "example.com", "Content-Length", "0"));
        assertEquals("POST /a?b=c HTTP/1.1\r\nHost: example.com\r\nContent-Length: 0\r\n\r\n", ascii(head));
    }

    @Test
    void requestHeadRoundTripsThroughTheParser() {
        HttpHeaders headers = HttpHeaders.of("Host", "h", "Accept", "a", "accept", "b", "X-Latin", "caf\u00e9");
        String wire = ascii(Http1Writer.encodeHead(POST, headers));
        Http1Parser parser = Http1Parser.forRequests(Http1Options.DEFAULTS);
        Http1Event.Head head = (Http1Event.Head) parser.feed(ByteBuffer.wrap(Http1Writer.encodeHead(POST, headers)));
        assertEquals(POST, head.startLine());
        assertEquals(headers, head.headers());
        assertEquals(wire, ascii(Http1Writer.encodeHead(head.startLine(), head.headers())));
    }

    @Test
    void responseHeadRoundTripsThroughTheParser() {
        ResponseStartLine line = new ResponseStartLine("HTTP/1.1", 404, "Not Found");
        HttpHeaders headers = HttpHeaders.of("Content-Length", "0", "Server", "spindle");
        byte[] wire = Http1Writer.encodeHead(line, headers);
        assertEquals("HTTP/1.1 404 Not Found\r\n", ascii(wire).substring(0, 24));
        Http1Event.Head head = (Http1Event.Head) Http1Parser.forResponses(Http1Options.DEFAULTS).feed(ByteBuffer.wrap(wire));
        assertEquals(line, head.startLine());
        assertEquals(headers, head.headers());
    }

    @ParameterizedTest
    @EnumSource(BufferKind.class)
    void writeHeadAdvancesTheBufferByHeadLength(BufferKind kind) {
        HttpHeaders headers = HttpHeaders.of("Host", "h");
        int length = Http1Writer.headLength(POST, headers);
        ByteBuffer out = kind == BufferKind.HEAP ? ByteBuffer.allocate(100) : ByteBuffer.allocateDirect(100);
        out.position(3);
        Http1Writer.writeHead(POST, headers, out);
        assertEquals(3 + length, out.position());
        byte[] written = new byte[length];
        out.get(3, written);
        assertArrayEquals(Http1Writer.encodeHead(POST, headers), written);
    }

    @Test
    void writeHeadWithoutRoomThrowsAndKeepsThePosition() {
        ByteBuffer out = ByteBuffer.allocate(10);
        assertThrows(BufferOverflowException.class, () -> Http1Writer.writeHead(POST, HttpHeaders.of(), out));
        assertEquals(0, out.position());
    }

    @Test
    void chunkedBodyRoundTripsThroughTheParser() {
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        wire.writeBytes(Http1Writer.encodeHead(new ResponseStartLine("HTTP/1.1", 200, "OK"),
                HttpHeaders.of("Transfer-Encoding", "chunked")));
        for (ByteBuffer part : Http1Writer.frameChunk(ascii("hello, "))) wire.writeBytes(bytes(part));
        wire.writeBytes(Http1Writer.encodeChunk(ascii("x".repeat(300))));
        wire.writeBytes(Http1Writer.encodeLastChunk(HttpHeaders.of("Checksum", "42")));
        String expected = "HEAD HTTP/1.1 200 OK | [Transfer-Encoding: chunked] | CHUNKED\n"
                + "BODY hello, " + "x".repeat(300) + "\nEND [Checksum: 42]\n";
        String input = wire.toString(StandardCharsets.ISO_8859_1);
        Http1Parser parser = Http1Parser.forResponses(Http1Options.DEFAULTS);
        assertEquals(expected, ParserDriver.run(parser, input, 7, BufferKind.HEAP, false));
    }

    @Test
    void chunkSizeLineIsLowerCaseHexWithoutLeadingZeros() {
        assertEquals("1\r\n", ascii(Http1Writer.chunkSizeLine(1)));
        assertEquals("12c\r\n", ascii(Http1Writer.chunkSizeLine(300)));
        assertEquals("7fffffffffffffff\r\n", ascii(Http1Writer.chunkSizeLine(Long.MAX_VALUE)));
        assertThrows(IllegalArgumentException.class, () -> Http1Writer.frameChunk(ByteBuffer.allocate(0)));
    }

    @Test
    void lastChunkWithoutTrailersIsZeroAndTwoCrlfs() {
        assertEquals("0\r\n\r\n", ascii(Http1Writer.encodeLastChunk(HttpHeaders.of())));
    }

    @Test
    void headerInjectionAttemptIsRejectedBeforeAnythingIsWritten() {
        HttpHeaders headers = HttpHeaders.create();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> headers.add("X-Name", "a\r\nSet-Cookie: session=evil"));
        assertTrue(e.getMessage().contains("a\\r\\nSet-Cookie"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new RequestStartLine("GET", "/\r\nX: y", "HTTP/1.1"));
        assertThrows(IllegalArgumentException.class, () -> new ResponseStartLine("HTTP/1.1", 200, "OK\r\nX: y"));
        assertTrue(headers.isEmpty());
    }

    @Test
    void characterOutsideLatin1IsRejected() {
        HttpHeaders headers = HttpHeaders.of("X-Snowman", "\u2603");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Http1Writer.encodeHead(POST, headers));
        assertTrue(e.getMessage().contains("\u2603"), e.getMessage());
    }

    private static String ascii(byte[] b) {
        return new String(b, StandardCharsets.ISO_8859_1);
    }

    private static ByteBuffer ascii(String s) {
        return ByteBuffer.wrap(s.getBytes(StandardCharsets.ISO_8859_1));
    }

    private static byte[] bytes(ByteBuffer b) {
        byte[] out = new byte[b.remaining()];
        b.get(out);
        return out;
    }
}
