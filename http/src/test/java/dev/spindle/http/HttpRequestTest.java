package dev.spindle.http;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class HttpRequestTest {

    @Test
    void getHasDefaults() {
        HttpRequest r = HttpRequest.get("http://example.com/a?b=1");
        assertEquals("GET", r.method());
        assertEquals("http://example.com/a?b=1", r.url());
        assertEquals("example.com", r.uri().getHost());
        assertTrue(r.headers().isEmpty());
        assertFalse(r.hasBody());
        assertNull(r.body());
        assertTrue(r.connectTimeout().isEmpty() && r.requestTimeout().isEmpty());
        assertTrue(r.followRedirects() && r.decompressResponse() && r.raiseError());
        assertEquals(5, r.maxRedirects());
        assertTrue(r.streamingCallback().isEmpty() && r.headerCallback().isEmpty());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "ftp://example.com/|unsupported URL scheme \"ftp\" in \"ftp://example.com/\"; the client fetches http:// and https:// URLs only",
        "example.com/path|URL without a scheme: \"example.com/path\"; write http://host/path",
        "http:///path|URL without a host: \"http:///path\"",
        "http://example.com:0/|port out of range in \"http://example.com:0/\": 0",
        "http://exa mple.com/|malformed URL \"http://exa mple.com/\": Illegal character in authority at index 10: http://exa mple.com/",
    })
    void badUrlIsRejectedWithAMessageThatShowsIt(String url, String message) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> HttpRequest.builder(url));
        assertEquals(message, e.getMessage());
    }

    @Test
    void nonAsciiUrlIsPercentEncodedAndTheFragmentDropped() {
        HttpRequest r = HttpRequest.get("http://example.com/caf\u00e9?q=\u00fc#top");
        assertEquals("http://example.com/caf%C3%A9?q=%C3%BC", r.url());
    }

    @Test
    void negativeOrZeroTimeoutsAreRejected() {
        HttpRequest.Builder b = HttpRequest.builder("http://h/");
        assertEquals("connectTimeout must be positive: PT-1S",
                assertThrows(IllegalArgumentException.class, () -> b.connectTimeout(Duration.ofSeconds(-1))).getMessage());
        assertEquals("requestTimeout must be positive: PT0S",
                assertThrows(IllegalArgumentException.class, () -> b.requestTimeout(Duration.ZERO)).getMessage());
        assertEquals("maxRedirects < 0: -1", assertThrows(IllegalArgumentException.class, () -> b.maxRedirects(-1))
                .getMessage());
        assertThrows(NullPointerException.class, () -> b.requestTimeout(null));
    }

    @Test
    void getOrHeadWithABodyIsRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> HttpRequest.builder("http://h/").body("x").build());
        assertEquals("a GET request cannot have a body (1 bytes given): use POST or PUT, or drop the body",
                e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> HttpRequest.builder("http://h/").method("HEAD").body("x")
                .build());
    }

    @Test
    void framingHeadersAndInvalidHeadersAreRejected() {
        HttpRequest.Builder b = HttpRequest.builder("http://h/");
        assertEquals("Content-Length is set by the client from the body; do not set it",
                assertThrows(IllegalArgumentException.class, () -> b.header("Content-Length", "3")).getMessage());
        assertThrows(IllegalArgumentException.class, () -> b.header("transfer-encoding", "chunked"));
        assertThrows(IllegalArgumentException.class, () -> b.header("X-Bad", "a\r\nInjected: yes"));
        assertThrows(IllegalArgumentException.class, () -> b.header("Bad Name", "v"));
        assertEquals("invalid method: \"GE T\"", assertThrows(IllegalArgumentException.class, () -> b.method("GE T"))
                .getMessage());
    }

    @Test
    void basicAuthSetsTheAuthorizationHeader() {
        HttpRequest r = HttpRequest.builder("http://h/").basicAuth("Aladdin", "open sesame").build();
        assertEquals("Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==", r.headers().get("Authorization"));
        assertEquals("a basic-auth user name cannot contain ':': \"a:b\"",
                assertThrows(IllegalArgumentException.class, () -> HttpRequest.builder("http://h/").basicAuth("a:b", ""))
                        .getMessage());
    }

    @Test
    void credentialsInTheUrlBecomeBasicAuth() {
        HttpRequest r = HttpRequest.get("http://Aladdin:open%20sesame@h/");
        assertEquals("Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==", r.headers().get("Authorization"));
    }

    @Test
    void bodyIsCopiedInAndOut() {
        byte[] data = "abc".getBytes(StandardCharsets.UTF_8);
        HttpRequest r = HttpRequest.post("http://h/", data);
        data[0] = 'X';
        byte[] out = r.body();
        out[1] = 'Y';
        assertArrayEquals("abc".getBytes(StandardCharsets.UTF_8), r.body());
        assertEquals(3, r.bodyBuffer().remaining());
        assertTrue(r.bodyBuffer().isReadOnly());
    }

    @Test
    void toBuilderMakesAnEqualCopyToChange() {
        Consumer<byte[]> sink = b -> { };
        HttpRequest r = HttpRequest.builder("http://h/x").method("PUT").header("A", "1").body("b")
                .connectTimeout(Duration.ofSeconds(1)).requestTimeout(Duration.ofSeconds(2)).followRedirects(false)
                .maxRedirects(1).decompressResponse(false).raiseError(false).streamingCallback(sink).build();
        HttpRequest copy = r.toBuilder().header("B", "2").build();
        assertEquals("PUT", copy.method());
        assertEquals("1", copy.headers().get("A"));
        assertEquals("2", copy.headers().get("B"));
        assertNull(r.headers().get("B"));
        assertEquals(Duration.ofSeconds(2), copy.requestTimeout().orElseThrow());
        assertFalse(copy.followRedirects() || copy.decompressResponse() || copy.raiseError());
        assertEquals(sink, copy.streamingCallback().orElseThrow());
        assertArrayEquals(r.body(), copy.body());
    }

    @Test
    void headersAreReadOnly() {
        HttpRequest r = HttpRequest.builder("http://h/").header("A", "1").build();
        assertThrows(UnsupportedOperationException.class, () -> r.headers().add("B", "2"));
    }

    @Test
    void toStringShowsMethodUrlAndBodySize() {
        assertEquals("HttpRequest[POST http://h/up, 2 bytes]", HttpRequest.post("http://h/up", "hi").toString());
        assertEquals("HttpRequest[GET http://h/]", HttpRequest.get("http://h/").toString());
    }
}
