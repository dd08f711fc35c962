package dev.spindle.http.server;

import static dev.spindle.runtime.Coroutines.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import dev.spindle.runtime.testing.LogRecorder;

@Timeout(30)
class HttpServerResponseTest {
    private static ServerFixture streaming() {
        return ServerFixture.start(s -> s
                .get("/stream", (request, response) -> {
                    response.header("Content-Type", "text/plain");
                    for (int i = 0; i < 3; i++) {
                        await(response.write("part" + i + ";"));
                    }
                })
                .get("/sized", (request, response) -> {
                    response.header("Content-Length", "6");
                    response.write("abc");
                    response.write("def");
                })
                .get("/short", (request, response) -> {
                    response.header("Content-Length", "6");
                    response.write("abc");
                })
                .get("/empty", (request, response) -> response.status(204).send(""))
                .get("/close", (request, response) -> response.header("Connection", "close").send("bye"))
                .get("/typed", (request, response) -> response.header("Content-Type", "text/html").send("<p>"))
                .get("/euro", (request, response) -> response.header("X-Price", "5 €").send("no"))
                .get("/ok", (request, response) -> response.send("ok")));
    }

    @Test
    void writeWithoutALengthSendsAChunkedBodyThatTheJdkClientReads() throws Exception {
        try (ServerFixture f = streaming()) {
            HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(f.uri("/stream")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals("part0;part1;part2;", r.body());
            assertEquals("chunked", r.headers().firstValue("Transfer-Encoding").orElseThrow());
        }
    }

    @Test
    void writeToAnHttp10ClientSendsABodyThatEndsWithTheConnection() throws Exception {
        try (ServerFixture f = streaming(); RawClient c = f.connect()) {
            RawClient.Response r = c.send("GET /stream HTTP/1.0\nConnection: keep-alive\n\n").read();
            assertEquals("part0;part1;part2;", r.body());
            assertEquals("close", r.header("Connection"));
            assertNull(r.header("Transfer-Encoding"));
        }
    }

    @Test
    void aDeclaredContentLengthStreamsWithoutChunking() throws Exception {
        try (ServerFixture f = streaming(); RawClient c = f.connect()) {
            RawClient.Response r = c.send("GET /sized HTTP/1.1\nHost: x\n\n").read();
            assertEquals("abcdef", r.body());
            assertNull(r.header("Transfer-Encoding"));
            assertEquals("ok", c.send("GET /ok HTTP/1.1\nHost: x\n\n").read().body());
        }
    }

    @Test
    void finishingShortOfTheDeclaredLengthClosesTheConnection() throws Exception {
        try (LogRecorder app = LogRecorder.of("spindle.application"); ServerFixture f = streaming();
                RawClient c = f.connect()) {
            c.send("GET /short HTTP/1.1\nHost: x\n\n");
            assertTrue(c.readToEnd().endsWith("\r\n\r\nabc"));
            assertTrue(app.await("GET /short", java.time.Duration.ofSeconds(10)).getThrown().getMessage().startsWith("finished after 3 of the 6 bytes"));
        }
    }

    @Test
    void misuseIsRefusedWithAMessageNamingTheFix() throws Exception {
        CompletableFuture<String> checked = new CompletableFuture<>();
        try (ServerFixture f = ServerFixture.start(s -> s.get("/", (request, response) -> {
            assertThrows(IllegalArgumentException.class, () -> response.status(99));
            assertThrows(IllegalArgumentException.class, () -> response.status(1000));
            assertThrows(IllegalArgumentException.class, () -> response.header("Transfer-Encoding", "gzip"));
            assertThrows(IllegalArgumentException.class, () -> response.header("Content-Length", "-1"));
            assertThrows(IllegalArgumentException.class, () -> response.header("Bad Name", "x"));
            response.header("Content-Length", "3");
            assertThrows(IllegalStateException.class, () -> response.write("four"));
            response.write("one");
            assertTrue(response.isStarted());
            assertFalse(response.isFinished());
            String late = assertThrows(IllegalStateException.class, () -> response.header("X", "y")).getMessage();
            response.finish();
            assertThrows(IllegalStateException.class, response::finish);
            assertThrows(IllegalStateException.class, () -> response.write("more"));
            checked.complete(late);
        })); RawClient c = f.connect()) {
            assertEquals("one", c.send("GET / HTTP/1.1\nHost: x\n\n").read().body());
            assertTrue(checked.get().contains("set status and headers before the first write()/send()"), checked.get());
        }
    }

    @Test
    void flushCompletesOnlyOnceTheKernelTookTheBytes() throws Exception {
        byte[] big = new byte[8 << 20];
        Arrays.fill(big, (byte) 'x');
        CompletableFuture<Boolean> flushedAtOnce = new CompletableFuture<>();
        try (ServerFixture f = ServerFixture.start(s -> s.get("/big", (request, response) -> {
            response.header("Content-Length", String.valueOf(big.length));
            response.write(big);
            CompletableFuture<Void> flushed = response.flush();
            flushedAtOnce.complete(flushed.isDone());
            await(flushed);
        })); RawClient c = f.connect()) {
            c.send("GET /big HTTP/1.1\nHost: x\n\n");
            assertFalse(flushedAtOnce.get(10, TimeUnit.SECONDS)); // The client reads nothing yet.
            assertEquals(big.length, c.read().body().length());
        }
    }

    @Test
    void headToAStreamingHandlerGetsTheHeadAndNoBody() throws Exception {
        try (ServerFixture f = streaming(); RawClient c = f.connect()) {
            RawClient.Response r = c.send("HEAD /stream HTTP/1.1\nHost: x\n\n").read(true);
            assertEquals("chunked", r.header("Transfer-Encoding"));
            assertEquals("ok", c.send("GET /ok HTTP/1.1\nHost: x\n\n").read().body());
        }
    }

    @Test
    void a204HasNoBodyAndNoLength() throws Exception {
        try (ServerFixture f = streaming(); RawClient c = f.connect()) {
            RawClient.Response r = c.send("GET /empty HTTP/1.1\nHost: x\n\n").read();
            assertEquals(204, r.status());
            assertNull(r.header("Content-Length"));
            assertEquals("ok", c.send("GET /ok HTTP/1.1\nHost: x\n\n").read().body());
        }
    }

    @Test
    void connectionCloseFromTheHandlerClosesAfterTheResponse() throws Exception {
        try (ServerFixture f = streaming(); RawClient c = f.connect()) {
            RawClient.Response r = c.send("GET /close HTTP/1.1\nHost: x\n\n").read();
            assertEquals("close", r.header("Connection"));
            assertTrue(c.isClosedByServer());
        }
    }

    @Test
    void sendTextDefaultsToTextPlainUnlessATypeWasSet() throws Exception {
        try (ServerFixture f = streaming(); RawClient c = f.connect()) {
            assertEquals("text/plain; charset=utf-8", c.send("GET /ok HTTP/1.1\nHost: x\n\n").read().header("Content-Type"));
            assertEquals("text/html", c.send("GET /typed HTTP/1.1\nHost: x\n\n").read().header("Content-Type"));
        }
    }

    @Test
    void aHeaderThatCannotBeSentGives500() throws Exception {
        try (LogRecorder app = LogRecorder.of("spindle.application"); ServerFixture f = streaming();
                RawClient c = f.connect()) {
            assertEquals(500, c.send("GET /euro HTTP/1.1\nHost: x\n\n").read().status());
            assertTrue(app.await("GET /euro", java.time.Duration.ofSeconds(10)).getThrown() instanceof IllegalArgumentException);
        }
    }
}
