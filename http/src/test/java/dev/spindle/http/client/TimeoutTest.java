package dev.spindle.http.client;

import static dev.spindle.http.client.Loops.onLoop;
import static dev.spindle.runtime.Coroutines.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spindle.http.HttpRequest;
import dev.spindle.http.HttpResponse;
import dev.spindle.http.client.HttpTimeoutException.Phase;
import dev.spindle.runtime.IOLoop;
import dev.spindle.runtime.TimeoutException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Each kind of timeout, and what its message says. */
class TimeoutTest {
    @RegisterExtension
    final JdkServer server = new JdkServer();

    @Test
    void requestTimeoutWhileWaitingForTheResponseSaysDuringRequest() {
        HttpRequest request = HttpRequest.builder(server.url("/hang")).requestTimeout(Duration.ofMillis(200)).build();
        HttpTimeoutException e = onLoop(() -> assertThrows(HttpTimeoutException.class,
                () -> await(AsyncHttpClient.create().fetch(request))));
        assertEquals("Timeout during request after 200 ms: GET " + server.url("/hang"), e.getMessage());
        assertEquals(Phase.REQUEST, e.phase());
        assertEquals(Duration.ofMillis(200), e.timeout());
        assertInstanceOf(TimeoutException.class, e);
    }

    @Test
    void requestTimeoutInTheMiddleOfTheBodySaysDuringRequest() throws IOException {
        CompletableFuture<Void> done = new CompletableFuture<>();
        try (RawServer raw = new RawServer((s, n) -> {
            RawServer.readHead(s.getInputStream());
            RawServer.write(s, "HTTP/1.1 200 OK\nContent-Length: 100\n\nthe first bytes");
            done.join();
        })) {
            HttpRequest request = HttpRequest.builder(raw.url("/")).requestTimeout(Duration.ofMillis(200)).build();
            TimeoutException e = onLoop(() -> assertThrows(TimeoutException.class,
                    () -> await(AsyncHttpClient.create().fetch(request))));
            assertTrue(e.getMessage().startsWith("Timeout during request after 200 ms"), e.getMessage());
        } finally {
            done.complete(null);
        }
    }

    @Test
    void connectTimeoutSaysWhileConnecting() throws IOException {
        // A listening socket that never accepts, with its accept queue full: the kernel drops
        // further SYNs, so a connect neither succeeds nor fails.
        List<SocketChannel> fillers = new ArrayList<>();
        try (ServerSocket full = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            for (int i = 0; i < 4; i++) {
                SocketChannel c = SocketChannel.open();
                c.configureBlocking(false);
                c.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), full.getLocalPort()));
                fillers.add(c);
            }
            String url = "http://127.0.0.1:" + full.getLocalPort() + "/";
            HttpRequest request = HttpRequest.builder(url).connectTimeout(Duration.ofMillis(300)).build();
            HttpTimeoutException e = onLoop(() -> assertThrows(HttpTimeoutException.class,
                    () -> await(AsyncHttpClient.create().fetch(request))));
            assertEquals("Timeout while connecting after 300 ms: GET " + url, e.getMessage());
            assertEquals(Phase.CONNECT, e.phase());
        } finally {
            for (SocketChannel c : fillers) {
                c.close();
            }
        }
    }

    @Test
    void queuedRequestTimesOutInTheQueue() {
        onLoop(() -> {
            AsyncHttpClient client = AsyncHttpClient.create(IOLoop.current(), HttpClientOptions.DEFAULTS.withMaxClients(1));
            CompletableFuture<HttpResponse> busy = client.fetch(server.url("/hang"));
            HttpRequest queued = HttpRequest.builder(server.url("/hello")).connectTimeout(Duration.ofMillis(150)).build();
            HttpTimeoutException e = assertThrows(HttpTimeoutException.class, () -> await(client.fetch(queued)));
            assertEquals("Timeout in request queue after 150 ms: GET " + server.url("/hello"), e.getMessage());
            assertEquals(Phase.QUEUE, e.phase());
            busy.cancel(true);
            client.close();
            return null;
        });
    }

    @Test
    void requestTimeoutCountsFromFetchWithTheQueueIncluded() {
        // The second request waits 400 ms for the first to time out, then hangs too: it must fail
        // 600 ms after its fetch() (Tornado's request_timeout), not 600 ms after leaving the queue.
        onLoop(() -> {
            AsyncHttpClient client = AsyncHttpClient.create(IOLoop.current(), HttpClientOptions.DEFAULTS.withMaxClients(1));
            HttpRequest first = HttpRequest.builder(server.url("/hang")).requestTimeout(Duration.ofMillis(400)).build();
            HttpRequest second = HttpRequest.builder(server.url("/hang")).requestTimeout(Duration.ofMillis(600)).build();
            IOLoop loop = IOLoop.current();
            CompletableFuture<HttpResponse> a = client.fetch(first);
            long start = loop.time();
            CompletableFuture<HttpResponse> b = client.fetch(second);
            // Timers fire in deadline order however late the loop runs: b's 600 ms from fetch()
            // must come before this one, 1000 ms from fetch() (400 ms queued + 600 ms).
            boolean[] tooLate = {false};
            loop.callAt(start + 1_000_000_000L, () -> tooLate[0] = true);
            assertThrows(HttpTimeoutException.class, () -> await(a));
            HttpTimeoutException e = assertThrows(HttpTimeoutException.class, () -> await(b));
            assertTrue(loop.time() - start >= 600_000_000L, "timed out early");
            assertFalse(tooLate[0], "the queue's 400 ms were not counted");
            assertEquals(Phase.REQUEST, e.phase());
            client.close();
            return null;
        });
    }

    @Test
    void timedOutRequestGivesItsSlotBackAndItsConnectionIsNotReused() {
        HttpResponse r = onLoop(() -> {
            AsyncHttpClient client = AsyncHttpClient.create(IOLoop.current(), HttpClientOptions.DEFAULTS.withMaxClients(1));
            HttpRequest hang = HttpRequest.builder(server.url("/hang")).requestTimeout(Duration.ofMillis(100)).build();
            assertThrows(HttpTimeoutException.class, () -> await(client.fetch(hang)));
            HttpResponse ok = await(client.fetch(server.url("/hello")));
            client.close();
            return ok;
        });
        assertEquals("hello", r.bodyText());
        assertEquals(2, server.connections());
    }

    @Test
    void clientDefaultsApplyToRequestsThatSetNoTimeout() {
        onLoop(() -> {
            AsyncHttpClient client = AsyncHttpClient.create(IOLoop.current(),
                    HttpClientOptions.DEFAULTS.withRequestTimeout(Duration.ofMillis(150)));
            HttpTimeoutException e = assertThrows(HttpTimeoutException.class,
                    () -> await(client.fetch(server.url("/hang"))));
            assertEquals(Duration.ofMillis(150), e.timeout());
            client.close();
            return null;
        });
    }
}
