package dev.spindle.runtime;

import static dev.spindle.runtime.Coroutines.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spindle.runtime.testing.LogRecorder;
import dev.spindle.runtime.testing.LoopTest;
import dev.spindle.runtime.testing.VirtualTime;
import java.util.ArrayList;
import java.util.List;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class PeriodicCallbackTest {

    @Test
    @LoopTest(virtualTime = true)
    void runsRepeatedlyUntilStopped(IOLoop loop) {
        AtomicInteger runs = new AtomicInteger();
        List<Duration> at = new ArrayList<>();
        CompletableFuture<Void> third = new CompletableFuture<>();
        String timersBefore = timers(loop);
        PeriodicCallback[] p = new PeriodicCallback[1];
        p[0] = PeriodicCallback.create(() -> {
            at.add(VirtualTime.elapsed(loop));
            if (runs.incrementAndGet() == 3) {
                p[0].stop();
                third.complete(null);
            }
        }, Duration.ofMillis(1));
        p[0].start();
        assertTrue(p[0].isRunning());
        await(third);
        assertFalse(p[0].isRunning());
        assertTrue(p[0].toString().contains("stopped"), p[0].toString());
        assertEquals(timersBefore, timers(loop), "no timer left to run it again: " + loop);
        assertEquals(3, runs.get());
        assertEquals(List.of(Duration.ofMillis(1), Duration.ofMillis(2), Duration.ofMillis(3)), at, "one run per period");
        assertThrows(IllegalArgumentException.class, () -> PeriodicCallback.create(() -> { }, Duration.ZERO));
    }

    /** The {@code timers=n} part of the loop's toString. */
    private static String timers(IOLoop loop) {
        return java.util.regex.Pattern.compile("timers=\\d+").matcher(loop.toString()).results().findFirst().orElseThrow()
                .group();
    }

    @Test
    @LoopTest
    void startingTwiceThrowsAndBadArgumentsAreRejected(IOLoop loop) {
        PeriodicCallback p = PeriodicCallback.create(() -> { }, Duration.ofSeconds(1), 0.5);
        p.start(loop);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> p.start(loop));
        assertTrue(e.getMessage().contains("already started on " + loop.name()), e.getMessage());
        p.stop();
        assertThrows(IllegalArgumentException.class, () -> PeriodicCallback.create(() -> { }, Duration.ofSeconds(1), 1.5));
        assertThrows(IllegalArgumentException.class, () -> PeriodicCallback.create(() -> { }, Duration.ofSeconds(1), Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> PeriodicCallback.create(() -> { }, Duration.ofMillis(-1)));
        assertThrows(NullPointerException.class, () -> PeriodicCallback.create(null, Duration.ofSeconds(1)));
    }

    @Test
    void startOutsideAnyLoopHasNoCurrentLoop() {
        assertThrows(IllegalStateException.class, () -> PeriodicCallback.create(() -> { }, Duration.ofSeconds(1)).start());
    }

    @Test
    @LoopTest
    void startFromAnotherThreadWhileTheLoopRunsNamesTheFix(IOLoop loop) throws Exception {
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        Thread t = Thread.ofPlatform().start(() -> {
            try {
                PeriodicCallback.create(() -> { }, Duration.ofSeconds(1)).start(loop);
            } catch (Throwable e) {
                thrown.set(e);
            }
        });
        await(Coroutines.runInExecutor(null, () -> {
            t.join();
            return null;
        }));
        assertTrue(thrown.get() instanceof IllegalStateException, String.valueOf(thrown.get()));
        assertTrue(thrown.get().getMessage().contains("loop.execute"), thrown.get().getMessage());
    }

    @Test
    @LoopTest(virtualTime = true)
    void jitterVariesEachIntervalWithinItsBound(IOLoop loop) {
        List<Long> at = new ArrayList<>();
        CompletableFuture<Void> done = new CompletableFuture<>();
        PeriodicCallback[] p = new PeriodicCallback[1];
        p[0] = PeriodicCallback.create(() -> {
            at.add(loop.time());
            if (at.size() == 50) {
                p[0].stop();
                done.complete(null);
            }
        }, Duration.ofMinutes(10), 0.5);
        long start = loop.time();
        p[0].start();
        await(done);
        long previous = start;
        for (long t : at) {
            long interval = t - previous;
            assertTrue(interval >= Duration.ofMinutes(5).toNanos() && interval <= Duration.ofMinutes(15).toNanos(),
                    Duration.ofNanos(interval) + " is not within 10 min +- 50 %");
            previous = t;
        }
        assertTrue(at.stream().distinct().count() == 50, "every run at its own time");
    }

    @Test
    @LoopTest(virtualTime = true)
    void anExceptionInTheCallbackIsLoggedAndTheScheduleGoesOn() {
        AtomicInteger runs = new AtomicInteger();
        RuntimeException boom = new RuntimeException("periodic failure");
        try (LogRecorder log = LogRecorder.of("spindle.application")) {
            CompletableFuture<Void> second = new CompletableFuture<>();
            PeriodicCallback p = PeriodicCallback.create(() -> {
                if (runs.incrementAndGet() == 2) {
                    second.complete(null);
                }
                throw boom;
            }, Duration.ofMillis(1));
            p.start();
            await(second);
            p.stop();
            assertEquals(boom, log.await("Exception in PeriodicCallback", Duration.ofSeconds(5)).getThrown());
        }
        assertTrue(runs.get() >= 2);
    }
}
