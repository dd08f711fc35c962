package dev.spindle.http.demo;

import static dev.spindle.http.demo.ChatFixture.FORM;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The chat's wire format, end to end over loopback with the JDK's HTTP client. */
@Timeout(60)
class ChatServerTest {
    @SuppressWarnings("unchecked")
    private static Map<String, Object> json(HttpResponse<String> r) {
        assertEquals("application/json; charset=utf-8", r.headers().firstValue("Content-Type").orElse(null), r.body());
        return (Map<String, Object>) JsonReader.parse(r.body());
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> messages(HttpResponse<String> r) {
        assertEquals(200, r.statusCode(), r.body());
        return (List<Map<String, Object>>) json(r).get("messages");
    }

    @Test
    void newMessageAnswersItsIdBodyAndEscapedHtml() throws Exception {
        try (ChatFixture f = ChatFixture.start()) {
            HttpResponse<String> r = f.post("/a/message/new", FORM, "body=%3Cb%3Ehi%3C%2Fb%3E+%26+caf%C3%A9&_xsrf=ignored");
            assertEquals(200, r.statusCode());
            Map<String, Object> m = json(r);
            assertEquals(List.of("id", "body", "html"), List.copyOf(m.keySet()));
            assertEquals("<b>hi</b> & café", m.get("body"));
            assertEquals("<div class=\"message\" id=\"m" + m.get("id") + "\">&lt;b&gt;hi&lt;/b&gt; &amp; café</div>", m.get("html"));
            assertFalse(r.body().contains("<"), "no raw '<' in the JSON text: " + r.body());
        }
    }

    @Test
    void newMessageAcceptsAJsonBody() throws Exception {
        try (ChatFixture f = ChatFixture.start()) {
            HttpResponse<String> r = f.post("/a/message/new", "application/json", "{\"body\": \"from \\\"JSON\\\" \\u00e9\"}");
            assertEquals(200, r.statusCode(), r.body());
            assertEquals("from \"JSON\" é", json(r).get("body"));
        }
    }

    @Test
    void badMessagesGet400WithAClearMessage() throws Exception {
        try (ChatFixture f = ChatFixture.start()) {
            String tooLong = "x".repeat(4097);
            Object[][] cases = {
                {FORM, "other=1", "missing field: body"},
                {FORM, "body=", "empty message"},
                {FORM, "body=+%20%09", "empty message"},
                {FORM, "body=" + tooLong, "message too long: 4097 bytes, the limit is 4096"},
                {FORM, "body=%C3%A9" + "x".repeat(4095), "message too long: 4097 bytes"},
                {FORM, "body=100%", "malformed percent-escape \"%\""},
                {FORM, "body=%FF", "not UTF-8"},
                {FORM, "body=a&next=//evil.example/", "next must be a path on this server"},
                {FORM, "body=a&next=http://evil.example/", "next must be a path on this server"},
                {null, "body=a", "missing field: body"},
                {"application/json", "{\"body\": 7}", "JSON member \"body\" must be a string"},
                {"application/json", "[\"body\"]", "must be an object"},
                {"application/json", "{\"body\": \"a\",}", "invalid JSON at offset"},
                {"application/json", "{}", "missing field: body"},
            };
            for (Object[] c : cases) {
                HttpResponse<String> r = f.post("/a/message/new", (String) c[0], (String) c[1]);
                assertEquals(400, r.statusCode(), c[1] + " -> " + r.body());
                String error = (String) json(r).get("error");
                assertTrue(error.contains((String) c[2]), c[1] + " -> " + error);
            }
            assertEquals(0, f.onLoop(() -> f.chat.buffer().size()), "no bad message was kept");
            assertEquals(200, f.post("/a/message/new", FORM, "body=" + "x".repeat(4096)).statusCode());
        }
    }

    @Test
    void aRequestBodyOverTheServersLimitGets413() throws Exception {
        try (ChatFixture f = ChatFixture.start()) {
            long limit = ChatOptions.DEFAULTS.maxRequestBody();
            HttpResponse<String> r = f.post("/a/message/new", FORM, "body=" + "x".repeat((int) limit));
            assertEquals(413, r.statusCode());
        }
    }

    @Test
    void nextRedirectsAsTornadosFormPostsExpect() throws Exception {
        try (ChatFixture f = ChatFixture.start()) {
            HttpResponse<String> r = f.post("/a/message/new", FORM, "body=no+script&next=%2F");
            assertEquals(302, r.statusCode());
            assertEquals("/", r.headers().firstValue("Location").orElseThrow());
            assertEquals("no script", messages(f.post("/a/message/updates", FORM, "")).getFirst().get("body"));
        }
    }

    @Test
    void updatesAnswerAtOnceWithTheMessagesAfterTheCursorInOrder() throws Exception {
        try (ChatFixture f = ChatFixture.start()) {
            List<String> ids = new java.util.ArrayList<>();
            for (String body : List.of("one", "two", "three")) {
                ids.add((String) json(f.post("/a/message/new", FORM, "body=" + body)).get("id"));
            }
            List<Map<String, Object>> all = messages(f.post("/a/message/updates", FORM, ""));
            assertEquals(List.of("one", "two", "three"), all.stream().map(m -> m.get("body")).toList());
            assertEquals(ids, all.stream().map(m -> m.get("id")).toList());
            List<Map<String, Object>> newer = messages(f.post("/a/message/updates", FORM, "cursor=" + ids.get(0)));
            assertEquals(List.of("two", "three"), newer.stream().map(m -> m.get("body")).toList());
            assertEquals(3, messages(f.post("/a/message/updates", FORM, "cursor=unknown")).size());
            assertEquals(3, messages(f.post("/a/message/updates?cursor=" + ids.get(2), FORM, "cursor=")).size(),
                    "the body's empty cursor is the last value, as get_argument reads it");
            assertEquals(400, f.post("/a/message/updates", FORM, "cursor=%zz").statusCode());
        }
    }

    @Test
    void aCursorOlderThanTheBufferGetsTheWholeBuffer() throws Exception {
        ChatOptions small = new ChatOptions(0, InetAddress.getLoopbackAddress(), 2, 4096, Duration.ofSeconds(60));
        try (ChatFixture f = ChatFixture.start(small)) {
            String first = (String) json(f.post("/a/message/new", FORM, "body=1")).get("id");
            f.post("/a/message/new", FORM, "body=2");
            f.post("/a/message/new", FORM, "body=3");
            List<Map<String, Object>> m = messages(f.post("/a/message/updates", FORM, "cursor=" + first));
            assertEquals(List.of("2", "3"), m.stream().map(x -> x.get("body")).toList());
        }
    }

    @Test
    void aWaitingPollGetsTheNextMessageWhenItIsPosted() throws Exception {
        try (ChatFixture f = ChatFixture.start()) {
            CompletableFuture<HttpResponse<String>> poll = f.postAsync("/a/message/updates", "");
            f.chat.whenWaiters(1).join();
            assertFalse(poll.isDone());
            String id = (String) json(f.post("/a/message/new", FORM, "body=news")).get("id");
            List<Map<String, Object>> got = messages(poll.join());
            assertEquals(List.of(Map.of("id", id, "body", "news", "html",
                    "<div class=\"message\" id=\"m" + id + "\">news</div>")), got);
            f.chat.whenWaiters(0).join();
        }
    }

    @Test
    void aWaitIsCappedAndAnsweredWithNoMessages() throws Exception {
        try (ChatFixture f = ChatFixture.start(Duration.ofMillis(200))) {
            String id = (String) json(f.post("/a/message/new", FORM, "body=old")).get("id");
            HttpResponse<String> r = f.post("/a/message/updates", FORM, "cursor=" + id);
            assertEquals(List.of(), messages(r));
            assertEquals("{\"messages\":[]}", r.body());
        }
    }

    @Test
    void thePageItsScriptAndStyleAreServedFromTheClasspath() throws Exception {
        try (ChatFixture f = ChatFixture.start()) {
            HttpResponse<String> page = f.get("/");
            assertEquals(200, page.statusCode());
            assertEquals("text/html; charset=utf-8", page.headers().firstValue("Content-Type").orElseThrow());
            assertEquals(StaticFile.POLICY, page.headers().firstValue("Content-Security-Policy").orElseThrow());
            assertTrue(page.body().contains("<script src=\"/static/chat.js\"></script>"));
            assertFalse(page.body().matches("(?s).*(src|href)=\"(https?:)?//.*"), "nothing from another origin");
            HttpResponse<String> js = f.get("/static/chat.js");
            assertEquals("text/javascript; charset=utf-8", js.headers().firstValue("Content-Type").orElseThrow());
            assertTrue(js.body().contains("/a/message/updates") && js.body().contains("textContent"));
            assertFalse(js.body().contains("innerHTML"), "message text is never parsed as HTML");
            assertEquals("text/css; charset=utf-8", f.get("/static/chat.css").headers().firstValue("Content-Type").orElseThrow());
            assertEquals(404, f.get("/static/missing.js").statusCode());
        }
    }

    @Test
    void runPrintsUsageAndReturns2ForABadOption() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        assertEquals(2, ChatServer.run(new String[] {"--prot", "1"}, new PrintStream(out), new PrintStream(err), () -> {}));
        String e = err.toString(StandardCharsets.UTF_8);
        assertTrue(e.startsWith("ChatServer: unknown option: --prot\n"), e);
        assertTrue(e.contains(ChatOptions.USAGE), e);
        assertEquals("", out.toString(StandardCharsets.UTF_8));
        assertEquals(0, ChatServer.run(new String[] {"--help"}, new PrintStream(out), new PrintStream(err), () -> {}));
        assertEquals(ChatOptions.USAGE + "\n", out.toString(StandardCharsets.UTF_8));
    }

    @Test
    void runReturns1WhenThePortIsTaken() throws Exception {
        try (ChatFixture f = ChatFixture.start()) {
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            int status = ChatServer.run(new String[] {"--port", String.valueOf(f.port())}, new PrintStream(new ByteArrayOutputStream()),
                    new PrintStream(err), () -> {});
            assertEquals(1, status);
            assertTrue(err.toString(StandardCharsets.UTF_8).startsWith("ChatServer: cannot listen on 127.0.0.1:" + f.port()),
                    err.toString(StandardCharsets.UTF_8));
        }
    }

    @Test
    void startRejectsNullsAndToStringShowsUrlAndBuffer() throws Exception {
        assertThrows(NullPointerException.class, () -> ChatServer.start(null, ChatOptions.DEFAULTS));
        try (ChatFixture f = ChatFixture.start()) {
            assertEquals("ChatServer[http://127.0.0.1:" + f.port() + "/, MessageBuffer[0 of 200 messages, waiters=0]]",
                    f.chat.toString());
            assertNotEquals(0, f.port());
        }
    }
}
