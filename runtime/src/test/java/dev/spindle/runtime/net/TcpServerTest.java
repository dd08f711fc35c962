package dev.spindle.runtime.net;

import static dev.spindle.runtime.Coroutines.await;
import static dev.spindle.runtime.Coroutines.runInExecutor;
import static dev.spindle.runtime.net.NetTestSupport.LOOPBACK;
import static dev.spindle.runtime.net.NetTestSupport.ascii;
import static dev.spindle.runtime.net.NetTestSupport.onLoop;
import static dev.spindle.runtime.net.NetTestSupport.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spindle.runtime.Coroutines;
import dev.spindle.runtime.IOLoop;
import dev.spindle.runtime.internal.StreamOwner;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.Socket;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import org.junit.jupiter.api.Test;

/** {@link TcpServer} against plain {@link java.net.Socket} clients on platform threads. */
class TcpServerTest {

    /** A blocking client: sends {@code line}, returns the first line it reads back (null at EOF). */
    private static String exchange(int port, String line) throws Exception {
        try (Socket s = new Socket(LOOPBACK, port)) {
            s.setSoTimeout(10_000);
            s.getOutputStream().write(ascii(line));
            return new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.ISO_8859_1)).readLine();
        }
    }

    @Test
    void servesPlainSocketClientsEachInItsOwnCoroutine() {
        List<String> got = onLoop(() -> {
            TcpServer server = NetTestSupport.lineEchoServer();
            List<CompletableFuture<String>> replies = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                String line = "hello " + i + "\n";
                replies.add(runInExecutor(null, () -> exchange(server.port(), line)));
            }
            return await(Coroutines.all(replies));
        });
        for (int i = 0; i < 20; i++) {
            assertEquals("hello " + i, got.get(i));
        }
    }

    @Test
    void handlerExceptionIsLoggedAndClosesOnlyItsConnection() {
        try (var log = new NetTestSupport.LogCapture("spindle.application")) {
            onLoop(() -> {
                TcpServer server = TcpServer.create(IOLoop.current(), (stream, address) -> {
                    String line = text(await(stream.readUntil("\n", 100)));
                    if (line.startsWith("boom")) {
                        throw new IllegalStateException("handler failed on purpose");
                    }
                    await(stream.write(ascii("ok " + line)));
                }).listen(0, LOOPBACK);
                CompletableFuture<String> bad = runInExecutor(null, () -> exchange(server.port(), "boom\n"));
                CompletableFuture<String> good = runInExecutor(null, () -> exchange(server.port(), "fine\n"));
                assertEquals(null, await(bad), "the failed handler's connection was closed");
                assertEquals("ok fine", await(good));
                return null;
            });
            LogRecord r = log.records().stream().filter(x -> x.getLevel() == Level.SEVERE).findFirst().orElseThrow();
            assertTrue(r.getMessage().startsWith("Exception in the stream handler of TcpServer["), r.getMessage());
            assertEquals("handler failed on purpose", r.getThrown().getMessage());
        }
    }

    @Test
    void streamIsClosedWhenTheHandlerReturnsAfterItsBytesAreWritten() {
        int size = 8 << 20; // More than the kernel takes at once: the handler returns with bytes queued.
        int got = onLoop(() -> {
            TcpServer server = TcpServer.create(IOLoop.current(), (stream, address) -> {
                stream.write(new byte[size]);
            }).listen(0, LOOPBACK);
            return await(runInExecutor(null, () -> {
                try (Socket s = new Socket(LOOPBACK, server.port())) {
                    return s.getInputStream().readAllBytes().length; // Until EOF.
                }
            }));
        });
        assertEquals(size, got);
    }

    @Test
    void stopStopsAcceptingAndLeavesOpenConnectionsToTheirHandlers() {
        onLoop(() -> {
            CompletableFuture<IoStream> first = new CompletableFuture<>();
            TcpServer server = TcpServer.create(IOLoop.current(), (stream, address) -> {
                first.complete(stream);
                await(stream.write(await(stream.readUntil("\n", 100))));
            }).listen(0, LOOPBACK);
            int port = server.port();
            IoStream client = await(TcpClient.create().connect("127.0.0.1", port));
            await(first);
            server.stop();
            assertTrue(server.toString().startsWith("TcpServer[stopped"), server.toString());
            await(client.write(ascii("still here\n")));
            assertEquals("still here\n", text(await(client.readUntil("\n", 100))));
            assertThrows(java.net.ConnectException.class,
                    () -> await(TcpClient.create().connect("127.0.0.1", port), java.net.ConnectException.class));
            return null;
        });
    }

    /** A handler that owns its streams: takes them on the loop, outside any coroutine, and ends them itself. */
    private record Owner(CompletableFuture<IoStream> accepted, CompletableFuture<Runnable> ended, boolean[] inCoroutine)
            implements TcpServer.StreamHandler, StreamOwner {
        @Override
        public void accepted(IoStream stream, Runnable ended) {
            inCoroutine[0] = Thread.currentThread().isVirtual();
            this.accepted.complete(stream);
            this.ended.complete(ended);
        }

        @Override
        public void handleStream(IoStream stream, SocketAddress address) {
            throw new AssertionError("a stream owner is handed its streams, not served in a coroutine");
        }
    }

    @Test
    void aStreamOwnerTakesEachConnectionOnTheLoopAndItCountsUntilTheOwnerEndsIt() {
        onLoop(() -> {
            Owner owner = new Owner(new CompletableFuture<>(), new CompletableFuture<>(), new boolean[] {true});
            TcpServer server = TcpServer.create(IOLoop.current(), owner).listen(0, LOOPBACK);
            IoStream client = await(TcpClient.create().connect("127.0.0.1", server.port()));
            IoStream stream = await(owner.accepted);
            assertEquals(false, owner.inCoroutine[0]);
            assertTrue(server.toString().endsWith(", connections=1, accepted=1]"), server.toString());
            await(stream.write(ascii("owned\n")));
            assertEquals("owned\n", text(await(client.readUntil("\n", 100))));
            assertEquals(false, stream.isClosed(), "nobody closes an owned stream but its owner");
            stream.close();
            await(owner.ended).run();
            assertTrue(server.toString().endsWith(", connections=0, accepted=1]"), server.toString());
            client.close();
            server.stop();
            return null;
        });
    }

    @Test
    void acceptsEveryConnectionThatQueuedUpBeforeTheLoopRan() throws Exception {
        // Fifty clients connect while the loop is not running; one readiness event must take all.
        try (IOLoop loop = IOLoop.create()) {
            TcpServer server = TcpServer.create(loop, (stream, address) -> stream.write(ascii("hi\n")))
                    .listen(0, LOOPBACK);
            List<Socket> clients = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                clients.add(new Socket(LOOPBACK, server.port()));
            }
            loop.runSync(() -> {
                for (Socket s : clients) {
                    await(runInExecutor(null, () -> s.getInputStream().readAllBytes()));
                }
                return null;
            }, Duration.ofSeconds(20));
            assertTrue(server.toString().endsWith(", connections=0, accepted=50]"), server.toString());
            for (Socket s : clients) {
                s.close();
            }
        }
    }

    @Test
    void listenOnPortZeroGetsAnEphemeralPortAndToStringShowsIt() {
        onLoop(() -> {
            TcpServer server = TcpServer.create(IOLoop.current(), (stream, address) -> { });
            assertEquals("TcpServer[not listening, connections=0, accepted=0]", server.toString());
            assertThrows(IllegalStateException.class, server::port);
            server.backlog(16).listen(0, LOOPBACK);
            assertTrue(server.port() > 0);
            assertEquals(LOOPBACK, server.localAddress().getAddress());
            assertEquals("TcpServer[/127.0.0.1:" + server.port() + ", connections=0, accepted=0]", server.toString());
            server.stop();
            return null;
        });
    }

    @Test
    void listenOnABusyPortFailsWithTheBindException() {
        onLoop(() -> {
            TcpServer first = TcpServer.create(IOLoop.current(), (stream, address) -> { }).listen(0, LOOPBACK);
            TcpServer second = TcpServer.create(IOLoop.current(), (stream, address) -> { });
            UncheckedIOException e = assertThrows(UncheckedIOException.class, () -> second.listen(first.port(), LOOPBACK));
            assertInstanceOf(BindException.class, e.getCause());
            assertTrue(e.getMessage().contains("cannot listen on localhost/127.0.0.1:" + first.port() + ": Address already in use"), e.getMessage());
            return null;
        });
    }

    @Test
    void handlerGetsThePeersAddress() {
        onLoop(() -> {
            CompletableFuture<java.net.SocketAddress> seen = new CompletableFuture<>();
            TcpServer server = TcpServer.create(IOLoop.current(), (stream, address) -> seen.complete(address))
                    .listen(0, LOOPBACK);
            IoStream client = await(TcpClient.create().connect("127.0.0.1", server.port()));
            java.net.InetSocketAddress peer = (java.net.InetSocketAddress) await(seen);
            assertEquals(LOOPBACK, peer.getAddress());
            assertTrue(peer.getPort() > 0 && peer.getPort() != server.port(), peer.toString());
            client.close();
            return null;
        });
    }
}
