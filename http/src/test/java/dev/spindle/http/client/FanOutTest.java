package dev.spindle.http.client;

import static dev.spindle.runtime.Coroutines.all;
import static dev.spindle.runtime.Coroutines.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spindle.http.HttpResponse;
import dev.spindle.runtime.IOLoop;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * 10,000 concurrent fetches from one loop, all in flight at once, against a server that answers
 * each after 100 ms. The server runs in a child JVM ({@link DelayServer}): 10,000 client sockets
 * here and 10,000 server sockets there stay under the limit of 20,000 descriptors per process.
 * Timings are printed for information; the benchmark with baselines is
 * {@code jmh/.../FanOutBenchmark}.
 */
class FanOutTest {
    private static final int N = 10_000;

    @Test
    void tenThousandConcurrentFetchesOnTheDefaultSharedClientAllSucceedAndAreAllInFlightAtOnce() throws Exception {
        // What a new user writes: the loop's shared client, default options, 10,000 fetches at once.
        try (ChildServer server = ChildServer.java(DelayServer.class, "100"); IOLoop loop = IOLoop.create()) {
            String url = server.url("/");
            long start = System.nanoTime();
            List<HttpResponse> rs = loop.runSync(() -> fanOut(AsyncHttpClient.create(), url), Duration.ofSeconds(120));
            long ms = (System.nanoTime() - start) / 1_000_000;
            assertAllOk(rs);
            // Nothing was held back: the server had all 10,000 connections open at once.
            assertEquals(N, rs.stream().mapToInt(FanOutTest::openConnections).max().orElse(0));
            System.out.printf("FanOutTest: %d fetches on the default shared client, %d ms%n", N, ms);
        }
    }

    @Test
    void tenThousandConcurrentFetchesFromOneLoopThenReuseThePool() throws Exception {
        try (ChildServer server = ChildServer.java(DelayServer.class, "100"); IOLoop loop = IOLoop.create()) {
            AsyncHttpClient client = AsyncHttpClient.create(loop, HttpClientOptions.DEFAULTS.withMaxIdlePerOrigin(N)
                    .withConnectTimeout(Duration.ofSeconds(60)).withRequestTimeout(Duration.ofSeconds(60)));
            String url = server.url("/");

            long start = System.nanoTime();
            List<HttpResponse> cold = loop.runSync(() -> fanOut(client, url), Duration.ofSeconds(120));
            long coldMs = (System.nanoTime() - start) / 1_000_000;
            assertAllOk(cold);
            assertEquals(N, cold.stream().mapToInt(FanOutTest::openConnections).max().orElse(0));
            assertTrue(client.toString().endsWith(", " + N + " idle]"), client.toString());

            start = System.nanoTime();
            List<HttpResponse> warm = loop.runSync(() -> fanOut(client, url), Duration.ofSeconds(120));
            long warmMs = (System.nanoTime() - start) / 1_000_000;
            assertAllOk(warm);
            assertTrue(warm.stream().allMatch(r -> r.timing().reusedConnection()));
            assertEquals(N, warm.stream().mapToInt(FanOutTest::openConnections).max().orElse(0));
            System.out.printf("FanOutTest: %d fetches, new connections %d ms, pooled connections %d ms%n", N,
                    coldMs, warmMs);
            client.close();
        }
    }

    private static List<HttpResponse> fanOut(AsyncHttpClient client, String url) {
        List<CompletableFuture<HttpResponse>> fs = new ArrayList<>(N);
        for (int i = 0; i < N; i++) {
            fs.add(client.fetch(url));
        }
        return await(all(fs));
    }

    private static void assertAllOk(List<HttpResponse> rs) {
        assertEquals(N, rs.size());
        assertEquals(N, rs.stream().filter(r -> r.code() == 200 && r.bodyText().equals("ok")).count());
    }

    private static int openConnections(HttpResponse r) {
        return Integer.parseInt(r.headers().get("X-Connections"));
    }
}
