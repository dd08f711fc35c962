package dev.spindle.http.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spindle.runtime.IOLoop;
import dev.spindle.runtime.LoopGroup;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** An {@link HttpServer} on a {@link LoopGroup}: each connection on one loop, the connections on all. */
@Timeout(60)
class HttpServerGroupTest {
    @Test
    void everyRequestOfAKeepAliveConnectionRunsOnOneLoopAndTheConnectionsUseEveryLoop() {
        try (LoopGroup group = LoopGroup.create(2)) {
            HttpServer server = HttpServer.create(group)
                    .get("/where", (request, response) -> response.send(IOLoop.current().name()))
                    .listen(0, InetAddress.getLoopbackAddress());
            group.start();
            List<Set<String>> perConnection = new ArrayList<>();
            for (int c = 0; c < 4; c++) {
                try (RawClient client = RawClient.connect(server.port())) {
                    Set<String> loops = new HashSet<>();
                    for (int i = 0; i < 25; i++) {
                        loops.add(client.send("GET /where HTTP/1.1\nHost: x\n\n").read().body());
                    }
                    perConnection.add(loops);
                }
            }
            Set<String> used = new HashSet<>();
            for (Set<String> loops : perConnection) {
                assertEquals(1, loops.size(), perConnection.toString()); // One carrier for all 25 requests.
                used.addAll(loops);
            }
            assertEquals(Set.of(group.loops().get(0).name(), group.loops().get(1).name()), used);
            assertTrue(server.toString().contains(", 2 loops, "), server.toString());
            assertTrue(server.group() == group);
        }
    }

    @Test
    void aGracefulStopWaitsForTheRequestsInFlightOnEveryLoop() throws Exception {
        CompletableFuture<Void> release = new CompletableFuture<>();
        List<CompletableFuture<Void>> started = List.of(new CompletableFuture<>(), new CompletableFuture<>());
        int[] next = {0};
        try (LoopGroup group = LoopGroup.create(2)) {
            HttpServer server = HttpServer.create(group).get("/slow", (request, response) -> {
                synchronized (next) {
                    started.get(next[0]++).complete(null);
                }
                dev.spindle.runtime.Coroutines.await(release);
                response.send("done on " + IOLoop.current().name());
            }).listen(0, InetAddress.getLoopbackAddress());
            group.start();
            try (RawClient a = RawClient.connect(server.port()); RawClient b = RawClient.connect(server.port())) {
                a.send("GET /slow HTTP/1.1\nHost: x\n\n");
                b.send("GET /slow HTTP/1.1\nHost: x\n\n");
                CompletableFuture.allOf(started.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);
                CompletableFuture<Void> stopped = server.stop(Duration.ofSeconds(30));
                assertTrue(!stopped.isDone());
                // stop() reaches each loop through its queue. A handler may not have parked in
                // await(release) yet (its carrier was preempted after started); a callback queued
                // after the stop runs only once the handler has parked and the stop has run there.
                for (IOLoop l : group.loops()) {
                    CompletableFuture<Void> after = new CompletableFuture<>();
                    l.execute(() -> after.complete(null));
                    after.get(10, TimeUnit.SECONDS);
                }
                release.complete(null);
                RawClient.Response ra = a.read();
                RawClient.Response rb = b.read();
                assertEquals("close", ra.header("Connection"));
                assertTrue(!ra.body().equals(rb.body()), ra.body() + " / " + rb.body()); // One on each loop.
                stopped.get(10, TimeUnit.SECONDS);
            }
        }
    }

    @Test
    void routesCannotBeAddedOnceTheGroupRuns() {
        try (LoopGroup group = LoopGroup.create(1)) {
            HttpServer server = HttpServer.create(group);
            group.start();
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> server.get("/late", (request, response) -> { }));
            assertTrue(e.getMessage().contains("add every route before the group starts"), e.getMessage());
        }
    }
}
