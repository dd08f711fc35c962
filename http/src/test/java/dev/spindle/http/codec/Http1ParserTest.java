package dev.spindle.http.codec;

import static dev.spindle.http.codec.ParserDriver.crlf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spindle.http.HttpInputException;
import dev.spindle.http.RequestStartLine;
import dev.spindle.http.codec.ParserDriver.BufferKind;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

class Http1ParserTest {
    private static final Supplier<Http1Parser> REQUESTS = () -> Http1Parser.forRequests(Http1Options.DEFAULTS);
    private static final Supplier<Http1Parser> RESPONSES = () -> Http1Parser.forResponses(Http1Options.DEFAULTS);

    /** name, parser, input, whether each message answers HEAD, expected transcript. */
    static Stream<Arguments> validMessages() {
        return Stream.of(
                Arguments.of("GET without body", REQUESTS, crlf("""
                        GET /index.html?q=1 HTTP/1.1
                        Host: example.com
                        Accept: */*

                        """), false, """
                        HEAD GET /index.html?q=1 HTTP/1.1 | [Host: example.com, Accept: */*] | NONE
                        END []
                        """),
                Arguments.of("POST with Content-Length", REQUESTS, crlf("""
                        POST /form HTTP/1.1
                        Host: example.com
                        Content-Length: 11

                        hello world"""), false, """
                        HEAD POST /form HTTP/1.1 | [Host: example.com, Content-Length: 11] | LENGTH(11)
                        BODY hello world
                        END []
                        """),
                Arguments.of("identical Content-Lengths, also as a list", REQUESTS, crlf("""
                        PUT /x HTTP/1.1
                        Host: a
                        Content-Length: 3
                        content-length: 3, 3

                        abc"""), false, """
                        HEAD PUT /x HTTP/1.1 | [Host: a, Content-Length: 3, content-length: 3, 3] | LENGTH(3)
                        BODY abc
                        END []
                        """),
                Arguments.of("chunked with extensions and trailers", REQUESTS, crlf("""
                        POST /upload HTTP/1.1
                        Host: example.com
                        Transfer-Encoding: Chunked

                        5;name=value
                        hello
                        6 ; a ; b="c d"
                        -world
                        000
                        Checksum: abc
                        X-Trailer:  1\s\s

                        """), false, """
                        HEAD POST /upload HTTP/1.1 | [Host: example.com, Transfer-Encoding: Chunked] | CHUNKED
                        BODY hello-world
                        END [Checksum: abc, X-Trailer: 1]
                        """),
                Arguments.of("HTTP/1.0 without Host", REQUESTS, crlf("""
                        POST /old HTTP/1.0
                        Content-Length: 2

                        hi"""), false, """
                        HEAD POST /old HTTP/1.0 | [Content-Length: 2] | LENGTH(2)
                        BODY hi
                        END []
                        """),
                Arguments.of("two pipelined requests after an empty line", REQUESTS, crlf("""

                        POST /a HTTP/1.1
                        Host: h
                        Content-Length: 4

                        abcdGET /b HTTP/1.1
                        Host: h

                        """), false, """
                        HEAD POST /a HTTP/1.1 | [Host: h, Content-Length: 4] | LENGTH(4)
                        BODY abcd
                        END []
                        HEAD GET /b HTTP/1.1 | [Host: h] | NONE
                        END []
                        """),
                Arguments.of("head lines ending in bare LF", REQUESTS, """
                        GET / HTTP/1.1
                        Host: h

                        """, false, """
                        HEAD GET / HTTP/1.1 | [Host: h] | NONE
                        END []
                        """),
                Arguments.of("response with Content-Length", RESPONSES, crlf("""
                        HTTP/1.1 200 OK
                        Content-Length: 5

                        hello"""), false, """
                        HEAD HTTP/1.1 200 OK | [Content-Length: 5] | LENGTH(5)
                        BODY hello
                        END []
                        """),
                Arguments.of("chunked response after gzip", RESPONSES, crlf("""
                        HTTP/1.1 200 OK
                        Transfer-Encoding: gzip, chunked

                        3
                        abc
                        0

                        """), false, """
                        HEAD HTTP/1.1 200 OK | [Transfer-Encoding: gzip, chunked] | CHUNKED
                        BODY abc
                        END []
                        """),
                Arguments.of("close-delimited response", RESPONSES, crlf("""
                        HTTP/1.0 200 OK
                        Server: x

                        until the end
                        of the connection"""), false, """
                        HEAD HTTP/1.0 200 OK | [Server: x] | UNTIL_CLOSE
                        BODY until the end\r
                        of the connection
                        END []
                        """),
                Arguments.of("response with gzip only is close-delimited", RESPONSES, crlf("""
                        HTTP/1.1 200 OK
                        Transfer-Encoding: gzip

                        zz"""), false, """
                        HEAD HTTP/1.1 200 OK | [Transfer-Encoding: gzip] | UNTIL_CLOSE
                        BODY zz
                        END []
                        """),
                Arguments.of("204 and 304 have no body whatever the headers", RESPONSES, crlf("""
                        HTTP/1.1 204 No Content
                        Content-Length: 10

                        HTTP/1.1 304 Not Modified
                        Content-Length: 1234

                        HTTP/1.1 200\s
                        Content-Length: 0

                        """), false, """
                        HEAD HTTP/1.1 204 No Content | [Content-Length: 10] | NONE
                        END []
                        HEAD HTTP/1.1 304 Not Modified | [Content-Length: 1234] | NONE
                        END []
                        HEAD HTTP/1.1 200  | [Content-Length: 0] | LENGTH(0)
                        END []
                        """),
                Arguments.of("response to HEAD with Content-Length", RESPONSES, crlf("""
                        HTTP/1.1 200 OK
                        Content-Length: 5000

                        HTTP/1.1 404 Not Found
                        Transfer-Encoding: chunked

                        """), true, """
                        HEAD HTTP/1.1 200 OK | [Content-Length: 5000] | NONE
                        END []
                        HEAD HTTP/1.1 404 Not Found | [Transfer-Encoding: chunked] | NONE
                        END []
                        """),
                Arguments.of("100 Continue then 200", RESPONSES, crlf("""
                        HTTP/1.1 100 Continue

                        HTTP/1.1 200 OK
                        Content-Length: 2

                        ok"""), false, """
                        HEAD HTTP/1.1 100 Continue | [] | NONE
                        END []
                        HEAD HTTP/1.1 200 OK | [Content-Length: 2] | LENGTH(2)
                        BODY ok
                        END []
                        """));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("validMessages")
    void validMessageGivesTheSameEventsHoweverItIsSplit(
            String name, Supplier<Http1Parser> parsers, String input, boolean head, String expected) {
        for (BufferKind kind : BufferKind.values()) {
            assertEquals(expected, ParserDriver.run(parsers.get(), input, input.length(), kind, head), kind + " whole");
            for (int fragment = 1; fragment < input.length(); fragment++) {
                assertEquals(expected, ParserDriver.run(parsers.get(), input, fragment, kind, head),
                        kind + " in fragments of " + fragment);
            }
        }
    }

    @Test
    void bodyIsAViewIntoTheCallersBufferNotACopy() {
        ByteBuffer in = ascii("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\n\r\nabc");
        Http1Parser parser = REQUESTS.get();
        assertInstanceOf(Http1Event.Head.class, parser.feed(in));
        Http1Event.Body body = assertInstanceOf(Http1Event.Body.class, parser.feed(in));
        assertSame(in.array(), body.data().array());
        assertEquals(3, body.data().remaining());
        assertEquals(in.limit(), in.position());
    }

    @Test
    void endLeavesThePipelinedNextRequestInTheCallersBuffer() {
        String second = "GET /2 HTTP/1.1\r\nHost: a\r\n\r\n";
        ByteBuffer in = ascii("GET /1 HTTP/1.1\r\nHost: a\r\n\r\n" + second);
        Http1Parser parser = REQUESTS.get();
        parser.feed(in);
        assertInstanceOf(Http1Event.End.class, parser.feed(in));
        assertEquals(second.length(), in.remaining());
        parser.reset();
        Http1Event.Head head = assertInstanceOf(Http1Event.Head.class, parser.feed(in));
        assertEquals(new RequestStartLine("GET", "/2", "HTTP/1.1"), head.startLine());
    }

    @Test
    void switchingProtocolsLeavesTheNewProtocolsBytesUnread() {
        ByteBuffer in = ascii("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n\r\n\u0081\u0005hello");
        Http1Parser parser = RESPONSES.get();
        assertEquals(BodyFraming.NONE, assertInstanceOf(Http1Event.Head.class, parser.feed(in)).framing());
        assertInstanceOf(Http1Event.End.class, parser.feed(in));
        assertEquals(7, in.remaining());
    }

    @Test
    void feedAfterEndThrowsUntilReset() {
        Http1Parser parser = REQUESTS.get();
        ByteBuffer in = ascii("GET / HTTP/1.1\r\nHost: a\r\n\r\n");
        parser.feed(in);
        parser.feed(in);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> parser.feed(in));
        assertTrue(e.getMessage().contains("reset()"), e.getMessage());
        parser.reset();
        assertSame(Http1Event.NEED_MORE, parser.feed(in));
    }

    @Test
    void resetInTheMiddleOfAMessageThrows() {
        Http1Parser parser = REQUESTS.get();
        parser.feed(ascii("GET / HTTP/1.1\r\nHo"));
        IllegalStateException e = assertThrows(IllegalStateException.class, parser::reset);
        assertTrue(e.getMessage().contains("HEADERS"), e.getMessage());
    }

    @Test
    void feedAfterAFailureThrowsIllegalStateNamingTheReason() {
        Http1Parser parser = REQUESTS.get();
        assertThrows(HttpInputException.class, () -> parser.feed(ascii("GET / HTTP/9.9\r\n")));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> parser.feed(ascii("x")));
        assertTrue(e.getMessage().contains("UNSUPPORTED_VERSION"), e.getMessage());
        assertThrows(IllegalStateException.class, parser::eof);
    }

    @Test
    void eofBeforeAnyByteOfAMessageIsACleanClose() {
        Http1Parser parser = REQUESTS.get();
        assertTrue(parser.isIdle());
        assertSame(Http1Event.NEED_MORE, parser.eof());
    }

    @Test
    void eofInsideTheStartLineIsPrematureAndIdleTellsTheDifference() {
        Http1Parser parser = REQUESTS.get();
        parser.feed(ascii("GET /"));
        assertFalse(parser.isIdle());
        HttpInputException e = assertThrows(HttpInputException.class, parser::eof);
        assertEquals(HttpInputException.Reason.PREMATURE_EOF, e.reason());
    }

    @Test
    void expectNoBodyAfterTheHeadThrows() {
        Http1Parser parser = RESPONSES.get();
        parser.feed(ascii("HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\n"));
        assertThrows(IllegalStateException.class, parser::expectNoBody);
    }

    @Test
    void unlimitedBodySizeStreamsACloseDelimitedBody() {
        Http1Parser parser = Http1Parser.forResponses(Http1Options.DEFAULTS.withMaxBodySize(Long.MAX_VALUE));
        parser.feed(ascii("HTTP/1.1 200 OK\r\n\r\n"));
        ByteBuffer big = ByteBuffer.allocate(1 << 20);
        for (int i = 0; i < 16; i++) {
            assertInstanceOf(Http1Event.Body.class, parser.feed(big.clear()));
        }
        assertInstanceOf(Http1Event.End.class, parser.eof());
    }

    @ParameterizedTest
    @EnumSource(BufferKind.class)
    void headerBlockBudgetCoversAllLinesNotEachLine(BufferKind kind) {
        Http1Options options = Http1Options.DEFAULTS.withMaxHeaderBytes(40);
        String input = "GET / HTTP/1.1\r\nHost: a\r\nX-One: 1234567\r\nX-Two: 1234567\r\n\r\n";
        Http1Parser parser = Http1Parser.forRequests(options);
        HttpInputException e = assertThrows(HttpInputException.class,
                () -> ParserDriver.run(parser, input, input.length(), kind, false));
        assertEquals(431, e.status());
    }

    @Test
    void toStringShowsDialectStateLineAndCounts() {
        Http1Parser parser = REQUESTS.get();
        assertEquals("Http1Parser[requests, START_LINE]", parser.toString());
        ByteBuffer in = ascii("POST /up HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nab");
        parser.feed(in);
        parser.feed(in);
        assertEquals("Http1Parser[requests, CHUNK_DATA, POST /up HTTP/1.1, remaining=3, bodyBytes=5]", parser.toString());
        ByteBuffer rest = ascii("cdeXYZ");
        assertInstanceOf(Http1Event.Body.class, parser.feed(rest));
        assertThrows(HttpInputException.class, () -> parser.feed(rest));
        assertEquals("Http1Parser[requests, FAILED, POST /up HTTP/1.1, bodyBytes=5, failure=BAD_CHUNK_TERMINATOR]",
                parser.toString());
        assertEquals("Http1Parser[responses, START_LINE]", RESPONSES.get().toString());
    }

    private static ByteBuffer ascii(String s) {
        return ByteBuffer.wrap(s.getBytes(StandardCharsets.ISO_8859_1));
    }
}
