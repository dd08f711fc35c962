package dev.spindle.http.client;

import static dev.spindle.http.client.Loops.onLoop;
import static dev.spindle.runtime.Coroutines.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spindle.http.HttpRequest;
import dev.spindle.http.HttpResponse;
import dev.spindle.runtime.IOLoop;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.ConnectException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The async client against the JDK's {@code com.sun.net.httpserver.HttpServer}. */
class AsyncHttpClientTest {
    @RegisterExtension
    final JdkServer server = new JdkServer();

    @Test
    void fetchReturnsStatusHeadersAndBody() {
        HttpResponse r = onLoop(() -> await(AsyncHttpClient.create().fetch(server.url("/hello"))));
        assertEquals(200, r.code());
        assertEquals("OK", r.reason());
        assertEquals("text/plain; charset=utf-8", r.headers().get("Content-Type"));
        assertEquals("hello", r.bodyText());
        assertEquals(server.url("/hello"), r.effectiveUrl());
        assertEquals(server.url("/hello"), r.request().url());
        assertTrue(r.requestTime().compareTo(r.timing().firstByte()) >= 0, r.timing().toString());
    }

    @Test
    void requestCarriesHostUserAgentAndAcceptEncoding() {
        String echo = onLoop(() -> await(AsyncHttpClient.create().fetch(server.url("/echo?x=1"))).bodyText());
        assertTrue(echo.startsWith("GET /echo?x=1\n"), echo);
        assertTrue(echo.contains("Host: 127.0.0.1:" + server.port() + "\n"), echo);
        assertTrue(echo.contains("User-agent: Spindle/0.1\n"), echo);
        assertTrue(echo.contains("Accept-encoding: gzip, deflate\n"), echo);
    }

    @Test
    void headersOfTheRequestReplaceTheDefaults() {
        HttpRequest request = HttpRequest.builder(server.url("/echo")).header("User-Agent", "test/1")
                .header("X-Two", "a").header("X-Two", "b").decompressResponse(false).build();
        String echo = onLoop(() -> await(AsyncHttpClient.create().fetch(request)).bodyText());
        assertTrue(echo.contains("User-agent: test/1\n") && !echo.contains("Spindle"), echo);
        assertTrue(echo.contains("X-two: a\nX-two: b\n"), echo);
        assertFalse(echo.contains("Accept-encoding"), echo);
    }

    @Test
    void postSendsTheBodyWithContentLength() throws IOException {
        try (RawServer raw = new RawServer((s, n) -> {
            String head = RawServer.readHead(s.getInputStream());
            byte[] body = s.getInputStream().readNBytes(4); // "hé!" in UTF-8
            RawServer.write(s, "HTTP/1.1 200 OK\nContent-Length: " + (head.length() + 4) + "\n\n");
            s.getOutputStream().write((head + new String(body, StandardCharsets.ISO_8859_1))
                    .getBytes(StandardCharsets.ISO_8859_1));
        })) {
            String echo = onLoop(() -> await(AsyncHttpClient.create().fetch(HttpRequest.post(raw.url("/up"), "hé!"))))
                    .bodyText();
            assertTrue(echo.startsWith("POST /up HTTP/1.1\r\nHost: 127.0.0.1:" + raw.port() + "\r\n"), echo);
            assertTrue(echo.contains("\r\nContent-Length: 4\r\n\r\nhé!"), echo);
        }
    }

    @Test
    void chunkedBodyIsReassembled() {
        HttpResponse r = onLoop(() -> await(AsyncHttpClient.create().fetch(server.url("/chunked"))));
        assertEquals("chunked", r.headers().get("Transfer-Encoding"));
        assertEquals("one,two,three", r.bodyText());
    }

    @ParameterizedTest
    @ValueSource(strings = {"gzip", "deflate"})
    void compressedBodyIsDecompressedAndTheEncodingHeaderMoved(String coding) {
        HttpResponse r = onLoop(() -> await(AsyncHttpClient.create().fetch(server.url("/" + coding))));
        assertEquals(JdkServer.GZIP_TEXT, r.bodyText());
        assertNull(r.headers().get("Content-Encoding"));
        assertEquals(coding, r.headers().get("X-Consumed-Content-Encoding"));
        assertEquals("gzip, deflate", r.headers().get("Accept-Encoding-Seen"));
    }

    @Test
    void compressedBodyIsLeftAloneWithoutDecompressResponse() {
        HttpRequest request = HttpRequest.builder(server.url("/gzip")).decompressResponse(false).build();
        HttpResponse r = onLoop(() -> await(AsyncHttpClient.create().fetch(request)));
        assertEquals("gzip", r.headers().get("Content-Encoding"));
        assertEquals(0x1f, r.body()[0] & 0xFF);
        assertEquals("null", r.headers().get("Accept-Encoding-Seen"));
    }

    @Test
    void headResponseHasNoBodyAndKeepsTheConnection() {
        List<HttpResponse> rs = onLoop(() -> {
            AsyncHttpClient client = AsyncHttpClient.create();
            return List.of(await(client.fetch(HttpRequest.head(server.url("/hello")))),
                    await(client.fetch(server.url("/hello"))));
        });
        assertEquals(200, rs.get(0).code());
        assertEquals(0, rs.get(0).bodyLength());
        assertEquals("hello", rs.get(1).bodyText());
        assertEquals(1, server.connections());
    }

    @ParameterizedTest
    @ValueSource(ints = {204, 304})
    void responsesWithoutBodyComplete(int code) {
        HttpRequest request = HttpRequest.builder(server.url("/status/" + code)).raiseError(false).build();
        HttpResponse r = onLoop(() -> await(AsyncHttpClient.create().fetch(request)));
        assertEquals(code, r.code());
        assertEquals(0, r.bodyLength());
    }

    @ParameterizedTest
    @ValueSource(ints = {400, 404, 500, 503})
    void errorStatusFailsWithHttpClientExceptionCarryingTheResponse(int code) {
        HttpClientException e = onLoop(() -> assertThrows(HttpClientException.class,
                () -> await(AsyncHttpClient.create().fetch(server.url("/status/" + code)))));
        assertEquals(code, e.code());
        assertEquals("HTTP " + code + ": " + dev.spindle.http.HttpStatus.reasonPhrase(code), e.getMessage());
        assertEquals("status " + code, e.response().bodyText());
    }

    @Test
    void errorStatusIsReturnedWithRaiseErrorFalse() {
        HttpRequest request = HttpRequest.builder(server.url("/status/404")).raiseError(false).build();
        HttpResponse r = onLoop(() -> await(AsyncHttpClient.create().fetch(request)));
        assertEquals(404, r.code());
        assertEquals("Not Found", r.reason());
    }

    @ParameterizedTest
    @ValueSource(ints = {301, 302, 303})
    void redirectOfAPostWith301Or302Or303BecomesAGetWithoutBody(int code) {
        HttpRequest request = HttpRequest.post(server.url("/redirect/" + code + "?to=/echo"), "data");
        HttpResponse r = onLoop(() -> await(AsyncHttpClient.create().fetch(request)));
        assertEquals(200, r.code());
        assertTrue(r.bodyText().startsWith("GET /echo\n"), r.bodyText());
        assertFalse(r.bodyText().contains("Content-length"), r.bodyText());
        assertEquals(server.url("/echo"), r.effectiveUrl());
        assertSame(request, r.request());
    }

    @ParameterizedTest
    @ValueSource(ints = {307, 308})
    void redirectWith307Or308KeepsMethodAndBody(int code) throws IOException {
        try (RawServer raw = new RawServer((s, n) -> {
            for (String head; (head = RawServer.readHead(s.getInputStream())) != null; ) {
                String body = new String(s.getInputStream().readNBytes(4), StandardCharsets.ISO_8859_1);
                String reply = head.startsWith("PUT /from ") ? "HTTP/1.1 " + code + " Moved\nLocation: /to\n"
                        + "Content-Length: 0\n\n" : "HTTP/1.1 200 OK\nContent-Length: " + (head.length() + 4) + "\n\n";
                RawServer.write(s, reply);
                if (reply.contains("200")) {
                    s.getOutputStream().write((head + body).getBytes(StandardCharsets.ISO_8859_1));
                }
            }
        })) {
            HttpRequest request = HttpRequest.put(raw.url("/from"), "data".getBytes(StandardCharsets.UTF_8));
            HttpResponse r = onLoop(() -> await(AsyncHttpClient.create().fetch(request)));
            assertTrue(r.bodyText().startsWith("PUT /to HTTP/1.1\r\n"), r.bodyText());
            assertTrue(r.bodyText().endsWith("Content-Length: 4\r\n\r\ndata"), r.bodyText());
            assertEquals(raw.url("/to"), r.effectiveUrl());
            assertEquals(1, raw.connections());
        }
    }

    @Test
    void tooManyRedirectsFailWithTheLastRedirectResponse() {
        HttpRequest request = HttpRequest.builder(server.url("/loop")).maxRedirects(3).build();
        HttpClientException e = onLoop(() -> assertThrows(HttpClientException.class,
                () -> await(AsyncHttpClient.create().fetch(request))));
        assertEquals(302, e.code());
        // The JDK server calls 302 "Temporary Redirect"; the message shows the reason it sent.
        assertEquals("HTTP 302: " + e.response().reason() + " (too many redirects: maxRedirects=3)", e.getMessage());
        assertEquals("again", e.response().bodyText());
    }

    @Test
    void redirectsAreNotFollowedWhenTheRequestSaysSo() {
        HttpRequest request = HttpRequest.builder(server.url("/redirect/302?to=/hello")).followRedirects(false)
                .raiseError(false).build();
        HttpResponse r = onLoop(() -> await(AsyncHttpClient.create().fetch(request)));
        assertEquals(302, r.code());
        assertEquals("/hello", r.headers().get("Location"));
    }

    @Test
    void streamingCallbackGetsTheBodyAndTheResponseBodyIsEmpty() {
        ByteArrayOutputStream streamed = new ByteArrayOutputStream();
        List<String> lines = new ArrayList<>();
        HttpRequest request = HttpRequest.builder(server.url("/redirect/302?to=/chunked"))
                .streamingCallback(streamed::writeBytes).headerCallback(lines::add).build();
        HttpResponse r = onLoop(() -> await(AsyncHttpClient.create().fetch(request)));
        assertEquals("one,two,three", streamed.toString(StandardCharsets.UTF_8));
        assertEquals(0, r.bodyLength());
        assertEquals("HTTP/1.1 200 OK\r\n", lines.getFirst());
        assertTrue(lines.contains("Transfer-encoding: chunked\r\n"), lines.toString());
        assertEquals("\r\n", lines.getLast());
    }

    @Test
    void throwingStreamingCallbackFailsTheFetchWithItsException() {
        IllegalStateException boom = new IllegalStateException("boom");
        HttpRequest request = HttpRequest.builder(server.url("/chunked")).streamingCallback(b -> {
            throw boom;
        }).build();
        Throwable e = onLoop(() -> assertThrows(IllegalStateException.class,
                () -> await(AsyncHttpClient.create().fetch(request))));
        assertSame(boom, e);
    }

    @Test
    void sequentialFetchesReuseOneConnection() {
        int n = 20;
        List<HttpResponse> rs = onLoop(() -> {
            List<HttpResponse> out = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                out.add(await(AsyncHttpClient.create().fetch(server.url("/hello"))));
            }
            return out;
        });
        assertEquals(1, server.connections());
        assertFalse(rs.getFirst().timing().reusedConnection());
        assertTrue(rs.getLast().timing().reusedConnection());
        assertEquals(java.time.Duration.ZERO, rs.getLast().timing().connect());
    }

    @Test
    void createReturnsTheSameClientOnALoopUntilItIsClosed() {
        onLoop(() -> {
            AsyncHttpClient a = AsyncHttpClient.create();
            assertSame(a, AsyncHttpClient.create());
            assertSame(a, AsyncHttpClient.create(IOLoop.current()));
            AsyncHttpClient own = AsyncHttpClient.create(IOLoop.current(), HttpClientOptions.DEFAULTS);
            assertNotSame(a, own);
            own.close();
            a.close();
            assertTrue(a.isClosed());
            AsyncHttpClient b = AsyncHttpClient.create();
            assertNotSame(a, b);
            assertFalse(b.isClosed());
            return null;
        });
    }

    @Test
    void closedClientRejectsFetchesButFinishesThoseInProgress() {
        onLoop(() -> {
            AsyncHttpClient client = AsyncHttpClient.create(IOLoop.current(), HttpClientOptions.DEFAULTS.withMaxClients(10));
            CompletableFuture<HttpResponse> inFlight = client.fetch(server.url("/hello"));
            client.close();
            client.close();
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> client.fetch(server.url("/")));
            assertEquals("fetch() called on a closed AsyncHttpClient; create a new one", e.getMessage());
            assertEquals("hello", await(inFlight).bodyText());
            assertTrue(client.toString().contains("closed, active 0/10, queued 0, 0 idle"), client.toString());
            return null;
        });
    }

    @Test
    void closingTheLoopClosesTheClientAndItsIdleConnections() {
        IOLoop loop = IOLoop.create();
        AsyncHttpClient client = loop.runSync(() -> {
            AsyncHttpClient c = AsyncHttpClient.create();
            await(c.fetch(server.url("/hello")));
            assertTrue(c.toString().contains("1 idle"), c.toString());
            return c;
        });
        loop.close();
        assertTrue(client.isClosed());
        assertTrue(client.toString().contains("0 idle"), client.toString());
        assertThrows(IllegalStateException.class, () -> AsyncHttpClient.create(loop));
    }

    @Test
    void refusedConnectionFailsWithTheJdkConnectException() throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        String url = "http://127.0.0.1:" + port + "/";
        Throwable e = onLoop(() -> assertThrows(ConnectException.class, () -> await(AsyncHttpClient.create().fetch(url))));
        assertEquals(ConnectException.class, e.getClass());
    }

    @Test
    void aMalformedOrUnsupportedUrlFailsTheFutureInsteadOfThrowing() {
        onLoop(() -> {
            AsyncHttpClient client = AsyncHttpClient.create();
            for (String url : new String[] {"ftp://example.com/", "not a url", "http:///no-host"}) {
                CompletableFuture<HttpResponse> f = client.fetch(url);
                assertTrue(f.isCompletedExceptionally(), url);
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> await(f));
                assertTrue(e.getMessage() != null && !e.getMessage().isEmpty(), url);
            }
            assertThrows(NullPointerException.class, () -> client.fetch((String) null));
            return null;
        });
    }

    @Test
    void cancellingTheFutureAbortsTheRequestAndFreesItsSlot() {
        onLoop(() -> {
            AsyncHttpClient client = AsyncHttpClient.create(IOLoop.current(), HttpClientOptions.DEFAULTS.withMaxClients(1));
            CompletableFuture<HttpResponse> hanging = client.fetch(server.url("/hang"));
            CompletableFuture<HttpResponse> next = client.fetch(server.url("/hello"));
            await(server.hangArrived());
            hanging.cancel(true);
            assertEquals("hello", await(next).bodyText());
            client.close();
            return null;
        });
    }

    @Test
    void fetchFromAnotherThreadRunsOnTheClientsLoop() throws Exception {
        try (IOLoop loop = IOLoop.create()) {
            Thread runner = Thread.ofPlatform().start(loop::start);
            try {
                AsyncHttpClient client = AsyncHttpClient.create(loop);
                CompletableFuture<Boolean> onLoop = client.fetch(server.url("/hello")).thenApply(r -> loop.inLoop());
                assertTrue(onLoop.get());
            } finally {
                loop.stop();
                runner.join();
            }
        }
    }

    @Test
    void toStringShowsLoopSlotsQueueAndPool() {
        String s = onLoop(() -> {
            AsyncHttpClient client = AsyncHttpClient.create();
            await(client.fetch(server.url("/hello")));
            return client.toString();
        });
        assertTrue(s.matches("AsyncHttpClient\\[IOLoop-\\d+, shared, active 0, queued 0, 1 idle]"), s);
    }
}
