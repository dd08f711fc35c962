package dev.spindle.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The scheduler alone: a lifecycle, a selector and a detector, but no IOLoop and no virtual threads. */
@Timeout(30)
class LoopSchedulerTest {
    private final BlockingDetector detector = new BlockingDetector(null);
    private final SelectorDriver selector = new SelectorDriver("test-loop", detector);
    private final LoopLifecycle lifecycle = new LoopLifecycle(null, "test-loop", detector, () -> { });
    private final LoopScheduler scheduler = new LoopScheduler("test-loop", lifecycle, selector, detector, null);

    @AfterEach
    void closeSelector() {
        selector.close();
    }

    @Test
    void closingDropsQueuedCallbacksAndHandsQueuedContinuationsToTheOrphanPool() throws Exception {
        AtomicBoolean callbackRan = new AtomicBoolean();
        CompletableFuture<String> continuationRanOn = new CompletableFuture<>();
        scheduler.callback(() -> callbackRan.set(true));
        scheduler.continuation(() -> continuationRanOn.complete(Thread.currentThread().getName()));
        scheduler.callback(() -> callbackRan.set(true));
        scheduler.shutDown(List.of(), () -> { });
        assertTrue(continuationRanOn.get(10, TimeUnit.SECONDS).startsWith("spindle-orphan-"), continuationRanOn.get());
        assertFalse(callbackRan.get(), "a callback queued at close is dropped, never run on another thread");
        assertEquals("ready=0, timers=0", scheduler.toString());
    }

    @Test
    void aContinuationArrivingAfterCloseGoesStraightToTheOrphanPool() throws Exception {
        scheduler.shutDown(List.of(), () -> { });
        CompletableFuture<String> ranOn = new CompletableFuture<>();
        scheduler.continuation(() -> ranOn.complete(Thread.currentThread().getName()));
        assertTrue(ranOn.get(10, TimeUnit.SECONDS).startsWith("spindle-orphan-"), ranOn.get());
        assertFalse(scheduler.tryCallback(() -> { }), "no callback is accepted once closed");
    }

    @Test
    void toStringShowsTheQueuedWorkAndTheChannels() {
        scheduler.callback(() -> { });
        scheduler.timer(scheduler.now() + 1_000_000_000L, () -> { });
        assertEquals("ready=1, timers=1, channels=0", scheduler.toString());
    }
}
