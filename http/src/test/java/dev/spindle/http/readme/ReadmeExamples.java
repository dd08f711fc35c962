package dev.spindle.http.readme;

import static dev.spindle.runtime.Coroutines.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.spindle.http.HttpRequest;
import dev.spindle.http.HttpResponse;
import dev.spindle.http.client.AsyncHttpClient;
import dev.spindle.http.client.HttpClientOptions;
import dev.spindle.http.client.HttpTimeoutException;
import dev.spindle.http.server.HttpServer;
import dev.spindle.http.server.HttpServerOptions;
import dev.spindle.runtime.IOLoop;
import dev.spindle.runtime.LoopGroup;
import dev.spindle.runtime.net.IoStream;
import dev.spindle.runtime.net.TcpClient;
import dev.spindle.runtime.net.TcpServer;
import dev.spindle.runtime.net.TlsOptions;
import dev.spindle.runtime.net.TlsStream;
import dev.spindle.runtime.sync.Condition;
import dev.spindle.runtime.sync.Lock;
import dev.spindle.runtime.sync.Queue;
import dev.spindle.runtime.testing.LoopTest;
import dev.spindle.runtime.testing.Steps;
import dev.spindle.runtime.testing.TestCertificates;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.Test;

/**
 * Every Java block of the README, compiled: each method below holds one block line for line
 * ({@link ReadmeSnippetsTest} checks that the README's blocks stand here or in
 * {@code FetchExamples}), and the fields and helpers give the names the blocks use. Compiled, not
 * run: the README's examples listen on fixed ports.
 *
 * <p><b>Thread-safe:</b> not applicable; nothing here runs.
 */
@SuppressWarnings({"unused", "UnusedAssignment"})
abstract class ReadmeExamples {
    /** What the blocks fetch, read or call. */
    String url = "http://127.0.0.1:8888/";
    String base = "http://127.0.0.1:8888";
    Path path = Path.of("data.bin");
    IOLoop loop;
    Condition newMessage;
    String lastMessage;
    Users users;
    long balance;
    long amount;
    SSLContext companyCa;

    abstract String fetchTitle(String url);

    abstract String fetchText(String url);

    abstract CompletableFuture<Config> loadConfig();

    abstract CompletableFuture<String> fetch();

    abstract void awaitShutdown();

    interface Users {
        CompletableFuture<User> find(String id);
    }

    interface User {
        String toJson();
    }

    record Config(String name) {
        static final Config DEFAULTS = new Config("defaults");
    }

    void coreApi() {
        IOLoop loop = IOLoop.create();
        String body = loop.runSync(() -> {                  // drives the loop on this thread until done
            CompletableFuture<String> f = spawn(() -> fetchTitle(url));   // starts a coroutine
            sleep(Duration.ofMillis(10));                     // loop timer, no thread blocked
            return await(f);                                  // value, or the original exception
        });
    }

    void typedCatch() {
        Config config;
        try {
            config = await(loadConfig(), IOException.class);
        } catch (IOException e) {      // the very exception loadConfig's future failed with
            config = Config.DEFAULTS;
        }
    }

    void structuredConcurrency() {
        String page = scope(s -> {
            CompletableFuture<String> header = s.spawn(() -> fetchText(base + "/header"));
            CompletableFuture<String> body = s.spawn(() -> fetchText(base + "/body"));
            return await(header) + await(body);   // if one fails, the other is cancelled, then this throws
        });
    }

    void offTheLoop() {
        byte[] data = await(runInExecutor(null, () -> Files.readAllBytes(path)));  // null: Spindle's pool
    }

    void loopGroup() {
        try (LoopGroup group = LoopGroup.create()) {          // one loop per available core
            HttpServer server = HttpServer.create(group)
                    .get("/", (request, response) -> response.send("Hello from " + IOLoop.current().name()))
                    .listen(8888, InetAddress.getLoopbackAddress());
            group.start();                                      // a thread per loop; returns at once
            awaitShutdown();                                    // the application's own signal
            await(server.stop());                               // every loop's connections
        }                                                       // close(): cancels what is left on each loop
    }

    void tcp() {
        TcpServer server = TcpServer.create(loop, (stream, address) -> {
            while (true) {                                    // the stream closes when this returns
                byte[] line = await(stream.readUntil("\n", 1024));
                await(stream.write(line));                    // waits while the kernel buffer is full
            }
        }).listen(8888);

        IoStream s = await(TcpClient.create().connect("localhost", 8888, Duration.ofSeconds(5)));
    }

    void tls() {
        TestCertificates certs = TestCertificates.create("localhost", "127.0.0.1");   // a throwaway CA, for tests
        TcpServer server = TcpServer.create(loop, (stream, address) -> {
            TlsStream tls = (TlsStream) stream;            // tls.serverName(), tls.applicationProtocol()
            await(stream.write(await(stream.readUntil("\n", 1024))));
        }).tls(TlsOptions.server(certs.serverContext()).withApplicationProtocols("http/1.1")).listen(8443);

        TcpClient client = TcpClient.create().withTls(TlsOptions.client(certs.clientContext()));
        IoStream s = await(client.connect("localhost", 8443, Duration.ofSeconds(5)));
    }

    void httpsServer() {
        SSLContext sslContext = TestCertificates.create("localhost").serverContext();   // or from your key store
        HttpServer server = HttpServer.create(loop, HttpServerOptions.DEFAULTS.withSslContext(sslContext))
                .get("/", (request, response) -> response.send("Hello over " + request.scheme()))   // "https"
                .listen(8443);
    }

    void httpsFetch() {
        HttpResponse r = await(AsyncHttpClient.create().fetch("https://example.com/"));   // the JDK's trust store

        AsyncHttpClient internal = AsyncHttpClient.create(loop, HttpClientOptions.DEFAULTS
                .withSslContext(companyCa));                       // a private CA for every https fetch
        HttpRequest one = HttpRequest.builder("https://intranet.example/")
                .sslContext(companyCa).build();                     // or for one request
    }

    void httpServer() {
        IOLoop loop = IOLoop.create();
        HttpServer server = HttpServer.create(loop)
                .get("/", (request, response) -> response.send("Hello, world"))
                .post("/echo", (request, response) -> response.send(request.body()))
                .get("/users/{id}", (request, response) -> {
                    User user = await(users.find(request.pathParam("id")));
                    response.header("Content-Type", "application/json").send(user.toJson());
                })
                .get("/poll", (request, response) -> {
                    // Long poll: wait for the next message, or stop waiting when the client goes away.
                    CompletableFuture<Void> gone = request.connectionClosed();
                    await(any(newMessage.awaitAsync(), gone));   // a sync.Condition the posts signal
                    if (!gone.isDone()) response.send(lastMessage);
                })
                .listen(8888);
        loop.start();
    }

    void httpRequest() {
        HttpRequest request = HttpRequest.builder("http://127.0.0.1:8888/echo")
                .method("POST").header("Content-Type", "text/plain").body("hi")
                .connectTimeout(Duration.ofSeconds(2)).requestTimeout(Duration.ofSeconds(10))
                .followRedirects(true).maxRedirects(5).decompressResponse(true)
                .raiseError(false)                      // return 4xx/5xx instead of throwing
                .build();
        HttpResponse r = await(AsyncHttpClient.create().fetch(request));
        r.code(); r.reason(); r.headers(); r.body(); r.bodyText(); r.effectiveUrl(); r.requestTime();
    }

    void locksAndQueues() {
        Lock lock = Lock.create();
        try (var held = lock.acquire()) {        // parks the coroutine until the lock is free
            balance += amount;                   // one coroutine at a time, even across awaits
        }
        Queue<String> queue = Queue.create(100);
        queue.put("job");                        // parks while the queue is full
        String job = queue.get(Duration.ofSeconds(5));   // parks until an item comes, or times out
    }

    /** The README's test class; an inner class, so that the build does not run it. */
    @LoopTest                       // each test runs as a coroutine on a fresh IOLoop
    class MyTest {
        @Test
        void fetches(IOLoop loop, Steps steps) {
            assertEquals("ok", await(fetch()));
        }
    }

    /** The README's virtual-time test; an inner class, so that the build does not run it. */
    class VirtualTimeTest {
        @Test
        @LoopTest(virtualTime = true)
        void requestTimesOut(IOLoop loop) {       // url: a server on this loop that never answers
            long start = loop.time();
            HttpRequest r = HttpRequest.builder(url).requestTimeout(Duration.ofMinutes(10)).build();
            assertThrows(HttpTimeoutException.class, () -> await(AsyncHttpClient.create().fetch(r)));
            assertEquals(Duration.ofMinutes(10).toNanos(), loop.time() - start);
        }
    }
}
