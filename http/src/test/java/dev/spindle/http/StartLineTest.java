package dev.spindle.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@link RequestStartLine} and {@link ResponseStartLine}, the two sides of {@link StartLine}. */
class StartLineTest {
    @Test
    void toStringIsTheLineAsSentOnTheWire() {
        assertEquals("GET /a?b HTTP/1.1", new RequestStartLine("GET", "/a?b", "HTTP/1.1").toString());
        assertEquals("HTTP/1.0 404 Not Found", new ResponseStartLine("HTTP/1.0", 404, "Not Found").toString());
        assertEquals("HTTP/1.1 200 ", new ResponseStartLine("HTTP/1.1", 200, "").toString());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "G T  | /     | HTTP/1.1 | invalid method: \"G T\"",
        "GET  | ''    | HTTP/1.1 | invalid request target: \"\"",
        "GET  | /a b  | HTTP/1.1 | invalid request target: \"/a b\"",
        "GET  | /caf\u00e9 | HTTP/1.1 | invalid request target: \"/caf\u00e9\"",
        "GET  | /     | HTTP/1   | invalid HTTP version: \"HTTP/1\"",
        "GET  | /     | http/1.1 | invalid HTTP version: \"http/1.1\"",
    })
    void malformedRequestLineIsRejectedShowingThePart(String method, String target, String version, String message) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new RequestStartLine(method, target, version));
        assertEquals(message, e.getMessage());
    }

    @Test
    void malformedStatusLineIsRejectedShowingThePart() {
        assertEquals("status code not in 100..999: 99", assertThrows(IllegalArgumentException.class,
                () -> new ResponseStartLine("HTTP/1.1", 99, "")).getMessage());
        assertEquals("invalid reason phrase: \"O\\x01K\"", assertThrows(IllegalArgumentException.class,
                () -> new ResponseStartLine("HTTP/1.1", 200, "O\u0001K")).getMessage());
        assertThrows(IllegalArgumentException.class, () -> new ResponseStartLine("HTTP/1.1x", 200, "OK"));
        assertThrows(NullPointerException.class, () -> new ResponseStartLine("HTTP/1.1", 200, null));
    }
}
