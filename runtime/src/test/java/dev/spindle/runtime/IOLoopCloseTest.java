package dev.spindle.runtime;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** Closing a loop whose coroutines are still parked. */
class IOLoopCloseTest {

    @Test
    void closeReturnsOnceCancelledCoroutinesHaveFinishedNotAfterTheGracePeriod() {
        // The parked coroutine ends as soon as close() cancels it; close() used to sleep in
        // select until the 2 s grace timer anyway, because it checked only after select returned.
        IOLoop loop = IOLoop.create();
        CompletableFuture<Void> never = new CompletableFuture<>();
        loop.runSync(() -> {
            loop.spawn(() -> Coroutines.await(never));
            Coroutines.moment();
            return null;
        }, Duration.ofSeconds(5));
        long start = System.nanoTime();
        loop.close();
        long ms = (System.nanoTime() - start) / 1_000_000;
        assertTrue(ms < 1000, "close took " + ms + " ms");
    }

    @Test
    void closeFutureCompletesAfterTheLoopClosedAndAtOnceForAClosedLoop() {
        IOLoop loop = IOLoop.create();
        loop.runSync(() -> null);
        boolean[] closedWhenNotified = {false};
        CompletableFuture<Void> f = loop.closeFuture();
        f.whenComplete((v, e) -> closedWhenNotified[0] = loop.isClosed());
        f.cancel(false); // A caller's own copy: cancelling it must not stop the others.
        CompletableFuture<Void> g = loop.closeFuture().thenRun(() -> closedWhenNotified[0] = loop.isClosed());
        assertFalse(g.isDone());
        loop.close();
        assertTrue(g.isDone() && closedWhenNotified[0]);
        assertTrue(loop.closeFuture().isDone());
    }
}
