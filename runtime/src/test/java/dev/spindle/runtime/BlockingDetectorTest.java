package dev.spindle.runtime;

import static dev.spindle.runtime.Coroutines.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spindle.runtime.testing.LogRecorder;
import dev.spindle.runtime.testing.LoopTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.logging.LogRecord;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/*
 * The detector reports by wall time, and a loaded machine may keep any thread off the CPU for
 * longer than the threshold: then a short task is reported too, rightly. So these tests hold the
 * carrier until the watchdog has reported (not for a fixed time), identify their incident by its
 * stack, and test the counting itself on sample(now) with made-up times.
 */
@LoopTest(timeout = 30)
class BlockingDetectorTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final long MS = 1_000_000;
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

    /**
     * The detector's record about {@code loop} whose stack has {@code frame}, awaited on a thread of its
     * own. The frame identifies the incident: a record of another task never shows this one's stack.
     */
    private CompletableFuture<LogRecord> reportAbout(IOLoop loop, String frame) {
        CompletableFuture<LogRecord> report = new CompletableFuture<>();
        Thread.ofPlatform().daemon().start(() -> {
            try {
                report.complete(log.await(r -> r.getMessage().startsWith(loop.name() + " blocked for")
                        && r.getMessage().contains(frame), WAIT));
            } catch (Throwable e) {
                report.completeExceptionally(e);
            }
        });
        if (Thread.currentThread().isVirtual()) {
            // Starting a thread can hold the carrier past the threshold on a loaded machine, and a
            // task is reported once: the holding the test measures must be a task of its own.
            Coroutines.moment();
        }
        return report;
    }

    /** Busy on the carrier (one task, never parking) until {@code f} is done. */
    private static <T> T holdTheCarrierUntil(CompletableFuture<T> f) {
        while (!f.isDone()) {
            Thread.onSpinWait();
        }
        return f.join();
    }

    private CompletableFuture<LogRecord> reportOfHolding(IOLoop loop) {
        return reportAbout(loop, "BlockingDetectorTest.holdTheCarrierUntil(");
    }

    private static List<String> messagesNaming(List<String> messages, String frame) {
        return messages.stream().filter(m -> m.contains(frame)).toList();
    }

    @Test
    void aCoroutineHoldingTheCarrierIsReportedOnceWithItsStack(IOLoop loop) {
        String msg = holdTheCarrierUntil(reportOfHolding(loop)).getMessage();
        assertTrue(msg.contains("by coroutine " + loop.name() + "-coroutine-"), msg);
        assertTrue(msg.contains("BlockingDetectorTest.holdTheCarrierUntil("), msg);
        assertTrue(msg.contains("runInExecutor"), msg);
        assertEquals(1, messagesNaming(log.takeAllMessages(), "holdTheCarrierUntil").size());
    }

    @Test
    void aPlainCallbackHoldingTheCarrierIsReportedWithTheCarriersStack(IOLoop loop) {
        CompletableFuture<LogRecord> report = reportOfHolding(loop);
        loop.execute(() -> holdTheCarrierUntil(report));
        String msg = await(report).getMessage();
        assertTrue(msg.contains("by a callback on '"), msg);
        assertTrue(msg.contains("BlockingDetectorTest.holdTheCarrierUntil("), msg);
    }

    /**
     * Its initializer parks while pinned (DESIGN pitfall 4) until the detector has reported it. A class
     * initializes once per JVM, hence the static hand-off, in a class of its own: touching it while
     * ParksInItsInitializer initializes would wait for that.
     */
    static final class Reported {
        static final CompletableFuture<LogRecord> RECORD = new CompletableFuture<>();

        private Reported() {}
    }

    static final class ParksInItsInitializer {
        static final LogRecord RECORD = Reported.RECORD.join();

        private ParksInItsInitializer() {}
    }

    @Test
    void aParkWhilePinnedHoldsTheCarrierAndIsReported(IOLoop loop) {
        CompletableFuture<LogRecord> reported = Reported.RECORD;
        reportAbout(loop, "ParksInItsInitializer.<clinit>").whenComplete((r, e) -> reported.complete(r));
        String msg = ParksInItsInitializer.RECORD.getMessage();
        assertTrue(msg.contains("ParksInItsInitializer.<clinit>"), msg);
    }

    @Test
    void aLoopWaitingInSelectIsNotReportedHoweverLongItWaits(IOLoop loop) {
        BlockingDetector detector = loop.detector;
        long start = loop.time();
        while (await(detector.nextLook()) - start < 3 * 100 * MS) {
            // Each look resumes this coroutine; in between, the loop waits in select.
        }
        assertEquals(List.of(), messagesNaming(log.takeAllMessages(), "SelectorDriver.select"));
    }

    @Test
    void aZeroThresholdTurnsTheDetectorOff(IOLoop loop) {
        BlockingDetector detector = loop.detector;
        loop.setBlockingThreshold(Duration.ZERO);
        assertEquals(Duration.ZERO, loop.blockingThreshold());
        long start = loop.time();
        while (holdTheCarrierUntil(detector.nextLook()) - start < 3 * 100 * MS) {
            // One task, looked at by the watchdog for three default thresholds.
        }
        assertEquals(List.of(), messagesNaming(log.takeAllMessages(), "holdTheCarrierUntil"));
    }

    @Test
    void aJfrEventIsCommittedPerIncident(IOLoop loop) throws Exception {
        Path file = Files.createTempFile("blocked-loop", ".jfr");
        try (Recording recording = new Recording()) {
            recording.enable(BlockedLoopEvent.class);
            // Starting and stopping JFR may hold a thread for longer than the threshold: not the carrier.
            await(Coroutines.runInExecutor(null, () -> {
                recording.start();
                return null;
            }));
            holdTheCarrierUntil(reportOfHolding(loop));
            await(Coroutines.runInExecutor(null, () -> {
                recording.stop();
                recording.dump(file);
                return null;
            }));
            List<RecordedEvent> events = RecordingFile.readAllEvents(file).stream()
                    .filter(e -> e.getEventType().getName().equals("dev.spindle.BlockedLoop"))
                    .filter(e -> loop.name().equals(e.getString("loop")))
                    .filter(e -> e.getString("blockedStack").contains("holdTheCarrierUntil"))
                    .toList();
            assertEquals(1, events.size(), events.toString());
            RecordedEvent e = events.getFirst();
            assertTrue(e.getDuration("blockedFor").toMillis() >= 100, e.toString());
            assertEquals(Duration.ofMillis(100), e.getDuration("threshold"));
            assertTrue(e.getString("holder").startsWith(loop.name() + "-coroutine-"), e.toString());
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

    // ---------------------------------------------------------------- sample(now), with made-up times

    /** A detector of a loop that never runs, so that no watchdog samples it but the test. */
    private static BlockingDetector unwatched(Duration threshold) {
        BlockingDetector d = new BlockingDetector(null);
        d.threshold(threshold);
        return d;
    }

    @Test
    void aTaskIsReportedOnceWhenTwoLooksAThresholdApartSawIt() {
        BlockingDetector d = unwatched(Duration.ofMillis(100));
        d.taskStarted();
        assertNull(d.sample(0));
        assertNull(d.sample(99 * MS));
        BlockingDetector.Incident incident = d.sample(104 * MS);
        assertEquals(104 * MS, incident.blockedNanos());
        assertEquals(100 * MS, incident.thresholdNanos());
        assertNull(d.sample(235 * MS), "the same task is one incident, however long it holds the carrier");
        assertNull(d.sample(10_000 * MS));
        d.taskEnded();
        d.taskStarted();
        assertNull(d.sample(10_010 * MS), "the next task is measured from when it is first seen");
        assertEquals(100 * MS, d.sample(10_110 * MS).blockedNanos());
    }

    @Test
    void shortTasksAndIdleTimeAreNeverReported() {
        BlockingDetector d = unwatched(Duration.ofMillis(100));
        for (long now = 0; now < 10_000 * MS; now += 25 * MS) {
            d.taskStarted();
            assertNull(d.sample(now));
            d.taskEnded();
            assertNull(d.sample(now + 20 * MS), "between tasks the loop is idle");
        }
    }

    @Test
    void aTaskRunningWhileTheDetectorIsOffIsMeasuredFromWhenItIsTurnedOn() {
        BlockingDetector d = unwatched(Duration.ZERO);
        d.taskStarted();
        assertNull(d.sample(0));
        assertNull(d.sample(5_000 * MS));
        d.threshold(Duration.ofMillis(100));
        assertNull(d.sample(5_050 * MS), "measured from the last look, not from when the task began");
        assertEquals(150 * MS, d.sample(5_150 * MS).blockedNanos());
    }

    @Test
    void aReportOfATaskThatEndedBeforeItsStackWasTakenGivesNoStack() {
        IOLoop other = IOLoop.create();
        try {
            BlockingDetector d = new BlockingDetector(other);
            d.threshold(Duration.ofMillis(100));
            d.taskStarted();
            d.sample(0);
            BlockingDetector.Incident incident = d.sample(100 * MS);
            d.taskEnded(); // The watchdog was late: the task is over before the report.
            d.taskStarted();
            d.report(incident);
            String msg = messagesNaming(log.takeAllMessages(), other.name() + " blocked").getFirst();
            assertTrue(msg.startsWith(other.name() + " blocked for 100 ms (threshold 100 ms) by a task that ended"
                    + " before its stack could be taken"), msg);
            assertFalse(msg.contains("\tat "), msg);
        } finally {
            other.close();
        }
    }

    @Test
    void nextLookCompletesWithTheTimeOfTheNextSample() {
        BlockingDetector d = unwatched(Duration.ofMillis(100));
        CompletableFuture<Long> look = d.nextLook();
        assertTrue(look == d.nextLook(), "one pending look is shared");
        d.sample(42);
        assertEquals(42L, look.join());
        assertFalse(d.nextLook().isDone());
    }
}
