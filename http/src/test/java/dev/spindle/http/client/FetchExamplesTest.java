package dev.spindle.http.client;

import static dev.spindle.http.client.FetchExamples.asyncFetchManual;
import static dev.spindle.http.client.FetchExamples.asynchronousFetch;
import static dev.spindle.http.client.FetchExamples.synchronousFetch;
import static dev.spindle.http.client.Loops.onLoop;
import static dev.spindle.runtime.Coroutines.await;
import static dev.spindle.runtime.Coroutines.spawn;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Runs the seed's examples against the JDK's HTTP server. */
class FetchExamplesTest {
    @RegisterExtension
    final JdkServer server = new JdkServer();

    @Test
    void synchronousFetchReturnsTheBodyOnAPlainThread() {
        assertEquals("hello", synchronousFetch(server.url("/hello")));
    }

    @Test
    void asynchronousFetchReturnsItsFutureBeforeTheFetchCompletes() {
        String body = onLoop(() -> {
            CompletableFuture<String> f = spawn(() -> asynchronousFetch(server.url("/hello")));
            assertFalse(f.isDone()); // The coroutine has not even started: spawn returned at once.
            return await(f);
        });
        assertEquals("hello", body);
    }

    @Test
    void asyncFetchManualCompletesItsFutureFromTheCallback() {
        String body = onLoop(() -> {
            CompletableFuture<String> f = asyncFetchManual(server.url("/hello"));
            assertFalse(f.isDone());
            return await(f);
        });
        assertEquals("hello", body);
    }

    @Test
    void eachExampleFailsWithTheSameHttpClientException() {
        String url = server.url("/status/404");
        assertEquals(404, assertThrows(HttpClientException.class, () -> synchronousFetch(url)).code());
        onLoop(() -> {
            assertEquals(404, assertThrows(HttpClientException.class,
                    () -> await(spawn(() -> asynchronousFetch(url)))).code());
            assertEquals(404, assertThrows(HttpClientException.class, () -> await(asyncFetchManual(url))).code());
            return null;
        });
    }

    @Test
    void examplesCalledOverAndOverUseOnePooledConnection() {
        for (int i = 0; i < 5; i++) {
            synchronousFetch(server.url("/hello"));
        }
        onLoop(() -> {
            for (int i = 0; i < 5; i++) {
                await(spawn(() -> asynchronousFetch(server.url("/hello"))));
                await(asyncFetchManual(server.url("/hello")));
            }
            return null;
        });
        assertEquals(2, server.connections()); // One for the blocking client's loop, one for this loop.
    }
}
