package dev.spindle.http.server;

import static dev.spindle.runtime.Coroutines.await;
import static dev.spindle.runtime.Coroutines.delay;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spindle.runtime.IOLoop;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class ConnectionTimerTest {
    private static final long MS = 1_000_000;

    private static <T> T onLoop(java.util.concurrent.Callable<T> body) {
        try (IOLoop loop = IOLoop.create()) {
            return loop.runSync(body, Duration.ofSeconds(10));
        }
    }

    @Test
    void anArmedTimerRunsItsActionOnceTheDeadlinePassed() {
        long lateBy = onLoop(() -> {
            IOLoop loop = IOLoop.current();
            CompletableFuture<Long> fired = new CompletableFuture<>();
            long deadline = loop.time() + 20 * MS;
            ConnectionTimer t = new ConnectionTimer(loop, () -> fired.complete(loop.time()));
            t.arm(deadline);
            assertTrue(t.isArmed());
            long at = await(fired);
            assertFalse(t.isArmed());
            return at - deadline;
        });
        assertTrue(lateBy >= 0, "fired " + lateBy + " ns early");
    }

    @Test
    void movingTheDeadlineLaterFiresOnceAtTheLastDeadline() {
        List<Long> firings = onLoop(() -> {
            IOLoop loop = IOLoop.current();
            List<Long> at = new ArrayList<>();
            CompletableFuture<Void> fired = new CompletableFuture<>();
            ConnectionTimer t = new ConnectionTimer(loop, () -> {
                at.add(loop.time());
                fired.complete(null);
            });
            long start = loop.time();
            for (int i = 1; i <= 5; i++) {
                t.arm(start + 10L * i * MS); // One timer, due at the first deadline, re-arms itself.
            }
            await(fired);
            await(delay(Duration.ofMillis(30))); // Room for a wrong second firing.
            at.add(at.getFirst() - (start + 50 * MS));
            return at;
        });
        assertEquals(2, firings.size(), firings.toString());
        assertTrue(firings.get(1) >= 0, "fired before the last deadline");
    }

    @Test
    void aDisarmedOrCancelledTimerDoesNothing() {
        int runs = onLoop(() -> {
            IOLoop loop = IOLoop.current();
            int[] n = new int[1];
            ConnectionTimer disarmed = new ConnectionTimer(loop, () -> n[0]++);
            disarmed.arm(loop.time() + 5 * MS);
            disarmed.disarm();
            ConnectionTimer cancelled = new ConnectionTimer(loop, () -> n[0]++);
            cancelled.arm(loop.time() + 5 * MS);
            cancelled.cancel();
            await(delay(Duration.ofMillis(30))); // Both would have fired by now.
            return n[0];
        });
        assertEquals(0, runs);
    }

    @Test
    void armingAnEarlierDeadlineReplacesTheTimer() {
        long early = onLoop(() -> {
            IOLoop loop = IOLoop.current();
            CompletableFuture<Long> fired = new CompletableFuture<>();
            ConnectionTimer t = new ConnectionTimer(loop, () -> fired.complete(loop.time()));
            long start = loop.time();
            t.arm(start + 10_000 * MS);
            t.arm(start + 10 * MS);
            return await(fired) - start;
        });
        assertTrue(early < 5_000 * MS, "the earlier deadline was ignored");
    }

    @Test
    void toStringShowsWhetherArmed() {
        onLoop(() -> {
            IOLoop loop = IOLoop.current();
            ConnectionTimer t = new ConnectionTimer(loop, () -> { });
            assertEquals("ConnectionTimer[disarmed]", t.toString());
            t.arm(loop.time() + 60_000 * MS);
            assertTrue(t.toString().matches("ConnectionTimer\\[due in 59\\d\\d\\d ms]"), t.toString());
            t.cancel();
            return null;
        });
    }
}
