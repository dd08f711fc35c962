package dev.spindle.runtime.sync;

import static dev.spindle.runtime.Coroutines.await;
import static dev.spindle.runtime.Coroutines.moment;
import static dev.spindle.runtime.Coroutines.spawn;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spindle.runtime.TimeoutException;
import dev.spindle.runtime.IOLoop;
import dev.spindle.runtime.testing.LoopTest;
import dev.spindle.runtime.testing.VirtualTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

@LoopTest(virtualTime = true)
class SemaphoreTest {
    @Test
    void acquireTakesPermitsUntilNoneAreLeft() {
        Semaphore sem = Semaphore.create(2);
        sem.acquire();
        sem.acquire();
        assertEquals(0, sem.value());
        assertFalse(sem.tryAcquire());
        sem.release();
        assertTrue(sem.tryAcquire());
    }

    @Test
    void releaseWakesOldestWaiterFirst() {
        Semaphore sem = Semaphore.create(0);
        List<Integer> order = new ArrayList<>();
        List<CompletableFuture<Void>> all = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            int n = i;
            all.add(spawn(() -> {
                sem.acquire();
                order.add(n);
                return null;
            }));
        }
        moment();
        assertEquals("Semaphore[value=0, waiters=3]", sem.toString());
        sem.release();
        sem.release();
        sem.release();
        all.forEach(f -> await(f));
        assertEquals(List.of(0, 1, 2), order);
        assertEquals(0, sem.value());
    }

    @Test
    void acquireTimesOutWhenNothingIsReleased() {
        Semaphore sem = Semaphore.create(0);
        assertThrows(TimeoutException.class, () -> sem.acquire(Duration.ofMillis(20)));
        assertEquals(Duration.ofMillis(20), VirtualTime.elapsed(IOLoop.current()));
        sem.release();
        assertEquals(1, sem.value(), "the timed-out waiter must not have consumed the permit");
    }

    @Test
    void cancelledWaiterConsumesNoPermit() {
        Semaphore sem = Semaphore.create(0);
        CompletableFuture<Void> cancelled = spawn(() -> {
            sem.acquire();
            return null;
        });
        CompletableFuture<Void> timedOut = spawn(() -> {
            sem.acquire(Duration.ofMillis(5));
            return null;
        });
        moment();
        cancelled.cancel(true);
        assertThrows(TimeoutException.class, () -> await(timedOut));
        assertEquals(Duration.ofMillis(5), VirtualTime.elapsed(IOLoop.current()));
        sem.release();
        assertEquals(1, sem.value());
        assertEquals("Semaphore[value=1, waiters=0]", sem.toString());
    }

    @Test
    void waiterCancelledAfterBeingServedGivesThePermitBack() {
        Semaphore sem = Semaphore.create(0);
        CompletableFuture<Void> waiter = spawn(() -> {
            sem.acquire();
            return null;
        });
        moment();
        sem.release();
        waiter.cancel(true);
        while (sem.value() == 0) {
            moment();
        }
        assertEquals(1, sem.value());
    }

    @Test
    void tryWithResourcesReleases() {
        Semaphore sem = Semaphore.create(1);
        try (var _ = sem.acquire()) {
            assertEquals(0, sem.value());
        }
        assertEquals(1, sem.value());
    }

    @Test
    void negativeInitialValueIsRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Semaphore.create(-1));
        assertTrue(e.getMessage().contains("-1"), e.getMessage());
    }

    @Test
    void toStringShowsValueAndWaiters() {
        Semaphore sem = Semaphore.create(0);
        CompletableFuture<Void> a = spawn(() -> {
            sem.acquire();
            return null;
        });
        CompletableFuture<Void> b = spawn(() -> {
            sem.acquire();
            return null;
        });
        moment();
        assertEquals("Semaphore[value=0, waiters=2]", sem.toString());
        sem.release();
        sem.release();
        await(a);
        await(b);
    }
}
