package dev.spindle.http.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spindle.runtime.testing.ExpectLog;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The get_argument family of {@link HttpServerRequest}, over real requests from the JDK's client. */
@Timeout(30)
class RequestArgumentsTest {
    private static final String FORM = "application/x-www-form-urlencoded";

    private static HttpResponse<String> post(URI uri, String type, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).POST(HttpRequest.BodyPublishers.ofString(body));
        if (type != null) {
            b.header("Content-Type", type);
        }
        try (HttpClient client = HttpClient.newHttpClient()) {
            return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
        }
    }

    /** A server whose one route hands its request to the test, after {@code use} ran in the handler. */
    private static ServerFixture serving(CompletableFuture<Object> seen, java.util.function.Function<HttpServerRequest, Object> use) {
        return ServerFixture.start(s -> s.post("/f", (request, response) -> {
            seen.complete(use.apply(request));
            response.send("ok");
        }));
    }

    @Test
    void formBodyAndQueryArgumentsAreMergedQueryFirstAndTheLastValueWins() throws Exception {
        CompletableFuture<Object> seen = new CompletableFuture<>();
        try (ServerFixture f = serving(seen, r -> List.of(r.arguments(), r.argument("a"), r.arguments("a"),
                r.bodyArgument("a"), r.bodyArguments(), r.queryArguments(), r.argument("none", "dflt")))) {
            assertEquals(200, post(f.uri("/f?a=q1&q=only+query"), FORM + "; charset=UTF-8", "a=b1&a=b%202&b=caf%C3%A9").statusCode());
            List<?> got = (List<?>) seen.get();
            assertEquals(Map.of("a", List.of("q1", "b1", "b 2"), "q", List.of("only query"), "b", List.of("café")), got.get(0));
            assertEquals(List.of("a", "q", "b"), List.copyOf(((Map<?, ?>) got.get(0)).keySet()));
            assertEquals("b 2", got.get(1));
            assertEquals(List.of("q1", "b1", "b 2"), got.get(2));
            assertEquals("b 2", got.get(3));
            assertEquals(Map.of("a", List.of("b1", "b 2"), "b", List.of("café")), got.get(4));
            assertEquals(Map.of("a", List.of("q1"), "q", List.of("only query")), got.get(5));
            assertEquals("dflt", got.get(6));
        }
    }

    @Test
    void aBodyOfAnotherTypeGivesNoBodyArgumentsAndStaysReadable() throws Exception {
        CompletableFuture<Object> seen = new CompletableFuture<>();
        try (ServerFixture f = serving(seen, r -> List.of(r.bodyArguments(), r.arguments("x"), r.bodyText()))) {
            post(f.uri("/f?x=1"), "text/plain", "x=2");
            assertEquals(List.of(Map.of(), List.of("1"), "x=2"), seen.get());
        }
    }

    @Test
    void absentArgumentsAreNullOrEmpty() throws Exception {
        CompletableFuture<Object> seen = new CompletableFuture<>();
        try (ServerFixture f = serving(seen, r -> {
            assertNull(r.argument("x"));
            assertNull(r.bodyArgument("x"));
            return List.of(r.arguments("x"), r.arguments(), r.argument("x", "d"));
        })) {
            post(f.uri("/f"), null, "");
            assertEquals(List.of(List.of(), Map.of(), "d"), seen.get());
        }
    }

    @Test
    void aMalformedEscapeInTheBodyIsAnsweredWith400() throws Exception {
        CompletableFuture<Object> seen = new CompletableFuture<>();
        try (ServerFixture f = serving(seen, r -> r.argument("body"));
                var log = ExpectLog.of("spindle.general", "BAD_FORM_ENCODING", System.Logger.Level.INFO)) {
            HttpResponse<String> r = post(f.uri("/f"), FORM, "body=100%");
            assertEquals(400, r.statusCode());
            assertTrue(r.body().contains("BAD_FORM_ENCODING"), r.body());
            assertFalse(seen.isDone());
        }
    }

    @Test
    void aMalformedEscapeInTheQueryFailsTheStrictAccessorsOnly() throws Exception {
        CompletableFuture<Object> seen = new CompletableFuture<>();
        try (ServerFixture f = serving(seen, r -> {
            assertEquals("%zz", r.queryParam("x")); // The lenient form keeps it.
            return assertThrows(dev.spindle.http.HttpInputException.class, r::queryArguments).status();
        })) {
            try (RawClient c = f.connect()) { // The JDK's client refuses to send such a target.
                assertEquals(200, c.send("POST /f?x=%zz HTTP/1.1\nHost: x\nContent-Length: 0\n\n").read().status());
            }
            assertEquals(400, seen.get());
        }
    }

    @Test
    void namesMustNotBeNull() throws Exception {
        CompletableFuture<Object> seen = new CompletableFuture<>();
        try (ServerFixture f = serving(seen, r -> List.of(
                assertThrows(NullPointerException.class, () -> r.argument(null)).getMessage(),
                assertThrows(NullPointerException.class, () -> r.arguments((String) null)).getMessage(),
                assertThrows(NullPointerException.class, () -> r.bodyArgument(null)).getMessage()))) {
            post(f.uri("/f"), FORM, "a=1");
            assertEquals(List.of("name", "name", "name"), seen.get());
        }
    }

    @Test
    void contentTypeIsMatchedWithoutCaseAndParameters() {
        assertTrue(RequestArguments.isForm("Application/X-WWW-Form-Urlencoded ; charset=utf-8"));
        assertTrue(RequestArguments.isForm(FORM));
        assertFalse(RequestArguments.isForm("application/x-www-form-urlencoded-not"));
        assertFalse(RequestArguments.isForm("multipart/form-data; boundary=x"));
        assertFalse(RequestArguments.isForm(null));
    }

    @Test
    void toStringShowsWhatWasParsed() throws Exception {
        CompletableFuture<Object> seen = new CompletableFuture<>();
        try (ServerFixture f = serving(seen, r -> {
            RequestArguments a = new RequestArguments(r);
            String before = a.toString();
            a.query();
            return List.of(before, a.toString());
        })) {
            post(f.uri("/f?k=v"), FORM, "");
            assertEquals(List.of("RequestArguments[query unparsed, body unparsed]",
                    "RequestArguments[query [k], body unparsed]"), seen.get());
        }
    }
}
