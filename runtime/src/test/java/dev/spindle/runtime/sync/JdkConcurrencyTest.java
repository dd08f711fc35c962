package dev.spindle.runtime.sync;

import static dev.spindle.runtime.Coroutines.await;
import static dev.spindle.runtime.Coroutines.spawn;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.spindle.runtime.testing.LoopTest;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.ReentrantLock;
import org.junit.jupiter.api.Test;

/** java.util.concurrent works between coroutines too: it parks the coroutine, not the carrier. */
@LoopTest
class JdkConcurrencyTest {
    @Test
    void aBlockingQueuePassesItemsBetweenCoroutines() throws InterruptedException {
        ArrayBlockingQueue<Integer> q = new ArrayBlockingQueue<>(1);
        CompletableFuture<List<Integer>> consumer = spawn(() -> {
            List<Integer> got = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                got.add(q.take()); // Parks this coroutine; the producer runs on the same carrier.
            }
            return got;
        });
        for (int i = 0; i < 5; i++) {
            q.put(i); // Parks while the queue is full.
        }
        assertEquals(List.of(0, 1, 2, 3, 4), await(consumer));
    }

    @Test
    void aReentrantLockExcludesAnotherCoroutine() {
        ReentrantLock lock = new ReentrantLock();
        List<String> order = new ArrayList<>();
        lock.lock();
        CompletableFuture<Void> other = spawn(() -> {
            lock.lock(); // Parks until the test coroutine unlocks.
            try {
                order.add("other");
            } finally {
                lock.unlock();
            }
            return null;
        });
        dev.spindle.runtime.Coroutines.moment();
        order.add("test");
        lock.unlock();
        await(other);
        assertEquals(List.of("test", "other"), order);
    }
}
