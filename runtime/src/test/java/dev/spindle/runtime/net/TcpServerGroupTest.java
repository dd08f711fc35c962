package dev.spindle.runtime.net;

import static dev.spindle.runtime.net.NetTestSupport.LOOPBACK;
import static dev.spindle.runtime.net.NetTestSupport.ascii;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spindle.runtime.IOLoop;
import dev.spindle.runtime.LoopGroup;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@link TcpServer} on a {@link LoopGroup}: accepted on the first loop, served on each in turn. */
@Timeout(60)
class TcpServerGroupTest {
    @Test
    void connectionsAreServedOnEveryLoopInTurnAndEachStaysOnItsLoop() throws Exception {
        try (LoopGroup group = LoopGroup.create(2)) {
            // Each line is answered with the name of the loop that served it; a connection sends three.
            TcpServer server = TcpServer.create(group, (stream, address) -> {
                while (true) {
                    byte[] line = dev.spindle.runtime.Coroutines.await(stream.readUntil("\n", 1024));
                    stream.write(ascii(IOLoop.current().name() + " " + new String(line, StandardCharsets.ISO_8859_1)));
                }
            });
            server.listen(0, LOOPBACK);
            group.start();
            List<Set<String>> loopsPerConnection = new ArrayList<>();
            for (int c = 0; c < 6; c++) {
                try (Socket s = new Socket(LOOPBACK, server.localAddress().getPort())) {
                    s.setSoTimeout(10_000);
                    BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.ISO_8859_1));
                    Set<String> loops = new HashSet<>();
                    for (int i = 0; i < 3; i++) {
                        s.getOutputStream().write(ascii("line " + i + "\n"));
                        String reply = in.readLine();
                        assertTrue(reply.endsWith(" line " + i), reply);
                        loops.add(reply.substring(0, reply.indexOf(' ')));
                    }
                    loopsPerConnection.add(loops);
                }
            }
            List<String> names = group.loops().stream().map(IOLoop::name).toList();
            for (int c = 0; c < 6; c++) {
                assertEquals(Set.of(names.get(c % 2)), loopsPerConnection.get(c), "connection " + c);
            }
            CompletableFuture<String> shown = new CompletableFuture<>();
            group.loops().getFirst().execute(() -> shown.complete(server.toString()));
            assertTrue(shown.get(10, TimeUnit.SECONDS).contains(", 2 loops, connections="), shown.get());
        }
    }
}
