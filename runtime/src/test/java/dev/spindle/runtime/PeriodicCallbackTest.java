package dev.spindle.runtime;

import static dev.spindle.runtime.Coroutines.await;
import static dev.spindle.runtime.Coroutines.sleep;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class PeriodicCallbackTest {
    private IOLoop loop;

    @BeforeEach
    void createLoop() {
        loop = IOLoop.create();
    }

    @AfterEach
    void closeLoop() {
        loop.close();
    }

    @Test
    void runsRepeatedlyUntilStopped() {
        AtomicInteger runs = new AtomicInteger();
        loop.runSync(() -> {
            CompletableFuture<Void> third = new CompletableFuture<>();
            PeriodicCallback[] p = new PeriodicCallback[1];
            p[0] = PeriodicCallback.create(() -> {
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
            assertTrue(loop.toString().contains("timers=0"), "no timer left to run it again: " + loop);
            return null;
        });
        assertEquals(3, runs.get());
        assertThrows(IllegalArgumentException.class, () -> PeriodicCallback.create(() -> { }, Duration.ZERO));
    }

    @Test
    void startingTwiceThrowsAndBadArgumentsAreRejected() {
        PeriodicCallback p = PeriodicCallback.create(() -> { }, Duration.ofSeconds(1), 0.5);
        p.start(loop);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> p.start(loop));
        assertTrue(e.getMessage().contains("already started on " + loop.name()), e.getMessage());
        p.stop();
        assertThrows(IllegalArgumentException.class, () -> PeriodicCallback.create(() -> { }, Duration.ofSeconds(1), 1.5));
        assertThrows(IllegalArgumentException.class, () -> PeriodicCallback.create(() -> { }, Duration.ofSeconds(1), Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> PeriodicCallback.create(() -> { }, Duration.ofMillis(-1)));
        assertThrows(NullPointerException.class, () -> PeriodicCallback.create(null, Duration.ofSeconds(1)));
        assertThrows(IllegalStateException.class, () -> PeriodicCallback.create(() -> { }, Duration.ofSeconds(1)).start(),
                "start() outside any loop has no current loop");
    }

    @Test
    void startFromAnotherThreadWhileTheLoopRunsNamesTheFix() {
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        loop.runSync(() -> {
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
            return null;
        });
        assertTrue(thrown.get() instanceof IllegalStateException, String.valueOf(thrown.get()));
        assertTrue(thrown.get().getMessage().contains("loop.execute"), thrown.get().getMessage());
    }

    @Test
    void anExceptionInTheCallbackIsLoggedAndTheScheduleGoesOn() {
        AtomicInteger runs = new AtomicInteger();
        RuntimeException boom = new RuntimeException("periodic failure");
        try (var log = dev.spindle.runtime.testing.LogRecorder.of("spindle.application")) {
            loop.runSync(() -> {
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
                return null;
            });
            assertEquals(boom, log.await("Exception in PeriodicCallback", Duration.ofSeconds(5)).getThrown());
        }
        assertTrue(runs.get() >= 2);
    }
}
