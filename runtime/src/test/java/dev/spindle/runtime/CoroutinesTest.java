package dev.spindle.runtime;

import static dev.spindle.runtime.Coroutines.all;
import static dev.spindle.runtime.Coroutines.any;
import static dev.spindle.runtime.Coroutines.await;
import static dev.spindle.runtime.Coroutines.moment;
import static dev.spindle.runtime.Coroutines.newFuture;
import static dev.spindle.runtime.Coroutines.sleep;
import static dev.spindle.runtime.Coroutines.spawn;
import static dev.spindle.runtime.Coroutines.withTimeout;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import dev.spindle.runtime.testing.LogRecorder;
import dev.spindle.runtime.testing.LoopTest;
import dev.spindle.runtime.testing.Steps;
import dev.spindle.runtime.testing.VirtualTime;

/** Coroutines on loops whose clock is virtual, so that timers cost no real time. */
@Timeout(30)
class CoroutinesTest {
    @RegisterExtension
    final LoopFixture fixture = LoopFixture.virtual();
    private final IOLoop loop = fixture.loop;

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
        assertEquals(Duration.ofMillis(3), VirtualTime.elapsed(loop), "three 1 ms sleeps, side by side");
        assertEquals(20, threads.size());
        assertTrue(threads.stream().allMatch(Thread::isVirtual));
    }

    @Test
    @LoopTest(virtualTime = true)
    void tenThousandCoroutinesAwaitingTimersAllFinishOnOneCarrier(IOLoop loop) {
        int n = 10_000;
        Set<Thread> carriers = ConcurrentHashMap.newKeySet();
        List<CompletableFuture<Integer>> fs = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            int delay = i % 50;
            fs.add(spawn(() -> {
                sleep(Duration.ofMillis(delay));
                carriers.add(VirtualThreads.currentCarrier());
                return 1;
            }));
        }
        int finished = await(all(fs)).stream().mapToInt(Integer::intValue).sum();
        assertEquals(n, finished);
        assertEquals(Duration.ofMillis(49), VirtualTime.elapsed(loop), "the longest sleep");
        assertEquals(Set.of(VirtualThreads.currentCarrier()), carriers);
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
    @LoopTest
    void awaitRethrowsTheSameUncheckedExceptionObject() {
        IllegalArgumentException boom = new IllegalArgumentException("boom");
        try {
            await(CompletableFuture.failedFuture(boom));
            fail("not thrown");
        } catch (IllegalArgumentException e) {
            assertSame(boom, e);
        }
    }

    @Test
    @LoopTest(virtualTime = true)
    void awaitRethrowsTheSameCheckedExceptionObjectForATypedCatch(IOLoop loop) {
        IOException boom = new IOException("disk on fire");
        CompletableFuture<String> f = new CompletableFuture<>();
        loop.callLater(Duration.ofMillis(5), () -> f.completeExceptionally(boom));
        try {
            await(f, IOException.class);
            fail("not thrown");
        } catch (IOException e) {
            assertSame(boom, e);
        }
    }

    @Test
    @LoopTest
    void awaitUnwrapsTheCompletionExceptionOfADependentStage() {
        IllegalStateException boom = new IllegalStateException("inner");
        CompletableFuture<String> f = CompletableFuture.<String>failedFuture(boom).thenApply(s -> s + "!");
        assertSame(boom, assertThrows(IllegalStateException.class, () -> await(f)));
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
    void aNewFutureCompletedOnAnotherPlatformThreadResumesItsAwaitingCoroutineOnTheCarrier() {
        Thread[] resumedOn = new Thread[1];
        String value = loop.runSync(() -> {
            CompletableFuture<String> f = newFuture();
            assertFalse(f.isDone());
            Thread t = Thread.ofPlatform().start(() -> f.complete("from afar, directly"));
            String v = await(f);
            resumedOn[0] = VirtualThreads.currentCarrier();
            t.join();
            return v;
        });
        assertEquals("from afar, directly", value);
        assertSame(Thread.currentThread(), resumedOn[0]);
    }

    @Test
    @LoopTest
    void awaitOfAFailedNewFutureThrowsTheSameExceptionObject(IOLoop loop) {
        IOException boom = new IOException("boom");
        CompletableFuture<String> f = newFuture();
        loop.execute(() -> f.completeExceptionally(boom));
        assertSame(boom, assertThrows(IOException.class, () -> await(f, IOException.class)));
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
        CompletableFuture<Void> finallyDone = new CompletableFuture<>();
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
                    finallyDone.complete(null);
                }
            });
            moment(); // let it park
            assertTrue(child.cancel(true));
            await(finallyDone);
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
            await(Coroutines.delay(Duration.ofMillis(20))); // Virtual: the child's 1 ms sleep comes first.
            return null;
        });
        assertEquals("cleaned up after an await", cleanup.get());
        assertEquals(Duration.ofMillis(20), VirtualTime.elapsed(loop));
    }

    @Test
    @LoopTest(virtualTime = true)
    void withTimeoutFailsTheResultButLeavesTheInnerFutureRunning(IOLoop loop) {
        CompletableFuture<String> inner = new CompletableFuture<>();
        TimeoutException e = assertThrows(TimeoutException.class,
                () -> await(withTimeout(inner, Duration.ofMillis(20))));
        assertTrue(e.getMessage().contains("timed out after PT0.02S"), e.getMessage());
        assertEquals(Duration.ofMillis(20), VirtualTime.elapsed(loop), "at its deadline, not later");
        assertFalse(inner.isDone());
        assertTrue(inner.complete("late"), "the inner future is still waiting for its value");
    }

    @Test
    @LoopTest(virtualTime = true)
    void withTimeoutPassesThroughAValueThatArrivesInTime(IOLoop loop) {
        CompletableFuture<String> f = new CompletableFuture<>();
        loop.callLater(Duration.ofMillis(5), () -> f.complete("in time"));
        assertEquals("in time", await(withTimeout(f, Duration.ofSeconds(10))));
        assertEquals(Duration.ofMillis(5), VirtualTime.elapsed(loop));
    }

    @Test
    void allWaitsForEveryInputThenFailsWithTheFirstFailureInInputOrderAndLogsTheOthers() throws Exception {
        RuntimeException first = new RuntimeException("first in order");
        RuntimeException second = new RuntimeException("second in order");
        try (LogRecorder log = LogRecorder.of("spindle.application")) {
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
            assertEquals(Duration.ofMillis(30), VirtualTime.elapsed(loop), "all() waited for the slow one");
            LogRecord r = log.await("Multiple exceptions in all()", Duration.ofSeconds(5));
            assertSame(second, r.getThrown());
        }
    }

    @Test
    @LoopTest(virtualTime = true)
    void allReturnsValuesInInputOrder() {
        List<Integer> values = await(all(
                spawn(() -> { sleep(Duration.ofMillis(20)); return 1; }),
                spawn(() -> 2),
                Coroutines.delay(Duration.ofMillis(5)).thenApply(v -> 3)));
        assertEquals(List.of(1, 2, 3), values);
        assertEquals(List.of(), await(all(List.<CompletableFuture<String>>of())));
    }

    @Test
    @LoopTest(virtualTime = true)
    void anyCompletesWithTheFirstOutcome(IOLoop loop) {
        CompletableFuture<String> slow = Coroutines.delay(Duration.ofSeconds(10)).thenApply(x -> "slow");
        String v = await(any(slow, spawn(() -> { sleep(Duration.ofMillis(5)); return "fast"; })));
        assertEquals("fast", v);
        assertEquals(Duration.ofMillis(5), VirtualTime.elapsed(loop));
        assertFalse(slow.isDone());
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
    @LoopTest
    void aCoroutineFutureIsReturnedBeforeTheCoroutineRuns(Steps steps) {
        CompletableFuture<Void> f = spawn(() -> {
            steps.expect(2); // the child runs only once the parent parks
            return null;
        });
        steps.expect(1);
        await(f);
        steps.finish(3);
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
