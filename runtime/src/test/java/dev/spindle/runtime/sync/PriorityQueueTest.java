package dev.spindle.runtime.sync;

import static dev.spindle.runtime.Coroutines.await;
import static dev.spindle.runtime.Coroutines.moment;
import static dev.spindle.runtime.Coroutines.spawn;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.spindle.runtime.testing.LoopTest;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

@LoopTest
class PriorityQueueTest {
    record Job(int priority, String name) {}

    @Test
    void getReturnsTheLeastItemFirst() {
        PriorityQueue<Job> q = PriorityQueue.create(Comparator.comparingInt(Job::priority));
        q.putNowait(new Job(1, "medium"));
        q.putNowait(new Job(0, "high"));
        q.putNowait(new Job(10, "low"));
        assertEquals(List.of("high", "medium", "low"),
                List.of(q.getNowait().name(), q.getNowait().name(), q.getNowait().name()));
    }

    @Test
    void aBlockedPutterOfHigherPriorityComesFirst() {
        // As in Tornado: a get from a full queue admits the waiting putter's item, then takes the least.
        PriorityQueue<Integer> q = PriorityQueue.create(1);
        q.putNowait(5);
        CompletableFuture<Void> putter = spawn(() -> {
            q.put(1);
            return null;
        });
        moment();
        assertEquals(1, q.get());
        assertEquals(5, q.get());
        await(putter);
        assertEquals("PriorityQueue[maxSize=1, size=0, getters=0, putters=0, unfinished=2]", q.toString());
    }
}
