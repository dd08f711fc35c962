package dev.spindle.http.server;

import static dev.spindle.runtime.Coroutines.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spindle.runtime.IOLoop;
import dev.spindle.runtime.net.IoStream;
import dev.spindle.runtime.testing.LogRecorder;
import dev.spindle.runtime.testing.LoopTest;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Wire tests: raw sockets send text-block requests and read the bytes that come back. The
 * timeout cases run the server and the raw client on one loop with a virtual clock: every
 * timeout fires at its exact virtual time, with no real wait and whatever the machine's load.
 */
@Timeout(30)
class Http1ServerConnectionTest {
    private static final Consumer<HttpServer> ECHO_ROUTES = s -> s
            .get("/", (request, response) -> response.send("root"))
            .get("/a", (request, response) -> response.send("a"))
            .post("/echo", (request, response) -> response.send(request.body()))
            .post("/ignore", (request, response) -> response.send("ignored the body"));

    private static ServerFixture echo(HttpServerOptions options) {
        return ServerFixture.start(options, ECHO_ROUTES);
    }

    /** The echo server on the current loop, listening on 127.0.0.1; stop it with {@link #stopNow}. */
    private static HttpServer echoOnLoop(HttpServerOptions options) {
        HttpServer server = HttpServer.create(IOLoop.current(), options);
        ECHO_ROUTES.accept(server);
        return server.listen(0, InetAddress.getLoopbackAddress());
    }

    /** Closes the server's connections and waits until their coroutines have ended. */
    private static void stopNow(HttpServer server) {
        await(server.stop(Duration.ZERO));
    }

    /** Virtual time on {@code loop} since {@code since}, a {@code loop.time()}. */
    private static Duration since(IOLoop loop, long since) {
        return Duration.ofNanos(loop.time() - since);
    }

    private static ServerFixture echo() {
        return echo(HttpServerOptions.DEFAULTS);
    }

    /** The connection coroutines of the fixture's loop, by the name they all share there. */
    private static long connectionCoroutines(ServerFixture f) {
        return f.onLoop(() -> f.loop.listCoroutines().stream().filter(c -> c.name().equals(f.loop.name() + "-http"))
                .count());
    }

    /*
     * Between requests a keep-alive connection has no coroutine: the one that answered left a read
     * pending and ended. The next request starts another, on the same connection.
     */
    @Test
    void anIdleKeepAliveConnectionKeepsNoCoroutineAndItsNextRequestStartsOne() throws Exception {
        try (ServerFixture f = ServerFixture.start(s -> s
                .get("/", (request, response) -> response.send("root"))
                .get("/count", (request, response) -> response.send(Long.toString(IOLoop.current().listCoroutines()
                        .stream().filter(c -> c.name().endsWith("-http")).count()))));
                RawClient c = f.connect()) {
            for (int i = 0; i < 3; i++) {
                assertEquals("root", c.send("GET / HTTP/1.1\nHost: x\n\n").read().body());
                assertEquals(0, connectionCoroutines(f), "idle after request " + i);
            }
            assertEquals("1", c.send("GET /count HTTP/1.1\nHost: x\n\n").read().body(), "the one serving it");
            assertEquals(0, connectionCoroutines(f));
        }
    }

    @Test
    void closingTheLoopClosesTheConnectionsThatIdleWithoutCoroutine() throws Exception {
        IOLoop loop = IOLoop.create();
        HttpServer server = HttpServer.create(loop).get("/", (request, response) -> response.send("root"))
                .listen(0, InetAddress.getLoopbackAddress());
        Thread t = Thread.ofPlatform().name("idle-close-loop").start(loop::start);
        try (RawClient c = RawClient.connect(server.port())) {
            assertEquals("root", c.send("GET / HTTP/1.1\nHost: x\n\n").read().body());
            loop.close(); // The server itself is left open: the loop must let go of the connection.
            t.join(Duration.ofSeconds(10));
            assertTrue(c.isClosedByServer());
        }
    }

    @Test
    void pipelinedRequestsAreAnsweredInOrder() throws Exception {
        try (ServerFixture f = echo(); RawClient c = f.connect()) {
            c.send("""
                    GET /a HTTP/1.1
                    Host: x

                    POST /echo HTTP/1.1
                    Host: x
                    Content-Length: 5

                    helloGET / HTTP/1.1
                    Host: x

                    """);
            assertEquals("a", c.read().body());
            assertEquals("hello", c.read().body());
            assertEquals("root", c.read().body());
        }
    }

    @Test
    void aClientSendingOneByteAtATimeIsServed() throws Exception {
        try (ServerFixture f = echo(); RawClient c = f.connect()) {
            c.sendSlowly("""
                    POST /echo HTTP/1.1
                    Host: x
                    Transfer-Encoding: chunked

                    3
                    abc
                    2
                    de
                    0

                    """);
            assertEquals("abcde", c.read().body());
        }
    }

    @Test
    void aClientThatHalfClosesAfterItsRequestStillGetsTheResponse() throws Exception {
        try (ServerFixture f = echo(); RawClient c = f.connect()) {
            c.send("""
                    POST /echo HTTP/1.1
                    Host: x
                    Content-Length: 3

                    bye""");
            c.shutdownOutput();
            assertEquals("bye", c.read().body());
            assertTrue(c.isClosedByServer());
        }
    }

    static Stream<Arguments> malformedRequests() {
        return Stream.of(
                Arguments.of("no Host", "GET / HTTP/1.1\n\n", 400),
                Arguments.of("two Hosts", "GET / HTTP/1.1\nHost: a\nHost: b\n\n", 400),
                Arguments.of("whitespace before colon", "GET / HTTP/1.1\nHost : x\n\n", 400),
                Arguments.of("field without colon", "GET / HTTP/1.1\nHost: x\nnonsense\n\n", 400),
                Arguments.of("garbage start line", "HELLO\n\n", 400),
                Arguments.of("length and chunked", "POST /echo HTTP/1.1\nHost: x\nContent-Length: 3\n"
                        + "Transfer-Encoding: chunked\n\n", 400),
                Arguments.of("bad chunk size", "POST /echo HTTP/1.1\nHost: x\nTransfer-Encoding: chunked\n\nzz\n", 400),
                Arguments.of("unknown transfer coding", "POST /echo HTTP/1.1\nHost: x\nTransfer-Encoding: gzip\n\n", 501),
                Arguments.of("HTTP/2.0", "GET / HTTP/2.0\nHost: x\n\n", 505),
                Arguments.of("long request line", "GET /" + "a".repeat(9000) + " HTTP/1.1\nHost: x\n\n", 414),
                Arguments.of("large header block", "GET / HTTP/1.1\nHost: x\nBig: " + "b".repeat(70_000) + "\n\n", 431),
                Arguments.of("declared body too large", "POST /echo HTTP/1.1\nHost: x\nContent-Length: 20000000\n\n", 413),
                Arguments.of("chunked body too large", "POST /echo HTTP/1.1\nHost: x\nTransfer-Encoding: chunked\n\n"
                        + "b00000\n", 413)); // 11 MiB, above the default limit of 10 MiB
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformedRequests")
    void aMalformedRequestGetsItsStatusAndAClosedConnectionAndTheServerGoesOn(String name, String request, int status)
            throws Exception {
        try (LogRecorder general = LogRecorder.of("spindle.general"); ServerFixture f = echo()) {
            try (RawClient c = f.connect()) {
                RawClient.Response r = c.send(request).read();
                assertEquals(status, r.status(), r.toString());
                assertEquals("close", r.header("Connection"));
                c.shutdownOutput(); // As a client does after "Connection: close"; the server stops lingering.
                assertTrue(c.isClosedByServer());
            }
            LogRecord logged = general.await("Malformed HTTP message", java.time.Duration.ofSeconds(10));
            assertEquals(Level.INFO, logged.getLevel());
            try (RawClient next = f.connect()) {
                assertEquals("root", next.send("GET / HTTP/1.1\nHost: x\n\n").read().body());
            }
        }
    }

    @Test
    void expectContinueGets100WhenTheHandlerReadsTheBody() throws Exception {
        try (ServerFixture f = echo(); RawClient c = f.connect()) {
            c.send("""
                    POST /echo HTTP/1.1
                    Host: x
                    Content-Length: 4
                    Expect: 100-continue

                    """);
            assertEquals(100, c.read().status());
            RawClient.Response r = c.sendRaw("body").read();
            assertEquals(200, r.status());
            assertEquals("body", r.body());
            assertNull(r.header("Connection"));
        }
    }

    @Test
    void expectContinueToAHandlerThatIgnoresTheBodyGetsTheAnswerAndAClose() throws Exception {
        try (ServerFixture f = echo(); RawClient c = f.connect()) {
            RawClient.Response r = c.send("""
                    POST /ignore HTTP/1.1
                    Host: x
                    Content-Length: 4
                    Expect: 100-continue

                    """).read();
            assertEquals(200, r.status()); // Not 100: the client never has to send the body.
            assertEquals("close", r.header("Connection"));
            assertTrue(c.isClosedByServer());
        }
    }

    @Test
    @LoopTest(virtualTime = true)
    void anIdleConnectionIsClosedQuietlyAfterTheIdleTimeout(IOLoop loop) {
        HttpServer server = echoOnLoop(HttpServerOptions.DEFAULTS.withIdleTimeout(Duration.ofMinutes(5)));
        try (RawClient c = RawClient.connectOnLoop(server.port())) {
            assertEquals("root", c.send("GET / HTTP/1.1\nHost: x\n\n").read().body());
            long answered = loop.time();
            assertEquals("", c.readToEnd()); // Closed without a word.
            assertEquals(Duration.ofMinutes(5), since(loop, answered), "closed at the idle timeout after the answer");
        } finally {
            stopNow(server);
        }
    }

    /** A request that stops half-way through its head or its body, the server's timeout for that part, and its log. */
    record SlowPart(String part, String request, HttpServerOptions options, Duration timeout, String logged) {
        @Override
        public String toString() {
            return part;
        }
    }

    static Stream<SlowPart> slowParts() {
        return Stream.of(
                new SlowPart("head", "GET / HTTP/1.1\nHo", HttpServerOptions.DEFAULTS.withHeaderTimeout(Duration.ofSeconds(30)),
                        Duration.ofSeconds(30), "Timeout reading the request head"),
                new SlowPart("body", "POST /echo HTTP/1.1\nHost: x\nContent-Length: 10\n\nabc",
                        HttpServerOptions.DEFAULTS.withBodyTimeout(Duration.ofMinutes(1)), Duration.ofMinutes(1),
                        "Timeout reading the request body"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("slowParts")
    @LoopTest(virtualTime = true)
    void aHeadOrBodyThatTakesTooLongGets408AtItsTimeout(SlowPart part, IOLoop loop) {
        try (LogRecorder general = LogRecorder.of("spindle.general")) {
            HttpServer server = echoOnLoop(part.options);
            try (RawClient c = RawClient.connectOnLoop(server.port())) {
                long sent = loop.time();
                RawClient.Response r = c.send(part.request).read();
                assertEquals(part.timeout, since(loop, sent), "answered at the timeout");
                assertEquals(408, r.status());
                assertEquals("close", r.header("Connection"));
                assertTrue(c.isClosedByServer());
                general.await(part.logged, Duration.ofSeconds(10));
            } finally {
                stopNow(server);
            }
        }
    }

    @Test
    void http10GetsKeepAliveOnlyWhenItAsks() throws Exception {
        try (ServerFixture f = echo()) {
            try (RawClient c = f.connect()) {
                RawClient.Response r = c.send("GET / HTTP/1.0\n\n").read();
                assertEquals("root", r.body());
                assertEquals("close", r.header("Connection"));
                assertTrue(c.isClosedByServer());
            }
            try (RawClient c = f.connect()) {
                RawClient.Response r = c.send("GET / HTTP/1.0\nConnection: keep-alive\n\n").read();
                assertEquals("keep-alive", r.header("Connection"));
                assertEquals("a", c.send("GET /a HTTP/1.0\nConnection: keep-alive\n\n").read().body());
            }
        }
    }

    @Test
    void connectionCloseFromTheClientIsHonoured() throws Exception {
        try (ServerFixture f = echo(); RawClient c = f.connect()) {
            RawClient.Response r = c.send("GET / HTTP/1.1\nHost: x\nConnection: close\n\n").read();
            assertEquals("root", r.body());
            assertEquals("close", r.header("Connection"));
            assertTrue(c.isClosedByServer());
        }
    }

    @Test
    void headGetsTheHeadOfGetAndNoBody() throws Exception {
        try (ServerFixture f = echo(); RawClient c = f.connect()) {
            RawClient.Response head = c.send("HEAD / HTTP/1.1\nHost: x\n\n").read(true);
            assertEquals(200, head.status());
            assertEquals("4", head.header("Content-Length"));
            // Had a body been sent, this response would be read from its bytes.
            assertEquals("a", c.send("GET /a HTTP/1.1\nHost: x\n\n").read().body());
        }
    }

    @Test
    @LoopTest(virtualTime = true, timeout = 20)
    void aClientThatPipelinesWithoutReadingIsNotBufferedForWithoutBoundAndTimesOut(IOLoop loop) {
        // 200 requests for 256 KiB each, never read: far more than the kernel buffers hold. The
        // server must stop taking requests once its write buffer is full, and close the
        // connection when the client still does not read within the idle timeout.
        byte[] big = new byte[256 * 1024];
        int[] served = new int[1];
        long[] lastServedAt = new long[1];
        CompletableFuture<Integer> servedWhenClosed = new CompletableFuture<>();
        HttpServer server = HttpServer.create(loop, HttpServerOptions.DEFAULTS.withIdleTimeout(Duration.ofMinutes(2)))
                .get("/big", (request, response) -> {
                    if (served[0]++ == 0) { // The stream's own close, not this request's connectionClosed().
                        request.connection().stream().closeFuture().thenRun(() -> servedWhenClosed.complete(served[0]));
                    }
                    lastServedAt[0] = loop.time();
                    response.send(big);
                })
                .listen(0, InetAddress.getLoopbackAddress());
        try (RawClient c = RawClient.connectOnLoop(server.port())) {
            c.send("GET /big HTTP/1.1\nHost: x\n\n".repeat(200));
            int n = await(servedWhenClosed);
            assertTrue(n < 200, n + " requests served for a client that reads nothing");
            assertEquals(Duration.ofMinutes(2), since(loop, lastServedAt[0]), "closed at the idle timeout after the last");
        } finally {
            stopNow(server);
        }
    }

    @Test
    void toStringShowsTheAddressPhaseAndRequestCount() throws Exception {
        try (IOLoop loop = IOLoop.create();
                ServerSocketChannel listener = ServerSocketChannel.open()
                        .bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
                SocketChannel client = SocketChannel.open(listener.getLocalAddress());
                SocketChannel accepted = listener.accept()) {
            IoStream stream = IoStream.create(loop, accepted);
            Http1ServerConnection c = new Http1ServerConnection(HttpServer.create(loop).part(loop), stream);
            assertEquals("Http1ServerConnection[" + client.getLocalAddress() + ", IDLE, requests=0]", c.toString());
            c.stopGracefully();
            assertEquals("Http1ServerConnection[" + client.getLocalAddress() + ", IDLE, requests=0, stopping]",
                    c.toString());
            assertTrue(stream.isClosed());
        }
    }
}
