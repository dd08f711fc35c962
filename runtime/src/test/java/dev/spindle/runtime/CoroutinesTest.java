package dev.spindle.runtime;

import static dev.spindle.runtime.Coroutines.all;
import static dev.spindle.runtime.Coroutines.any;
import static dev.spindle.runtime.Coroutines.await;
import static dev.spindle.runtime.Coroutines.moment;
import static dev.spindle.runtime.Coroutines.sleep;
import static dev.spindle.runtime.Coroutines.spawn;
import static dev.spindle.runtime.Coroutines.withTimeout;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.LogRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class CoroutinesTest {
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
    void everyCoroutineRunsOnTheLoopsOneCarrier() {
        Set<Thread> carriers = ConcurrentHashMap.newKeySet();
        Set<Thread> threads = ConcurrentHashMap.newKeySet();
        loop.runSync(() -> {
            List<CompletableFuture<Void>> fs = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                fs.add(spawn(() -> {
                    for (int j = 0; j < 3; j++) {
                        carriers.add(VirtualThreads.currentCarrier());
                        threads.add(Thread.currentThread());
                        sleep(Duration.ofMillis(1));
                    }
                    return null;
                }));
            }
            await(all(fs));
            return null;
        });
        assertEquals(Set.of(Thread.currentThread()), carriers, "the thread that ran runSync carries every coroutine");
        assertEquals(20, threads.size());
        assertTrue(threads.stream().allMatch(Thread::isVirtual));
    }

    @Test
    void tenThousandCoroutinesAwaitingTimersAllFinishOnOneCarrier() {
        int n = 10_000;
        Set<Thread> carriers = ConcurrentHashMap.newKeySet();
        int finished = loop.runSync(() -> {
            List<CompletableFuture<Integer>> fs = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                int delay = i % 50;
                fs.add(spawn(() -> {
                    sleep(Duration.ofMillis(delay));
                    carriers.add(VirtualThreads.currentCarrier());
                    return 1;
                }));
            }
            return await(all(fs)).stream().mapToInt(Integer::intValue).sum();
        });
        assertEquals(n, finished);
        assertEquals(Set.of(Thread.currentThread()), carriers);
    }

    @Test
    void awaitOfAFinishedFutureReturnsWithoutYielding() {
        List<String> order = new ArrayList<>();
        loop.runSync(() -> {
            CompletableFuture<Void> other = spawn(() -> {
                order.add("other");
                return null;
            });
            moment(); // let the other coroutine run once and finish
            CompletableFuture<Void> second = spawn(() -> {
                order.add("second");
                return null;
            });
            // second is ready to run; a yield here would let it run before "after".
            assertEquals("done", await(CompletableFuture.completedFuture("done")));
            order.add("after");
            await(second);
            await(other);
            return null;
        });
        assertEquals(List.of("other", "after", "second"), order);
    }

    @Test
    void awaitRethrowsTheSameUncheckedExceptionObject() {
        IllegalArgumentException boom = new IllegalArgumentException("boom");
        Object caught = loop.runSync(() -> {
            try {
                await(CompletableFuture.failedFuture(boom));
                return "not thrown";
            } catch (IllegalArgumentException e) {
                return e;
            }
        });
        assertSame(boom, caught);
    }

    @Test
    void awaitRethrowsTheSameCheckedExceptionObjectForATypedCatch() {
        IOException boom = new IOException("disk on fire");
        Object caught = loop.runSync(() -> {
            CompletableFuture<String> f = new CompletableFuture<>();
            loop.callLater(Duration.ofMillis(5), () -> f.completeExceptionally(boom));
            try {
                return await(f, IOException.class);
            } catch (IOException e) {
                return e;
            }
        });
        assertSame(boom, caught);
    }

    @Test
    void awaitUnwrapsTheCompletionExceptionOfADependentStage() {
        IllegalStateException boom = new IllegalStateException("inner");
        Object caught = loop.runSync(() -> {
            CompletableFuture<String> f = CompletableFuture.<String>failedFuture(boom).thenApply(s -> s + "!");
            try {
                return await(f);
            } catch (IllegalStateException e) {
                return e;
            }
        });
        assertSame(boom, caught);
    }

    @Test
    void aFutureCompletedOnAnotherPlatformThreadResumesTheCoroutineOnTheCarrier() {
        AtomicReference<Thread> completer = new AtomicReference<>();
        Thread[] resumedOn = new Thread[1];
        String value = loop.runSync(() -> {
            CompletableFuture<String> f = new CompletableFuture<>();
            Thread t = Thread.ofPlatform().start(() -> {
                completer.set(Thread.currentThread());
                f.complete("from afar");
            });
            String v = await(f);
            resumedOn[0] = VirtualThreads.currentCarrier();
            t.join();
            return v;
        });
        assertEquals("from afar", value);
        assertSame(Thread.currentThread(), resumedOn[0]);
        assertFalse(completer.get() == Thread.currentThread());
    }

    @Test
    void awaitInAPlainLoopCallbackThrowsNamingTheFix() {
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        loop.runSync(() -> {
            CompletableFuture<Void> done = new CompletableFuture<>();
            loop.execute(() -> {
                try {
                    await(new CompletableFuture<String>());
                } catch (Throwable e) {
                    thrown.set(e);
                }
                done.complete(null);
            });
            return await(done);
        });
        assertInstanceOf(IllegalStateException.class, thrown.get());
        assertTrue(thrown.get().getMessage().contains("spawn a coroutine"), thrown.get().getMessage());
    }

    @Test
    void awaitOutsideAnyLoopBlocksTheThreadAndReturnsTheValue() throws Exception {
        CompletableFuture<String> f = new CompletableFuture<>();
        CountDownLatch waiting = new CountDownLatch(1);
        AtomicReference<Object> got = new AtomicReference<>();
        Thread t = Thread.ofPlatform().start(() -> {
            waiting.countDown();
            got.set(await(f));
        });
        assertTrue(waiting.await(5, TimeUnit.SECONDS));
        f.complete("unblocked");
        t.join(5000);
        assertEquals("unblocked", got.get());
        assertEquals("main", await(CompletableFuture.supplyAsync(() -> "main")));
    }

    @Test
    void cancellingAParkedCoroutineInterruptsItRunsFinallyAndEndsCancelled() {
        AtomicBoolean finallyRan = new AtomicBoolean();
        AtomicReference<Throwable> seen = new AtomicReference<>();
        CompletableFuture<String> never = new CompletableFuture<>();
        CompletableFuture<String> c = loop.runSync(() -> {
            CompletableFuture<String> child = spawn(() -> {
                try {
                    return await(never);
                } catch (CancellationException e) {
                    seen.set(e);
                    throw e;
                } finally {
                    finallyRan.set(true);
                }
            });
            moment(); // let it park
            assertTrue(child.cancel(true));
            sleep(Duration.ofMillis(1)); // let its finally run
            return child;
        });
        assertTrue(c.isCancelled());
        assertTrue(finallyRan.get());
        assertInstanceOf(CancellationException.class, seen.get());
        assertFalse(never.isDone(), "the awaited future itself is not cancelled");
    }

    @Test
    void aCancelledCoroutineCanStillAwaitInItsFinallyBlock() {
        AtomicReference<String> cleanup = new AtomicReference<>();
        loop.runSync(() -> {
            CompletableFuture<Void> child = spawn(() -> {
                try {
                    await(new CompletableFuture<Void>());
                } finally {
                    sleep(Duration.ofMillis(1));
                    cleanup.set("cleaned up after an await");
                }
                return null;
            });
            moment();
            child.cancel(true);
            await(Coroutines.delay(Duration.ofMillis(20)));
            return null;
        });
        assertEquals("cleaned up after an await", cleanup.get());
    }

    @Test
    void withTimeoutFailsTheResultButLeavesTheInnerFutureRunning() {
        CompletableFuture<String> inner = new CompletableFuture<>();
        Throwable e = loop.runSync(() -> {
            try {
                await(withTimeout(inner, Duration.ofMillis(20)));
                return null;
            } catch (TimeoutException t) {
                return t;
            }
        });
        assertInstanceOf(TimeoutException.class, e);
        assertTrue(e.getMessage().contains("timed out after PT0.02S"), e.getMessage());
        assertFalse(inner.isDone());
        assertEquals("late", inner.complete("late") ? "late" : "lost");
    }

    @Test
    void withTimeoutPassesThroughAValueThatArrivesInTime() {
        String v = loop.runSync(() -> {
            CompletableFuture<String> f = new CompletableFuture<>();
            loop.callLater(Duration.ofMillis(5), () -> f.complete("in time"));
            return await(withTimeout(f, Duration.ofSeconds(10)));
        });
        assertEquals("in time", v);
    }

    @Test
    void allWaitsForEveryInputThenFailsWithTheFirstFailureInInputOrderAndLogsTheOthers() throws Exception {
        RuntimeException first = new RuntimeException("first in order");
        RuntimeException second = new RuntimeException("second in order");
        try (LogCapture log = LogCapture.of("spindle.application")) {
            List<String> events = new ArrayList<>();
            Throwable thrown = loop.runSync(() -> {
                CompletableFuture<String> slowFail = spawn(() -> {
                    sleep(Duration.ofMillis(30));
                    events.add("slow failed");
                    throw first;
                });
                CompletableFuture<String> fastFail = spawn(() -> {
                    events.add("fast failed");
                    throw second;
                });
                CompletableFuture<String> ok = spawn(() -> "ok");
                try {
                    await(all(slowFail, fastFail, ok));
                    return null;
                } catch (RuntimeException e) {
                    events.add("all failed");
                    return e;
                }
            });
            assertSame(first, thrown);
            assertEquals(List.of("fast failed", "slow failed", "all failed"), events);
            LogRecord r = log.await("Multiple exceptions in all()", 5);
            assertSame(second, r.getThrown());
        }
    }

    @Test
    void allReturnsValuesInInputOrder() {
        List<Integer> values = loop.runSync(() -> await(all(
                spawn(() -> { sleep(Duration.ofMillis(20)); return 1; }),
                spawn(() -> 2),
                Coroutines.delay(Duration.ofMillis(5)).thenApply(v -> 3))));
        assertEquals(List.of(1, 2, 3), values);
        assertEquals(List.of(), loop.runSync(() -> await(all(List.<CompletableFuture<String>>of()))));
    }

    @Test
    void anyCompletesWithTheFirstOutcome() {
        String v = loop.runSync(() -> await(any(
                Coroutines.delay(Duration.ofSeconds(10)).thenApply(x -> "slow"),
                spawn(() -> { sleep(Duration.ofMillis(5)); return "fast"; }))));
        assertEquals("fast", v);
        assertThrows(IllegalArgumentException.class, () -> any(List.<CompletableFuture<String>>of()));
    }

    @Test
    void sleepOutsideALoopSleepsTheThreadAndRejectsNegativeDurations() {
        sleep(Duration.ofMillis(1));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> sleep(Duration.ofMillis(-1)));
        assertTrue(e.getMessage().contains("PT-0.001S"), e.getMessage());
        assertThrows(NullPointerException.class, () -> sleep(null));
        assertThrows(NullPointerException.class, () -> await(null));
        assertThrows(IllegalArgumentException.class,
                () -> withTimeout(new CompletableFuture<>(), Duration.ofSeconds(-1)));
    }

    @Test
    void spawnOutsideAnyLoopNamesTheFix() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> spawn(() -> 1));
        assertTrue(e.getMessage().contains("pass the loop explicitly"), e.getMessage());
    }

    @Test
    void aCoroutineFutureIsReturnedBeforeTheCoroutineRuns() {
        List<String> order = new ArrayList<>();
        loop.runSync(() -> {
            CompletableFuture<Void> f = spawn(() -> {
                order.add("child runs");
                return null;
            });
            order.add("spawn returned");
            await(f);
            return null;
        });
        assertEquals(List.of("spawn returned", "child runs"), order);
    }

    @Test
    void runInExecutorMovesBlockingWorkOffTheLoopEvenWithAVirtualThreadExecutor() {
        List<String> order = new ArrayList<>();
        Thread[] ranOn = new Thread[1];
        loop.runSync(() -> {
            CountDownLatch release = new CountDownLatch(1);
            try (var executor = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
                CompletableFuture<String> blocking = Coroutines.runInExecutor(executor, () -> {
                    ranOn[0] = VirtualThreads.currentCarrier();
                    // Blocks its thread; if that thread were this loop's carrier, the loop would stall
                    // and the coroutine below could never release it.
                    release.await();
                    return "done";
                });
                CompletableFuture<Void> other = spawn(() -> {
                    order.add("loop still runs");
                    release.countDown();
                    return null;
                });
                await(other);
                order.add(await(blocking));
            }
            return null;
        });
        assertEquals(List.of("loop still runs", "done"), order);
        assertFalse(ranOn[0] == Thread.currentThread(), "the task ran off the loop's carrier");
    }

    @Test
    void runInExecutorWithTheDefaultPoolReturnsTheValueAndKeepsFailures() {
        IOException boom = new IOException("read failed");
        Object[] results = loop.runSync(() -> {
            String v = await(Coroutines.runInExecutor(null, () -> Thread.currentThread().getName()));
            try {
                await(Coroutines.runInExecutor(null, () -> { throw boom; }), IOException.class);
                return new Object[] {v, null};
            } catch (IOException e) {
                return new Object[] {v, e};
            }
        });
        assertTrue(((String) results[0]).startsWith("spindle-executor-"), (String) results[0]);
        assertSame(boom, results[1]);
    }
}
