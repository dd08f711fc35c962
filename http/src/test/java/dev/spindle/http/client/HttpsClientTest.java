package dev.spindle.http.client;

import static dev.spindle.http.client.Loops.onLoop;
import static dev.spindle.runtime.Coroutines.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spindle.http.Certificates;
import dev.spindle.http.HttpInputException;
import dev.spindle.http.HttpRequest;
import dev.spindle.http.HttpResponse;
import dev.spindle.runtime.IOLoop;
import dev.spindle.runtime.TimeoutException;
import dev.spindle.runtime.net.TlsOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The client over https against the JDK's {@code com.sun.net.httpserver.HttpsServer}, whose
 * certificate a test CA signed for localhost and 127.0.0.1 ({@link Certificates}): fetching,
 * pooling, the blocking facade, a request's own TLS context, and each way verification fails.
 */
class HttpsClientTest {
    @RegisterExtension
    final JdkServer server = new JdkServer(Certificates.localhost().serverContext());

    @BeforeAll
    static void makeCertificates() {
        Certificates.make();
    }

    private static final HttpClientOptions TRUSTING = HttpClientOptions.DEFAULTS
            .withSslContext(Certificates.localhost().clientContext());

    /** A client of the current loop that trusts the test CA. */
    private static AsyncHttpClient trusting() {
        return AsyncHttpClient.create(IOLoop.current(), TRUSTING);
    }

    /** Fetches {@code request} with {@code client} and returns the handshake's failure, its port shown as PORT. */
    private static SSLHandshakeException refused(AsyncHttpClient client, HttpRequest request, int port) {
        SSLHandshakeException e = assertThrows(SSLHandshakeException.class,
                () -> await(client.fetch(request), SSLHandshakeException.class));
        assertInstanceOf(SSLException.class, e.getCause(), "the engine's own");
        return new SSLHandshakeException(e.getMessage().replace(":" + port + " ", ":PORT "));
    }

    @Test
    void fetchesFromTheJdkHttpsServerWithAPrivateCaAndSendsTheHostAsSni() {
        List<String> bodies = onLoop(() -> {
            AsyncHttpClient client = trusting();
            List<String> out = new ArrayList<>();
            HttpResponse hello = await(client.fetch(server.url("/hello")));
            assertEquals(server.url("/hello"), hello.effectiveUrl());
            out.add(hello.bodyText());
            out.add(await(client.fetch(server.url("/tls"))).bodyText());
            out.add(await(client.fetch(server.url("/chunked"))).bodyText());
            out.add(await(client.fetch(server.url("/gzip"))).bodyText().substring(0, 11));
            String echo = await(client.fetch(HttpRequest.post(server.url("/echo"), "secret"))).bodyText();
            out.add(echo.substring(0, echo.indexOf('\n')));
            out.add(echo.contains("Host: localhost:" + server.port() + "\n") ? "host ok" : echo);
            client.close();
            return out;
        });
        assertEquals(List.of("hello", "TLSv1.3 localhost", "one,two,three", "compressed ", "POST /echo", "host ok"), bodies);
    }

    @Test
    void keepAliveReusesOneTlsConnectionForGetsAndPosts() {
        List<Boolean> reused = onLoop(() -> {
            AsyncHttpClient client = trusting();
            List<Boolean> out = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                HttpRequest r = i % 2 == 0 ? HttpRequest.get(server.url("/hello")) : HttpRequest.post(server.url("/echo"), "x");
                out.add(await(client.fetch(r)).timing().reusedConnection());
            }
            client.close();
            return out;
        });
        assertEquals(List.of(false, true, true, true, true), reused);
        assertEquals(1, server.connections());
    }

    @Test
    void theBlockingClientFetchesHttps() {
        try (HttpClient client = HttpClient.create(TRUSTING)) {
            assertEquals("hello", client.fetch(server.url("/hello")).bodyText());
            assertEquals("hello", client.fetch(HttpRequest.get(server.url("/hello"))).bodyText());
        }
        assertEquals(1, server.connections());
    }

    @Test
    void theJdkDefaultTrustStoreDoesNotTrustTheTestCa() {
        SSLHandshakeException e = onLoop(() -> refused(AsyncHttpClient.create(), HttpRequest.get(server.url("/hello")),
                server.port()));
        assertEquals("TLS handshake with localhost:PORT failed: the certificate is not trusted"
                + " (unable to find valid certification path to requested target)", e.getMessage());
        assertEquals(0, server.connections());
    }

    @Test
    void aRequestsOwnSslContextIsUsedAndItsConnectionIsNotSharedWithTheClientsTrust() {
        SSLContext own = Certificates.localhost().clientContext();
        String failure = onLoop(() -> {
            AsyncHttpClient client = AsyncHttpClient.create(); // The JDK's trust store: the test CA is unknown.
            HttpRequest withOwn = HttpRequest.builder(server.url("/hello")).sslContext(own).build();
            assertEquals("hello", await(client.fetch(withOwn)).bodyText());
            assertTrue(await(client.fetch(withOwn)).timing().reusedConnection());
            // A pooled connection to the same host and port exists, but was verified with another trust.
            return refused(client, HttpRequest.get(server.url("/hello")), server.port()).getMessage();
        });
        assertTrue(failure.contains("the certificate is not trusted"), failure);
        assertEquals(1, server.connections());
    }

    @Test
    void aCertificateForAnotherHostFailsSayingSo() throws Exception {
        try (JdkServer other = new JdkServer(Certificates.other().serverContext()).started()) {
            SSLHandshakeException e = onLoop(() -> refused(AsyncHttpClient.create(IOLoop.current(), HttpClientOptions
                    .DEFAULTS.withSslContext(Certificates.other().clientContext())), HttpRequest.get(other.url("/hello")),
                    other.port()));
            assertEquals("TLS handshake with localhost:PORT failed: the certificate is not valid for this host name"
                    + " (No subject alternative DNS name matching localhost found.)", e.getMessage());
        }
    }

    @Test
    void aCertificateForTheNameButNotTheAddressFailsForTheAddress() throws Exception {
        try (JdkServer other = new JdkServer(Certificates.other().serverContext()).started()) {
            String url = "https://127.0.0.1:" + other.port() + "/hello";
            SSLHandshakeException e = onLoop(() -> refused(AsyncHttpClient.create(IOLoop.current(), HttpClientOptions
                    .DEFAULTS.withSslContext(Certificates.other().clientContext())), HttpRequest.get(url), other.port()));
            assertTrue(e.getMessage().startsWith("TLS handshake with 127.0.0.1:PORT failed: the certificate is not valid"
                    + " for this host name (No subject alternative names"), e.getMessage());
        }
    }

    @Test
    void turningVerificationOffAcceptsAnyCertificate() throws Exception {
        HttpClientOptions unsafe = HttpClientOptions.DEFAULTS.withTls(TlsOptions.client().withPeerVerification(false));
        try (JdkServer other = new JdkServer(Certificates.other().serverContext()).started()) {
            assertEquals("hello", onLoop(() -> await(AsyncHttpClient.create(IOLoop.current(), unsafe)
                    .fetch(other.url("/hello"))).bodyText()));
        }
    }

    @Test
    void anHttpsUrlOfAPlainServerThatAnswersFailsAtOnceSayingThePeerDoesNotSpeakTls() throws Exception {
        // What nginx, Spindle and most servers do with a TLS hello on a plain port: a 400 and a close.
        try (RawServer plain = new RawServer((s, n) -> {
            s.getInputStream().read(new byte[4096]);
            RawServer.write(s, "HTTP/1.1 400 Bad Request\nContent-Length: 0\nConnection: close\n\n");
        })) {
            String url = "https://127.0.0.1:" + plain.port() + "/hello";
            SSLHandshakeException e = onLoop(() -> refused(trusting(), HttpRequest.get(url), plain.port()));
            assertTrue(e.getMessage().startsWith("TLS handshake with 127.0.0.1:PORT failed: the peer does not speak TLS"),
                    e.getMessage());
        }
    }

    @Test
    void anHttpsUrlOfAPlainServerThatWaitsForMoreEndsAtTheHandshakeDeadline() throws Exception {
        // The JDK's HttpServer reads the hello as the start of a request line and waits for its end.
        try (JdkServer plain = new JdkServer().started()) {
            String url = "https://127.0.0.1:" + plain.port() + "/hello";
            HttpClientOptions options = TRUSTING.withTls(TRUSTING.tls().withHandshakeTimeout(Duration.ofMillis(300)));
            HttpTimeoutException e = onLoop(() -> assertThrows(HttpTimeoutException.class,
                    () -> await(AsyncHttpClient.create(IOLoop.current(), options).fetch(url))));
            assertEquals(HttpTimeoutException.Phase.CONNECT, e.phase());
            assertTrue(e.getMessage().endsWith("(TLS handshake with 127.0.0.1:" + plain.port() + " timed out after 300 ms)"),
                    e.getMessage());
        }
    }

    @Test
    void aPlainHttpUrlOfAnHttpsServerFailsAtOnceSayingItAnsweredInTls() {
        String url = "http://127.0.0.1:" + server.port() + "/hello";
        HttpInputException e = onLoop(() -> assertThrows(HttpInputException.class, () -> await(trusting().fetch(url))));
        assertTrue(e.getMessage().startsWith("NUL_BYTE (400): the server answered in TLS, not in HTTP: is http://127.0.0.1:"
                + server.port() + " an https port? (NUL_BYTE (400): NUL byte in line \"\\x15\\x03"), e.getMessage());
    }

    @Test
    void aHandshakeThatOutlastsItsDeadlineTimesOutWhileConnecting() throws Exception {
        try (RawServer silent = new RawServer((s, n) -> s.getInputStream().readAllBytes())) {
            String url = "https://localhost:" + silent.port() + "/";
            HttpClientOptions options = TRUSTING.withTls(TRUSTING.tls().withHandshakeTimeout(Duration.ofMillis(200)));
            HttpTimeoutException e = onLoop(() -> assertThrows(HttpTimeoutException.class,
                    () -> await(AsyncHttpClient.create(IOLoop.current(), options).fetch(url))));
            assertEquals(HttpTimeoutException.Phase.CONNECT, e.phase());
            assertEquals(Duration.ofMillis(200), e.timeout());
            assertEquals("Timeout while connecting after 200 ms: GET " + url + " (TLS handshake with localhost:"
                    + silent.port() + " timed out after 200 ms)", e.getMessage());
            assertInstanceOf(TimeoutException.class, e.getCause());
        }
    }

    @Test
    void theConnectTimeoutCoversTheHandshake() throws Exception {
        try (RawServer silent = new RawServer((s, n) -> s.getInputStream().readAllBytes())) {
            String url = "https://localhost:" + silent.port() + "/";
            HttpRequest request = HttpRequest.builder(url).connectTimeout(Duration.ofMillis(200)).build();
            HttpTimeoutException e = onLoop(() -> assertThrows(HttpTimeoutException.class,
                    () -> await(AsyncHttpClient.create(IOLoop.current(), TRUSTING).fetch(request))));
            assertEquals(HttpTimeoutException.Phase.CONNECT, e.phase());
            assertEquals("Timeout while connecting after 200 ms: GET " + url, e.getMessage());
        }
    }

    @Test
    void optionsRefuseServerTlsSettingsAndKeepTheirTlsThroughOtherWithers() {
        assertEquals(TlsOptions.client(), HttpClientOptions.DEFAULTS.tls());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> HttpClientOptions.DEFAULTS
                .withTls(TlsOptions.server(Certificates.localhost().serverContext())));
        assertTrue(e.getMessage().startsWith("tls: a client needs client settings, TlsOptions.client(...): "
                + "TlsOptions[server"), e.getMessage());
        assertThrows(NullPointerException.class, () -> HttpClientOptions.DEFAULTS.withTls(null));
        assertThrows(NullPointerException.class, () -> HttpClientOptions.DEFAULTS.withSslContext(null));
        HttpClientOptions o = TRUSTING.withMaxClients(3).withUserAgent("ua/1");
        assertEquals(TlsOptions.client(Certificates.localhost().clientContext()), o.tls());
        assertFalse(HttpClientOptions.DEFAULTS.withTls(TlsOptions.client().withPeerVerification(false))
                .withSslContext(Certificates.localhost().clientContext()).tls().verifyPeer(), "verification stays off");
    }
}
