package dev.spindle.http.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spindle.http.HttpRequest;
import java.net.URI;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RedirectsTest {
    private static final OutgoingRequest POST = OutgoingRequest.of(HttpRequest.builder("http://a.example/form").method("POST").body("x=1")
            .header("Content-Type", "application/x-www-form-urlencoded").header("Authorization", "Basic eA==")
            .header("Host", "a.example").build());

    @ParameterizedTest
    @CsvSource({"301, GET", "302, GET", "303, GET", "307, POST", "308, POST"})
    void postChangesToGetExceptFor307And308(int code, String method) {
        OutgoingRequest next = Redirects.next(POST, code, URI.create("http://a.example/done"));
        assertEquals(method, next.method());
        assertEquals(method.equals("POST"), next.body() != null);
        assertEquals(method.equals("POST"), next.headers().contains("Content-Type"));
        assertFalse(next.headers().contains("Host"));
        assertEquals("Basic eA==", next.headers().get("Authorization"));
    }

    @Test
    void putKeepsItsMethodOn302ButNotOn303() {
        OutgoingRequest put = OutgoingRequest.of(HttpRequest.put("http://a/x", new byte[] {1}));
        assertEquals("PUT", Redirects.next(put, 302, URI.create("http://a/y")).method());
        assertEquals("GET", Redirects.next(put, 303, URI.create("http://a/y")).method());
        OutgoingRequest head = OutgoingRequest.of(HttpRequest.head("http://a/x"));
        assertEquals("HEAD", Redirects.next(head, 303, URI.create("http://a/y")).method());
    }

    @Test
    void credentialsAreDroppedWhenTheOriginChanges() {
        OutgoingRequest next = Redirects.next(POST, 307, URI.create("http://b.example/"));
        assertNull(next.headers().get("Authorization"));
        assertEquals("http://b.example:80", next.origin().toString());
    }

    @Test
    void credentialsAreDroppedWhenTheSchemeChangesEvenOnTheSameHostAndPort() {
        OutgoingRequest https = OutgoingRequest.of(HttpRequest.builder("https://a.example:8080/x")
                .header("Authorization", "Basic eA==").header("Cookie", "c=1").build());
        OutgoingRequest down = Redirects.next(https, 302, URI.create("http://a.example:8080/y"));
        assertNull(down.headers().get("Authorization"));
        assertNull(down.headers().get("Cookie"));
        assertEquals("http://a.example:8080", down.origin().toString());
        OutgoingRequest same = Redirects.next(https, 302, URI.create("https://A.example:8080/z"));
        assertEquals("Basic eA==", same.headers().get("Authorization"));
    }

    @Test
    void theDefaultPortOfHttpsIs443AndARequestsOwnTlsContextGoesAlongRedirects() throws Exception {
        javax.net.ssl.SSLContext own = javax.net.ssl.SSLContext.getInstance("TLS");
        OutgoingRequest r = OutgoingRequest.of(HttpRequest.builder("https://a.example/x").sslContext(own)
                .header("Authorization", "Basic eA==").build());
        assertEquals(443, r.port());
        assertEquals(new Origin("https", "a.example", 443, own), r.origin());
        OutgoingRequest explicit = Redirects.next(r, 302, URI.create("https://a.example:443/y"));
        assertEquals(r.origin(), explicit.origin());
        assertEquals("Basic eA==", explicit.headers().get("Authorization"));
        OutgoingRequest plain = Redirects.next(r, 302, URI.create("http://a.example/y"));
        assertEquals(new Origin("http", "a.example", 80, null), plain.origin());
        assertSame(own, Redirects.next(plain, 302, URI.create("https://a.example/z")).origin().sslContext());
    }

    @Test
    void locationIsResolvedAgainstTheCurrentUrl() {
        assertEquals("http://a/b/c", Redirects.resolve(URI.create("http://a/b/x"), "c").toString());
        assertEquals("http://a/c", Redirects.resolve(URI.create("http://a"), "c").toString());
        assertEquals("http://z:8/q?r", Redirects.resolve(URI.create("http://a/b"), " http://z:8/q?r#frag ").toString());
        assertThrows(IllegalArgumentException.class, () -> Redirects.resolve(URI.create("http://a/"), "http://a b/"));
        assertTrue(Redirects.isHttp(URI.create("HTTP://a/")));
        assertTrue(Redirects.isHttp(URI.create("https://a/")));
        assertFalse(Redirects.isHttp(URI.create("ftp://a/")));
        assertFalse(Redirects.isHttp(URI.create("mailto:a@b")));
    }
}
