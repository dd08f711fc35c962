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
import org.junit.jupiter.api.Test;

@LoopTest(virtualTime = true)
class QueueTest {
    @Test
    void getWaitsForPut(Steps steps) {
        Queue<String> q = Queue.create();
        CompletableFuture<String> got = spawn(() -> {
            steps.expect(2);
            String item = q.get();
            steps.expect(4);
            return item;
        });
        steps.expect(1);
        moment();
        steps.expect(3);
        q.put("x");
        assertEquals("x", await(got));
        steps.finish(5);
    }

    @Test
    void gettersAreServedInFifoOrder() {
        Queue<Integer> q = Queue.create();
        List<String> got = new ArrayList<>();
        List<CompletableFuture<Void>> getters = new ArrayList<>();
        for (String name : List.of("a", "b", "c")) {
            getters.add(spawn(() -> {
                got.add(name + q.get());
                return null;
            }));
        }
        moment();
        for (int i = 1; i <= 3; i++) {
            q.putNowait(i);
        }
        getters.forEach(f -> await(f));
        assertEquals(List.of("a1", "b2", "c3"), got);
    }

    @Test
    void putParksWhileFullAndPuttersAreServedInFifoOrder() {
        Queue<Integer> q = Queue.create(1);
        q.put(0);
        assertTrue(q.full());
        CompletableFuture<Void> p1 = spawn(() -> {
            q.put(1);
            return null;
        });
        CompletableFuture<Void> p2 = spawn(() -> {
            q.put(2);
            return null;
        });
        moment();
        assertEquals("Queue[maxSize=1, size=1, getters=0, putters=2, unfinished=1]", q.toString());
        assertEquals(List.of(0, 1, 2), List.of(q.get(), q.get(), q.get()));
        await(p1);
        await(p2);
        assertTrue(q.empty());
    }

    @Test
    void putNowaitOnAFullQueueThrows() {
        Queue<String> q = Queue.create(2);
        q.putNowait("a");
        q.putNowait("b");
        QueueFullException e = assertThrows(QueueFullException.class, () -> q.putNowait("c"));
        assertTrue(e.getMessage().contains("maxSize=2, size=2"), e.getMessage());
        assertEquals(2, q.qsize());
    }

    @Test
    void getNowaitOnAnEmptyQueueThrows() {
        assertThrows(QueueEmptyException.class, () -> Queue.create().getNowait());
    }

    @Test
    void joinReturnsAfterTaskDoneForEveryItem(Steps steps) {
        Queue<Integer> q = Queue.create();
        for (int i = 0; i < 3; i++) {
            q.putNowait(i);
        }
        CompletableFuture<Void> worker = spawn(() -> {
            for (int i = 0; i < 3; i++) {
                q.get();
                moment();
                steps.expect(i + 1);
                q.taskDone();
            }
            return null;
        });
        q.join();
        steps.finish(4);
        await(worker);
        q.join(); // Nothing unfinished: returns at once.
    }

    @Test
    void joinTimesOutWhileItemsAreUnfinished() {
        Queue<Integer> q = Queue.create();
        q.putNowait(1);
        q.getNowait();
        assertThrows(TimeoutException.class, () -> q.join(Duration.ofMillis(10)));
        assertEquals(Duration.ofMillis(10), VirtualTime.elapsed(IOLoop.current()));
        CompletableFuture<Void> joined = q.joinAsync();
        q.taskDone();
        assertTrue(joined.isDone());
    }

    @Test
    void taskDoneMoreTimesThanItemsThrows() {
        Queue<Integer> q = Queue.create();
        q.putNowait(1);
        q.taskDone();
        IllegalStateException e = assertThrows(IllegalStateException.class, q::taskDone);
        assertTrue(e.getMessage().contains("more times than items"), e.getMessage());
    }

    @Test
    void getTimesOutOnAnEmptyQueue() {
        Queue<String> q = Queue.create();
        TimeoutException e = assertThrows(TimeoutException.class, () -> q.get(Duration.ofMillis(10)));
        assertTrue(e.getMessage().startsWith("get(timeout) timed out after PT0.01S on Queue["), e.getMessage());
        assertEquals(Duration.ofMillis(10), VirtualTime.elapsed(IOLoop.current()));
    }

    @Test
    void timedOutGetterTakesNoItem() {
        Queue<String> q = Queue.create();
        CompletableFuture<String> late = q.getAsync(Duration.ofMillis(5));
        assertThrows(TimeoutException.class, () -> await(late));
        assertEquals(Duration.ofMillis(5), VirtualTime.elapsed(IOLoop.current()));
        q.putNowait("kept");
        assertEquals(1, q.qsize());
        assertEquals("kept", q.get());
    }

    @Test
    void timedOutPutterPutsNothing() {
        Queue<String> q = Queue.create(1);
        q.putNowait("a");
        assertThrows(TimeoutException.class, () -> q.put("b", Duration.ofMillis(5)));
        assertEquals(Duration.ofMillis(5), VirtualTime.elapsed(IOLoop.current()));
        assertEquals("a", q.getNowait());
        assertTrue(q.empty());
        assertThrows(QueueEmptyException.class, q::getNowait);
    }

    @Test
    void cancelledGetterLosesNoItem() {
        Queue<String> q = Queue.create();
        CompletableFuture<String> cancelled = spawn(q::get);
        CompletableFuture<String> next = spawn(q::get);
        moment();
        cancelled.cancel(true);
        q.put("item");
        assertEquals("item", await(next));
    }

    /*
     * Tornado #2826: a getter is handed an item by put(), and its task is cancelled before it
     * resumes. Tornado dropped the item with the cancelled task. Here the getter gives it back:
     * the next getter in line gets it, or, with nobody waiting, it is the next item of the queue.
     */
    @Test
    void getterCancelledAfterBeingServedGivesTheItemBack() {
        Queue<String> q = Queue.create();
        CompletableFuture<String> first = spawn(q::get);
        CompletableFuture<String> second = spawn(q::get);
        moment();
        q.put("one");
        first.cancel(true); // Served "one", not yet resumed.
        assertEquals("one", await(second));

        CompletableFuture<String> alone = spawn(q::get);
        moment();
        q.put("two");
        q.put("three");
        alone.cancel(true);
        while (q.qsize() < 2) {
            moment();
        }
        assertEquals(List.of("two", "three"), List.of(q.getNowait(), q.getNowait()));
        q.taskDone();
        q.taskDone();
        q.taskDone();
    }

    @Test
    void putAsyncCompletesWhenThereIsRoom() {
        Queue<Integer> q = Queue.create(1);
        assertTrue(q.putAsync(1).isDone());
        CompletableFuture<Void> waiting = q.putAsync(2);
        CompletableFuture<Void> withdrawn = q.putAsync(3);
        withdrawn.cancel(false);
        assertFalse(waiting.isDone());
        assertEquals(1, q.getNowait());
        assertTrue(waiting.isDone());
        assertEquals(2, q.getNowait());
        assertTrue(q.empty(), "the withdrawn put must not have put its item");
    }

    @Test
    void nullItemsAreRejected() {
        assertThrows(NullPointerException.class, () -> Queue.create().putNowait(null));
    }

    @Test
    void negativeMaxSizeIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> Queue.create(-1));
    }

    @Test
    void useFromAnotherThreadThrows(IOLoop loop) {
        Queue<String> q = Queue.create();
        CompletableFuture<Void> f = loop.runInExecutor(null, () -> {
            q.putNowait("x");
            return null;
        });
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> await(f));
        assertTrue(e.getMessage().startsWith("Queue was called from thread"), e.getMessage());
        assertTrue(q.empty());
    }

    @Test
    void toStringShowsSizesAndWaiters() {
        Queue<String> q = Queue.create();
        CompletableFuture<String> a = spawn(q::get);
        CompletableFuture<String> b = spawn(q::get);
        moment();
        assertEquals("Queue[maxSize=0, size=0, getters=2, putters=0, unfinished=0]", q.toString());
        q.put("a");
        q.put("b");
        await(a);
        await(b);
        assertEquals("Queue[maxSize=0, size=0, getters=0, putters=0, unfinished=2]", q.toString());
    }
}
