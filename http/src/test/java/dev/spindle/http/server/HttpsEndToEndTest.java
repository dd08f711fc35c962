package dev.spindle.http.server;

import static dev.spindle.runtime.Coroutines.all;
import static dev.spindle.runtime.Coroutines.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spindle.http.Certificates;
import dev.spindle.http.HttpRequest;
import dev.spindle.http.HttpResponse;
import dev.spindle.http.client.AsyncHttpClient;
import dev.spindle.http.client.HttpClientOptions;
import dev.spindle.runtime.IOLoop;
import dev.spindle.runtime.net.TlsOptions;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Spindle's client against Spindle's https server, each on a loop of its own (the server's on
 * its own platform thread): large bodies both ways, pooling counted by the connections the
 * server accepted, redirects from https to http and back, and a thousand fetches at once.
 */
class HttpsEndToEndTest {
    /** A generous deadline for the tests that make many handshakes on a loaded 2-core machine. */
    private static final Duration PATIENCE = Duration.ofMinutes(4);
    private static final int SLICE = 256 * 1024;

    @BeforeAll
    static void makeCertificates() {
        Certificates.make();
    }

    private static HttpServerOptions httpsOptions() {
        return HttpServerOptions.DEFAULTS.withMaxBodySize(16 << 20)
                .withTls(TlsOptions.server(Certificates.localhost().serverContext()).withHandshakeTimeout(PATIENCE));
    }

    private static HttpClientOptions trusting() {
        return HttpClientOptions.DEFAULTS.withMaxIdlePerOrigin(1_000).withConnectTimeout(PATIENCE)
                .withRequestTimeout(PATIENCE)
                .withTls(TlsOptions.client(Certificates.localhost().clientContext()).withHandshakeTimeout(PATIENCE));
    }

    /** Routes of the https server: {@code /hello}, {@code /echo} (streams the body back), {@code /to?url} (302). */
    private static void routes(HttpServer s) {
        s.get("/hello", (rq, rs) -> rs.send("hello " + rq.scheme() + " " + rq.serverName()));
        s.post("/echo", (rq, rs) -> {
            ByteBuffer body = ByteBuffer.wrap(rq.body());
            rs.header("Content-Length", Integer.toString(body.remaining()));
            while (body.hasRemaining()) {
                ByteBuffer slice = body.slice(body.position(), Math.min(SLICE, body.remaining()));
                body.position(body.position() + slice.remaining());
                rs.write(slice);
                await(rs.flush()); // At most a slice of records waits for the kernel.
            }
            rs.finish();
        });
        s.get("/to", (rq, rs) -> rs.status(302).header("Location", rq.queryParam("url")).send(""));
        s.get("/auth", (rq, rs) -> rs.send(rq.scheme() + " " + String.valueOf(rq.header("Authorization"))));
    }

    /** Runs {@code body} as a coroutine of a new client loop. */
    private static <T> T onClientLoop(Callable<T> body) {
        try (IOLoop loop = IOLoop.create()) {
            return loop.runSync(body, PATIENCE.plusMinutes(1));
        }
    }

    @Test
    void anEightMibBodyRoundTripsIntactOverTls() throws Exception {
        byte[] sent = new byte[8 << 20];
        new Random(8).nextBytes(sent);
        try (ServerFixture f = ServerFixture.start(httpsOptions(), HttpsEndToEndTest::routes)) {
            byte[] received = onClientLoop(() -> {
                AsyncHttpClient client = AsyncHttpClient.create(IOLoop.current(), trusting());
                return await(client.fetch(HttpRequest.post(f.url("/echo"), sent))).body();
            });
            assertArrayEquals(sent, received);
        }
    }

    @Test
    void keepAliveOverHttpsUsesOneAcceptedConnection() throws Exception {
        try (ServerFixture f = ServerFixture.start(httpsOptions(), HttpsEndToEndTest::routes)) {
            List<String> bodies = onClientLoop(() -> {
                AsyncHttpClient client = AsyncHttpClient.create(IOLoop.current(), trusting());
                List<String> out = new ArrayList<>();
                for (int i = 0; i < 5; i++) {
                    out.add(await(client.fetch(f.url("/hello"))).bodyText());
                }
                return out;
            });
            assertEquals(List.of("hello https localhost", "hello https localhost", "hello https localhost",
                    "hello https localhost", "hello https localhost"), bodies);
            assertTrue(f.server.toString().contains(", accepted=1,"), f.server.toString());
        }
    }

    @Test
    void redirectsLeadFromHttpsToHttpAndBackAndDropTheCredentialsAtTheSchemeChange() throws Exception {
        List<String> seenByPlain = new CopyOnWriteArrayList<>();
        try (ServerFixture https = ServerFixture.start(httpsOptions(), HttpsEndToEndTest::routes);
                ServerFixture plain = ServerFixture.start(s -> s.get("/back", (rq, rs) -> {
                    seenByPlain.add(rq.scheme() + " " + rq.header("Authorization"));
                    rs.status(302).header("Location", https.url("/auth")).send("");
                }))) {
            String start = https.url("/to?url=" + plain.url("/back"));
            HttpResponse r = onClientLoop(() -> await(AsyncHttpClient.create(IOLoop.current(), trusting())
                    .fetch(HttpRequest.builder(start).basicAuth("user", "pw").build())));
            assertEquals(200, r.code());
            assertEquals(https.url("/auth"), r.effectiveUrl());
            assertEquals("https null", r.bodyText()); // Dropped on the way to http, not restored on the way back.
            assertEquals(List.of("http null"), seenByPlain);
        }
    }

    @Test
    void aRedirectWithinTheSameHttpsOriginKeepsTheCredentials() throws Exception {
        try (ServerFixture f = ServerFixture.start(httpsOptions(), HttpsEndToEndTest::routes)) {
            String start = f.url("/to?url=/auth");
            HttpResponse r = onClientLoop(() -> await(AsyncHttpClient.create(IOLoop.current(), trusting())
                    .fetch(HttpRequest.builder(start).basicAuth("user", "pw").build())));
            assertEquals("https Basic dXNlcjpwdw==", r.bodyText());
        }
    }

    @Test
    void aThousandConcurrentHttpsFetchesFromOneLoopSucceedThenReuseTheirConnections() throws Exception {
        int n = 1_000;
        try (ServerFixture f = ServerFixture.start(httpsOptions(), HttpsEndToEndTest::routes)) {
            List<Integer> okRounds = onClientLoop(() -> {
                AsyncHttpClient client = AsyncHttpClient.create(IOLoop.current(), trusting());
                List<Integer> out = new ArrayList<>();
                for (int round = 0; round < 2; round++) {
                    List<CompletableFuture<HttpResponse>> fs = new ArrayList<>(n);
                    for (int i = 0; i < n; i++) {
                        fs.add(client.fetch(f.url("/hello")));
                    }
                    out.add((int) await(all(fs)).stream().filter(r -> r.bodyText().equals("hello https localhost")).count());
                }
                client.close();
                return out;
            });
            assertEquals(List.of(n, n), okRounds);
            // The second round ran on the first round's connections: one handshake per connection, n in all.
            assertTrue(f.server.toString().contains(", accepted=" + n + ","), f.server.toString());
        }
    }
}
