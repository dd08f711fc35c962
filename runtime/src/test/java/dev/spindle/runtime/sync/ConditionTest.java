package dev.spindle.runtime.sync;

import static dev.spindle.runtime.Coroutines.await;
import static dev.spindle.runtime.Coroutines.moment;
import static dev.spindle.runtime.Coroutines.spawn;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spindle.runtime.IOLoop;
import dev.spindle.runtime.testing.LoopTest;
import dev.spindle.runtime.testing.Steps;
import dev.spindle.runtime.testing.VirtualTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

@LoopTest(virtualTime = true)
class ConditionTest {
    /** Spawns {@code n} coroutines that await {@code c} and then record their number. */
    private static List<CompletableFuture<Void>> waiters(Condition c, int n, List<Integer> woke) {
        List<CompletableFuture<Void>> all = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int k = i;
            all.add(spawn(() -> {
                c.await();
                woke.add(k);
                return null;
            }));
        }
        moment();
        return all;
    }

    @Test
    void signalTwoWakesExactlyTheTwoOldestWaiters() {
        Condition c = Condition.create();
        List<Integer> woke = new ArrayList<>();
        List<CompletableFuture<Void>> all = waiters(c, 4, woke);
        c.signal(2);
        moment();
        assertEquals(List.of(0, 1), woke);
        assertEquals("Condition[waiters=2]", c.toString());
        c.signalAll();
        all.forEach(f -> await(f));
        assertEquals(List.of(0, 1, 2, 3), woke);
    }

    @Test
    void signalWakesOneInFifoOrder(Steps steps) {
        Condition c = Condition.create();
        List<Integer> woke = new ArrayList<>();
        List<CompletableFuture<Void>> all = waiters(c, 2, woke);
        steps.expect(1);
        c.signal();
        moment();
        assertEquals(List.of(0), woke);
        c.signal();
        all.forEach(f -> await(f));
        assertEquals(List.of(0, 1), woke);
        steps.finish(2);
    }

    @Test
    void signalWithNobodyWaitingIsLost() {
        Condition c = Condition.create();
        c.signal();
        assertFalse(c.await(Duration.ofMillis(10)));
        assertEquals(Duration.ofMillis(10), VirtualTime.elapsed(IOLoop.current()));
    }

    @Test
    void awaitWithTimeoutReturnsFalseAndTheTimedOutWaiterIsSkipped() {
        Condition c = Condition.create();
        assertFalse(c.await(Duration.ofMillis(10)));
        assertEquals(Duration.ofMillis(10), VirtualTime.elapsed(IOLoop.current()));
        List<Integer> woke = new ArrayList<>();
        List<CompletableFuture<Void>> all = waiters(c, 1, woke);
        c.signal();
        await(all.getFirst());
        assertEquals(List.of(0), woke);
    }

    @Test
    void awaitWithTimeoutReturnsTrueWhenSignalled() {
        Condition c = Condition.create();
        CompletableFuture<Boolean> f = spawn(() -> c.await(Duration.ofSeconds(10)));
        moment();
        c.signal();
        assertTrue(await(f));
        assertEquals(Duration.ofMillis(0), VirtualTime.elapsed(IOLoop.current()));
    }

    @Test
    void cancelledWaiterDoesNotSwallowASignal() {
        Condition c = Condition.create();
        List<Integer> woke = new ArrayList<>();
        List<CompletableFuture<Void>> all = waiters(c, 2, woke);
        all.get(0).cancel(true);
        c.signal();
        await(all.get(1));
        assertEquals(List.of(1), woke);
    }

    @Test
    void waiterCancelledAfterBeingSignalledPassesTheSignalOn() {
        Condition c = Condition.create();
        List<Integer> woke = new ArrayList<>();
        List<CompletableFuture<Void>> all = waiters(c, 2, woke);
        c.signal();
        all.get(0).cancel(true); // Served, but not yet resumed.
        await(all.get(1));
        assertEquals(List.of(1), woke);
    }

    @Test
    void awaitAsyncCompletesWithTrueOrFalse() {
        Condition c = Condition.create();
        CompletableFuture<Boolean> signalled = c.awaitAsync();
        CompletableFuture<Boolean> timedOut = c.awaitAsync(Duration.ofMillis(5));
        assertFalse(await(timedOut));
        assertEquals(Duration.ofMillis(5), VirtualTime.elapsed(IOLoop.current()));
        c.signalAll();
        assertTrue(await(signalled));
    }

    @Test
    void negativeSignalCountIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> Condition.create().signal(-1));
    }
}
