package dev.spindle.http.codec;

import static dev.spindle.runtime.Coroutines.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spindle.http.LoopbackPair;
import dev.spindle.runtime.IOLoop;
import dev.spindle.runtime.testing.LoopTest;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

@LoopTest
class CloseWatchTest {
    @Test
    void aWatchNoticesThePeerClosing(IOLoop loop) throws Exception {
        try (LoopbackPair pair = LoopbackPair.open(loop)) {
            CloseWatch w = new CloseWatch(pair.stream, () -> true);
            w.want();
            assertEquals("CloseWatch[watching]", w.toString());
            pair.client.close();
            await(pair.stream.closeFuture());
            assertTrue(pair.stream.isClosed());
        }
    }

    @Test
    void pipelinedBytesStayBufferedAndStopEndsTheWatch(IOLoop loop) throws Exception {
        try (LoopbackPair pair = LoopbackPair.open(loop)) {
            CloseWatch w = new CloseWatch(pair.stream, () -> true);
            w.want();
            CompletableFuture<Integer> first = w.pendingRead();
            pair.clientWrites("GET / HTTP/1.1\r\n");
            await(first);
            assertEquals("CloseWatch[watching]", w.toString()); // Watching again after the bytes.
            w.stop();
            assertEquals("CloseWatch[off]", w.toString());
            assertEquals(16, pair.stream.readBuffer().remaining()); // Nothing taken.
            pair.clientWrites("Host: x\r\n");
            assertEquals(25, (int) await(pair.stream.fill())); // The stream reads normally again.
        }
    }

    @Test
    void aReaderTakesThePendingReadOver(IOLoop loop) throws Exception {
        try (LoopbackPair pair = LoopbackPair.open(loop)) {
            CloseWatch w = new CloseWatch(pair.stream, () -> true);
            w.want();
            CompletableFuture<Integer> pending = w.pendingRead();
            assertSame(pending, w.takeOver());
            assertNull(w.takeOver());
            assertFalse(w.isWatching());
            pair.clientWrites("HTTP/1.1 200 OK\r\n");
            assertEquals(17, (int) await(pending));
            assertFalse(w.isWatching()); // The reader owns the read side until the watch is polled again.
            w.stop();
        }
    }

    @Test
    void aWatchWaitsUntilAllowed(IOLoop loop) throws Exception {
        try (LoopbackPair pair = LoopbackPair.open(loop)) {
            boolean[] allowed = {false};
            CloseWatch w = new CloseWatch(pair.stream, () -> allowed[0]);
            w.want();
            assertEquals("CloseWatch[wanted]", w.toString());
            pair.client.close();
            assertFalse(w.isWatching()); // Nobody reads, so nobody can know.
            allowed[0] = true;
            w.poll();
            await(pair.stream.closeFuture());
        }
    }
}
