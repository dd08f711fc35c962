package dev.spindle.runtime;

import static dev.spindle.runtime.Coroutines.sleep;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spindle.runtime.testing.LogRecorder;
import dev.spindle.runtime.testing.LoopTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.logging.LogRecord;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@LoopTest
class BlockingDetectorTest {
    private static final Duration WAIT = Duration.ofSeconds(5);
    private LogRecorder log;

    @BeforeEach
    void recordWarnings(IOLoop loop) {
        loop.setBlockingThreshold(Duration.ofMillis(100));
        log = LogRecorder.of("spindle.general", System.Logger.Level.WARNING);
    }

    @AfterEach
    void stopRecording() {
        log.close();
    }

    private static void spinOnTheCarrier(Duration d) {
        long end = System.nanoTime() + d.toNanos();
        while (System.nanoTime() - end < 0) {
            Thread.onSpinWait();
        }
    }

    @Test
    void aCoroutineSpinningOnTheCarrierIsReportedWithItsStack(IOLoop loop) {
        spinOnTheCarrier(Duration.ofMillis(300));
        LogRecord r = log.await(loop.name() + " blocked for", WAIT);
        String msg = r.getMessage();
        assertTrue(msg.contains("by coroutine " + loop.name() + "-coroutine-"), msg);
        assertTrue(msg.contains("BlockingDetectorTest.spinOnTheCarrier("), msg);
        assertTrue(msg.contains("runInExecutor"), msg);
        sleep(Duration.ofMillis(50)); // Let the watchdog see the task end before counting.
        assertEquals(1, log.takeAll().size(), "one record per incident");
    }

    @Test
    void aLoopThatOnlyWaitsOnTimersIsNotReported(IOLoop loop) {
        sleep(Duration.ofMillis(300));
        assertEquals(List.of(), log.takeAllMessages());
    }

    @Test
    void aPlainCallbackHoldingTheCarrierIsReportedWithTheCarriersStack(IOLoop loop) {
        loop.execute(() -> spinOnTheCarrier(Duration.ofMillis(300)));
        sleep(Duration.ofMillis(1));
        String msg = log.await(loop.name() + " blocked for", WAIT).getMessage();
        assertTrue(msg.contains("by a callback on '"), msg);
        assertTrue(msg.contains("BlockingDetectorTest.spinOnTheCarrier("), msg);
    }

    /** Its initializer parks while pinned: a class initializer cannot be unmounted (DESIGN pitfall 4). */
    static final class SlowToInitialize {
        static final long READY;

        static {
            try {
                Thread.sleep(300);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            READY = System.nanoTime();
        }

        private SlowToInitialize() {}
    }

    @Test
    void aParkWhilePinnedHoldsTheCarrierAndIsReported(IOLoop loop) {
        assertTrue(SlowToInitialize.READY != 0);
        String msg = log.await(loop.name() + " blocked for", WAIT).getMessage();
        assertTrue(msg.contains("SlowToInitialize.<clinit>"), msg);
    }

    @Test
    void aZeroThresholdTurnsTheDetectorOff(IOLoop loop) {
        loop.setBlockingThreshold(Duration.ZERO);
        assertEquals(Duration.ZERO, loop.blockingThreshold());
        spinOnTheCarrier(Duration.ofMillis(250));
        sleep(Duration.ofMillis(50));
        assertEquals(List.of(), log.takeAllMessages());
    }

    @Test
    void aJfrEventIsCommittedPerIncident(IOLoop loop) throws Exception {
        Path file = Files.createTempFile("blocked-loop", ".jfr");
        try (Recording recording = new Recording()) {
            recording.enable(BlockedLoopEvent.class);
            recording.start();
            sleep(Duration.ofMillis(1)); // Starting JFR may itself hold the carrier that long: a new task.
            log.takeAll();
            spinOnTheCarrier(Duration.ofMillis(300));
            log.await(loop.name() + " blocked for", WAIT);
            recording.stop();
            recording.dump(file);
            List<RecordedEvent> events = RecordingFile.readAllEvents(file).stream()
                    .filter(e -> e.getEventType().getName().equals("dev.spindle.BlockedLoop"))
                    .filter(e -> loop.name().equals(e.getString("loop")))
                    .toList();
            assertEquals(1, events.size(), events.toString());
            RecordedEvent e = events.getFirst();
            assertTrue(e.getDuration("blockedFor").toMillis() >= 100, e.toString());
            assertTrue(e.getString("blockedStack").contains("spinOnTheCarrier"), e.toString());
            assertFalse(e.getString("holder").isEmpty());
        } finally {
            Files.deleteIfExists(file);
        }
    }

    @Test
    void thresholdParsesTheSystemPropertyForms() {
        assertEquals(Duration.ofMillis(250), BlockingDetector.Thresholds.parse("250ms"));
        assertEquals(Duration.ofMillis(1500), BlockingDetector.Thresholds.parse("1.5s"));
        assertEquals(Duration.ofMillis(500), BlockingDetector.Thresholds.parse("PT0.5S"));
        assertEquals(Duration.ZERO, BlockingDetector.Thresholds.parse("off"));
    }
}
