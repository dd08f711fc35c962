package dev.spindle.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class HttpResponseTest {
    private static final HttpRequest REQUEST = HttpRequest.get("http://h/x");

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "text/plain; charset=ISO-8859-1|ISO-8859-1",
        "text/html;Charset=\"windows-1252\"|windows-1252",
        "application/json|UTF-8",
        "text/plain; charset=no-such-charset|UTF-8",
    })
    void charsetComesFromContentTypeElseUtf8(String contentType, String charset) {
        HttpResponse r = HttpResponse.builder(REQUEST, 200).headers(HttpHeaders.of("Content-Type", contentType)).build();
        assertEquals(charset, r.charset().name());
    }

    @Test
    void bodyTextDecodesWithTheCharset() {
        byte[] latin1 = "caf\u00e9".getBytes(StandardCharsets.ISO_8859_1);
        HttpResponse r = HttpResponse.builder(REQUEST, 200)
                .headers(HttpHeaders.of("Content-Type", "text/plain; charset=iso-8859-1")).body(latin1).build();
        assertEquals("caf\u00e9", r.bodyText());
        HttpResponse noType = HttpResponse.builder(REQUEST, 200).body("caf\u00e9".getBytes(StandardCharsets.UTF_8)).build();
        assertEquals("caf\u00e9", noType.bodyText());
    }

    @Test
    void bodyIsCopiedOut() {
        HttpResponse r = HttpResponse.builder(REQUEST, 200).body(new byte[] {1, 2}).build();
        r.body()[0] = 9;
        assertEquals(1, r.body()[0]);
        assertEquals(2, r.bodyLength());
    }

    @Test
    void defaultsComeFromTheRequestAndTheCode() {
        HttpResponse r = HttpResponse.builder(REQUEST, 404).build();
        assertEquals("Not Found", r.reason());
        assertEquals("http://h/x", r.effectiveUrl());
        assertEquals(Duration.ZERO, r.requestTime());
        assertEquals(0, r.bodyLength());
        assertThrows(IllegalArgumentException.class, () -> HttpResponse.builder(REQUEST, 99));
        assertThrows(IllegalArgumentException.class,
                () -> new HttpResponse.Timing(Duration.ofMillis(-1), Duration.ZERO, Duration.ZERO, Duration.ZERO, false));
    }

    @Test
    void toStringShowsStatusUrlSizeTimeAndReuse() {
        HttpResponse r = HttpResponse.builder(REQUEST, 200).body(new byte[12]).effectiveUrl("http://h/y")
                .timing(new HttpResponse.Timing(Duration.ZERO, Duration.ZERO, Duration.ofMillis(2), Duration.ofMillis(3),
                        true)).build();
        assertEquals("HttpResponse[200 OK, GET http://h/y, 12 bytes, 3 ms, reused connection]", r.toString());
    }
}
