package dev.spindle.http.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spindle.runtime.IOLoop;
import dev.spindle.runtime.net.IoStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import dev.spindle.runtime.testing.LogRecorder;

/** Wire tests: raw sockets send text-block requests and read the bytes that come back. */
@Timeout(30)
class Http1ServerConnectionTest {
    private static ServerFixture echo(HttpServerOptions options) {
        return ServerFixture.start(options, s -> s
                .get("/", (request, response) -> response.send("root"))
                .get("/a", (request, response) -> response.send("a"))
                .post("/echo", (request, response) -> response.send(request.body()))
                .post("/ignore", (request, response) -> response.send("ignored the body")));
    }

    private static ServerFixture echo() {
        return echo(HttpServerOptions.DEFAULTS);
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
    void anIdleConnectionIsClosedQuietlyAfterTheIdleTimeout() throws Exception {
        try (ServerFixture f = echo(HttpServerOptions.DEFAULTS.withIdleTimeout(Duration.ofMillis(100)));
                RawClient c = f.connect()) {
            assertEquals("root", c.send("GET / HTTP/1.1\nHost: x\n\n").read().body());
            assertEquals("", c.readToEnd()); // Closed without a word.
        }
    }

    @Test
    void aHeadThatTakesTooLongGets408() throws Exception {
        try (LogRecorder general = LogRecorder.of("spindle.general");
                ServerFixture f = echo(HttpServerOptions.DEFAULTS.withHeaderTimeout(Duration.ofMillis(100)));
                RawClient c = f.connect()) {
            RawClient.Response r = c.send("GET / HTTP/1.1\nHo").read();
            assertEquals(408, r.status());
            assertEquals("close", r.header("Connection"));
            assertTrue(c.isClosedByServer());
            general.await("Timeout reading the request head", java.time.Duration.ofSeconds(10));
        }
    }

    @Test
    void aBodyThatTakesTooLongGets408() throws Exception {
        try (LogRecorder general = LogRecorder.of("spindle.general");
                ServerFixture f = echo(HttpServerOptions.DEFAULTS.withBodyTimeout(Duration.ofMillis(100)));
                RawClient c = f.connect()) {
            RawClient.Response r = c.send("POST /echo HTTP/1.1\nHost: x\nContent-Length: 10\n\nabc").read();
            assertEquals(408, r.status());
            assertTrue(c.isClosedByServer());
            general.await("Timeout reading the request body", java.time.Duration.ofSeconds(10));
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
    void aClientThatPipelinesWithoutReadingIsNotBufferedForWithoutBoundAndTimesOut() throws Exception {
        // 200 requests for 256 KiB each, never read: far more than the kernel buffers hold. The
        // server must stop taking requests once its write buffer is full, and close the
        // connection when the client still does not read within the idle timeout.
        byte[] big = new byte[256 * 1024];
        int[] served = new int[1];
        java.util.concurrent.CompletableFuture<Integer> servedWhenClosed = new java.util.concurrent.CompletableFuture<>();
        try (ServerFixture f = ServerFixture.start(HttpServerOptions.DEFAULTS.withIdleTimeout(Duration.ofMillis(200)),
                s -> s.get("/big", (request, response) -> {
                    if (served[0]++ == 0) { // The stream's own close, not this request's connectionClosed().
                        request.connection().stream().closeFuture().thenRun(() -> servedWhenClosed.complete(served[0]));
                    }
                    response.send(big);
                }));
                RawClient c = f.connect()) {
            c.send("GET /big HTTP/1.1\nHost: x\n\n".repeat(200));
            int n = servedWhenClosed.get(20, java.util.concurrent.TimeUnit.SECONDS);
            assertTrue(n < 200, n + " requests served for a client that reads nothing");
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
