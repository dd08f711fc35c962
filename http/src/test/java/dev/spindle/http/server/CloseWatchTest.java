package dev.spindle.http.server;

import static dev.spindle.runtime.Coroutines.await;
import static dev.spindle.runtime.Coroutines.delay;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spindle.runtime.IOLoop;
import java.time.Duration;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;

class CloseWatchTest {
    private static <T> T onLoop(Callable<T> body) {
        try (IOLoop loop = IOLoop.create()) {
            return loop.runSync(body, Duration.ofSeconds(10));
        }
    }

    @Test
    void aWatchNoticesThePeerClosing() {
        onLoop(() -> {
            try (LoopbackPair pair = LoopbackPair.open(IOLoop.current())) {
                CloseWatch w = new CloseWatch(pair.stream, () -> true);
                w.want();
                assertEquals("CloseWatch[watching]", w.toString());
                pair.client.close();
                await(pair.stream.closeFuture());
                assertTrue(pair.stream.isClosed());
            }
            return null;
        });
    }

    @Test
    void pipelinedBytesStayBufferedAndStopEndsTheWatch() {
        onLoop(() -> {
            try (LoopbackPair pair = LoopbackPair.open(IOLoop.current())) {
                CloseWatch w = new CloseWatch(pair.stream, () -> true);
                w.want();
                var first = w.pendingRead();
                pair.clientWrites("GET / HTTP/1.1\r\n");
                await(first);
                assertEquals("CloseWatch[watching]", w.toString()); // Re-armed after the bytes.
                w.stop();
                assertEquals("CloseWatch[off]", w.toString());
                assertEquals(16, pair.stream.readBuffer().remaining()); // Nothing taken.
                pair.clientWrites("Host: x\r\n");
                assertEquals(25, (int) await(pair.stream.fill())); // The stream reads normally again.
            }
            return null;
        });
    }

    @Test
    void aWatchWaitsUntilAllowed() {
        onLoop(() -> {
            try (LoopbackPair pair = LoopbackPair.open(IOLoop.current())) {
                boolean[] allowed = {false};
                CloseWatch w = new CloseWatch(pair.stream, () -> allowed[0]);
                w.want();
                assertEquals("CloseWatch[wanted]", w.toString());
                pair.client.close();
                await(delay(Duration.ofMillis(20))); // Time for a wrong watch to see the close.
                assertFalse(pair.stream.isClosed()); // Nobody reads, so nobody knows.
                allowed[0] = true;
                w.poll();
                await(pair.stream.closeFuture());
            }
            return null;
        });
    }
}
