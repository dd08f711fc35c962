package dev.spindle.http.server;

import static dev.spindle.runtime.Coroutines.await;
import static dev.spindle.runtime.Coroutines.runInExecutor;
import static dev.spindle.runtime.Coroutines.spawn;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spindle.http.LoopbackPair;
import dev.spindle.runtime.IOLoop;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class HttpStreamHandlerTest {
    @Test
    void servesTheAcceptedStreamAsAConnectionOfTheServer() {
        String response;
        try (IOLoop loop = IOLoop.create()) {
            response = loop.runSync(() -> {
                HttpServer server = HttpServer.create(loop).get("/", (request, r) -> r.send("served"));
                try (LoopbackPair pair = LoopbackPair.open(loop)) {
                    spawn(() -> {
                        new HttpStreamHandler(server).handleStream(pair.stream, pair.stream.remoteAddress());
                        pair.stream.close(); // TcpServer's part, once the handler returned.
                        return null;
                    });
                    pair.clientWrites("GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
                    return await(runInExecutor(null, () -> {
                        ByteBuffer in = ByteBuffer.allocate(4096);
                        while (pair.client.read(in) >= 0) {
                            // Until the server closes.
                        }
                        return new String(in.array(), 0, in.position(), StandardCharsets.ISO_8859_1);
                    }));
                }
            }, Duration.ofSeconds(10));
        }
        assertTrue(response.startsWith("HTTP/1.1 200 OK\r\n") && response.endsWith("\r\n\r\nserved"), response);
    }

    @Test
    void aStreamAcceptedAfterStopIsNotServed() throws Exception {
        try (IOLoop loop = IOLoop.create(); LoopbackPair pair = LoopbackPair.open(loop)) {
            HttpServer server = HttpServer.create(loop);
            server.stop(Duration.ZERO);
            new HttpStreamHandler(server).handleStream(pair.stream, pair.stream.remoteAddress()); // Returns at once.
            assertTrue(server.toString().contains("connections=0, accepted=0"), server.toString());
            assertEquals("HttpStreamHandler[server=" + server + "]", new HttpStreamHandler(server).toString());
        }
    }
}
