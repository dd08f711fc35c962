package dev.spindle.runtime.net;

import static dev.spindle.runtime.Coroutines.await;
import static dev.spindle.runtime.net.NetTestSupport.LOOPBACK;
import static dev.spindle.runtime.net.NetTestSupport.ascii;
import static dev.spindle.runtime.net.NetTestSupport.text;
import static dev.spindle.runtime.net.TlsTestSupport.clientOptions;
import static dev.spindle.runtime.net.TlsTestSupport.serverOptions;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.spindle.runtime.Coroutines;
import dev.spindle.runtime.IOLoop;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A thousand TLS connections open at once from one loop to a TLS server on another loop (its
 * own platform thread), each echoing its own line. A full handshake costs both ends together
 * about 4 ms of CPU ({@link TlsHandshakeRate}), so on a loaded 2-core machine the last of a
 * thousand started at once can wait tens of seconds: the handshake deadlines are generous here,
 * since what is tested is that every connection works, not how fast.
 */
class ManyTlsConnectionsTest {
    private static final int CONNECTIONS = 1_000;
    private static final Duration PATIENCE = Duration.ofMinutes(4);

    @BeforeAll
    static void makeCertificates() {
        TlsTestSupport.makeCertificates();
    }

    @Test
    void aThousandConcurrentTlsConnectionsFromOneLoopEachEchoTheirLine() throws Exception {
        int[] active = {0, 0}; // Now, and the most at once. Confined to the server's loop.
        CompletableFuture<Integer> port = new CompletableFuture<>();
        CompletableFuture<Void> stop = new CompletableFuture<>();
        List<String> wrong = new ArrayList<>(); // Echoes that were not the line sent. Confined to the client's loop.
        Thread serverThread = Thread.ofPlatform().name("tls-server-loop").start(() -> {
            try (IOLoop loop = IOLoop.create()) {
                loop.runSync(() -> {
                    TcpServer server = TcpServer.create(loop, (stream, address) -> {
                        active[1] = Math.max(active[1], ++active[0]);
                        try {
                            await(stream.write(await(stream.readUntil("\n", 100))));
                            await(stream.readUntilClose());
                        } finally {
                            active[0]--;
                        }
                    }).tls(serverOptions().withHandshakeTimeout(PATIENCE)).backlog(CONNECTIONS).listen(0, LOOPBACK);
                    port.complete(server.port());
                    await(stop);
                    server.stop();
                    return null;
                }, PATIENCE.plusMinutes(1));
            } catch (Throwable e) {
                port.completeExceptionally(e);
            }
        });
        try {
            int echoed = NetTestSupport.onLoop(PATIENCE, () -> {
                TcpClient client = TcpClient.create().withTls(clientOptions().withHandshakeTimeout(PATIENCE));
                int p = await(port);
                CompletableFuture<Void> allEchoed = new CompletableFuture<>();
                int[] left = {CONNECTIONS};
                List<CompletableFuture<Boolean>> each = new ArrayList<>();

                for (int i = 0; i < CONNECTIONS; i++) {
                    String line = "connection " + i + "\n";
                    each.add(IOLoop.current().spawn(() -> {
                        IoStream s = await(client.connect("localhost", p, PATIENCE));
                        await(s.write(ascii(line)));
                        String echo = text(await(s.readUntil("\n", 100)));
                        boolean ok = echo.equals(line);
                        if (!ok) {
                            wrong.add("sent " + line.strip() + ", got " + echo.strip() + " on " + s);
                        }
                        if (--left[0] == 0) {
                            allEchoed.complete(null);
                        }
                        await(allEchoed); // All connections stay open until every one has echoed.
                        s.close();
                        return ok;
                    }));
                }
                int n = 0;
                for (boolean ok : await(Coroutines.all(each))) {
                    n += ok ? 1 : 0;
                }
                return n;
            });
            assertEquals(CONNECTIONS, echoed, () -> "wrong echoes: " + wrong);
        } finally {
            stop.complete(null);
            serverThread.join(Duration.ofSeconds(30));
        }
        assertEquals(CONNECTIONS, active[1], "connections open at once on the server");
    }
}
