package dev.spindle.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class CallbackQueueTest {
    private final AtomicInteger wakeups = new AtomicInteger();
    private final CallbackQueue queue = new CallbackQueue(wakeups::incrementAndGet);

    @Test
    void snapshotCountsOnlyWhatWasReadyAndKeepsOrder() {
        Runnable a = () -> { };
        Runnable b = () -> { };
        Runnable c = () -> { };
        queue.addLocal(a);
        queue.addRemote(b);
        assertEquals(2, queue.snapshot());
        assertSame(a, queue.poll());
        queue.addLocal(c); // added while running: after b
        assertSame(b, queue.poll());
        assertSame(c, queue.poll());
        assertNull(queue.poll());
    }

    @Test
    void remoteAddsWakeASleepingLoopAtMostOncePerSleep() {
        assertTrue(queue.beforeSleep());
        queue.addRemote(() -> { });
        queue.addRemote(() -> { });
        queue.addRemote(() -> { });
        assertEquals(1, wakeups.get());
        queue.afterSleep();
        queue.addRemote(() -> { });
        assertEquals(1, wakeups.get(), "an awake loop is not woken");
    }

    @Test
    void theLoopDoesNotSleepWhenWorkIsWaiting() {
        queue.addRemote(() -> { });
        assertFalse(queue.beforeSleep());
        queue.snapshot();
        queue.poll();
        queue.addLocal(() -> { });
        assertFalse(queue.beforeSleep());
        assertEquals(0, wakeups.get());
    }
}
