package dev.spindle.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.spindle.runtime.testing.ExpectLog;
import java.nio.channels.Pipe;
import java.nio.channels.SelectionKey;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The idle step's rules, one by one, on a clock, a selector and queues of its own: no loop runs. */
class VirtualClockTest {
    private static final long HOUR = Duration.ofHours(1).toNanos();

    private final SelectorDriver selector = new SelectorDriver("test-loop", new BlockingDetector(null));
    private final CallbackQueue ready = new CallbackQueue(selector::wakeup);
    private final TimerQueue timers = new TimerQueue();
    private final VirtualClock clock = new VirtualClock(Duration.ofMillis(1));

    @AfterEach
    void closeSelector() {
        selector.close();
    }

    private void idle(boolean draining) {
        clock.idle(timers.nanosUntilNext(clock.now()), draining, selector, ready, timers);
    }

    @Test
    void withNoIoToWaitForTheClockJumpsToTheNextTimer() {
        timers.schedule(clock.now() + HOUR, () -> { });
        timers.schedule(clock.now() + 2 * HOUR, () -> { });
        idle(false);
        assertEquals(HOUR, clock.elapsedNanos(), "to the first timer, not past it");
        assertEquals("virtual time +PT1H", clock.toString());
    }

    @Test
    void aCallbackThatCameInMeanwhileKeepsTheClockStill() {
        timers.schedule(clock.now() + HOUR, () -> { });
        ready.addRemote(() -> { });
        idle(false);
        assertEquals(0, clock.elapsedNanos());
    }

    @Test
    void aReadyChannelKeepsTheClockStillAndAQuietOneDoesNot() throws Exception {
        Pipe pipe = Pipe.open();
        try (Pipe.SourceChannel source = pipe.source(); Pipe.SinkChannel sink = pipe.sink()) {
            int[] handled = {0};
            selector.register(source, SelectionKey.OP_READ, key -> handled[0]++);
            timers.schedule(clock.now() + HOUR, () -> { });
            sink.write(java.nio.ByteBuffer.wrap(new byte[] {1}));
            idle(false);
            assertEquals(1, handled[0]);
            assertEquals(0, clock.elapsedNanos(), "the byte came first");
            source.read(java.nio.ByteBuffer.allocate(1));
            idle(false); // Quiet for the quantum: idle.
            assertEquals(HOUR, clock.elapsedNanos());
        }
    }

    @Test
    void anOffLoopTaskHoldsTheClockUnlessTheLoopIsDraining() {
        timers.schedule(clock.now() + HOUR, () -> { });
        clock.offLoopTaskStarted();
        ready.addRemote(() -> { }); // What wakes the hold's select; the test takes it out again below.
        idle(false);
        assertEquals(0, clock.elapsedNanos(), "held while the task runs");
        ready.snapshot();
        ready.poll();
        idle(true);
        assertEquals(HOUR, clock.elapsedNanos(), "a drain does not wait for it");
        clock.offLoopTaskEnded();
    }

    @Test
    void theQuantumPropertyParsesAsDocumentedAndFallsBackTo20Milliseconds() {
        assertEquals(Duration.ofMillis(50), VirtualClock.parseQuantum("50ms"));
        assertEquals(Duration.ofMillis(100), VirtualClock.parseQuantum("0.1s"));
        assertEquals(Duration.ofMillis(50), VirtualClock.parseQuantum("PT0.05S"));
        assertEquals(Duration.ofMillis(20), VirtualClock.parseQuantum(null));
        assertEquals(Duration.ofMillis(20), VirtualClock.parseQuantum(" "));
        for (String bad : new String[] {"0", "soon", "-5ms"}) {
            try (var log = ExpectLog.of("spindle.general", "ignoring -Dspindle.virtualTime.ioQuantum=" + bad,
                    System.Logger.Level.WARNING)) {
                assertEquals(Duration.ofMillis(20), VirtualClock.parseQuantum(bad));
            }
        }
        assertThrows(IllegalArgumentException.class, () -> new VirtualClock(Duration.ZERO));
    }
}
