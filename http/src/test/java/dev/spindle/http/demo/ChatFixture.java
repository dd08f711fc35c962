package dev.spindle.http.demo;

import dev.spindle.runtime.IOLoop;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;

/** The chat on a fresh loop running on its own platform thread, on 127.0.0.1 and a free port. */
final class ChatFixture implements AutoCloseable {
    static final String FORM = "application/x-www-form-urlencoded";

    final IOLoop loop = IOLoop.create();
    final ChatServer chat;
    /** The loop's carrier. */
    final Thread thread;
    private final HttpClient client = HttpClient.newHttpClient();

    private ChatFixture(ChatOptions options) {
        chat = ChatServer.start(loop, options);
        thread = Thread.ofPlatform().name("chat-fixture-loop").daemon().start(loop::start);
    }

    /** The chat with the default options, but on a free port. */
    static ChatFixture start() {
        return start(Duration.ofSeconds(60));
    }

    static ChatFixture start(Duration maxWait) {
        ChatOptions d = ChatOptions.DEFAULTS;
        return new ChatFixture(new ChatOptions(0, InetAddress.getLoopbackAddress(), d.buffer(), d.maxMessage(), maxWait));
    }

    static ChatFixture start(ChatOptions options) {
        return new ChatFixture(options);
    }

    int port() {
        return chat.server().port();
    }

    URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port() + path);
    }

    /** POSTs {@code body} with {@code type} (none if null) and returns the answer. */
    HttpResponse<String> post(String path, String type, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(path)).POST(HttpRequest.BodyPublishers.ofString(body));
        if (type != null) {
            b.header("Content-Type", type);
        }
        return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    CompletableFuture<HttpResponse<String>> postAsync(String path, String form) {
        return client.sendAsync(HttpRequest.newBuilder(uri(path)).header("Content-Type", FORM)
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> get(String path) throws Exception {
        return client.send(HttpRequest.newBuilder(uri(path)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Runs {@code body} on the loop and waits for its value. */
    <T> T onLoop(Callable<T> body) {
        CompletableFuture<T> f = new CompletableFuture<>();
        loop.execute(() -> {
            try {
                f.complete(body.call());
            } catch (Throwable e) {
                f.completeExceptionally(e);
            }
        });
        return f.join();
    }

    @Override
    public void close() throws InterruptedException {
        client.close();
        chat.server().close();
        loop.close();
        thread.join(Duration.ofSeconds(10));
    }
}
