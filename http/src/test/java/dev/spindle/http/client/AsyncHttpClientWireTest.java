package dev.spindle.http.client;

import static dev.spindle.http.client.Loops.onLoop;
import static dev.spindle.runtime.Coroutines.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spindle.http.HttpInputException;
import dev.spindle.http.HttpRequest;
import dev.spindle.http.HttpResponse;
import dev.spindle.runtime.net.StreamClosedException;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The client against servers that write raw bytes: framing, broken responses, closed connections. */
class AsyncHttpClientWireTest {

    @Test
    void closeDelimitedBodyEndsWhenTheServerCloses() throws IOException {
        try (RawServer raw = new RawServer((s, n) -> {
            RawServer.readHead(s.getInputStream());
            RawServer.write(s, "HTTP/1.1 200 OK\nContent-Type: text/plain\n\nuntil ");
            RawServer.write(s, "the end");
        })) {
            List<HttpResponse> rs = onLoop(() -> List.of(await(AsyncHttpClient.create().fetch(raw.url("/"))),
                    await(AsyncHttpClient.create().fetch(raw.url("/")))));
            assertEquals("until the end", rs.get(0).bodyText());
            assertEquals("until the end", rs.get(1).bodyText());
            assertEquals(2, raw.connections()); // Such a connection cannot be reused.
        }
    }

    @Test
    void http10ResponseWithoutKeepAliveIsNotPooled() throws IOException {
        try (RawServer raw = RawServer.answering("HTTP/1.0 200 OK\nContent-Length: 2\n\nok")) {
            onLoop(() -> {
                AsyncHttpClient client = AsyncHttpClient.create();
                assertEquals("ok", await(client.fetch(raw.url("/"))).bodyText());
                assertTrue(client.toString().contains(" 0 idle"), client.toString());
                return null;
            });
        }
    }

    @Test
    void interimResponsesAreSkipped() throws IOException {
        try (RawServer raw = RawServer.answering("""
                HTTP/1.1 100 Continue

                HTTP/1.1 103 Early Hints
                Link: </style.css>

                HTTP/1.1 200 OK
                Content-Length: 4

                done""")) {
            HttpResponse r = onLoop(() -> await(AsyncHttpClient.create().fetch(raw.url("/"))));
            assertEquals(200, r.code());
            assertEquals("done", r.bodyText());
            assertNull(r.headers().get("Link"));
        }
    }

    @Test
    void emptyReasonPhraseGetsTheStandardOne() throws IOException {
        try (RawServer raw = RawServer.answering("HTTP/1.1 404 \nContent-Length: 0\n\n")) {
            HttpClientException e = onLoop(() -> assertThrows(HttpClientException.class,
                    () -> await(AsyncHttpClient.create().fetch(raw.url("/")))));
            assertEquals("HTTP 404: Not Found", e.getMessage());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "HTTP/1.1 200 OK\nContent-Length: 2\nTransfer-Encoding: chunked\n\n",
        "HTTP/1.1 2OO OK\nContent-Length: 0\n\n",
        "SPDY/3 200 OK\n\n",
        "HTTP/1.1 200 OK\nTransfer-Encoding: chunked\n\nzz\n",
        "HTTP/1.1 200 OK\nBad Header : x\n\n",
    })
    void malformedResponseFailsWithHttpInputException(String response) throws IOException {
        try (RawServer raw = RawServer.answering(response)) {
            HttpInputException e = onLoop(() -> assertThrows(HttpInputException.class,
                    () -> await(AsyncHttpClient.create().fetch(raw.url("/")))));
            assertTrue(e.status() >= 400, e.getMessage());
        }
    }

    @Test
    void connectionClosedInTheMiddleOfTheBodyFailsWithPrematureEof() throws IOException {
        try (RawServer raw = new RawServer((s, n) -> {
            RawServer.readHead(s.getInputStream());
            RawServer.write(s, "HTTP/1.1 200 OK\nContent-Length: 10\n\nhalf");
        })) {
            HttpInputException e = onLoop(() -> assertThrows(HttpInputException.class,
                    () -> await(AsyncHttpClient.create().fetch(raw.url("/")))));
            assertEquals(HttpInputException.Reason.PREMATURE_EOF, e.reason());
        }
    }

    @Test
    void connectionClosedBeforeAnyResponseFailsWithStreamClosedException() throws IOException {
        try (RawServer raw = new RawServer((s, n) -> RawServer.readHead(s.getInputStream()))) {
            StreamClosedException e = onLoop(() -> assertThrows(StreamClosedException.class,
                    () -> await(AsyncHttpClient.create().fetch(raw.url("/x")))));
            assertTrue(e.getMessage().startsWith("Connection to 127.0.0.1:" + raw.port()
                    + " closed before any response to GET " + raw.url("/x")), e.getMessage());
            assertEquals(1, raw.connections()); // A new connection: not retried.
        }
    }

    /**
     * The server answers the first request on each connection and keeps it open, then closes
     * it when the next request comes, without answering: what a server does when its keep-alive
     * timeout races with the client's reuse.
     */
    private static RawServer closingKeptAliveConnections() throws IOException {
        return new RawServer((s, n) -> {
            RawServer.readHead(s.getInputStream());
            RawServer.write(s, "HTTP/1.1 200 OK\nContent-Length: " + (n + 1) + "\n\n" + "x".repeat(n + 1));
            RawServer.readHead(s.getInputStream());
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {"GET", "HEAD", "PUT", "DELETE", "OPTIONS"})
    void idempotentRequestOnAConnectionTheServerClosedIsRetriedOnceOnANewOne(String method) throws IOException {
        try (RawServer raw = closingKeptAliveConnections()) {
            HttpRequest second = HttpRequest.builder(raw.url("/")).method(method).build();
            HttpResponse r = onLoop(() -> {
                AsyncHttpClient client = AsyncHttpClient.create();
                await(client.fetch(raw.url("/")));
                return await(client.fetch(second));
            });
            assertEquals(200, r.code());
            assertFalse(r.timing().reusedConnection());
            assertEquals(2, raw.connections());
        }
    }

    @Test
    void postOnAConnectionTheServerClosedIsNotRetried() throws IOException {
        try (RawServer raw = closingKeptAliveConnections()) {
            StreamClosedException e = onLoop(() -> {
                AsyncHttpClient client = AsyncHttpClient.create();
                await(client.fetch(raw.url("/")));
                return assertThrows(StreamClosedException.class,
                        () -> await(client.fetch(HttpRequest.post(raw.url("/"), "once"))));
            });
            assertTrue(e.getMessage().contains("closed before any response to POST"), e.getMessage());
            assertEquals(1, raw.connections());
        }
    }

    @Test
    void bodyBeyondMaxBodySizeFailsWithBodyTooLarge() throws IOException {
        try (RawServer raw = RawServer.answering("HTTP/1.1 200 OK\nContent-Length: 2000000000\n\n" + "x".repeat(2000))) {
            HttpInputException e = onLoop(() -> {
                AsyncHttpClient client = AsyncHttpClient.create(dev.spindle.runtime.IOLoop.current(),
                        HttpClientOptions.DEFAULTS.withMaxBodySize(1000));
                HttpInputException thrown = assertThrows(HttpInputException.class, () -> await(client.fetch(raw.url("/"))));
                client.close();
                return thrown;
            });
            assertEquals(HttpInputException.Reason.BODY_TOO_LARGE, e.reason());
            assertEquals("BODY_TOO_LARGE (413): response body larger than maxBodySize=1000 bytes", e.getMessage());
        }
    }
}
