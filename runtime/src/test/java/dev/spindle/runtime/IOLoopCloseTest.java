package dev.spindle.runtime;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Closing a loop whose coroutines are still parked. */
class IOLoopCloseTest {

    /*
     * The parked coroutine ends as soon as close() cancels it; close() used to sleep in select
     * until the grace timer anyway, because it checked only after select returned. With a grace
     * period of an hour, such a close() would hang until the test's timeout.
     */
    @Test
    @Timeout(60)
    void closeReturnsOnceCancelledCoroutinesHaveFinishedNotAfterTheGracePeriod() {
        IOLoop loop = IOLoop.create();
        loop.scheduler.closeGrace = Duration.ofHours(1);
        CompletableFuture<Void> never = new CompletableFuture<>();
        CompletableFuture<Void> parked = loop.runSync(() -> {
            CompletableFuture<Void> c = loop.spawn(() -> Coroutines.await(never));
            Coroutines.moment();
            return c;
        }, Duration.ofSeconds(5));
        loop.close();
        assertTrue(parked.isCancelled());
        assertTrue(loop.isClosed());
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
