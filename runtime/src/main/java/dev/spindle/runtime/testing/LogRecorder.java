package dev.spindle.runtime.testing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Predicate;
import java.util.logging.LogRecord;

/**
 * Records what a logger logs, for exact assertions (OkHttp's {@code TestLogHandler}). The
 * records it takes are not passed on to the logger's handlers.
 *
 * {@snippet :
 * try (LogRecorder log = LogRecorder.of("spindle.general", Level.WARNING)) {
 *     runTheThing();
 *     assertEquals(List.of("IOLoop-1 blocked for ..."), log.takeAllMessages());
 * }
 * }
 *
 * <p>Spindle logs through {@link System.Logger}; the recorder taps the java.util.logging logger
 * of the same name, which backs it unless the application installed another
 * {@code System.LoggerFinder}.
 *
 * <p><b>Thread-safe:</b> records arrive on whatever thread logs them; every method may be
 * called from any thread.
 */
public final class LogRecorder implements AutoCloseable {
    /** Records taken and not yet handed out. Guarded by this. */
    private final List<LogRecord> records = new ArrayList<>();
    private final LogTap tap;

    private LogRecorder(String logger, System.Logger.Level min) {
        java.util.logging.Level jul = LogTap.jul(min);
        this.tap = new LogTap(logger, jul, r -> r.getLevel().intValue() >= jul.intValue(), this::add);
    }

    /** Records everything {@code logger} logs, down to TRACE, until closed. */
    public static LogRecorder of(String logger) {
        return of(logger, System.Logger.Level.ALL);
    }

    /** Records what {@code logger} logs at {@code min} or above, until closed. */
    public static LogRecorder of(String logger, System.Logger.Level min) {
        return new LogRecorder(logger, min);
    }

    private synchronized void add(LogRecord r) {
        records.add(r);
        notifyAll();
    }

    /** The records taken since the last call, oldest first; forgets them. */
    public synchronized List<LogRecord> takeAll() {
        List<LogRecord> out = List.copyOf(records);
        records.clear();
        return out;
    }

    /** {@link #takeAll()}, as messages with their parameters filled in. */
    public List<String> takeAllMessages() {
        return takeAll().stream().map(LogTap::message).toList();
    }

    /**
     * Waits for a record whose message contains {@code substring} (it may come from another
     * thread, such as a watchdog or a Cleaner) and returns it; it stays recorded.
     *
     * @throws AssertionError if none came within {@code timeout}
     */
    public LogRecord await(String substring, Duration timeout) {
        Objects.requireNonNull(substring, "substring");
        return await(r -> LogTap.message(r).contains(substring), timeout, "containing '" + substring + "'");
    }

    /**
     * Waits for a record that matches {@code match} and returns it; it stays recorded.
     *
     * @throws AssertionError if none came within {@code timeout}
     */
    public LogRecord await(Predicate<LogRecord> match, Duration timeout) {
        return await(match, timeout, "matching " + match);
    }

    private synchronized LogRecord await(Predicate<LogRecord> match, Duration timeout, String what) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            for (LogRecord r : records) {
                if (match.test(r)) {
                    return r;
                }
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError("no log record " + what + " within " + timeout + "; got " + describe(records));
            }
            try {
                wait(Math.max(1, left / 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while waiting for a log record " + what, e);
            }
        }
    }

    static String describe(List<LogRecord> rs) {
        return rs.stream().map(r -> r.getLevel() + " " + LogTap.message(r)).toList().toString();
    }

    /** Stops recording; the logger's handlers see its records again. */
    @Override
    public void close() {
        tap.close();
    }

    @Override
    public synchronized String toString() {
        return "LogRecorder[records=" + records.size() + "]";
    }
}
