package dev.spindle.http.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.spindle.http.Certificates;
import dev.spindle.runtime.IOLoop;
import dev.spindle.runtime.LoopGroup;
import dev.spindle.runtime.net.TlsOptions;
import dev.spindle.runtime.testing.ExpectLog;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Spindle's https server against real TLS clients: the JDK's {@code java.net.http.HttpClient},
 * {@code curl --cacert}, and raw JDK sockets that speak plain HTTP, garbage or nothing at all to
 * the TLS port. Certificates are made at test time ({@link Certificates}).
 */
class HttpsServerTest {
    private static final System.Logger.Level INFO = System.Logger.Level.INFO;

    @BeforeAll
    static void makeCertificates() {
        Certificates.make();
    }

    private static HttpServerOptions httpsOptions() {
        return HttpServerOptions.DEFAULTS.withSslContext(Certificates.localhost().serverContext());
    }

    private static SSLContext trusting() {
        return Certificates.localhost().clientContext();
    }

    /** Routes {@code /who}, which answers what the handler knows of the connection, and {@code /echo}. */
    private static void routes(HttpServer s) {
        s.get("/who", (rq, rs) -> rs.send(rq.scheme() + " " + rq.isSecure() + " " + rq.serverName() + " "
                + (rq.tlsSession() == null ? "no-session" : rq.tlsSession().getProtocol())));
        s.post("/echo", (rq, rs) -> rs.send(rq.body()));
    }

    private static ServerFixture https(Consumer<HttpServer> routes) {
        return ServerFixture.start(httpsOptions(), routes);
    }

    private static java.net.http.HttpResponse<String> jdkGet(java.net.http.HttpClient jdk, String url) throws Exception {
        return jdk.send(java.net.http.HttpRequest.newBuilder(URI.create(url)).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void theJdkHttpClientFetchesOverHttp11ChosenByAlpnEvenWhenItOffersHttp2First() throws Exception {
        try (ServerFixture f = https(HttpsServerTest::routes);
                java.net.http.HttpClient jdk = java.net.http.HttpClient.newBuilder().sslContext(trusting())
                        .version(java.net.http.HttpClient.Version.HTTP_2).build()) {
            java.net.http.HttpResponse<String> r = jdkGet(jdk, f.url("/who"));
            assertEquals(200, r.statusCode());
            assertEquals(java.net.http.HttpClient.Version.HTTP_1_1, r.version());
            assertEquals("https true localhost TLSv1.3", r.body());
            String body = "x".repeat(100_000);
            java.net.http.HttpResponse<String> echoed = jdk.send(java.net.http.HttpRequest.newBuilder(URI.create(f.url("/echo")))
                    .POST(java.net.http.HttpRequest.BodyPublishers.ofString(body)).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            assertEquals(body, echoed.body());
        }
    }

    @Test
    void curlWithTheTestCaFetchesOverHttpsAndSendsTheHostNameAsSni() throws Exception {
        assumeTrue(curlVersion(), "curl is not installed");
        try (ServerFixture f = https(HttpsServerTest::routes)) {
            assertEquals("https true localhost TLSv1.3\n1.1", curl("--cacert",
                    Certificates.localhost().caCertificatePem().toString(), "-w", "\\n%{http_version}", f.url("/who")));
            assertEquals("hello", curl("--cacert", Certificates.localhost().caCertificatePem().toString(),
                    "--data-binary", "hello", f.url("/echo")));
        }
    }

    @Test
    void curlWithoutTheCaRejectsTheCertificate() throws Exception {
        assumeTrue(curlVersion(), "curl is not installed");
        try (ServerFixture f = https(HttpsServerTest::routes);
                var log = ExpectLog.of("spindle.general", "TLS handshake with", INFO)) {
            Process p = new ProcessBuilder("curl", "-sS", f.url("/who")).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(p.waitFor(30, TimeUnit.SECONDS));
            assertEquals(60, p.exitValue(), out); // CURLE_PEER_FAILED_VERIFICATION
            log.await(Duration.ofSeconds(10)); // The server hears curl's alert, and logs it.
        }
    }

    @Test
    void aPlainHttpClientOnTheHttpsPortIsClosedAndLoggedAndTheServerGoesOn() throws Exception {
        try (ServerFixture f = https(HttpsServerTest::routes)) {
            try (var log = ExpectLog.of("spindle.general", "the peer does not speak TLS", INFO);
                    RawClient plain = f.connect()) {
                String answer = plain.send("GET /who HTTP/1.1\nHost: localhost\n\n").readToEnd();
                assertFalse(answer.startsWith("HTTP/"), answer); // At most a TLS alert, then the close.
                assertTrue(log.await(Duration.ofSeconds(10)).getMessage().startsWith("TLS handshake with /127.0.0.1:"));
            }
            assertServes(f);
        }
    }

    @Test
    void garbageInsteadOfAHandshakeIsClosedAndLoggedAndTheServerGoesOn() throws Exception {
        try (ServerFixture f = https(HttpsServerTest::routes)) {
            try (var log = ExpectLog.of("spindle.general", "TLS handshake with /127.0.0.1:", INFO);
                    RawClient garbage = f.connect()) {
                byte[] bytes = new byte[512];
                new java.util.Random(17).nextBytes(bytes);
                bytes[0] = 0x16; // A handshake record, so the engine reads on before it gives up.
                bytes[1] = 0x03;
                bytes[2] = 0x03;
                garbage.sendBytes(bytes).readToEnd();
                log.await(Duration.ofSeconds(10));
            }
            assertServes(f);
        }
    }

    @Test
    void aTlsClientThatSendsGarbageHttpGets400AndIsLoggedAndTheServerGoesOn() throws Exception {
        try (ServerFixture f = https(HttpsServerTest::routes)) {
            try (var log = ExpectLog.of("spindle.general", "Malformed HTTP message", INFO);
                    RawClient c = RawClient.connectTls(f.port(), trusting())) {
                RawClient.Response r = c.sendRaw("\u0001\u0002 not http at all\r\n\r\n").read();
                assertEquals(400, r.status());
                assertEquals("close", r.header("Connection"));
                assertTrue(c.isClosedByServer());
                log.await(Duration.ofSeconds(10));
            }
            assertServes(f);
        }
    }

    @Test
    void aClientThatSaysNothingIsClosedAtTheHandshakeDeadline() throws Exception {
        HttpServerOptions options = HttpServerOptions.DEFAULTS.withTls(TlsOptions.server(Certificates.localhost()
                .serverContext()).withHandshakeTimeout(Duration.ofMillis(200)));
        try (ServerFixture f = ServerFixture.start(options, HttpsServerTest::routes)) {
            try (var log = ExpectLog.of("spindle.general", "timed out after 200 ms", INFO); RawClient silent = f.connect()) {
                silent.readToEnd(); // At most an alert, then the close; a read that hangs times out and fails.
                log.await(Duration.ofSeconds(10));
            }
            assertServes(f);
        }
    }

    @Test
    void keepAliveRequestsShareOneTlsConnection() throws Exception {
        try (ServerFixture f = https(HttpsServerTest::routes); RawClient c = RawClient.connectTls(f.port(), trusting())) {
            for (int i = 0; i < 3; i++) {
                assertEquals("https true localhost TLSv1.3", c.send("GET /who HTTP/1.1\nHost: localhost\n\n").read().body());
            }
            assertTrue(f.server.toString().contains(", https, open, connections=1, accepted=1"), f.server.toString());
        }
    }

    @Test
    void anHttpsServerOnALoopGroupServesEachTlsConnectionOnOneOfItsLoops() throws Exception {
        try (LoopGroup group = LoopGroup.create(2)) {
            HttpServer server = HttpServer.create(group, httpsOptions())
                    .get("/where", (rq, rs) -> rs.send(rq.scheme() + " " + IOLoop.current().name()))
                    .listen(0, InetAddress.getLoopbackAddress());
            group.start();
            Set<String> used = new HashSet<>();
            for (int c = 0; c < 4; c++) {
                try (RawClient client = RawClient.connectTls(server.port(), trusting())) {
                    String first = client.send("GET /where HTTP/1.1\nHost: localhost\n\n").read().body();
                    assertEquals(first, client.send("GET /where HTTP/1.1\nHost: localhost\n\n").read().body());
                    used.add(first);
                }
            }
            assertEquals(Set.of("https " + group.loops().get(0).name(), "https " + group.loops().get(1).name()), used);
            assertTrue(server.toString().contains(", https, open, 2 loops, "), server.toString());
        }
    }

    @Test
    void aPlainServerSaysHttpAndHasNoSessionNorServerName() throws Exception {
        try (ServerFixture f = ServerFixture.start(HttpsServerTest::routes); RawClient c = f.connect()) {
            assertEquals("http false null no-session", c.send("GET /who HTTP/1.1\nHost: localhost\n\n").read().body());
            assertFalse(f.server.toString().contains("https"));
        }
    }

    @Test
    void optionsRefuseClientTlsSettingsAndSayWhatTheyServe() throws Exception {
        assertEquals(null, HttpServerOptions.DEFAULTS.tls());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> HttpServerOptions.DEFAULTS.withTls(TlsOptions.client()));
        assertTrue(e.getMessage().startsWith("tls: a server needs server settings, TlsOptions.server(sslContext): "
                + "TlsOptions[client"), e.getMessage());
        assertThrows(NullPointerException.class, () -> HttpServerOptions.DEFAULTS.withSslContext(null));
        HttpServerOptions https = httpsOptions();
        assertEquals(TlsOptions.server(Certificates.localhost().serverContext()), https.tls());
        assertEquals(HttpServerOptions.DEFAULTS, https.withTls(null));
        assertTrue(https.toString().endsWith(", tls=TlsOptions[server, TLS context, handshake timeout 10000 ms]]"),
                https.toString());
    }

    /** The server still answers a TLS client. */
    private static void assertServes(ServerFixture f) {
        try (RawClient c = RawClient.connectTls(f.port(), trusting())) {
            assertEquals("https true localhost TLSv1.3", c.send("GET /who HTTP/1.1\nHost: localhost\n\n").read().body());
        }
    }

    private static boolean curlVersion() {
        try {
            return new ProcessBuilder("curl", "--version").start().waitFor() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    private static String curl(String... args) throws Exception {
        List<String> cmd = new java.util.ArrayList<>(List.of("curl", "-sS", "--max-time", "60"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(90, TimeUnit.SECONDS), "curl ended");
        assertEquals(0, p.exitValue(), out);
        return out;
    }
}
