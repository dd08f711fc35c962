package dev.spindle.http.server;

import static dev.spindle.runtime.Coroutines.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import dev.spindle.runtime.testing.LogRecorder;

@Timeout(30)
class RequestDispatcherTest {
    private static ServerFixture failing() {
        return ServerFixture.start(s -> s
                .get("/ok", (request, response) -> response.send("ok"))
                .get("/boom", (request, response) -> {
                    response.header("X-Lost", "yes");
                    throw new IllegalStateException("boom");
                })
                .post("/boom", (request, response) -> {
                    throw new IllegalStateException("did not read the body");
                })
                .get("/half", (request, response) -> {
                    response.write("started");
                    throw new IllegalStateException("after the head");
                })
                .get("/cancelled", (request, response) -> await(CompletableFuture.failedFuture(new CancellationException())))
                .get("/quiet", (request, response) -> { }));
    }

    @Test
    void aHandlerExceptionGives500AndTheConnectionSurvives() throws Exception {
        try (LogRecorder app = LogRecorder.of("spindle.application"); ServerFixture f = failing();
                RawClient c = f.connect()) {
            RawClient.Response r = c.send("GET /boom HTTP/1.1\nHost: x\n\n").read();
            assertEquals(500, r.status());
            assertNull(r.header("X-Lost")); // The handler's headers are dropped.
            assertNull(r.header("Connection"));
            assertEquals("ok", c.send("GET /ok HTTP/1.1\nHost: x\n\n").read().body());
            LogRecord logged = app.await("Uncaught exception in handler of GET /boom", java.time.Duration.ofSeconds(10));
            assertEquals(Level.SEVERE, logged.getLevel());
            assertEquals("boom", logged.getThrown().getMessage());
        }
    }

    @Test
    void aHandlerExceptionWithASmallUnreadBodyDrainsItAndKeepsTheConnection() throws Exception {
        try (LogRecorder app = LogRecorder.of("spindle.application"); ServerFixture f = failing();
                RawClient c = f.connect()) {
            RawClient.Response r = c.send("POST /boom HTTP/1.1\nHost: x\nContent-Length: 5\n\n12345").read();
            assertEquals(500, r.status());
            assertEquals("ok", c.send("GET /ok HTTP/1.1\nHost: x\n\n").read().body());
        }
    }

    @Test
    void aHandlerExceptionAfterTheHeadWasSentClosesTheConnection() throws Exception {
        try (LogRecorder app = LogRecorder.of("spindle.application"); ServerFixture f = failing();
                RawClient c = f.connect()) {
            c.send("GET /half HTTP/1.1\nHost: x\n\n");
            String wire = c.readToEnd();
            assertTrue(wire.startsWith("HTTP/1.1 200 OK\r\n"), wire);
            assertTrue(wire.endsWith("\r\n7\r\nstarted\r\n"), wire); // No last chunk: the body is cut short.
            assertEquals("after the head", app.await("GET /half", java.time.Duration.ofSeconds(10)).getThrown().getMessage());
        }
    }

    @Test
    void aCancellationEscapingTheHandlerIsAHandlerFailure() throws Exception {
        try (LogRecorder app = LogRecorder.of("spindle.application"); ServerFixture f = failing();
                RawClient c = f.connect()) {
            assertEquals(500, c.send("GET /cancelled HTTP/1.1\nHost: x\n\n").read().status());
            app.await("Uncaught exception in handler of GET /cancelled", java.time.Duration.ofSeconds(10));
        }
    }

    @Test
    void aHandlerThatSendsNothingGetsAnEmpty200() throws Exception {
        try (ServerFixture f = failing(); RawClient c = f.connect()) {
            RawClient.Response r = c.send("GET /quiet HTTP/1.1\nHost: x\n\n").read();
            assertEquals(200, r.status());
            assertEquals("0", r.header("Content-Length"));
            assertEquals("ok", c.send("GET /ok HTTP/1.1\nHost: x\n\n").read().body());
        }
    }

    @Test
    void anUnknownExpectationGets417() throws Exception {
        try (ServerFixture f = failing(); RawClient c = f.connect()) {
            RawClient.Response r = c.send("GET /ok HTTP/1.1\nHost: x\nExpect: something-else\n\n").read();
            assertEquals(417, r.status());
        }
    }

    @Test
    void anHttp10RequestsExpectationIsIgnored() throws Exception {
        try (ServerFixture f = failing(); RawClient c = f.connect()) {
            assertEquals("ok", c.send("GET /ok HTTP/1.0\nExpect: something-else\n\n").read().body());
        }
    }

    @Test
    void everyRequestIsLoggedToTheAccessLogAtALevelByStatus() throws Exception {
        try (LogRecorder access = LogRecorder.of("spindle.access"); LogRecorder app = LogRecorder.of("spindle.application");
                ServerFixture f = failing(); RawClient c = f.connect()) {
            c.send("GET /ok?x=1 HTTP/1.1\nHost: x\n\n").read();
            c.send("GET /missing HTTP/1.1\nHost: x\n\n").read();
            c.send("GET /boom HTTP/1.1\nHost: x\n\n").read();
            access.await("500 GET /boom", java.time.Duration.ofSeconds(10));
            List<LogRecord> records = access.takeAll();
            assertEquals(3, records.size());
            assertTrue(records.get(0).getMessage().matches("200 GET /ok\\?x=1 \\(127\\.0\\.0\\.1\\) \\d+\\.\\d\\dms"),
                    records.get(0).getMessage());
            assertEquals(List.of(Level.INFO, Level.WARNING, Level.SEVERE),
                    records.stream().map(LogRecord::getLevel).toList());
        }
    }

    @Test
    void aClientThatClosesBeforeItsDeclaredBodyArrivedIsLoggedAs499() throws Exception {
        try (LogRecorder access = LogRecorder.of("spindle.access");
                ServerFixture f = ServerFixture.start(s -> s.post("/echo", (request, response) -> response.send(request.body())));
                RawClient c = f.connect()) {
            c.send("POST /echo HTTP/1.1\nHost: x\nContent-Length: 10\n\nabc");
            c.close();
            LogRecord logged = access.await("POST /echo", java.time.Duration.ofSeconds(10));
            assertTrue(logged.getMessage().matches("499 POST /echo \\(127\\.0\\.0\\.1\\) \\d+\\.\\d\\dms"),
                    logged.getMessage());
            assertEquals(Level.WARNING, logged.getLevel());
        }
    }

    @Test
    void aLongPollWhoseClientGaveUpIsLoggedAs499NotAs200() throws Exception {
        CompletableFuture<Void> waiting = new CompletableFuture<>();
        try (LogRecorder access = LogRecorder.of("spindle.access");
                ServerFixture f = ServerFixture.start(s -> s.get("/poll", (request, response) -> {
                    CompletableFuture<Void> closed = request.connectionClosed();
                    waiting.complete(null);
                    await(closed);
                    // Returns without answering: the server finishes, to a client that is gone.
                }));
                RawClient c = f.connect()) {
            c.send("GET /poll HTTP/1.1\nHost: x\n\n");
            waiting.get(10, java.util.concurrent.TimeUnit.SECONDS);
            c.close();
            assertTrue(access.await("GET /poll", java.time.Duration.ofSeconds(10)).getMessage().startsWith("499 GET /poll "));
        }
    }

    @Test
    void aRejectedRequestIsLoggedWithItsStatusAndWhatWasParsedOfIt() throws Exception {
        try (LogRecorder access = LogRecorder.of("spindle.access"); LogRecorder general = LogRecorder.of("spindle.general");
                ServerFixture f = failing()) {
            try (RawClient c = f.connect()) {
                assertEquals(400, c.send("GET /ok HTTP/1.1\nHost: x\nBad Header: y\n\n").read().status());
            }
            assertTrue(access.await("GET /ok", java.time.Duration.ofSeconds(10)).getMessage()
                    .matches("400 GET /ok \\(127\\.0\\.0\\.1\\) \\d+\\.\\d\\dms"));
            try (RawClient c = f.connect()) {
                assertEquals(400, c.send("NOT A REQUEST LINE\n\n").read().status());
            }
            LogRecord logged = access.await("400 -", java.time.Duration.ofSeconds(10));
            assertTrue(logged.getMessage().startsWith("400 - (127.0.0.1) "), logged.getMessage());
            assertEquals(Level.WARNING, logged.getLevel());
        }
    }

    @Test
    void theConnectionClosedFuturesOfOneKeepAliveConnectionDoNotPileUp() throws Exception {
        try (ServerFixture f = ServerFixture.start(s -> s
                .get("/poll", (request, response) -> {
                    request.connectionClosed(); // Asked for, never completed: the request just ends.
                    response.send("ok");
                })
                .get("/waiters", (request, response) -> response.send(String.valueOf(
                        request.connection().stream().closeFuture().getNumberOfDependents()))));
                RawClient c = f.connect()) {
            for (int i = 0; i < 200; i++) {
                assertEquals("ok", c.send("GET /poll HTTP/1.1\nHost: x\n\n").read().body());
            }
            assertEquals("1", c.send("GET /waiters HTTP/1.1\nHost: x\n\n").read().body()); // One per connection.
        }
    }

    @Test
    void toStringShowsTheRequestAndTheResponse() throws Exception {
        CompletableFuture<String> seen = new CompletableFuture<>();
        try (ServerFixture f = ServerFixture.start(s -> s.get("/x", (request, response) -> {
            response.write("abc".getBytes(StandardCharsets.UTF_8));
            seen.complete(request.toString() + " | " + response);
        })); RawClient c = f.connect()) {
            c.send("GET /x HTTP/1.1\nHost: x\n\n").read();
            assertEquals("HttpServerRequest[GET /x HTTP/1.1 from /127.0.0.1:" + c.localPort()
                    + ", RequestBody[NONE, received 0, ended]] | HttpServerResponse[200, streaming chunked,"
                    + " 3 bytes written, keep-alive]", seen.get());
        }
    }
}
