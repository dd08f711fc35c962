package dev.spindle.runtime.testing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.logging.LogRecord;

/**
 * Expects a log record, and keeps it out of the test output (Tornado: {@code ExpectLog}).
 *
 * {@snippet :
 * try (var log = ExpectLog.of("spindle.general", "Malformed HTTP message", Level.INFO)) {
 *     sendGarbage();
 * }   // fails here if no such record came
 * }
 *
 * <p>A record matches if it was logged on the named logger (not a child), at exactly
 * {@code level}, with a message containing {@code substring}. Matching records are swallowed;
 * others go on to the handlers as usual. {@link #close()} fails if none matched and the
 * expectation is required (the default). For records that another thread logs later, call
 * {@link #await(Duration)} before closing.
 *
 * <p><b>Thread-safe:</b> records arrive on whatever thread logs them; every method may be
 * called from any thread.
 */
public final class ExpectLog implements AutoCloseable {
    private final String logger;
    private final String substring;
    private final System.Logger.Level level;
    private final boolean required;
    /** Matching records. Guarded by this. */
    private final List<LogRecord> matched = new ArrayList<>();
    private final LogTap tap;

    private ExpectLog(String logger, String substring, System.Logger.Level level, boolean required) {
        this.logger = Objects.requireNonNull(logger, "logger");
        this.substring = Objects.requireNonNull(substring, "substring");
        this.level = Objects.requireNonNull(level, "level");
        this.required = required;
        java.util.logging.Level jul = LogTap.jul(level);
        this.tap = new LogTap(logger, jul, r -> r.getLevel().equals(jul) && LogTap.message(r).contains(substring),
                this::add);
    }

    /** Expects, until closed, a record of {@code logger} at {@code level} containing {@code substring}. */
    public static ExpectLog of(String logger, String substring, System.Logger.Level level) {
        return of(logger, substring, level, true);
    }

    /**
     * Like {@link #of(String, String, System.Logger.Level)}; with {@code required} false,
     * swallows matching records without failing if none came.
     */
    public static ExpectLog of(String logger, String substring, System.Logger.Level level, boolean required) {
        return new ExpectLog(logger, substring, level, required);
    }

    private synchronized void add(LogRecord r) {
        matched.add(r);
        notifyAll();
    }

    /** The matching records so far, oldest first. */
    public synchronized List<LogRecord> matched() {
        return List.copyOf(matched);
    }

    /**
     * Waits until a matching record has come (from any thread) and returns the first.
     *
     * @throws AssertionError if none came within {@code timeout}
     */
    public synchronized LogRecord await(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (matched.isEmpty()) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError("no " + describe() + " within " + timeout);
            }
            try {
                wait(Math.max(1, left / 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while waiting for " + describe(), e);
            }
        }
        return matched.getFirst();
    }

    /**
     * Stops swallowing.
     *
     * @throws AssertionError if the expectation is required and no record matched
     */
    @Override
    public void close() {
        tap.close();
        synchronized (this) {
            if (required && matched.isEmpty()) {
                throw new AssertionError("expected " + describe() + ", but none was logged");
            }
        }
    }

    private String describe() {
        return "a log record on '" + logger + "' at " + level + " containing '" + substring + "'";
    }

    @Override
    public synchronized String toString() {
        return "ExpectLog[" + logger + ", " + level + ", '" + substring + "', matched=" + matched.size() + "]";
    }
}
