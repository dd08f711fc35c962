package dev.spindle.http.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spindle.http.LoopbackPair;
import dev.spindle.runtime.IOLoop;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class LiveConnectionsTest {
    @Test
    void stoppingWithoutConnectionsCompletesAtOnceAndOnlyOnce() {
        try (IOLoop loop = IOLoop.create()) {
            LiveConnections c = new LiveConnections(loop);
            CompletableFuture<Void> stopped = c.stop(Duration.ofSeconds(1));
            assertTrue(stopped.isDone());
            assertSame(stopped, c.stop(Duration.ZERO));
            assertEquals("LiveConnections[0, stopped]", c.toString());
        }
    }

    @Test
    void aStopClosesIdleConnectionsAndCompletesWhenTheLastOneEnds() throws Exception {
        try (IOLoop loop = IOLoop.create(); LoopbackPair a = LoopbackPair.open(loop); LoopbackPair b = LoopbackPair.open(loop)) {
            HttpServer server = HttpServer.create(loop);
            LiveConnections c = new LiveConnections(loop);
            Http1ServerConnection first = new Http1ServerConnection(server.part(loop), a.stream);
            Http1ServerConnection second = new Http1ServerConnection(server.part(loop), b.stream);
            c.add(first);
            c.add(second);
            CompletableFuture<Void> stopped = c.stop(Duration.ofSeconds(30));
            assertTrue(a.stream.isClosed()); // Idle: closed at once.
            assertEquals("LiveConnections[2, stopping]", c.toString());
            c.remove(first);
            assertFalse(stopped.isDone());
            c.remove(second);
            assertTrue(stopped.isDone());
        }
    }

    @Test
    void abortAllClosesEveryConnection() throws Exception {
        try (IOLoop loop = IOLoop.create(); LoopbackPair a = LoopbackPair.open(loop)) {
            LiveConnections c = new LiveConnections(loop);
            c.add(new Http1ServerConnection(HttpServer.create(loop).part(loop), a.stream));
            c.abortAll();
            assertTrue(a.stream.isClosed());
            assertEquals("LiveConnections[1]", c.toString());
        }
    }
}
