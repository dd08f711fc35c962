package dev.spindle.runtime.testing;

import static dev.spindle.runtime.Coroutines.await;
import static dev.spindle.runtime.Coroutines.runInExecutor;
import static dev.spindle.runtime.Coroutines.sleep;
import static dev.spindle.runtime.Coroutines.spawn;
import static dev.spindle.runtime.Coroutines.withTimeout;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spindle.runtime.IOLoop;
import dev.spindle.runtime.PeriodicCallback;
import dev.spindle.runtime.TimeoutException;
import dev.spindle.runtime.TimerHandle;
import dev.spindle.runtime.net.IoStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

/** Loops on a virtual clock: timers at once, real I/O never jumped over. */
class VirtualTimeTest {
    private static final Duration HOUR = Duration.ofHours(1);

    @Test
    @LoopTest(virtualTime = true)
    void aVirtualHourOfSleepPassesAtOnce(IOLoop loop) {
        long realStart = System.nanoTime();
        long start = loop.time();
        sleep(HOUR);
        assertEquals(HOUR.toNanos(), loop.time() - start);
        assertEquals(HOUR, VirtualTime.elapsed(loop));
        System.out.println("a virtual hour of sleep took " + Duration.ofNanos(System.nanoTime() - realStart) + " of real time");
    }

    @Test
    @LoopTest(virtualTime = true)
    void withTimeoutFiresAtItsExactVirtualDeadline(IOLoop loop) {
        CompletableFuture<String> never = new CompletableFuture<>();
        TimeoutException e = assertThrows(TimeoutException.class, () -> await(withTimeout(never, Duration.ofMinutes(10))));
        assertTrue(e.getMessage().startsWith("timed out after PT10M"), e.getMessage());
        assertEquals(Duration.ofMinutes(10), VirtualTime.elapsed(loop));
        assertFalse(never.isDone());
    }

    @Test
    @LoopTest(virtualTime = true)
    void timersFireInDeadlineOrderEachAtItsOwnTime(IOLoop loop) {
        List<String> fired = new ArrayList<>();
        long start = loop.time();
        CompletableFuture<Void> last = new CompletableFuture<>();
        loop.callLater(Duration.ofDays(2), () -> {
            fired.add("2d at " + Duration.ofNanos(loop.time() - start));
            last.complete(null);
        });
        loop.callLater(Duration.ofSeconds(1), () -> fired.add("1s at " + Duration.ofNanos(loop.time() - start)));
        loop.callLater(Duration.ofHours(5), () -> fired.add("5h at " + Duration.ofNanos(loop.time() - start)));
        await(last);
        assertEquals(List.of("1s at PT1S", "5h at PT5H", "2d at PT48H"), fired);
    }

    @Test
    @LoopTest(virtualTime = true)
    void aPeriodicCallbackRunsAtEveryPeriodOfVirtualTime(IOLoop loop) {
        List<Duration> runs = new ArrayList<>();
        CompletableFuture<Void> fifth = new CompletableFuture<>();
        long start = loop.time();
        PeriodicCallback[] p = new PeriodicCallback[1];
        p[0] = PeriodicCallback.create(() -> {
            runs.add(Duration.ofNanos(loop.time() - start));
            if (runs.size() == 5) {
                p[0].stop();
                fifth.complete(null);
            }
        }, Duration.ofMinutes(15));
        p[0].start();
        await(fifth);
        assertEquals(List.of(Duration.ofMinutes(15), Duration.ofMinutes(30), Duration.ofMinutes(45), Duration.ofMinutes(60),
                Duration.ofMinutes(75)), runs);
    }

    @Test
    @LoopTest(virtualTime = true)
    void timeStandsStillWhileTheLoopHasWork(IOLoop loop) {
        long start = loop.time();
        CompletableFuture<Void> child = spawn(() -> {
            for (int i = 0; i < 100; i++) {
                dev.spindle.runtime.Coroutines.moment();
            }
            return null;
        });
        loop.callLater(Duration.ofMillis(1), () -> { });
        for (int i = 0; i < 100; i++) {
            dev.spindle.runtime.Coroutines.moment(); // Busy: ready work every iteration, so no jump.
        }
        assertEquals(start, loop.time());
        await(child);
    }

    /*
     * The edge: a coroutine waits on a socket whose peer has written, and a timer an hour away
     * is the loop's only timer. The bytes are in the loop's socket before the loop goes idle
     * (the test's own selector says so), so the idle step's select sees them and the read
     * completes first: no virtual time passes at all.
     */
    @Test
    @LoopTest(virtualTime = true)
    void virtualTimeDoesNotJumpPastAPendingSocketRead(IOLoop loop) throws IOException {
        try (Pair pair = Pair.open(loop)) {
            boolean[] fired = {false};
            TimerHandle hour = loop.callLater(HOUR, () -> fired[0] = true);
            CompletableFuture<byte[]> read = pair.stream.readBytes(5);
            assertFalse(read.isDone(), "nothing was written yet: the read waits on the selector");
            pair.peerWrites("hello");
            pair.awaitReadableInKernel();
            assertEquals("hello", new String(await(read), StandardCharsets.ISO_8859_1));
            assertFalse(fired[0], "the hour's timer fired before the read");
            assertEquals(Duration.ZERO, VirtualTime.elapsed(loop));
            hour.cancel();
        }
    }

    /*
     * Bytes that arrive while the loop is already idle, within its quantum, are not jumped over
     * either. A peer thread writes once the reader waits; the quantum is a minute of real time,
     * far longer than the peer can take, so the outcome does not depend on the machine's load.
     */
    @Test
    void bytesArrivingWithinTheQuantumAreNotJumpedOver() throws Exception {
        try (IOLoop loop = VirtualTime.createLoop(Duration.ofMinutes(1)); Pair pair = Pair.open(loop)) {
            CountDownLatch reading = new CountDownLatch(1);
            Thread peer = Thread.ofPlatform().start(() -> {
                try {
                    reading.await();
                    pair.peerWrites("late");
                } catch (InterruptedException | IOException e) {
                    throw new AssertionError(e);
                }
            });
            String got = loop.runSync(() -> {
                boolean[] fired = {false};
                TimerHandle hour = loop.callLater(HOUR, () -> fired[0] = true);
                CompletableFuture<byte[]> read = pair.stream.readBytes(4);
                reading.countDown();
                String s = new String(await(read), StandardCharsets.ISO_8859_1);
                assertFalse(fired[0], "the hour's timer fired before the read");
                hour.cancel();
                return s;
            });
            peer.join();
            assertEquals("late", got);
            assertEquals(Duration.ZERO, VirtualTime.elapsed(loop));
        }
    }

    /* The other side of the edge: a socket silent for longer than the quantum is idle. */
    @Test
    @LoopTest(virtualTime = true)
    void aReadOnASilentSocketTimesOutAtItsVirtualDeadline(IOLoop loop) throws IOException {
        try (Pair pair = Pair.open(loop)) {
            long realStart = System.nanoTime();
            CompletableFuture<byte[]> read = pair.stream.readBytes(5);
            assertThrows(TimeoutException.class, () -> await(withTimeout(read, HOUR)));
            assertEquals(HOUR, VirtualTime.elapsed(loop));
            System.out.println("an hour of a silent socket took " + Duration.ofNanos(System.nanoTime() - realStart)
                    + " of real time (quantum " + VirtualTime.ioQuantum(loop) + ")");
            read.cancel(true);
        }
    }

    @Test
    @LoopTest(virtualTime = true)
    void theClockWaitsForARunInExecutorTaskHoweverLongItTakes(IOLoop loop) {
        // The task takes real time well beyond the quantum; the loop knows it is its own work.
        String v = await(withTimeout(runInExecutor(null, () -> {
            Thread.sleep(100);
            return "done";
        }), Duration.ofMinutes(1)));
        assertEquals("done", v);
        assertEquals(Duration.ZERO, VirtualTime.elapsed(loop));
    }

    @Test
    @LoopTest(virtualTime = true)
    void aJdkTimedParkRunsOnRealTimeWhileVirtualTimersGoOn(IOLoop loop) {
        CompletableFuture<Void> ended = new CompletableFuture<>();
        CompletableFuture<Void> sleeper = spawn(() -> {
            try {
                Thread.sleep(HOUR); // Real time: the virtual clock does not see it.
            } finally {
                ended.complete(null);
            }
            return null;
        });
        sleep(Duration.ofMinutes(1));
        assertEquals(Duration.ofMinutes(1), VirtualTime.elapsed(loop));
        assertFalse(sleeper.isDone(), "the real hour cannot have passed");
        sleeper.cancel(true);
        await(ended);
    }

    @Test
    void closingAVirtualLoopDoesNotWaitForAnOffLoopTaskThatNeverEnds() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        IOLoop loop = VirtualTime.createLoop();
        try {
            CompletableFuture<Void> started = new CompletableFuture<>();
            loop.runSync(() -> {
                spawn(() -> {
                    CompletableFuture<Void> task = runInExecutor(null, () -> {
                        release.await();
                        return null;
                    });
                    started.complete(null);
                    while (true) {
                        try {
                            return await(task);
                        } catch (java.util.concurrent.CancellationException e) {
                            // Refuses to end: close() must still return.
                        }
                    }
                });
                return await(started);
            });
            loop.close();
            assertTrue(loop.isClosed());
        } finally {
            release.countDown();
        }
    }

    @Test
    void theApiNamesWhatIsWrongWithItsArguments() {
        assertThrows(NullPointerException.class, () -> VirtualTime.createLoop(null));
        IllegalArgumentException zero = assertThrows(IllegalArgumentException.class,
                () -> VirtualTime.createLoop(Duration.ZERO));
        assertEquals("ioQuantum must be positive: PT0S", zero.getMessage());
        assertThrows(NullPointerException.class, () -> VirtualTime.elapsed(null));
        assertThrows(NullPointerException.class, () -> VirtualTime.isVirtual(null));
        try (IOLoop real = IOLoop.create()) {
            assertFalse(VirtualTime.isVirtual(real));
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> VirtualTime.elapsed(real));
            assertEquals(real.name() + " runs on real time: make it with VirtualTime.createLoop() or"
                    + " @LoopTest(virtualTime = true)", e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> VirtualTime.ioQuantum(real));
        }
    }

    @Test
    void aLoopsToStringShowsItsVirtualTime() {
        try (IOLoop loop = VirtualTime.createLoop(Duration.ofMillis(5))) {
            assertTrue(VirtualTime.isVirtual(loop));
            assertEquals(Duration.ofMillis(5), VirtualTime.ioQuantum(loop));
            assertTrue(loop.toString().endsWith(", virtual time +PT0S]"), loop.toString());
            loop.runSync(() -> {
                sleep(Duration.ofMinutes(90));
                return null;
            });
            assertTrue(loop.toString().endsWith(", virtual time +PT1H30M]"), loop.toString());
        }
        assertEquals(Duration.ofMillis(20), VirtualTime.defaultIoQuantum());
    }

    @Test
    void runSyncsTimeoutIsALoopTimerSoItIsVirtualToo() {
        try (IOLoop loop = VirtualTime.createLoop()) {
            assertThrows(TimeoutException.class, () -> loop.runSync(() -> {
                sleep(HOUR);
                return null;
            }, Duration.ofMinutes(5)));
            assertEquals(Duration.ofMinutes(5), VirtualTime.elapsed(loop));
        }
    }

    /** A connected loopback pair: an {@link IoStream} on the loop and a blocking peer channel. */
    private record Pair(IoStream stream, SocketChannel accepted, SocketChannel peer) implements AutoCloseable {
        static Pair open(IOLoop loop) throws IOException {
            try (ServerSocketChannel listener = ServerSocketChannel.open()
                    .bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
                SocketChannel peer = SocketChannel.open(listener.getLocalAddress());
                SocketChannel accepted = listener.accept();
                return new Pair(IoStream.create(loop, accepted), accepted, peer);
            }
        }

        /** Writes from the peer; the blocking channel returns once the kernel has the bytes. */
        void peerWrites(String text) throws IOException {
            peer.write(ByteBuffer.wrap(text.getBytes(StandardCharsets.ISO_8859_1)));
        }

        /** Blocks until the loop's end of the socket is readable, on a selector of the test's own. */
        void awaitReadableInKernel() throws IOException {
            try (Selector probe = Selector.open()) {
                accepted.register(probe, SelectionKey.OP_READ);
                assertEquals(1, probe.select(10_000), "the peer's bytes did not reach the socket");
            }
        }

        @Override
        public void close() throws IOException {
            stream.close();
            peer.close();
        }
    }
}
