package dev.spindle.runtime;

import static dev.spindle.runtime.Coroutines.await;
import static dev.spindle.runtime.Coroutines.sleep;
import static dev.spindle.runtime.Coroutines.spawn;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;
import java.util.logging.LogRecord;
import dev.spindle.runtime.testing.LogRecorder;
import dev.spindle.runtime.testing.VirtualTime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

@Timeout(30)
class IOLoopTest {
    @RegisterExtension
    final LoopFixture fixture = new LoopFixture();
    private final IOLoop loop = fixture.loop;

    @Test
    void callbacksRunInOrderAndThoseAddedMeanwhileWaitForTheNextIteration() {
        List<String> order = new ArrayList<>();
        loop.runSync(() -> {
            CompletableFuture<Void> done = new CompletableFuture<>();
            loop.execute(() -> {
                order.add("a");
                loop.execute(() -> {
                    order.add("c (added by a)");
                    done.complete(null);
                });
            });
            loop.execute(() -> order.add("b"));
            return await(done);
        });
        assertEquals(List.of("a", "b", "c (added by a)"), order);
    }

    @Test
    void anExceptionInACallbackIsLoggedAndTheLoopKeepsRunning() throws Exception {
        RuntimeException boom = new RuntimeException("callback failed");
        try (LogRecorder log = LogRecorder.of("spindle.application")) {
            String v = loop.runSync(() -> {
                loop.execute(() -> {
                    throw boom;
                });
                loop.callLater(Duration.ZERO, () -> {
                    throw boom;
                });
                sleep(Duration.ofMillis(5));
                return "still running";
            });
            assertEquals("still running", v);
            LogRecord r = log.await("Exception in callback", Duration.ofSeconds(5));
            assertSame(boom, r.getThrown());
            assertEquals(2, log.takeAll().stream().filter(x -> x.getThrown() == boom).count());
        }
    }

    @Test
    void timersFireInDeadlineOrderAndCancelledOnesNever() {
        List<String> fired = new ArrayList<>();
        try (IOLoop virtual = VirtualTime.createLoop()) {
            long start = virtual.time();
            virtual.runSync(() -> {
                CompletableFuture<Void> last = new CompletableFuture<>();
                virtual.callLater(Duration.ofMillis(30), () -> {
                    fired.add("30 at " + (virtual.time() - start) / 1_000_000);
                    last.complete(null);
                });
                virtual.callLater(Duration.ofMillis(10), () -> fired.add("10 at " + (virtual.time() - start) / 1_000_000));
                TimerHandle cancelled = virtual.callLater(Duration.ofMillis(20), () -> fired.add("20"));
                // The same deadline as the 10 ms timer, scheduled later.
                virtual.callAt(start + 10_000_000, () -> fired.add("11 at " + (virtual.time() - start) / 1_000_000));
                assertTrue(cancelled.cancel());
                assertFalse(cancelled.cancel());
                assertTrue(cancelled.isCancelled());
                return await(last);
            });
        }
        assertEquals(List.of("10 at 10", "11 at 10", "30 at 30"), fired);
    }

    @Test
    void aTimerOfARealLoopNeverFiresBeforeItsDelayHasPassedOnTheRealClock() {
        long[] scheduledAndFired = new long[2];
        loop.runSync(() -> {
            CompletableFuture<Void> fired = new CompletableFuture<>();
            scheduledAndFired[0] = System.nanoTime();
            loop.callLater(Duration.ofMillis(5), () -> {
                scheduledAndFired[1] = System.nanoTime();
                fired.complete(null);
            });
            return await(fired);
        });
        assertTrue(scheduledAndFired[1] - scheduledAndFired[0] >= 5_000_000, "fired early");
    }

    /*
     * Three timers with one deadline, made in this order: by another thread, by the loop, by another
     * thread. The coroutine holds the carrier (it spins instead of parking) until both threads have
     * made theirs, so all three are pending together when the loop next fires timers, and the
     * off-loop ones reach the heap only then, through callbacks.
     */
    @Test
    void timersWithEqualDeadlinesFireInTheOrderTheyWereMadeFromWhateverThread() throws Exception {
        List<String> fired = new ArrayList<>();
        loop.runSync(() -> {
            long deadline = loop.time(); // Due at once.
            CompletableFuture<Void> last = new CompletableFuture<>();
            awaitOnCarrier(Thread.ofPlatform().start(() -> loop.callAt(deadline, () -> fired.add("first, off the loop"))));
            loop.callAt(deadline, () -> fired.add("second, on the loop"));
            awaitOnCarrier(Thread.ofPlatform().start(() -> loop.callAt(deadline, () -> {
                fired.add("third, off the loop");
                last.complete(null);
            })));
            return await(last);
        });
        assertEquals(List.of("first, off the loop", "second, on the loop", "third, off the loop"), fired);
    }

    /** Waits for {@code t} without letting the loop run: the coroutine keeps the carrier. */
    private static void awaitOnCarrier(Thread t) {
        while (t.isAlive()) {
            Thread.onSpinWait();
        }
    }

    @Test
    void executeFromAnotherThreadWakesASleepingLoop() throws Exception {
        CountDownLatch sleeping = new CountDownLatch(1);
        String v = loop.runSync(() -> {
            CompletableFuture<String> f = new CompletableFuture<>();
            Thread.ofPlatform().start(() -> {
                try {
                    sleeping.await();
                } catch (InterruptedException e) {
                    return;
                }
                loop.execute(() -> f.complete("woken"));
            });
            sleeping.countDown();
            return await(f); // no timer is pending: only the wake-up can end the select
        });
        assertEquals("woken", v);
    }

    @Test
    void startRunsUntilStopFromAnotherThread() throws Exception {
        AtomicInteger ticks = new AtomicInteger();
        Thread t = Thread.ofPlatform().start(() -> {
            PeriodicCallback p = PeriodicCallback.create(ticks::incrementAndGet, Duration.ofMillis(2));
            p.start(loop);
            loop.start();
        });
        while (ticks.get() < 3) {
            Thread.onSpinWait();
        }
        loop.stop();
        t.join(5000);
        assertFalse(t.isAlive());
        assertFalse(loop.isRunning());
    }

    /*
     * A selector does not sleep while its thread's interrupt status is set, so a loop that went
     * on after an interrupt would spin. An interrupt of the loop's thread stops the loop instead,
     * as stop() does, and the status stays set for whoever runs the loop.
     */
    @Test
    void anInterruptOfTheLoopsThreadStopsTheLoopAndStaysSet() throws Exception {
        CompletableFuture<Void> running = new CompletableFuture<>();
        CompletableFuture<Boolean> interruptedAfterStart = new CompletableFuture<>();
        loop.execute(() -> running.complete(null));
        Thread t = Thread.ofPlatform().start(() -> {
            loop.start();
            interruptedAfterStart.complete(Thread.currentThread().isInterrupted());
        });
        running.join();
        t.interrupt();
        assertTrue(t.join(Duration.ofSeconds(30)), "start() returned");
        assertTrue(interruptedAfterStart.join());
        assertFalse(loop.isRunning());
    }

    @Test
    void runSyncOnAnInterruptedThreadStopsAtOnceAndSaysWhy() {
        AtomicReference<String> cleanup = new AtomicReference<>();
        Thread.currentThread().interrupt();
        try {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> loop.runSync(() -> {
                try {
                    return await(new CompletableFuture<String>());
                } finally {
                    cleanup.set("finally ran");
                }
            }));
            assertTrue(e.getMessage().contains("thread was interrupted before runSync's coroutine finished"), e.getMessage());
            assertTrue(Thread.currentThread().isInterrupted());
        } finally {
            Thread.interrupted();
        }
        assertEquals("usable", loop.runSync(() -> "usable"));
        assertNull(cleanup.get(), "cancelled before it started, the coroutine never ran");
    }

    @Test
    void runSyncThrowsWhenStopEndsTheLoopBeforeItsCoroutineFinished() {
        AtomicReference<String> cleanup = new AtomicReference<>();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> loop.runSync(() -> {
            loop.stop();
            try {
                return await(new CompletableFuture<String>());
            } finally {
                cleanup.set("finally ran");
            }
        }));
        assertTrue(e.getMessage().contains("stopped before runSync's coroutine finished"), e.getMessage());
        assertEquals("finally ran", cleanup.get());
        assertEquals("usable", loop.runSync(() -> "usable"));
    }

    @Test
    void currentIsTheLoopInCoroutinesAndCallbacksAndFailsElsewhere() {
        IOLoop[] seen = new IOLoop[2];
        loop.runSync(() -> {
            seen[0] = IOLoop.current();
            CompletableFuture<Void> f = new CompletableFuture<>();
            loop.execute(() -> {
                seen[1] = IOLoop.current();
                f.complete(null);
            });
            return await(f);
        });
        assertSame(loop, seen[0]);
        assertSame(loop, seen[1]);
        IllegalStateException e = assertThrows(IllegalStateException.class, IOLoop::current);
        assertTrue(e.getMessage().contains("outside any loop"), e.getMessage());
    }

    @Test
    void runSyncWithATimeoutCancelsTheCoroutineRunsItsFinallyAndLeavesTheLoopUsable() {
        AtomicReference<String> cleanup = new AtomicReference<>();
        try (IOLoop virtual = VirtualTime.createLoop()) {
            TimeoutException e = assertThrows(TimeoutException.class, () -> virtual.runSync(() -> {
                try {
                    return await(new CompletableFuture<String>());
                } finally {
                    cleanup.set("finally ran");
                }
            }, Duration.ofMillis(20)));
            assertTrue(e.getMessage().contains("PT0.02S"), e.getMessage());
            assertEquals(Duration.ofMillis(20), VirtualTime.elapsed(virtual), "at the timeout, not later");
            assertEquals("finally ran", cleanup.get());
            assertFalse(virtual.isRunning());
            assertEquals("again", virtual.runSync(() -> "again", Duration.ofSeconds(5)));
        }
    }

    @Test
    void runSyncReturnsTheValueAndRethrowsTheFailureUnchanged() {
        assertEquals(42, loop.runSync(() -> 42));
        IllegalStateException boom = new IllegalStateException("boom");
        assertSame(boom, assertThrows(IllegalStateException.class, () -> loop.runSync(() -> {
            throw boom;
        })));
    }

    @Test
    void misuseGetsAnExceptionThatNamesTheProblemAndLeavesTheLoopWorking() throws Exception {
        assertThrows(NullPointerException.class, () -> loop.runSync(null));
        assertThrows(NullPointerException.class, () -> loop.execute(null));
        assertThrows(NullPointerException.class, () -> loop.spawn(null));
        assertThrows(IllegalArgumentException.class, () -> loop.callLater(Duration.ofMillis(-5), () -> { }));
        assertThrows(IllegalArgumentException.class, () -> loop.runSync(() -> 1, Duration.ZERO));
        String nested = loop.runSync(() -> {
            try {
                loop.runSync(() -> 1);
                return "no error";
            } catch (IllegalStateException e) {
                return e.getMessage();
            }
        });
        assertTrue(nested.contains("virtual thread"), nested);

        // start from a second thread while running
        AtomicReference<String> second = new AtomicReference<>();
        loop.runSync(() -> {
            Thread t = Thread.ofPlatform().start(() -> {
                try {
                    loop.start();
                } catch (IllegalStateException e) {
                    second.set(e.getMessage());
                }
            });
            await(Coroutines.runInExecutor(null, () -> {
                t.join();
                return null;
            }));
            return null;
        });
        assertTrue(second.get().contains("already running"), second.get());

        // a loop stays bound to its first thread
        AtomicReference<String> bound = new AtomicReference<>();
        Thread t = Thread.ofPlatform().start(() -> {
            try {
                loop.runSync(() -> 1);
            } catch (IllegalStateException e) {
                bound.set(e.getMessage());
            }
        });
        t.join();
        assertTrue(bound.get().contains("bound to thread"), bound.get());
        assertEquals("fine", loop.runSync(() -> "fine"));
    }

    @Test
    void aClosedLoopRefusesWorkWithAClearMessage() {
        loop.close();
        loop.close(); // idempotent
        assertTrue(loop.isClosed());
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> loop.execute(() -> { }));
        assertTrue(e.getMessage().contains("is closed"), e.getMessage());
        assertThrows(IllegalStateException.class, () -> loop.runSync(() -> 1));
        assertThrows(IllegalStateException.class, () -> loop.spawn(() -> 1));
        assertThrows(IllegalStateException.class, () -> loop.callLater(Duration.ZERO, () -> { }));
    }

    @Test
    void runOnLoopRunsAtOnceOnTheLoopQueuesFromOtherThreadsAndRefusesOnceClosed() throws Exception {
        List<String> order = new ArrayList<>();
        assertTrue(loop.runOnLoop(() -> order.add("before the first run, on the creating thread")));
        CompletableFuture<Thread> ranOn = new CompletableFuture<>();
        loop.runSync(() -> {
            assertTrue(loop.runOnLoop(() -> order.add("in a coroutine, at once")));
            order.add("after the call");
            CompletableFuture<Void> queued = new CompletableFuture<>();
            Thread other = Thread.ofPlatform().start(() -> loop.runOnLoop(() -> {
                ranOn.complete(Thread.currentThread());
                queued.complete(null);
            }));
            await(queued);
            other.join();
            return null;
        });
        assertEquals(List.of("before the first run, on the creating thread", "in a coroutine, at once", "after the call"),
                order);
        assertTrue(ranOn.get().getName().equals(Thread.currentThread().getName()), "ran on " + ranOn.get());
        loop.close();
        AtomicInteger ran = new AtomicInteger();
        assertFalse(loop.runOnLoop(ran::incrementAndGet));
        assertEquals(0, ran.get());
        assertThrows(NullPointerException.class, () -> loop.runOnLoop(null));
    }

    @Test
    void closeCancelsParkedCoroutinesAndRunsTheirFinallyBlocks() {
        AtomicReference<String> cleanup = new AtomicReference<>();
        CompletableFuture<Void> running = new CompletableFuture<>();
        CompletableFuture<String> parked = loop.spawn(() -> {
            try {
                running.complete(null);
                return await(new CompletableFuture<String>());
            } finally {
                cleanup.set("finally on " + Thread.currentThread().getName());
            }
        });
        // One carrier: once this coroutine has seen `running`, the other one has parked in its await.
        loop.runSync(() -> await(running));
        loop.close();
        assertTrue(parked.isCancelled());
        assertTrue(cleanup.get().startsWith("finally on " + loop.name()), cleanup.get());
    }

    @Test
    void aCoroutineThatOutlivesItsClosedLoopStillFinishesWhenItsFutureCompletes() throws Exception {
        CompletableFuture<String> external = new CompletableFuture<>();
        CompletableFuture<Void> running = new CompletableFuture<>();
        CompletableFuture<String> stubborn = loop.spawn(() -> {
            running.complete(null);
            while (true) {
                try {
                    return "got " + await(external);
                } catch (CancellationException ignored) {
                    // Refuses to be cancelled.
                }
            }
        });
        CountDownLatch ended = new CountDownLatch(1);
        AtomicReference<String> result = new AtomicReference<>();
        loop.runSync(() -> await(running));
        Thread.ofPlatform().start(() -> {
            loop.close(); // Not the loop's thread: cancels, cannot run the loop, orphans the coroutine.
            ended.countDown();
        });
        assertTrue(ended.await(20, TimeUnit.SECONDS));
        assertTrue(stubborn.isCancelled());
        // Completing the future from here schedules the orphan on a fallback thread; it must not hang.
        Thread thread = loop.coroutines.snapshot().isEmpty() ? null : loop.coroutines.snapshot().get(0).thread;
        external.complete("late value");
        if (thread != null) {
            assertTrue(thread.join(Duration.ofSeconds(10)), "orphaned coroutine finished");
        }
        result.set(String.valueOf(thread));
        assertTrue(loop.coroutines.snapshot().isEmpty(), result.get());
    }

    @Test
    void jdkBlockingCallsInACoroutineParkItAndLetOthersRun() throws Exception {
        CountDownLatch mainRan = new CountDownLatch(1);
        try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Thread peer = Thread.ofPlatform().start(() -> {
                try (Socket s = server.accept(); InputStream in = s.getInputStream(); OutputStream out = s.getOutputStream()) {
                    int b = in.read();
                    mainRan.await(); // the reader stays parked in read() until the main coroutine ran
                    out.write(b + 1);
                    out.flush();
                } catch (Exception ignored) {
                    // The test fails on its own assertions.
                }
            });
            List<String> order = loop.runSync(() -> {
                List<String> events = new ArrayList<>();
                ReentrantLock lock = new ReentrantLock();
                ArrayBlockingQueue<String> queue = new ArrayBlockingQueue<>(1);
                lock.lock();
                CompletableFuture<Void> sleeper = spawn(() -> {
                    Thread.sleep(100);
                    events.add("Thread.sleep returned");
                    return null;
                });
                CompletableFuture<Void> locker = spawn(() -> {
                    lock.lock();
                    try {
                        events.add("lock acquired");
                    } finally {
                        lock.unlock();
                    }
                    return null;
                });
                CompletableFuture<Void> taker = spawn(() -> {
                    events.add("queue got " + queue.take());
                    return null;
                });
                CompletableFuture<Integer> reader = spawn(() -> {
                    try (Socket s = new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort())) {
                        s.getOutputStream().write(41);
                        int v = s.getInputStream().read();
                        events.add("socket read " + v);
                        return v;
                    }
                });
                Coroutines.moment(); // all four are now parked in JDK blocking calls
                events.add("main still runs");
                mainRan.countDown();
                queue.put("item");
                lock.unlock();
                await(Coroutines.all(sleeper, locker, taker, reader));
                return events;
            });
            peer.join(5000);
            assertEquals("main still runs", order.get(0));
            assertTrue(order.containsAll(List.of("Thread.sleep returned", "lock acquired", "queue got item",
                    "socket read 42")), order.toString());
        }
    }

    @Test
    void ioHandlersRunOnTheLoopWhenTheirChannelIsReadyAndStopAfterRemoval() throws Exception {
        java.nio.channels.Pipe pipe = java.nio.channels.Pipe.open();
        try (var source = pipe.source(); var sink = pipe.sink()) {
            String got = loop.runSync(() -> {
                CompletableFuture<String> read = new CompletableFuture<>();
                java.nio.ByteBuffer buf = java.nio.ByteBuffer.allocate(16);
                loop.addHandler(source, java.nio.channels.SelectionKey.OP_READ, key -> {
                    try {
                        source.read(buf);
                    } catch (java.io.IOException e) {
                        read.completeExceptionally(e);
                    }
                    if (buf.position() == 5) {
                        loop.removeHandler(source);
                        read.complete(new String(buf.array(), 0, 5) + " on " + Thread.currentThread().getName());
                    }
                });
                Thread.ofPlatform().start(() -> {
                    try {
                        sink.write(java.nio.ByteBuffer.wrap("hel".getBytes()));
                        sink.write(java.nio.ByteBuffer.wrap("lo".getBytes()));
                    } catch (java.io.IOException e) {
                        read.completeExceptionally(e);
                    }
                });
                return await(read);
            });
            assertEquals("hello on " + Thread.currentThread().getName(), got);
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> loop.updateHandler(source, java.nio.channels.SelectionKey.OP_READ));
            assertTrue(e.getMessage().contains("addHandler first"), e.getMessage());
        }
    }

    @Test
    void aLoopThatIsNeverIdleStillPollsItsChannels() throws Exception {
        java.nio.channels.Pipe pipe = java.nio.channels.Pipe.open();
        try (var source = pipe.source(); var sink = pipe.sink()) {
            sink.write(java.nio.ByteBuffer.wrap("ready".getBytes()));
            AtomicInteger hops = new AtomicInteger();
            int hopsBeforeRead = loop.runSync(() -> {
                CompletableFuture<Integer> read = new CompletableFuture<>();
                loop.addHandler(source, java.nio.channels.SelectionKey.OP_READ, key -> {
                    loop.removeHandler(source);
                    read.complete(hops.get());
                });
                // A callback that queues itself again and again: every iteration has work ready,
                // so the loop never sleeps in select; only its busy-run poll sees the pipe.
                Runnable hop = new Runnable() {
                    @Override
                    public void run() {
                        hops.incrementAndGet();
                        if (!read.isDone()) {
                            loop.execute(this);
                        }
                    }
                };
                loop.execute(hop);
                return await(read);
            });
            assertTrue(hopsBeforeRead > 0, "the loop was busy before it polled: " + hopsBeforeRead);
        }
    }

    @Test
    void toStringShowsStateAndCounts() {
        assertTrue(loop.toString().matches("IOLoop\\[IOLoop-\\d+, new, coroutines=0, ready=0, timers=0, channels=0]"),
                loop.toString());
        String inside = loop.runSync(() -> {
            loop.callLater(Duration.ofSeconds(10), () -> { });
            return loop.toString();
        });
        assertTrue(inside.contains("running on '" + Thread.currentThread().getName() + "'"), inside);
        assertTrue(inside.contains("coroutines=1") && inside.contains("timers=1"), inside);
        loop.close();
        assertTrue(loop.toString().contains("closed"), loop.toString());
    }
}
