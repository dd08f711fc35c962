package dev.spindle.runtime;

import static dev.spindle.runtime.Coroutines.await;
import static dev.spindle.runtime.Coroutines.scope;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spindle.runtime.testing.LoopTest;
import dev.spindle.runtime.testing.Steps;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

@LoopTest
class CoroutineScopeTest {
    /** Never completes: whoever awaits it parks until cancelled. */
    private static <T> CompletableFuture<T> never() {
        return new CompletableFuture<>();
    }

    @Test
    void theScopeWaitsForEveryChildAndReturnsTheBodysValue(IOLoop loop) {
        List<String> ended = new ArrayList<>();
        CompletableFuture<Void> release = new CompletableFuture<>();
        String value = scope(s -> {
            s.spawn(() -> {
                await(release);
                ended.add("slow");
                return null;
            });
            s.spawn(() -> ended.add("quick"));
            loop.callLater(Duration.ofMillis(1), () -> release.complete(null));
            return "body";
        });
        assertEquals("body", value);
        assertEquals(List.of("quick", "slow"), ended); // The body had returned; the scope waited for the slow child.
    }

    @Test
    void aFailingChildCancelsItsSiblingsAndTheBodyWhoseFinallyBlocksRun(Steps steps) {
        IOException boom = new IOException("boom");
        List<String> finallyRan = new ArrayList<>();
        IOException thrown = assertThrows(IOException.class, () -> scope(s -> {
            s.spawn(() -> {
                try {
                    return await(never());
                } finally {
                    finallyRan.add("sibling");
                }
            });
            s.spawn(() -> {
                steps.expect(1);
                throw boom;
            });
            try {
                return await(never());
            } finally {
                steps.expect(2);
                finallyRan.add("body");
            }
        }));
        steps.finish(3);
        assertSame(boom, thrown);
        assertEquals(List.of("body", "sibling"), finallyRan);
    }

    @Test
    void laterFailuresAreSuppressedIntoTheFirst() {
        IllegalStateException first = new IllegalStateException("first");
        IllegalArgumentException second = new IllegalArgumentException("second");
        CompletableFuture<Void> secondParked = new CompletableFuture<>();
        IllegalStateException thrown = assertThrows(IllegalStateException.class, () -> scope(s -> {
            s.spawn(() -> {
                await(secondParked);
                throw first;
            });
            s.spawn(() -> {
                try {
                    secondParked.complete(null);
                    return await(never());
                } catch (CancellationException e) {
                    throw second; // A child that fails while being cancelled.
                }
            });
            return null;
        }));
        assertSame(first, thrown);
        assertEquals(List.of(second), List.of(thrown.getSuppressed()));
    }

    @Test
    void theBodysOwnFailureCancelsTheChildren() {
        List<String> finallyRan = new ArrayList<>();
        IllegalStateException boom = new IllegalStateException("body failed");
        CompletableFuture<Void> started = new CompletableFuture<>();
        assertSame(boom, assertThrows(IllegalStateException.class, () -> scope(s -> {
            s.spawn(() -> {
                try {
                    started.complete(null);
                    return await(never());
                } finally {
                    finallyRan.add("child");
                }
            });
            await(started);
            throw boom;
        })));
        assertEquals(List.of("child"), finallyRan);
    }

    @Test
    void cancellingTheParentReachesEveryChild(IOLoop loop) {
        List<String> finallyRan = new ArrayList<>();
        CompletableFuture<Void> childrenParked = new CompletableFuture<>();
        CompletableFuture<String> parent = loop.spawn(() -> scope(s -> {
            for (int i = 0; i < 3; i++) {
                int n = i;
                s.spawn(() -> {
                    try {
                        if (n == 2) {
                            childrenParked.complete(null);
                        }
                        return await(never());
                    } finally {
                        finallyRan.add("child " + n);
                    }
                });
            }
            return "never returned";
        }));
        await(childrenParked);
        parent.cancel(true);
        assertThrows(CancellationException.class, () -> await(parent));
        awaitEnded(loop, parent);
        assertEquals(List.of("child 0", "child 1", "child 2"), finallyRan);
    }

    /** Waits until the coroutine behind {@code f} has ended, not only its future. */
    private static void awaitEnded(IOLoop loop, CompletableFuture<?> f) {
        Coroutine<?> c = (Coroutine<?>) f;
        while (!c.finished) {
            Coroutines.moment();
        }
    }

    @Test
    void aDeadlineCancelsWhatIsLeftAndThrowsTimeoutException() {
        List<String> finallyRan = new ArrayList<>();
        TimeoutException e = assertThrows(TimeoutException.class, () -> scope(Duration.ofMillis(5), s -> {
            s.spawn(() -> {
                try {
                    return await(never());
                } finally {
                    finallyRan.add("child");
                }
            });
            return await(never());
        }));
        assertTrue(e.getMessage().startsWith("scope did not finish within PT0.005S"), e.getMessage());
        assertEquals(List.of("child"), finallyRan);
    }

    @Test
    void aChildCancelledOnItsOwnIsNotAFailure() {
        String value = scope(s -> {
            CompletableFuture<Object> child = s.spawn(() -> await(never()));
            CompletableFuture<Object> unstarted = s.spawn(() -> await(never()));
            unstarted.cancel(true); // Before it ever ran.
            Coroutines.moment();
            child.cancel(true);
            return "fine";
        });
        assertEquals("fine", value);
    }

    @Test
    void cancelFromTheBodyStopsTheChildrenAndTheBodyGoesOn() {
        List<String> finallyRan = new ArrayList<>();
        String value = scope(s -> {
            s.spawn(() -> {
                try {
                    return await(never());
                } finally {
                    finallyRan.add("child");
                }
            });
            Coroutines.moment();
            s.cancel();
            assertTrue(s.isCancelled());
            assertThrows(IllegalStateException.class, () -> s.spawn(() -> 1));
            return "went on";
        });
        assertEquals("went on", value);
        assertEquals(List.of("child"), finallyRan);
    }

    @Test
    void misuseIsRefusedWithAClearMessage(IOLoop loop) throws Exception {
        CoroutineScope[] escaped = new CoroutineScope[1];
        scope(s -> {
            escaped[0] = s;
            return null;
        });
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> escaped[0].spawn(() -> 1));
        assertTrue(e.getMessage().contains("has returned"), e.getMessage());
        assertThrows(NullPointerException.class, () -> scope(null));
        assertThrows(IllegalArgumentException.class, () -> scope(Duration.ZERO, s -> 1));
        CompletableFuture<IllegalStateException> outside = new CompletableFuture<>();
        Thread.ofPlatform().start(() -> outside.complete(assertThrows(IllegalStateException.class, () -> scope(s -> 1))));
        assertTrue(await(outside).getMessage().startsWith("scope() called outside a coroutine"));
    }

    @Test
    void toStringShowsChildrenAndState() {
        scope(s -> {
            assertEquals("CoroutineScope[0 children, 0 running]", s.toString());
            s.spawn(() -> await(never()));
            assertEquals("CoroutineScope[1 child, 1 running]", s.toString());
            s.cancel();
            assertTrue(s.toString().endsWith(", cancelled]"), s.toString());
            return null;
        });
        IOException boom = new IOException("refused");
        String[] shown = new String[1];
        assertThrows(IOException.class, () -> scope(s -> {
            s.spawn(() -> {
                throw boom;
            });
            try {
                return await(never());
            } finally {
                shown[0] = s.toString();
            }
        }));
        assertTrue(shown[0].endsWith("failed: java.io.IOException: refused]"), shown[0]);
        assertFalse(shown[0].contains("timed out"));
    }
}
