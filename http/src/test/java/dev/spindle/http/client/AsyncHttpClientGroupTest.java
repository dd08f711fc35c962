package dev.spindle.http.client;

import static dev.spindle.runtime.Coroutines.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spindle.http.HttpResponse;
import dev.spindle.runtime.IOLoop;
import dev.spindle.runtime.LoopGroup;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A client on a group of loops: one pool per loop, each fetch on its caller's loop. */
class AsyncHttpClientGroupTest {
    @RegisterExtension
    final JdkServer server = new JdkServer();

    @Test
    void aFetchRunsOnTheLoopOfTheCoroutineThatCallsIt() {
        try (LoopGroup group = LoopGroup.create(2)) {
            group.start();
            AsyncHttpClient client = AsyncHttpClient.create(group);
            for (IOLoop loop : group.loops()) {
                // Twice on each loop: the second fetch reuses that loop's pooled connection.
                for (int i = 0; i < 2; i++) {
                    String ranOn = await(loop.spawn(() -> {
                        CompletableFuture<HttpResponse> f = client.fetch(server.url("/hello"));
                        CompletableFuture<String> completedOn = f.thenApply(r -> IOLoop.current().name());
                        assertEquals("hello", await(f).bodyText());
                        return await(completedOn);
                    }));
                    assertEquals(loop.name(), ranOn);
                }
            }
            assertEquals(2, server.connections(), "one connection per loop, each reused");
            String s = client.toString();
            assertTrue(s.matches("AsyncHttpClient\\[IOLoop-\\d+, active 0, queued 0, 1 idle; IOLoop-\\d+, active 0,"
                    + " queued 0, 1 idle]"), s);
            client.close();
            assertTrue(client.isClosed());
        }
    }

    @Test
    void fetchesFromAThreadOutsideTheGroupAreSpreadOverItsLoops() throws Exception {
        try (LoopGroup group = LoopGroup.create(2)) {
            group.start();
            AsyncHttpClient client = AsyncHttpClient.create(group, HttpClientOptions.DEFAULTS);
            List<CompletableFuture<String>> loops = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                loops.add(client.fetch(server.url("/hello")).thenApply(r -> IOLoop.current().name()));
            }
            Set<String> used = new HashSet<>();
            for (CompletableFuture<String> f : loops) {
                used.add(f.get(10, TimeUnit.SECONDS));
            }
            assertEquals(Set.of(group.loops().get(0).name(), group.loops().get(1).name()), used);
            client.close();
        }
    }

    @Test
    void closingTheGroupClosesTheClient() {
        LoopGroup group = LoopGroup.create(2);
        group.start();
        AsyncHttpClient client = AsyncHttpClient.create(group);
        group.close();
        assertTrue(client.isClosed());
    }
}
