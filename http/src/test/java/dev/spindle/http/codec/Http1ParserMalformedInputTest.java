package dev.spindle.http.codec;

import static dev.spindle.http.HttpInputException.Reason.*;
import static dev.spindle.http.codec.ParserDriver.crlf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.spindle.http.HttpInputException;
import dev.spindle.http.codec.ParserDriver.BufferKind;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The table of malformed inputs of STYLE S22: input, the reason it is rejected, the status. */
class Http1ParserMalformedInputTest {
    private static final Function<Http1Options, Http1Parser> REQUEST = Http1Parser::forRequests;
    private static final Function<Http1Options, Http1Parser> RESPONSE = Http1Parser::forResponses;
    /** Small limits, so that the inputs exceeding them stay readable. */
    private static final Http1Options SMALL = Http1Options.DEFAULTS.withMaxStartLineLength(32)
            .withMaxHeaderBytes(64).withMaxHeaderCount(3).withMaxBodySize(10);
    private static final String GET = "GET / HTTP/1.1\nHost: a\n";

    static Stream<Arguments> malformedInputs() {
        return Stream.of(
                row("Content-Length with Transfer-Encoding", REQUEST, """
                        POST / HTTP/1.1
                        Host: a
                        Content-Length: 5
                        Transfer-Encoding: chunked

                        """, CONTENT_LENGTH_WITH_TRANSFER_ENCODING, 400),
                row("two different Content-Lengths", REQUEST, GET + "Content-Length: 5\nContent-Length: 6\n\n",
                        DUPLICATE_CONTENT_LENGTH, 400),
                row("differing Content-Length list", REQUEST, GET + "Content-Length: 5, 6\n\n", DUPLICATE_CONTENT_LENGTH, 400),
                row("non-numeric Content-Length", REQUEST, GET + "Content-Length: abc\n\n", BAD_CONTENT_LENGTH, 400),
                row("signed Content-Length", REQUEST, GET + "Content-Length: +5\n\n", BAD_CONTENT_LENGTH, 400),
                row("empty Content-Length element", REQUEST, GET + "Content-Length: 5,\n\n", BAD_CONTENT_LENGTH, 400),
                row("Content-Length overflow", REQUEST, GET + "Content-Length: 9223372036854775808\n\n",
                        BAD_CONTENT_LENGTH, 400),
                row("non-hex chunk size", REQUEST, chunked("zz\n"), BAD_CHUNK_SIZE, 400),
                row("hex prefix in chunk size", REQUEST, chunked("0x5\n"), BAD_CHUNK_SIZE, 400),
                row("empty chunk size", REQUEST, chunked("\n"), BAD_CHUNK_SIZE, 400),
                row("chunk size overflow", REQUEST, chunked("80000000000000000\n"), BAD_CHUNK_SIZE, 400),
                row("chunk data not followed by CRLF", REQUEST, chunked("3\nabcXYZ"), BAD_CHUNK_TERMINATOR, 400),
                Arguments.of("chunk-size line ending in bare LF", REQUEST, crlf(chunked("")) + "3\nabc", BARE_LF, 400),
                row("whitespace before colon", REQUEST, GET + "Foo : bar\n\n", WHITESPACE_BEFORE_COLON, 400),
                row("obs-fold", REQUEST, GET + "Foo: bar\n  baz\n\n", OBS_FOLD, 400),
                row("obs-fold in trailers", REQUEST, chunked("0\nX: a\n\tb\n\n"), OBS_FOLD, 400),
                row("bare CR in a field line", REQUEST, GET + "Foo: a\rb\n\n", BARE_CR, 400),
                row("bare CR in the request line", REQUEST, "GET /\r HTTP/1.1\n", BARE_CR, 400),
                row("NUL in a field value", REQUEST, GET + "Foo: a\0b\n\n", NUL_BYTE, 400),
                row("control character in a field value", REQUEST, GET + "Foo: a\u0001b\n\n", BAD_HEADER, 400),
                row("invalid field name", REQUEST, GET + "Fo\"o: bar\n\n", BAD_HEADER, 400),
                row("field line without colon", REQUEST, GET + "Foo\n\n", BAD_HEADER, 400),
                row("empty field name", REQUEST, GET + ": bar\n\n", BAD_HEADER, 400),
                row("request line without version", REQUEST, "GET /\n", BAD_START_LINE, 400),
                row("double space in request line", REQUEST, "GET  / HTTP/1.1\n", BAD_START_LINE, 400),
                row("invalid method", REQUEST, "G(T / HTTP/1.1\n", BAD_START_LINE, 400),
                row("too many empty lines before the request", REQUEST, "\n\n\n\n\nGET / HTTP/1.1\n", BAD_START_LINE, 400),
                row("HTTP/2.0", REQUEST, "GET / HTTP/2.0\n", UNSUPPORTED_VERSION, 505),
                row("HTTP/1.x with junk", REQUEST, "GET / HTTP/1.1x\n", BAD_START_LINE, 400),
                row("lower-case version", REQUEST, "GET / http/1.1\n", BAD_START_LINE, 400),
                row("Transfer-Encoding gzip request", REQUEST, GET + "Transfer-Encoding: gzip\n\n",
                        UNKNOWN_TRANSFER_ENCODING, 501),
                row("Transfer-Encoding gzip, chunked request", REQUEST, GET + "Transfer-Encoding: gzip, chunked\n\n",
                        UNKNOWN_TRANSFER_ENCODING, 501),
                row("empty Transfer-Encoding", REQUEST, GET + "Transfer-Encoding: ,\n\n", BAD_TRANSFER_ENCODING, 400),
                row("Transfer-Encoding in HTTP/1.0", REQUEST, "POST / HTTP/1.0\nTransfer-Encoding: chunked\n\n",
                        BAD_TRANSFER_ENCODING, 400),
                row("request line too long", REQUEST, "GET /" + "a".repeat(40) + " HTTP/1.1\n", REQUEST_LINE_TOO_LONG, 414),
                row("header block too large", REQUEST, GET + "X: " + "b".repeat(70) + "\n\n", HEADERS_TOO_LARGE, 431),
                row("too many headers", REQUEST, GET + "A: 1\nB: 2\nC: 3\n\n", TOO_MANY_HEADERS, 431),
                row("Content-Length body too large", REQUEST, GET + "Content-Length: 11\n\n", BODY_TOO_LARGE, 413),
                row("chunked body too large", REQUEST, chunked("6\nabcdef\n5\n"), BODY_TOO_LARGE, 413),
                row("HTTP/1.1 request without Host", REQUEST, "GET / HTTP/1.1\n\n", MISSING_HOST, 400),
                row("two Host fields", REQUEST, GET + "Host: b\n\n", DUPLICATE_HOST, 400),
                row("connection closed inside the body", REQUEST, GET + "Content-Length: 10\n\nabc", PREMATURE_EOF, 400),
                row("connection closed inside the head", REQUEST, "GET / HTTP/1.1\nHo", PREMATURE_EOF, 400),
                row("two-digit status code", RESPONSE, "HTTP/1.1 20 OK\n\n", BAD_START_LINE, 400),
                row("status line without code", RESPONSE, "HTTP/1.1\n\n", BAD_START_LINE, 400),
                row("status line too long", RESPONSE, "HTTP/1.1 200 " + "O".repeat(40) + "\n", STATUS_LINE_TOO_LONG, 400),
                row("response HTTP/0.9", RESPONSE, "HTTP/0.9 200 OK\n\n", UNSUPPORTED_VERSION, 505),
                row("response Content-Length with Transfer-Encoding", RESPONSE,
                        "HTTP/1.1 200 OK\nContent-Length: 2\nTransfer-Encoding: chunked\n\n",
                        CONTENT_LENGTH_WITH_TRANSFER_ENCODING, 400),
                row("response chunked twice", RESPONSE, "HTTP/1.1 200 OK\nTransfer-Encoding: chunked, chunked\n\n",
                        BAD_TRANSFER_ENCODING, 400),
                row("response closed inside a chunk", RESPONSE, "HTTP/1.1 200 OK\nTransfer-Encoding: chunked\n\n5\nab",
                        PREMATURE_EOF, 400),
                row("response body beyond the limit", RESPONSE, "HTTP/1.1 200 OK\n\n" + "x".repeat(11), BODY_TOO_LARGE, 413));
    }

    private static Arguments row(String name, Function<Http1Options, Http1Parser> side, String lfText,
            HttpInputException.Reason reason, int status) {
        return Arguments.of(name, side, crlf(lfText), reason, status);
    }

    /** A chunked POST head followed by {@code body} (LF line ends, as the other rows). */
    private static String chunked(String body) {
        return GET.replace("GET", "POST") + "Transfer-Encoding: chunked\n\n" + body;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformedInputs")
    void malformedInputIsRejectedWithItsReasonAndStatusHoweverItIsSplit(String name,
            Function<Http1Options, Http1Parser> side, String input, HttpInputException.Reason reason, int status) {
        assertEquals(status, reason.status(), "status of " + reason);
        for (BufferKind kind : BufferKind.values()) {
            for (int fragment = 1; fragment <= input.length(); fragment++) {
                Http1Parser parser = side.apply(SMALL);
                int size = fragment;
                HttpInputException e = assertThrows(HttpInputException.class,
                        () -> ParserDriver.run(parser, input, size, kind, false), kind + " in fragments of " + size);
                assertEquals(reason, e.reason(), kind + " in fragments of " + size + ": " + e.getMessage());
                assertEquals(status, e.status());
            }
        }
    }
}
