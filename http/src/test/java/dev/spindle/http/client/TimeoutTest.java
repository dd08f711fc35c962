package dev.spindle.http.client;

import static dev.spindle.runtime.Coroutines.await;
import static dev.spindle.runtime.Coroutines.sleep;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spindle.http.HttpRequest;
import dev.spindle.http.HttpResponse;
import dev.spindle.http.client.HttpTimeoutException.Phase;
import dev.spindle.runtime.IOLoop;
import dev.spindle.runtime.TimeoutException;
import dev.spindle.runtime.net.TcpServer;
import dev.spindle.runtime.testing.LoopTest;
import dev.spindle.runtime.testing.VirtualTime;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * Each kind of timeout, and what its message says. The tests run on a virtual clock, with their
 * servers on the client's own loop (or none that ever answers), so every timeout fires at its
 * exact virtual time without a real wait, however loaded the machine.
 */
@LoopTest(virtualTime = true)
class TimeoutTest {
    /*
     * A real server on the loop that never answers, and a request under a ten-minute timeout: the
     * ten virtual minutes pass as soon as the loop has given the silent socket its I/O quantum.
     */
    @Test
    void requestTimeoutWhileWaitingForTheResponseSaysDuringRequest(IOLoop loop) {
        try (LoopServer server = new LoopServer()) {
            long realStart = System.nanoTime();
            long start = loop.time();
            HttpRequest request = HttpRequest.builder(server.url("/hang")).requestTimeout(Duration.ofMinutes(10)).build();
            HttpTimeoutException e = assertThrows(HttpTimeoutException.class,
                    () -> await(AsyncHttpClient.create().fetch(request)));
            assertEquals(Duration.ofMinutes(10), Duration.ofNanos(loop.time() - start), "at the timeout, not later");
            System.out.println("a virtual 10-minute request timeout took " + Duration.ofNanos(System.nanoTime() - realStart)
                    + " of real time");
            assertEquals("Timeout during request after 600000 ms: GET " + server.url("/hang"), e.getMessage());
            assertEquals(Phase.REQUEST, e.phase());
            assertEquals(Duration.ofMinutes(10), e.timeout());
            assertInstanceOf(TimeoutException.class, e);
        }
    }

    @Test
    void requestTimeoutInTheMiddleOfTheBodySaysDuringRequest(IOLoop loop) {
        // A raw server on the loop sends the head and the first bytes of the body, then nothing.
        CompletableFuture<Void> served = new CompletableFuture<>();
        TcpServer raw = TcpServer.create(loop, (stream, address) -> {
            try {
                await(stream.readUntil("\r\n\r\n", 64 * 1024));
                await(stream.write(RawServer.crlf("HTTP/1.1 200 OK\nContent-Length: 100\n\nthe first bytes")
                        .getBytes(StandardCharsets.ISO_8859_1)));
                await(stream.readUntilClose()); // Until the client gives up.
            } finally {
                served.complete(null);
            }
        }).listen(0, InetAddress.getLoopbackAddress());
        try {
            long start = loop.time();
            HttpRequest request = HttpRequest.builder("http://127.0.0.1:" + raw.port() + "/")
                    .requestTimeout(Duration.ofSeconds(30)).build();
            TimeoutException e = assertThrows(TimeoutException.class, () -> await(AsyncHttpClient.create().fetch(request)));
            assertTrue(e.getMessage().startsWith("Timeout during request after 30000 ms"), e.getMessage());
            assertEquals(Duration.ofSeconds(30), Duration.ofNanos(loop.time() - start));
            await(served);
        } finally {
            raw.stop();
        }
    }

    @Test
    void connectTimeoutSaysWhileConnecting(IOLoop loop) throws IOException {
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
            long start = loop.time();
            HttpRequest request = HttpRequest.builder(url).connectTimeout(Duration.ofSeconds(15)).build();
            HttpTimeoutException e = assertThrows(HttpTimeoutException.class,
                    () -> await(AsyncHttpClient.create().fetch(request)));
            assertEquals("Timeout while connecting after 15000 ms: GET " + url, e.getMessage());
            assertEquals(Phase.CONNECT, e.phase());
            assertEquals(Duration.ofSeconds(15), Duration.ofNanos(loop.time() - start));
        } finally {
            for (SocketChannel c : fillers) {
                c.close();
            }
        }
    }

    @Test
    void queuedRequestTimesOutInTheQueue(IOLoop loop) {
        try (LoopServer server = new LoopServer()) {
            AsyncHttpClient client = AsyncHttpClient.create(loop, HttpClientOptions.DEFAULTS.withMaxClients(1));
            CompletableFuture<HttpResponse> busy = client.fetch(server.url("/hang"));
            long start = loop.time();
            HttpRequest queued = HttpRequest.builder(server.url("/hello")).connectTimeout(Duration.ofSeconds(15)).build();
            HttpTimeoutException e = assertThrows(HttpTimeoutException.class, () -> await(client.fetch(queued)));
            assertEquals("Timeout in request queue after 15000 ms: GET " + server.url("/hello"), e.getMessage());
            assertEquals(Phase.QUEUE, e.phase());
            assertEquals(Duration.ofSeconds(15), Duration.ofNanos(loop.time() - start));
            busy.cancel(true);
            client.close();
        }
    }

    @Test
    void requestTimeoutCountsFromFetchWithTheQueueIncluded(IOLoop loop) {
        // The second request waits 4 s for the first to time out, then hangs too: it must fail 6 s
        // after its fetch() (Tornado's request_timeout), not 6 s after leaving the queue.
        try (LoopServer server = new LoopServer()) {
            AsyncHttpClient client = AsyncHttpClient.create(loop, HttpClientOptions.DEFAULTS.withMaxClients(1));
            HttpRequest first = HttpRequest.builder(server.url("/hang")).requestTimeout(Duration.ofSeconds(4)).build();
            HttpRequest second = HttpRequest.builder(server.url("/hang")).requestTimeout(Duration.ofSeconds(6)).build();
            CompletableFuture<HttpResponse> a = client.fetch(first);
            long start = loop.time();
            CompletableFuture<HttpResponse> b = client.fetch(second);
            assertThrows(HttpTimeoutException.class, () -> await(a));
            assertEquals(Duration.ofSeconds(4), Duration.ofNanos(loop.time() - start));
            HttpTimeoutException e = assertThrows(HttpTimeoutException.class, () -> await(b));
            assertEquals(Duration.ofSeconds(6), Duration.ofNanos(loop.time() - start), "the queue's 4 s were counted");
            assertEquals(Phase.REQUEST, e.phase());
            client.close();
        }
    }

    @Test
    void timedOutRequestGivesItsSlotBackAndItsConnectionIsNotReused(IOLoop loop) {
        try (LoopServer server = new LoopServer()) {
            AsyncHttpClient client = AsyncHttpClient.create(loop, HttpClientOptions.DEFAULTS.withMaxClients(1));
            HttpRequest hang = HttpRequest.builder(server.url("/hang")).requestTimeout(Duration.ofMinutes(1)).build();
            assertThrows(HttpTimeoutException.class, () -> await(client.fetch(hang)));
            HttpResponse ok = await(client.fetch(server.url("/hello")));
            client.close();
            assertEquals("hello", ok.bodyText());
            assertEquals(2, server.connections());
            assertEquals(Duration.ofMinutes(1), VirtualTime.elapsed(loop), "the second request did not wait");
        }
    }

    @Test
    void aPooledConnectionIdleForTheIdleTimeoutIsClosedAndTheNextFetchOpensANewOne(IOLoop loop) {
        try (LoopServer server = new LoopServer()) {
            AsyncHttpClient client = AsyncHttpClient.create(loop,
                    HttpClientOptions.DEFAULTS.withIdleTimeout(Duration.ofSeconds(30)));
            assertEquals("hello", await(client.fetch(server.url("/hello"))).bodyText());
            sleep(Duration.ofSeconds(29));
            assertEquals("hello", await(client.fetch(server.url("/hello"))).bodyText());
            assertEquals(1, server.connections(), "reused within its idle timeout");
            sleep(Duration.ofSeconds(31)); // Idle since the second fetch: closed at 30 s.
            assertEquals("hello", await(client.fetch(server.url("/hello"))).bodyText());
            assertEquals(2, server.connections(), "a new connection after the idle timeout");
            client.close();
        }
    }

    @Test
    void clientDefaultsApplyToRequestsThatSetNoTimeout(IOLoop loop) {
        try (LoopServer server = new LoopServer()) {
            AsyncHttpClient client = AsyncHttpClient.create(loop,
                    HttpClientOptions.DEFAULTS.withRequestTimeout(Duration.ofMinutes(3)));
            long start = loop.time();
            HttpTimeoutException e = assertThrows(HttpTimeoutException.class,
                    () -> await(client.fetch(server.url("/hang"))));
            assertEquals(Duration.ofMinutes(3), e.timeout());
            assertEquals(Duration.ofMinutes(3), Duration.ofNanos(loop.time() - start));
            client.close();
        }
    }
}
