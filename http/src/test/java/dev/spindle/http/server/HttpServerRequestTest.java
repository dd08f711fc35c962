package dev.spindle.http.server;

import static dev.spindle.runtime.Coroutines.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spindle.http.HttpInputException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import dev.spindle.runtime.testing.LogRecorder;

@Timeout(30)
class HttpServerRequestTest {
    @Test
    void pathAndQueryParametersAreDecoded() throws Exception {
        CompletableFuture<HttpServerRequest> seen = new CompletableFuture<>();
        try (ServerFixture f = ServerFixture.start(s -> s.get("/users/{id}/files/{path...}", (request, response) -> {
            seen.complete(request);
            response.send("");
        })); RawClient c = f.connect()) {
            c.send("GET /users/j%C3%B6rg/files/a%2Fb/c+d?q=a+b&q=c&empty&x=%zz HTTP/1.1\nHost: x\n\n").read();
            HttpServerRequest r = seen.get();
            assertEquals("/users/j%C3%B6rg/files/a%2Fb/c+d", r.path());
            assertEquals("q=a+b&q=c&empty&x=%zz", r.query());
            assertEquals("jörg", r.pathParam("id"));
            assertEquals("a/b/c+d", r.pathParam("path"));
            assertEquals(Map.of("id", "jörg", "path", "a/b/c+d"), r.pathParams());
            assertEquals("a b", r.queryParam("q"));
            assertEquals(List.of("a b", "c"), r.queryParams().get("q"));
            assertEquals("", r.queryParam("empty"));
            assertEquals("%zz", r.queryParam("x"));
            assertEquals(null, r.queryParam("absent"));
            assertThrows(IllegalArgumentException.class, () -> r.pathParam("nope"));
        }
    }

    @Test
    void startLineHeadersAndAddressAreThoseReceived() throws Exception {
        CompletableFuture<HttpServerRequest> seen = new CompletableFuture<>();
        try (ServerFixture f = ServerFixture.start(s -> s.route("PATCH", "/p", (request, response) -> seen.complete(request)));
                RawClient c = f.connect()) {
            c.send("PATCH /p?a=1 HTTP/1.0\nHost: example\nX-Two: 1\nx-two: 2\n\n").read();
            HttpServerRequest r = seen.get();
            assertEquals("PATCH", r.method());
            assertEquals("/p?a=1", r.target());
            assertEquals("HTTP/1.0", r.version());
            assertEquals("example", r.header("host"));
            assertEquals(List.of("1", "2"), r.headers().getAll("X-Two"));
            assertEquals(c.localPort(), ((InetSocketAddress) r.remoteAddress()).getPort());
        }
    }

    @Test
    void pathOfATargetIgnoresSchemeAuthorityAndQuery() {
        assertEquals("/", HttpServerRequest.pathOf("/"));
        assertEquals("/a/b", HttpServerRequest.pathOf("/a/b?c=d"));
        assertEquals("/a", HttpServerRequest.pathOf("http://example.com:80/a?q"));
        assertEquals("/", HttpServerRequest.pathOf("http://example.com"));
        assertEquals("*", HttpServerRequest.pathOf("*"));
    }

    @Test
    void bodyTextUsesTheCharsetOfContentTypeElseUtf8() throws Exception {
        try (ServerFixture f = ServerFixture.start(s -> s.post("/t", (request, response) ->
                response.send(request.bodyText() + "|" + request.bodyText().length())));
                RawClient c = f.connect()) {
            c.send("POST /t HTTP/1.1\nHost: x\nContent-Type: text/plain; charset=ISO-8859-1\nContent-Length: 1\n\n");
            c.sendBytes(new byte[] {(byte) 0xE9});
            assertEquals("é|1", c.read().body());
            byte[] utf8 = "é".getBytes(StandardCharsets.UTF_8);
            c.send("POST /t HTTP/1.1\nHost: x\nContent-Length: " + utf8.length + "\n\n").sendBytes(utf8);
            assertEquals("é|1", c.read().body());
        }
    }

    @Test
    void readChunkStreamsAChunkedBodyPieceByPieceThenNull() throws Exception {
        try (ServerFixture f = ServerFixture.start(s -> s.post("/up", (request, response) -> {
            List<String> pieces = new ArrayList<>();
            for (ByteBuffer b; (b = await(request.readChunk())) != null; ) {
                pieces.add(StandardCharsets.UTF_8.decode(b).toString());
            }
            response.send(String.join("+", pieces));
        })); RawClient c = f.connect()) {
            c.send("POST /up HTTP/1.1\nHost: x\nTransfer-Encoding: chunked\n\n");
            c.send("3\nabc\n");
            c.send("2\nde\n0\n\n");
            String joined = c.read().body(); // How the pieces were cut depends on how the bytes came in.
            assertEquals("abcde", joined.replace("+", ""));
        }
    }

    @Test
    void aBodyBeyondTheLimitGets413() throws Exception {
        try (LogRecorder general = LogRecorder.of("spindle.general");
                ServerFixture f = ServerFixture.start(HttpServerOptions.DEFAULTS.withMaxBodySize(10),
                        s -> s.post("/up", (request, response) -> response.send(request.body())));
                RawClient c = f.connect()) {
            RawClient.Response r = c.send("POST /up HTTP/1.1\nHost: x\nTransfer-Encoding: chunked\n\n"
                    + "8\n12345678\n8\n12345678\n0\n\n").read();
            assertEquals(413, r.status());
            assertEquals("close", r.header("Connection"));
        }
    }

    @Test
    void theBodyCanBeReadOnlyOneWayAndOnlyWhileTheHandlerRuns() throws Exception {
        CompletableFuture<HttpServerRequest> seen = new CompletableFuture<>();
        CompletableFuture<String> misuse = new CompletableFuture<>();
        try (ServerFixture f = ServerFixture.start(s -> s
                .post("/whole", (request, response) -> {
                    request.body();
                    misuse.complete(assertThrows(IllegalStateException.class, request::readChunk).getMessage());
                    seen.complete(request);
                })
                .post("/pieces", (request, response) -> {
                    await(request.readChunk());
                    misuse.obtrudeValue(assertThrows(IllegalStateException.class, request::body).getMessage());
                }));
                RawClient c = f.connect()) {
            c.send("POST /whole HTTP/1.1\nHost: x\nContent-Length: 2\n\nab").read();
            assertTrue(misuse.get().startsWith("readChunk() after body()"), misuse.get());
            HttpServerRequest over = seen.get();
            assertEquals("ab", new String(over.body(), StandardCharsets.UTF_8)); // Kept.
            assertThrows(IllegalStateException.class, () -> f.onLoop(over::readChunk));
            c.send("POST /pieces HTTP/1.1\nHost: x\nContent-Length: 2\n\nab").read();
            assertTrue(misuse.get().startsWith("body() after readChunk()"), misuse.get());
        }
    }

    @Test
    void aChunkedBodyWithABadSizeFailsTheReadWith400() throws Exception {
        CompletableFuture<Throwable> failure = new CompletableFuture<>();
        try (LogRecorder general = LogRecorder.of("spindle.general");
                ServerFixture f = ServerFixture.start(s -> s.post("/up", (request, response) -> {
                    try {
                        request.body();
                    } catch (HttpInputException e) {
                        failure.complete(e);
                        throw e;
                    }
                }));
                RawClient c = f.connect()) {
            assertEquals(400, c.send("POST /up HTTP/1.1\nHost: x\nTransfer-Encoding: chunked\n\nxyz\n").read().status());
            assertEquals(HttpInputException.Reason.BAD_CHUNK_SIZE,
                    ((HttpInputException) failure.get(10, TimeUnit.SECONDS)).reason());
        }
    }
}
