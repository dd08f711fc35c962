package dev.spindle.runtime;

import static dev.spindle.runtime.Coroutines.await;
import static dev.spindle.runtime.Coroutines.withTimeout;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spindle.runtime.testing.LogRecorder;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.logging.LogRecord;
import org.junit.jupiter.api.Test;

/** Plain loops here: @LoopTest would rightly fail these tests for their unobserved failures. */
class UnobservedFailuresTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    /** Spawns a failing coroutine, waits until it is done without observing it, drops it. */
    private static void failUnobserved(IOLoop loop, String name) {
        CompletableFuture<Object> f = loop.spawn(name, () -> {
            throw new IllegalStateException("boom from " + name);
        });
        while (!f.isDone()) {
            Coroutines.moment();
        }
    }

    @Test
    void aCollectedUnobservedFailureIsLoggedWithItsStackAndAnObservedOneIsNot() {
        try (LogRecorder log = LogRecorder.of("spindle.application", System.Logger.Level.ERROR)) {
            IOLoop loop = IOLoop.create();
            loop.runSync(() -> {
                failUnobserved(loop, "dropped");
                CompletableFuture<Object> seen = loop.spawn("observed", () -> {
                    throw new IllegalStateException("boom from observed");
                });
                assertThrows(IllegalStateException.class, () -> await(seen));
                return null;
            });
            LogRecord r = awaitCollected(log, "coroutine dropped on " + loop.name() + " was never observed");
            assertEquals("boom from dropped", r.getThrown().getMessage());
            assertTrue(r.getThrown().getStackTrace().length > 0);
            loop.close(); // Reports whatever is still pending: the observed failure must not be among it.
            List<String> all = log.takeAllMessages();
            assertEquals(1, all.size(), all.toString());
        }
    }

    /** Collects garbage until the record comes: the Cleaner logs once the future is unreachable. */
    private static LogRecord awaitCollected(LogRecorder log, String substring) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            System.gc();
            try {
                return log.await(substring, Duration.ofMillis(100));
            } catch (AssertionError e) {
                if (System.nanoTime() - deadline > 0) {
                    throw e;
                }
            }
        }
    }

    @Test
    void anUnobservedFailureIsListedThenLoggedWhenItsLoopCloses() {
        try (LogRecorder log = LogRecorder.of("spindle.application", System.Logger.Level.ERROR)) {
            IOLoop loop = IOLoop.create();
            CompletableFuture<?>[] keep = new CompletableFuture<?>[1];
            loop.runSync(() -> {
                keep[0] = withTimeout(new CompletableFuture<String>(), Duration.ofMillis(1));
                while (!keep[0].isDone()) {
                    Coroutines.moment();
                }
                return null;
            });
            List<Throwable> pending = loop.unobservedFailures();
            assertEquals(1, pending.size(), pending.toString());
            assertTrue(pending.getFirst() instanceof TimeoutException);
            loop.close();
            LogRecord r = log.await("withTimeout() on " + loop.name() + " was never observed", WAIT);
            assertTrue(r.getThrown() instanceof TimeoutException);
        }
    }

    @Test
    void aNewFutureThatFailedUnobservedIsLoggedWhenItsLoopClosesAndAnAwaitedOneIsNot() {
        try (LogRecorder log = LogRecorder.of("spindle.application", System.Logger.Level.ERROR)) {
            IOLoop loop = IOLoop.create();
            CompletableFuture<?>[] keep = new CompletableFuture<?>[1];
            loop.runSync(() -> {
                CompletableFuture<String> dropped = Coroutines.newFuture();
                dropped.completeExceptionally(new IllegalStateException("nobody looked"));
                keep[0] = dropped;
                CompletableFuture<String> awaited = Coroutines.newFuture();
                loop.execute(() -> awaited.completeExceptionally(new IllegalStateException("awaited")));
                assertThrows(IllegalStateException.class, () -> await(awaited));
                return null;
            });
            assertEquals(1, loop.unobservedFailures().size());
            loop.close();
            LogRecord r = log.await("newFuture() on " + loop.name() + " was never observed", WAIT);
            assertEquals("nobody looked", r.getThrown().getMessage());
            assertEquals(1, log.takeAllMessages().size());
        }
    }

    @Test
    void readingTheOutcomeCountsAsObserving() {
        try (IOLoop loop = IOLoop.create()) {
            CompletableFuture<Object> f = loop.runSync(() -> {
                CompletableFuture<Object> c = loop.spawn(() -> {
                    throw new IllegalStateException("read later");
                });
                while (!c.isDone()) {
                    Coroutines.moment();
                }
                return c;
            });
            assertEquals(1, loop.unobservedFailures().size());
            f.exceptionally(e -> null);
            assertEquals(List.of(), loop.unobservedFailures());
        }
    }

    @Test
    void aFailureOfALoserOfAnyIsLogged() {
        try (LogRecorder log = LogRecorder.of("spindle.application", System.Logger.Level.WARNING);
                IOLoop loop = IOLoop.create()) {
            loop.runSync(() -> {
                CompletableFuture<String> winner = new CompletableFuture<>();
                CompletableFuture<String> loser = new CompletableFuture<>();
                CompletableFuture<String> first = Coroutines.any(winner, loser);
                winner.complete("won");
                assertEquals("won", await(first));
                loser.completeExceptionally(new IllegalStateException("lost"));
                return null;
            });
            LogRecord r = log.await("after any() had completed", WAIT);
            assertEquals("lost", r.getThrown().getMessage());
        }
    }
}
