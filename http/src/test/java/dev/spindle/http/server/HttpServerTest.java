package dev.spindle.http.server;

import static dev.spindle.runtime.Coroutines.await;
import static dev.spindle.runtime.Coroutines.sleep;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.spindle.runtime.IOLoop;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import dev.spindle.runtime.testing.LogRecorder;
import dev.spindle.runtime.testing.LoopTest;

@Timeout(60)
class HttpServerTest {
    private static final HttpClient JDK_CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private static ServerFixture hello() {
        return ServerFixture.start(s -> s
                .get("/", (request, response) -> response.send("Hello, world"))
                .post("/echo", (request, response) -> response.send(request.body())));
    }

    @Test
    void jdkHttpClientGetsHelloWorldWithDateAndServerHeaders() throws Exception {
        try (ServerFixture f = hello()) {
            HttpResponse<String> r = JDK_CLIENT.send(HttpRequest.newBuilder(f.uri("/")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, r.statusCode());
            assertEquals("Hello, world", r.body());
            assertEquals("12", r.headers().firstValue("Content-Length").orElseThrow());
            assertEquals("text/plain; charset=utf-8", r.headers().firstValue("Content-Type").orElseThrow());
            assertEquals("Spindle", r.headers().firstValue("Server").orElseThrow());
            assertTrue(r.headers().firstValue("Date").orElseThrow().endsWith(" GMT"));
        }
    }

    @Test
    void jdkHttpClientPostsABodyAndGetsItEchoed() throws Exception {
        try (ServerFixture f = hello()) {
            String body = "x".repeat(100_000);
            HttpResponse<String> r = JDK_CLIENT.send(HttpRequest.newBuilder(f.uri("/echo"))
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, r.statusCode());
            assertEquals(body, r.body());
        }
    }

    @Test
    void httpUrlConnectionGetsHelloWorldAndPostsToEcho() throws Exception {
        try (ServerFixture f = hello()) {
            HttpURLConnection get = (HttpURLConnection) f.uri("/").toURL().openConnection();
            assertEquals(200, get.getResponseCode());
            try (var in = get.getInputStream()) {
                assertEquals("Hello, world", new String(in.readAllBytes(), StandardCharsets.UTF_8));
            }
            HttpURLConnection post = (HttpURLConnection) f.uri("/echo").toURL().openConnection();
            post.setDoOutput(true);
            post.setChunkedStreamingMode(7); // A chunked request body.
            try (var out = post.getOutputStream()) {
                out.write("streamed in chunks of seven".getBytes(StandardCharsets.UTF_8));
            }
            try (var in = post.getInputStream()) {
                assertEquals("streamed in chunks of seven", new String(in.readAllBytes(), StandardCharsets.UTF_8));
            }
            assertEquals(404, ((HttpURLConnection) f.uri("/missing").toURL().openConnection()).getResponseCode());
        }
    }

    @Test
    void curlGetsHelloWorldOverHttp11AndHttp10() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/curl")), "curl is not installed");
        try (ServerFixture f = hello()) {
            String http11 = curl("-s", "-i", f.uri("/").toString());
            assertTrue(http11.startsWith("HTTP/1.1 200 OK\r\n"), http11);
            assertTrue(http11.endsWith("\r\n\r\nHello, world"), http11);
            String http10 = curl("-s", "-i", "--http1.0", f.uri("/").toString());
            assertTrue(http10.startsWith("HTTP/1.1 200 OK\r\n"), http10);
            assertTrue(http10.contains("Connection: close\r\n"), http10);
            String echoed = curl("-s", "--data-binary", "posted by curl", f.uri("/echo").toString());
            assertEquals("posted by curl", echoed);
        }
    }

    private static String curl(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("/usr/bin/curl", "--max-time", "10"));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
        assertTrue(p.waitFor(20, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), out);
        return out;
    }

    @Test
    void unknownPathGets404AndKnownPathWithAnotherMethodGets405WithAllow() throws Exception {
        try (ServerFixture f = hello()) {
            HttpResponse<String> notFound = JDK_CLIENT.send(HttpRequest.newBuilder(f.uri("/nope")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(404, notFound.statusCode());
            HttpResponse<String> notAllowed = JDK_CLIENT.send(HttpRequest.newBuilder(f.uri("/"))
                    .DELETE().build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(405, notAllowed.statusCode());
            assertEquals("GET, HEAD", notAllowed.headers().firstValue("Allow").orElseThrow());
        }
    }

    @Test
    void twoThousandConcurrentKeepAliveConnectionsEachGetTheirOwnResponses() throws Exception {
        try (LogRecorder access = LogRecorder.of("spindle.access");
                ServerFixture f = ServerFixture.start(s -> s.get("/n/{i}",
                        (request, response) -> response.send("n" + request.pathParam("i"))))) {
            List<RawClient> clients = new ArrayList<>();
            try {
                for (int i = 0; i < 2000; i++) {
                    clients.add(f.connect());
                }
                for (int round = 0; round < 2; round++) { // The second round reuses every connection.
                    for (int i = 0; i < clients.size(); i++) {
                        clients.get(i).send("GET /n/" + i + " HTTP/1.1\nHost: x\n\n");
                    }
                    for (int i = 0; i < clients.size(); i++) {
                        RawClient.Response r = clients.get(i).read();
                        assertEquals(200, r.status());
                        assertEquals("n" + i, r.body());
                    }
                }
                assertEquals(4000, access.takeAll().size());
                String state = f.onLoop(f.server::toString);
                assertTrue(state.contains("connections=2000, accepted=2000"), state);
            } finally {
                clients.forEach(RawClient::close);
            }
        }
    }

    /*
     * Clients and server on one loop with a virtual clock: the handlers' timers cannot fire
     * before every request has been read, however slowly the machine runs, so all thousand are in
     * flight together and all answer at the same virtual instant.
     */
    @Test
    @LoopTest(virtualTime = true, timeout = 30)
    void aThousandRequestsAwaitingTimersAreAllInFlightAtOnceOnOneLoop(IOLoop loop) {
        int[] inFlight = new int[2]; // [now, peak], touched on the loop only
        try (LogRecorder access = LogRecorder.of("spindle.access")) {
            HttpServer server = HttpServer.create(loop).get("/wait", (request, response) -> {
                inFlight[1] = Math.max(inFlight[1], ++inFlight[0]);
                sleep(Duration.ofMinutes(3));
                inFlight[0]--;
                response.send("waited");
            }).listen(0, InetAddress.getLoopbackAddress());
            List<RawClient> clients = new ArrayList<>();
            try {
                for (int i = 0; i < 1000; i++) {
                    clients.add(RawClient.connectOnLoop(server.port()));
                }
                long sent = loop.time();
                for (RawClient c : clients) {
                    c.send("GET /wait HTTP/1.1\nHost: x\n\n");
                }
                for (RawClient c : clients) {
                    assertEquals("waited", c.read().body());
                    assertEquals(Duration.ofMinutes(3).toNanos(), loop.time() - sent, "every answer after its one sleep");
                }
            } finally {
                clients.forEach(RawClient::close);
                await(server.stop(Duration.ZERO));
            }
            assertEquals(1000, inFlight[1]);
        }
    }

    @Test
    void gracefulStopClosesIdleConnectionsAtOnceAndLetsRequestsInFlightFinish() throws Exception {
        CompletableFuture<Void> started = new CompletableFuture<>();
        CompletableFuture<String> release = new CompletableFuture<>();
        try (ServerFixture f = ServerFixture.start(s -> s
                .get("/", (request, response) -> response.send("hi"))
                .get("/slow", (request, response) -> {
                    started.complete(null);
                    response.send(await(release));
                }));
                RawClient idle = f.connect();
                RawClient busy = f.connect()) {
            assertEquals("hi", idle.send("GET / HTTP/1.1\nHost: x\n\n").read().body());
            busy.send("GET /slow HTTP/1.1\nHost: x\n\n");
            started.get(10, TimeUnit.SECONDS);

            CompletableFuture<Void> stopped = f.server.stop(Duration.ofSeconds(30));

            assertTrue(idle.isClosedByServer());
            assertNotServed(f.port());
            assertFalse(stopped.isDone());
            release.complete("finished in time");
            RawClient.Response r = busy.read();
            assertEquals("finished in time", r.body());
            assertEquals("close", r.header("Connection"));
            assertTrue(busy.isClosedByServer());
            stopped.get(10, TimeUnit.SECONDS);
        }
    }

    /**
     * A stopped server accepts nothing: connecting is refused (or reset), or (when the connection raced
     * with the closing of the listening socket, which NIO completes at the next select) the
     * connection is closed without an answer.
     */
    private static void assertNotServed(int port) {
        RawClient c;
        try {
            c = RawClient.connect(port);
        } catch (java.io.UncheckedIOException e) {
            return; // Refused, or reset while connecting.
        }
        try (c) {
            try {
                c.send("GET / HTTP/1.1\nHost: x\n\n");
            } catch (java.io.UncheckedIOException e) {
                return; // Reset.
            }
            assertTrue(c.isClosedByServer());
        }
    }

    @Test
    @LoopTest(virtualTime = true)
    void stopCancelsHandlersStillRunningAtTheDeadline(IOLoop loop) {
        CompletableFuture<Void> started = new CompletableFuture<>();
        CompletableFuture<Throwable> ended = new CompletableFuture<>();
        HttpServer server = HttpServer.create(loop).get("/hang", (request, response) -> {
            started.complete(null);
            try {
                await(new CompletableFuture<Void>());
            } catch (Throwable e) {
                ended.complete(e);
                throw e;
            }
        }).listen(0, InetAddress.getLoopbackAddress());
        try (RawClient c = RawClient.connectOnLoop(server.port())) {
            c.send("GET /hang HTTP/1.1\nHost: x\n\n");
            await(started);
            long stopping = loop.time();
            await(server.stop(Duration.ofMinutes(1)));
            assertEquals(Duration.ofMinutes(1).toNanos(), loop.time() - stopping, "cancelled at the deadline");
            assertTrue(await(ended) instanceof CancellationException);
            assertTrue(c.isClosedByServer());
        }
    }

    @Test
    void closeClosesEveryConnectionAtOnce() throws Exception {
        try (ServerFixture f = hello(); RawClient c = f.connect()) {
            assertEquals("Hello, world", c.send("GET / HTTP/1.1\nHost: x\n\n").read().body());
            f.server.close();
            assertTrue(c.isClosedByServer());
            assertNotServed(f.port());
        }
    }

    @Test
    void connectionClosedCompletesWhenTheClientDisconnectsDuringALongPoll() throws Exception {
        CompletableFuture<Void> waiting = new CompletableFuture<>();
        CompletableFuture<String> outcome = new CompletableFuture<>();
        CompletableFuture<String> messages = new CompletableFuture<>(); // Never completed: nobody posts.
        try (ServerFixture f = ServerFixture.start(s -> s.get("/poll", (request, response) -> {
            CompletableFuture<Void> gone = request.connectionClosed();
            waiting.complete(null);
            Object first = await(dev.spindle.runtime.Coroutines.any(messages, gone));
            outcome.complete(first == null && gone.isDone() ? "client gone" : "message " + first);
        }))) {
            RawClient c = f.connect();
            c.send("GET /poll HTTP/1.1\nHost: x\n\n");
            waiting.get(10, TimeUnit.SECONDS);
            c.close();
            assertEquals("client gone", outcome.get(10, TimeUnit.SECONDS));
        }
    }

    @Test
    void portBeforeListenAndListenAfterStopThrow() {
        try (IOLoop loop = IOLoop.create()) {
            HttpServer server = HttpServer.create(loop);
            assertThrows(IllegalStateException.class, server::port);
            server.listen(0, InetAddress.getLoopbackAddress());
            assertTrue(server.port() > 0);
            assertTrue(server.stop(Duration.ZERO).isDone());
            assertThrows(IllegalStateException.class, () -> server.listen(0));
        }
    }

    @Test
    void stopWithoutADeadlineStopsAnIdleServerAtOnceAndClosesItsPort() throws Exception {
        try (IOLoop loop = IOLoop.create()) {
            HttpServer server = HttpServer.create(loop).listen(0, InetAddress.getLoopbackAddress());
            int port = server.port();
            CompletableFuture<Void> stopped = server.stop();
            loop.runSync(() -> await(stopped), Duration.ofSeconds(10));
            assertTrue(stopped.isDone() && !stopped.isCompletedExceptionally());
            assertSame(stopped, server.stop(), "a second stop returns the first one's future");
            assertThrows(java.net.ConnectException.class,
                    () -> new java.net.Socket(InetAddress.getLoopbackAddress(), port).close());
        }
    }

    @Test
    void toStringShowsPortStateConnectionsAndRoutes() throws IOException {
        try (IOLoop loop = IOLoop.create()) {
            HttpServer server = HttpServer.create(loop).get("/", (request, response) -> { });
            assertEquals("HttpServer[not listening, open, connections=0, accepted=0, routes=1]", server.toString());
            server.listen(0, InetAddress.getLoopbackAddress());
            assertEquals("HttpServer[port " + server.port() + ", open, connections=0, accepted=0, routes=1]",
                    server.toString());
            server.close();
            assertTrue(server.toString().contains(", closed,"), server.toString());
        }
    }

    @Test
    void routeRejectsADuplicateAndABadPattern() {
        try (IOLoop loop = IOLoop.create()) {
            HttpServer server = HttpServer.create(loop).get("/a", (request, response) -> { });
            assertThrows(IllegalArgumentException.class, () -> server.get("/a", (request, response) -> { }));
            assertThrows(IllegalArgumentException.class, () -> server.get("no-slash", (request, response) -> { }));
            assertThrows(IllegalArgumentException.class, () -> server.route("BAD METHOD", "/", (request, response) -> { }));
            assertNotNull(server.options());
        }
    }
}
