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
class EventTest {
    @Test
    void setWakesEveryWaiterInFifoOrder() {
        Event e = Event.create();
        List<Integer> woke = new ArrayList<>();
        List<CompletableFuture<Void>> all = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            int k = i;
            all.add(spawn(() -> {
                e.await();
                woke.add(k);
                return null;
            }));
        }
        moment();
        assertEquals("Event[clear, waiters=3]", e.toString());
        e.set();
        all.forEach(f -> await(f));
        assertEquals(List.of(0, 1, 2), woke);
        assertEquals("Event[set]", e.toString());
    }

    @Test
    void awaitReturnsAtOnceWhileSetAndWaitsAgainAfterClear() {
        Event e = Event.create();
        e.set();
        e.await();
        assertTrue(e.isSet());
        e.clear();
        assertFalse(e.isSet());
        assertThrows(TimeoutException.class, () -> e.await(Duration.ofMillis(10)));
        assertEquals(Duration.ofMillis(10), VirtualTime.elapsed(IOLoop.current()));
    }

    @Test
    void awaitTimesOutWithTheEventInTheMessage() {
        Event e = Event.create();
        TimeoutException x = assertThrows(TimeoutException.class, () -> e.await(Duration.ofMillis(10)));
        assertTrue(x.getMessage().contains("on Event[clear"), x.getMessage());
        assertEquals(Duration.ofMillis(10), VirtualTime.elapsed(IOLoop.current()));
        assertEquals("Event[clear, waiters=0]", e.toString());
    }

    @Test
    void cancelledWaiterLeavesTheLine() {
        Event e = Event.create();
        CompletableFuture<Void> f = spawn(() -> {
            e.await();
            return null;
        });
        moment();
        f.cancel(true);
        moment();
        assertEquals("Event[clear, waiters=0]", e.toString());
    }

    @Test
    void awaitAsyncCompletesOnSet() {
        Event e = Event.create();
        CompletableFuture<Void> f = e.awaitAsync();
        CompletableFuture<Void> late = e.awaitAsync(Duration.ofMillis(5));
        assertThrows(TimeoutException.class, () -> await(late));
        assertEquals(Duration.ofMillis(5), VirtualTime.elapsed(IOLoop.current()));
        assertFalse(f.isDone());
        e.set();
        assertTrue(f.isDone());
        assertTrue(e.awaitAsync().isDone());
    }
}
