package dev.spindle.http.client;

import static dev.spindle.http.client.Loops.onLoop;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spindle.http.HttpRequest;
import dev.spindle.http.HttpResponse;
import java.io.IOException;
import java.net.ConnectException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The blocking facade, used from plain threads. */
class HttpClientTest {
    @RegisterExtension
    final JdkServer server = new JdkServer();

    @Test
    void fetchBlocksUntilTheResponseIsComplete() {
        HttpResponse r = HttpClient.create().fetch(server.url("/chunked"));
        assertEquals(200, r.code());
        assertEquals("one,two,three", r.bodyText());
    }

    @Test
    void errorStatusThrowsHttpClientException() {
        HttpClientException e = assertThrows(HttpClientException.class,
                () -> HttpClient.create().fetch(server.url("/status/404")));
        assertEquals("HTTP 404: Not Found", e.getMessage());
    }

    @Test
    void refusedConnectionThrowsTheJdkConnectExceptionUnwrapped() throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        HttpClient client = HttpClient.create();
        Throwable e = assertThrows(ConnectException.class, () -> client.fetch("http://127.0.0.1:" + port + "/"));
        assertEquals(ConnectException.class, e.getClass());
    }

    @Test
    void timeoutThrowsHttpTimeoutException() {
        HttpRequest request = HttpRequest.builder(server.url("/hang")).requestTimeout(Duration.ofMillis(100)).build();
        HttpTimeoutException e = assertThrows(HttpTimeoutException.class, () -> HttpClient.create().fetch(request));
        assertTrue(e.getMessage().startsWith("Timeout during request"), e.getMessage());
    }

    @Test
    void clientsMadePerCallAndNeverClosedShareOneThreadAndOneConnection() {
        for (int i = 0; i < 50; i++) {
            assertEquals("hello", HttpClient.create().fetch(server.url("/hello")).bodyText()); // The seed's pattern.
        }
        long loopThreads = Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().equals(SharedLoop.THREAD_NAME)).count();
        assertEquals(1, loopThreads);
        assertTrue(Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().equals(SharedLoop.THREAD_NAME)).allMatch(Thread::isDaemon));
        assertEquals(1, server.connections());
    }

    @Test
    void closeIsIdempotentAndLaterFetchesThrow() {
        HttpClient client = HttpClient.create();
        client.close();
        client.close();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> client.fetch(server.url("/hello")));
        assertEquals("fetch() called on a closed HttpClient; create a new one", e.getMessage());
        assertEquals("hello", HttpClient.create().fetch(server.url("/hello")).bodyText()); // Others unaffected.
        assertTrue(client.toString().startsWith("HttpClient[closed, AsyncHttpClient[IOLoop-"), client.toString());
    }

    @Test
    void clientWithOptionsHasItsOwnPoolAndCloseClosesIt() {
        HttpClient own = HttpClient.create(HttpClientOptions.DEFAULTS.withUserAgent("own/1"));
        assertTrue(own.fetch(server.url("/echo")).bodyText().contains("User-agent: own/1\n"));
        own.fetch(server.url("/echo"));
        assertEquals(1, server.connections());
        own.close();
        HttpClient.create().fetch(server.url("/echo"));
        assertEquals(2, server.connections()); // The shared pool had no connection to this server.
    }

    @Test
    void fetchFromACoroutineThrowsInsteadOfBlockingTheLoop() {
        IllegalStateException e = onLoop(() -> assertThrows(IllegalStateException.class,
                () -> HttpClient.create().fetch(server.url("/hello"))));
        assertTrue(e.getMessage().startsWith("HttpClient.fetch() called from a coroutine or callback of IOLoop-"),
                e.getMessage());
        assertTrue(e.getMessage().endsWith("use AsyncHttpClient.create() and await(client.fetch(...)) instead"),
                e.getMessage());
    }

    @Test
    void interruptingTheWaitingThreadAbortsTheFetch() throws Exception {
        CompletableFuture<Throwable> thrown = new CompletableFuture<>();
        Thread t = Thread.ofPlatform().start(() -> {
            try {
                HttpClient.create().fetch(server.url("/hang"));
                thrown.complete(null);
            } catch (Throwable e) {
                thrown.complete(Thread.currentThread().isInterrupted() ? e : new AssertionError("interrupt lost", e));
            }
        });
        server.hangArrived().join();
        t.interrupt();
        t.join();
        assertSame(CancellationException.class, thrown.get().getClass());
    }

    @Test
    @org.junit.jupiter.api.Timeout(60) // Without the fix the second fetch waits for ever.
    void anInterruptOfTheSharedLoopsThreadDoesNotStopTheClient() throws Exception {
        assertEquals("hello", HttpClient.create().fetch(server.url("/hello")).bodyText()); // The shared loop runs.
        Thread shared = Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().equals(SharedLoop.THREAD_NAME)).findFirst().orElseThrow();
        shared.interrupt();
        assertEquals("hello", HttpClient.create().fetch(server.url("/hello")).bodyText());
        assertTrue(shared.isAlive());
    }
}
