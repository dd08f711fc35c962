package dev.spindle.runtime.sync;

import static dev.spindle.runtime.Coroutines.await;
import static dev.spindle.runtime.Coroutines.moment;
import static dev.spindle.runtime.Coroutines.spawn;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spindle.runtime.IOLoop;
import dev.spindle.runtime.TimeoutException;
import dev.spindle.runtime.testing.LoopTest;
import dev.spindle.runtime.testing.Steps;
import dev.spindle.runtime.testing.VirtualTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@LoopTest(virtualTime = true)
class LockTest {
    @Test
    void acquireReturnsAtOnceWhenUnlocked(Steps steps) {
        Lock lock = Lock.create();
        steps.expect(1);
        try (var _ = lock.acquire()) {
            steps.expect(2);
            assertTrue(lock.isLocked());
        }
        assertFalse(lock.isLocked());
        steps.finish(3);
    }

    @Test
    void releaseHandsTheLockToTheOldestWaiterFirst() {
        Lock lock = Lock.create();
        List<Integer> order = new ArrayList<>();
        lock.acquire();
        List<CompletableFuture<Void>> waiters = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            int n = i;
            waiters.add(spawn(() -> {
                try (var _ = lock.acquire()) {
                    order.add(n);
                    moment(); // Holding the lock across a suspension keeps the others out.
                }
                return null;
            }));
        }
        moment();
        assertEquals("Lock[locked, waiters=3]", lock.toString());
        // A newcomer's tryAcquire cannot overtake the waiters once the lock is handed over.
        lock.release();
        assertFalse(lock.tryAcquire());
        waiters.forEach(w -> await(w));
        assertEquals(List.of(0, 1, 2), order);
        assertFalse(lock.isLocked());
    }

    @Test
    void acquireTimesOutWhenNothingIsReleased() {
        Lock lock = Lock.create();
        lock.acquire();
        TimeoutException e = assertThrows(TimeoutException.class, () -> lock.acquire(Duration.ofMillis(20)));
        assertTrue(e.getMessage().contains("acquire(timeout) timed out after PT0.02S on Lock["), e.getMessage());
        assertEquals(Duration.ofMillis(20), VirtualTime.elapsed(IOLoop.current()));
        assertEquals("Lock[locked, waiters=0]", lock.toString());
        lock.release();
        assertFalse(lock.isLocked());
    }

    @Test
    void cancelledWaiterNeitherTakesNorLosesTheLock() {
        Lock lock = Lock.create();
        lock.acquire();
        CompletableFuture<String> first = spawn(() -> {
            lock.acquire();
            return "first";
        });
        CompletableFuture<String> second = spawn(() -> {
            try (var _ = lock.acquire()) {
                return "second";
            }
        });
        moment();
        first.cancel(true);
        moment();
        lock.release();
        assertEquals("second", await(second));
        assertTrue(first.isCancelled());
        assertFalse(lock.isLocked());
    }

    /*
     * The waiter is handed the lock by release(), and is cancelled in the same slice, before it
     * could resume: it must give the lock back rather than take it to its grave.
     */
    @Test
    void waiterCancelledAfterBeingServedGivesTheLockBack() {
        Lock lock = Lock.create();
        lock.acquire();
        boolean[] got = {false};
        CompletableFuture<Void> waiter = spawn(() -> {
            lock.acquire();
            got[0] = true;
            return null;
        });
        moment();
        lock.release();
        waiter.cancel(true);
        while (!lockFree(lock)) {
            moment();
        }
        assertFalse(got[0]);
    }

    private static boolean lockFree(Lock lock) {
        return !lock.isLocked();
    }

    @Test
    void acquireAsyncCompletesInTurnAndCancellingItWithdraws() {
        Lock lock = Lock.create();
        Releaser held = await(lock.acquireAsync());
        CompletableFuture<Releaser> withdrawn = lock.acquireAsync();
        CompletableFuture<Releaser> next = lock.acquireAsync();
        withdrawn.cancel(false);
        held.close();
        held.close(); // Only the first close releases.
        await(next).close();
        assertFalse(lock.isLocked());
    }

    @Test
    void acquireAsyncTimesOut() {
        Lock lock = Lock.create();
        lock.acquire();
        CompletableFuture<Releaser> f = lock.acquireAsync(Duration.ofMillis(10));
        assertThrows(TimeoutException.class, () -> await(f));
        assertEquals(Duration.ofMillis(10), VirtualTime.elapsed(IOLoop.current()));
        lock.release();
        assertFalse(lock.isLocked());
    }

    @Test
    void releaseOfAnUnlockedLockThrows() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Lock.create().release());
        assertTrue(e.getMessage().contains("unlocked"), e.getMessage());
    }

    @Test
    void acquireThatMustWaitInAPlainCallbackThrows(IOLoop loop) {
        Lock lock = Lock.create();
        lock.acquire();
        CompletableFuture<Throwable> seen = new CompletableFuture<>();
        loop.execute(() -> {
            try {
                lock.acquire();
            } catch (Throwable e) {
                seen.complete(e);
            }
        });
        Throwable e = await(seen);
        assertTrue(e instanceof IllegalStateException && e.getMessage().contains("plain callback"), e.toString());
        lock.release();
        assertFalse(lock.isLocked(), "the failed call must not have queued a waiter");
    }

    @Test
    void useFromAnotherThreadThrowsNamingTheFix(IOLoop loop) {
        Lock lock = Lock.create();
        CompletableFuture<Boolean> f = loop.runInExecutor(null, lock::tryAcquire);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> await(f));
        assertTrue(e.getMessage().contains("loop.execute(...)"), e.getMessage());
        assertFalse(lock.isLocked());
    }

    @Test
    void useFromAnotherLoopThrows(IOLoop loop) {
        Lock lock = Lock.create();
        CompletableFuture<Boolean> f = loop.runInExecutor(null, () -> {
            try (IOLoop other = IOLoop.create()) {
                return other.runSync(lock::tryAcquire);
            }
        });
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> await(f));
        assertTrue(e.getMessage().contains("belongs to " + loop.name()), e.getMessage());
    }

    /** Created by the JUnit thread, outside any loop: bound by its first use. */
    private Lock createdOffLoop;

    @BeforeEach
    void createOffLoop() {
        createdOffLoop = Lock.create();
        assertTrue(createdOffLoop.tryAcquire()); // Set-up use outside any loop leaves it unbound.
        createdOffLoop.release();
    }

    @Test
    void aLockCreatedOutsideAnyLoopIsBoundToTheFirstLoopThatUsesIt(IOLoop loop) {
        assertTrue(createdOffLoop.tryAcquire()); // Binds it to this loop.
        createdOffLoop.release();
        CompletableFuture<Boolean> f = loop.runInExecutor(null, () -> {
            try (IOLoop other = IOLoop.create()) {
                return other.runSync(createdOffLoop::tryAcquire);
            }
        });
        assertThrows(IllegalStateException.class, () -> await(f));
    }

    @Test
    void toStringShowsStateAndWaiters() {
        Lock lock = Lock.create();
        assertEquals("Lock[unlocked]", lock.toString());
        lock.acquire();
        CompletableFuture<Void> a = spawn(() -> {
            lock.acquire().close();
            return null;
        });
        CompletableFuture<Void> b = spawn(() -> {
            lock.acquire().close();
            return null;
        });
        moment();
        assertEquals("Lock[locked, waiters=2]", lock.toString());
        lock.release();
        await(a);
        await(b);
        assertEquals("Lock[unlocked]", lock.toString());
    }
}
