package dev.spindle.jmh;

import static dev.spindle.runtime.Coroutines.all;
import static dev.spindle.runtime.Coroutines.await;

import dev.spindle.http.HttpResponse;
import dev.spindle.http.client.AsyncHttpClient;
import dev.spindle.http.client.HttpClientOptions;
import dev.spindle.runtime.IOLoop;
import dev.spindle.runtime.LoopGroup;
import java.io.IOException;
import java.net.Socket;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The clients of {@link FanOutBenchmark}, one JMH state each. Each is made per iteration: with
 * {@code connections=new} its pool starts empty, with {@code keepAlive} setup fills it with one
 * untimed fan-out. Teardown first has the server close its side (see {@link FanOutLoad}), then closes.
 *
 * <p><b>Thread-safe:</b> not applicable; JMH confines each state to its benchmark thread.
 */
public final class FanOutClients {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private FanOutClients() {}

    /** Spindle's {@link AsyncHttpClient} on one {@link IOLoop} driven by the benchmark thread. */
    @State(Scope.Thread)
    public static class SpindleOneLoop {
        private IOLoop loop;
        private AsyncHttpClient client;

        @Setup(Level.Iteration)
        public void setUp(FanOutLoad load) {
            loop = IOLoop.create();
            loop.setBlockingThreshold(Duration.ZERO); // Sending 10,000 requests is one long task.
            client = AsyncHttpClient.create(loop, HttpClientOptions.DEFAULTS.withMaxClients(load.requests)
                    .withMaxIdlePerOrigin(load.requests).withRequestTimeout(TIMEOUT).withConnectTimeout(TIMEOUT));
            if (load.keepAlive()) {
                load.check(fanOut(load));
            }
        }

        /** All {@code load.requests} GETs at once; returns how many got a 200. */
        int fanOut(FanOutLoad load) {
            String url = load.url();
            return loop.runSync(() -> {
                List<CompletableFuture<HttpResponse>> fs = new ArrayList<>(load.requests);
                for (int i = 0; i < load.requests; i++) {
                    fs.add(client.fetch(url));
                }
                int ok = 0;
                for (HttpResponse r : await(all(fs))) {
                    ok += r.code() == 200 ? 1 : 0;
                }
                return ok;
            });
        }

        @TearDown(Level.Iteration)
        public void tearDown(FanOutLoad load) throws IOException {
            load.stopServer();
            loop.close(); // Closes the client and its connections.
        }
    }

    /**
     * Spindle's {@code AsyncHttpClient} on a {@link LoopGroup} of one loop per core: the fan-out
     * is split in equal parts, one coroutine per loop sending its part on its loop's pool.
     */
    @State(Scope.Thread)
    public static class SpindleLoopGroup {
        private LoopGroup group;
        private AsyncHttpClient client;

        @Setup(Level.Iteration)
        public void setUp(FanOutLoad load) {
            group = LoopGroup.create();
            group.loops().forEach(l -> l.setBlockingThreshold(Duration.ZERO));
            group.start();
            client = AsyncHttpClient.create(group, HttpClientOptions.DEFAULTS.withMaxIdlePerOrigin(load.requests)
                    .withRequestTimeout(TIMEOUT).withConnectTimeout(TIMEOUT));
            if (load.keepAlive()) {
                load.check(fanOut(load));
            }
        }

        /** All {@code load.requests} GETs at once, spread over the loops; returns how many got a 200. */
        int fanOut(FanOutLoad load) {
            String url = load.url();
            int n = group.size();
            List<CompletableFuture<Integer>> parts = new ArrayList<>(n);
            for (int p = 0; p < n; p++) {
                int share = load.requests / n + (p < load.requests % n ? 1 : 0);
                parts.add(group.loops().get(p).spawn(() -> {
                    List<CompletableFuture<HttpResponse>> fs = new ArrayList<>(share);
                    for (int i = 0; i < share; i++) {
                        fs.add(client.fetch(url));
                    }
                    int ok = 0;
                    for (HttpResponse r : await(all(fs))) {
                        ok += r.code() == 200 ? 1 : 0;
                    }
                    return ok;
                }));
            }
            int ok = 0;
            for (int count : await(all(parts))) {
                ok += count;
            }
            return ok;
        }

        @TearDown(Level.Iteration)
        public void tearDown(FanOutLoad load) throws IOException {
            load.stopServer();
            group.close(); // Closes the client and its connections.
        }
    }

    /** The JDK's {@code java.net.http.HttpClient}, HTTP/1.1, its async API. */
    @State(Scope.Thread)
    public static class Jdk {
        private java.net.http.HttpClient client;
        private java.net.http.HttpRequest request;

        @Setup(Level.Iteration)
        public void setUp(FanOutLoad load) {
            client = java.net.http.HttpClient.newBuilder().version(java.net.http.HttpClient.Version.HTTP_1_1)
                    .connectTimeout(TIMEOUT).build();
            request = java.net.http.HttpRequest.newBuilder(URI.create(load.url())).timeout(TIMEOUT).build();
            if (load.keepAlive()) {
                load.check(fanOut(load));
            }
        }

        int fanOut(FanOutLoad load) {
            List<CompletableFuture<java.net.http.HttpResponse<Void>>> fs = new ArrayList<>(load.requests);
            for (int i = 0; i < load.requests; i++) {
                fs.add(client.sendAsync(request, java.net.http.HttpResponse.BodyHandlers.discarding()));
            }
            int ok = 0;
            for (CompletableFuture<java.net.http.HttpResponse<Void>> f : fs) {
                ok += f.join().statusCode() == 200 ? 1 : 0;
            }
            return ok;
        }

        @TearDown(Level.Iteration)
        public void tearDown(FanOutLoad load) throws IOException {
            load.stopServer();
            client.close();
        }
    }

    /** Blocking sockets, one thread per request: {@link #fanOut} takes the thread-per-task executor. */
    @State(Scope.Thread)
    public static class Blocking {
        /** The connection of each request: opened by setup ({@code keepAlive}) or by the request. */
        private Socket[] sockets;

        @Setup(Level.Iteration)
        public void setUp(FanOutLoad load) throws Exception {
            sockets = new Socket[load.requests];
            if (load.keepAlive()) {
                load.check(fanOut(load, Executors.newVirtualThreadPerTaskExecutor()));
            }
        }

        /** All GETs at once, one task of {@code threads} each; closes {@code threads} when all are done. */
        int fanOut(FanOutLoad load, ExecutorService threads) throws InterruptedException, ExecutionException {
            int port = load.port();
            List<Future<Boolean>> fs = new ArrayList<>(load.requests);
            try (threads) {
                for (int i = 0; i < load.requests; i++) {
                    int k = i;
                    fs.add(threads.submit(() -> {
                        if (sockets[k] == null) {
                            sockets[k] = BlockingGet.connect(port);
                        }
                        return BlockingGet.get(sockets[k]) == 200;
                    }));
                }
            }
            int ok = 0;
            for (Future<Boolean> f : fs) {
                ok += f.get() ? 1 : 0;
            }
            return ok;
        }

        @TearDown(Level.Iteration)
        public void tearDown(FanOutLoad load) throws IOException {
            load.stopServer();
            for (Socket s : sockets) {
                if (s != null) {
                    s.close();
                }
            }
        }
    }
}
