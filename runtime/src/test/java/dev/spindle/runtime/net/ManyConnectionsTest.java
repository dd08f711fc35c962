package dev.spindle.runtime.net;

import static dev.spindle.runtime.Coroutines.await;
import static dev.spindle.runtime.Coroutines.runInExecutor;
import static dev.spindle.runtime.net.NetTestSupport.LOOPBACK;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spindle.runtime.IOLoop;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Ten thousand connections open at once on one loop. Both ends of that many connections need
 * more descriptors than one process may have here (the hard limit is 20,000), so the clients
 * run in a child JVM ({@link LoadClient}); this JVM holds only the server's 10,000 sockets.
 */
class ManyConnectionsTest {
    private static final int CONNECTIONS = 10_000;

    @Test
    void tenThousandConcurrentConnectionsOnOneLoopEachEchoTheirMessage() {
        int[] active = {0, 0}; // Now, and the most at once. Loop-confined.
        String result = NetTestSupport.onLoop(Duration.ofSeconds(60), () -> {
            TcpServer server = TcpServer.create(IOLoop.current(), (stream, address) -> {
                active[1] = Math.max(active[1], ++active[0]);
                try {
                    while (true) {
                        await(stream.write(await(stream.readUntil("\n", 1024))));
                    }
                } finally {
                    active[0]--;
                }
            }).backlog(4096).listen(0, LOOPBACK);
            Process child = LoadClient.start("echo", Integer.toString(server.port()), Integer.toString(CONNECTIONS));
            try {
                return await(runInExecutor(null, () -> {
                    try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream()))) {
                        String line = out.readLine();
                        assertTrue(child.waitFor(30, TimeUnit.SECONDS), "the client did not exit");
                        return line;
                    }
                }));
            } finally {
                child.destroyForcibly();
            }
        });
        assertEquals("OK " + CONNECTIONS, result);
        assertEquals(CONNECTIONS, active[1], "connections open at once");
    }
}
