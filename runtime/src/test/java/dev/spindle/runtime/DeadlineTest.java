package dev.spindle.runtime;

import static dev.spindle.runtime.Coroutines.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spindle.runtime.testing.LoopTest;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** Deadlines on a virtual clock, so that each fires at its exact time, however loaded the machine. */
@LoopTest(virtualTime = true)
class DeadlineTest {
    private static final long MS = 1_000_000;

    /** Completes when a plain timer at {@code at} fires: timers fire in deadline order, so anything due before has run. */
    private static CompletableFuture<Void> timerAt(IOLoop loop, long at) {
        CompletableFuture<Void> f = new CompletableFuture<>();
        loop.callAt(at, () -> f.complete(null));
        return f;
    }

    @Test
    void anArmedDeadlineRunsItsActionOnceItPassed(IOLoop loop) {
        CompletableFuture<Long> fired = new CompletableFuture<>();
        long at = loop.time() + 20 * MS;
        Deadline d = Deadline.create(loop, () -> fired.complete(loop.time()));
        d.arm(at);
        assertTrue(d.isArmed());
        assertEquals(at, d.at());
        long firedAt = await(fired);
        assertFalse(d.isArmed());
        assertEquals(at, firedAt, "fired at its deadline");
    }

    @Test
    void movingTheDeadlineLaterFiresOnceAtTheLastDeadline(IOLoop loop) {
        List<Long> firings = new ArrayList<>();
        Deadline d = Deadline.create(loop, () -> firings.add(loop.time()));
        long start = loop.time();
        for (int i = 1; i <= 5; i++) {
            d.arm(start + 10L * i * MS); // One timer, due at the first deadline, reschedules itself.
        }
        await(timerAt(loop, start + 80 * MS));
        assertEquals(List.of(start + 50 * MS), firings, "once, at the last deadline");
    }

    @Test
    void aDisarmedOrCancelledDeadlineDoesNothing(IOLoop loop) {
        int[] runs = new int[1];
        Deadline disarmed = Deadline.create(loop, () -> runs[0]++);
        disarmed.arm(loop.time() + 5 * MS);
        disarmed.disarm();
        Deadline cancelled = Deadline.create(loop, () -> runs[0]++);
        cancelled.arm(loop.time() + 5 * MS);
        cancelled.cancel();
        await(timerAt(loop, loop.time() + 10 * MS));
        assertEquals(0, runs[0]);
        assertThrows(IllegalStateException.class, disarmed::at);
    }

    @Test
    void armingAnEarlierDeadlineReplacesTheTimer(IOLoop loop) {
        CompletableFuture<Void> fired = new CompletableFuture<>();
        Deadline d = Deadline.create(loop, () -> fired.complete(null));
        long start = loop.time();
        d.arm(start + 10_000 * MS);
        d.arm(start + 10 * MS);
        CompletableFuture<Void> before = timerAt(loop, start + 5_000 * MS);
        await(Coroutines.any(fired, before));
        assertTrue(fired.isDone(), "the earlier deadline was ignored");
        assertEquals(start + 10 * MS, loop.time());
        before.cancel(false);
    }

    @Test
    void aDeadlineCanBeArmedAgainAfterItFired(IOLoop loop) {
        int[] runs = new int[1];
        Deadline d = Deadline.create(loop, () -> runs[0]++);
        d.arm(loop.time());
        await(timerAt(loop, loop.time() + MS));
        d.arm(loop.time());
        await(timerAt(loop, loop.time() + MS));
        assertEquals(2, runs[0]);
    }

    @Test
    void createRejectsNulls(IOLoop loop) {
        assertThrows(NullPointerException.class, () -> Deadline.create(null, () -> { }));
        assertThrows(NullPointerException.class, () -> Deadline.create(loop, null));
    }

    @Test
    void toStringShowsWhetherArmed(IOLoop loop) {
        Deadline d = Deadline.create(loop, () -> { });
        assertEquals("Deadline[disarmed]", d.toString());
        d.arm(loop.time() + 60_000 * MS);
        assertEquals("Deadline[due in 60000 ms]", d.toString());
        await(timerAt(loop, loop.time() + 2_500 * MS));
        assertEquals("Deadline[due in 57500 ms]", d.toString());
        d.cancel();
        assertEquals("Deadline[disarmed]", d.toString());
    }
}
