package dev.spindle.http.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class ConsoleLogHandlerTest {
    /**
     * A console that records what was written and by which threads, counts lines, and can hold
     * the writer in its first write until released (a console that does not keep up).
     */
    private static final class Console extends OutputStream {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        final Set<String> writers = new HashSet<>();
        final CountDownLatch lines;
        final CountDownLatch writing = new CountDownLatch(1);
        final CountDownLatch release;

        Console(int lines, boolean stuck) {
            this.lines = new CountDownLatch(lines);
            this.release = new CountDownLatch(stuck ? 1 : 0);
        }

        @Override
        public void write(int b) {
            writing.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            synchronized (this) {
                writers.add(Thread.currentThread().getName());
                bytes.write(b);
            }
            if (b == '\n') {
                lines.countDown();
            }
        }

        synchronized String text() {
            return bytes.toString(StandardCharsets.UTF_8);
        }

        PrintStream stream() {
            return new PrintStream(this, false, StandardCharsets.UTF_8);
        }
    }

    private static LogRecord record(Level level, String logger, String message) {
        LogRecord r = new LogRecord(level, message);
        r.setLoggerName(logger);
        r.setInstant(java.time.Instant.parse("2025-01-02T03:04:05.006Z"));
        return r;
    }

    @Test
    void publishNeverWritesOnTheCallersThread() throws Exception {
        Console out = new Console(5, false);
        ConsoleLogHandler h = new ConsoleLogHandler(out.stream(), 100);
        try {
            for (int i = 0; i < 5; i++) {
                h.publish(record(Level.INFO, "spindle.access", "200 GET /" + i + " (127.0.0.1) 0.05ms"));
            }
            out.lines.await();
            assertEquals(Set.of("spindle-log-writer"), out.writers);
            String text = out.text();
            assertTrue(text.lines().allMatch(l -> l.matches(
                    "\\[I \\d{6} \\d\\d:\\d\\d:\\d\\d\\.006 access\\] 200 GET /\\d \\(127\\.0\\.0\\.1\\) 0\\.05ms")), text);
        } finally {
            h.close();
        }
    }

    @Test
    void levelsParametersAndStackTracesAreFormatted() {
        Console out = new Console(0, false);
        ConsoleLogHandler h = new ConsoleLogHandler(out.stream(), 100);
        LogRecord withParams = record(Level.WARNING, "spindle.general", "{0} of {1}");
        withParams.setParameters(new Object[] {"one", 2});
        LogRecord failed = record(Level.SEVERE, "other", "boom");
        failed.setThrown(new IllegalStateException("the cause"));
        h.publish(withParams);
        h.publish(failed);
        h.publish(record(Level.FINE, "spindle.application", "detail"));
        h.close();
        String[] lines = out.text().split("\n");
        assertTrue(lines[0].matches("\\[W \\d{6} [\\d:.]{12} general\\] one of 2"), lines[0]);
        assertTrue(lines[1].matches("\\[E \\d{6} [\\d:.]{12} other\\] boom"), lines[1]);
        assertEquals("java.lang.IllegalStateException: the cause", lines[2]);
        assertTrue(out.text().contains(" application] detail\n"), out.text());
        assertTrue(out.text().contains("\n[D "), out.text());
    }

    @Test
    void aFullQueueDropsAndCountsInsteadOfGrowingOrBlockingAndTheLogSaysSo() throws Exception {
        Console out = new Console(0, true);
        ConsoleLogHandler h = new ConsoleLogHandler(out.stream(), 4);
        h.publish(record(Level.INFO, "spindle.access", "first"));
        out.writing.await(); // The writer took "first" and hangs writing it.
        for (int i = 0; i < 10; i++) {
            h.publish(record(Level.INFO, "spindle.access", "r" + i)); // Returns at once, full queue or not.
        }
        assertEquals(6, h.dropped());
        assertEquals("ConsoleLogHandler[queued=4, capacity=4, dropped=6, open]", h.toString());
        out.release.countDown();
        h.close();
        assertEquals(0, h.dropped(), "the drop count was written and reset");
        assertEquals("ConsoleLogHandler[queued=0, capacity=4, dropped=0, closed]", h.toString());
        String text = out.text();
        assertTrue(text.contains("] first\n") && text.contains("] r3\n") && !text.contains("] r4\n"), text);
        assertTrue(text.contains("spindle] 6 log records dropped: the log could not keep up\n"), text);
    }

    @Test
    void closeWritesWhatIsQueuedAndLaterRecordsAreIgnored() {
        Console out = new Console(0, false);
        ConsoleLogHandler h = new ConsoleLogHandler(out.stream(), 100);
        h.publish(record(Level.INFO, "spindle.access", "last words"));
        h.close();
        assertTrue(out.text().contains("last words"), out.text());
        h.publish(record(Level.INFO, "spindle.access", "too late"));
        h.flush();
        assertFalse(out.text().contains("too late"));
        h.close(); // Idempotent.
    }

    @Test
    void anInterruptEndsTheWriterInsteadOfSpinning() throws Exception {
        Console out = new Console(0, false);
        ConsoleLogHandler h = new ConsoleLogHandler(out.stream(), 100);
        h.writer().interrupt();
        assertTrue(h.writer().join(Duration.ofSeconds(20)), "the writer thread ended");
        h.publish(record(Level.INFO, "spindle.access", "after the interrupt"));
        h.flush(); // Written by the caller, when asked.
        assertTrue(out.text().contains("after the interrupt"), out.text());
        h.close();
    }

    @Test
    void closeEndsTheWriterThread() throws Exception {
        ConsoleLogHandler h = new ConsoleLogHandler(new Console(0, false).stream(), 100);
        assertTrue(h.writer().isDaemon());
        h.close();
        assertTrue(h.writer().join(Duration.ofSeconds(20)));
    }

    @Test
    void argumentsAreChecked() {
        assertThrows(NullPointerException.class, () -> new ConsoleLogHandler(null, 10));
        assertEquals("capacity < 2: 1",
                assertThrows(IllegalArgumentException.class, () -> new ConsoleLogHandler(System.err, 1)).getMessage());
    }
}
