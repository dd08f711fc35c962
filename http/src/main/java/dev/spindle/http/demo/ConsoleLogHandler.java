package dev.spindle.http.demo;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * A {@code java.util.logging} handler for Spindle's loggers ({@code spindle.access},
 * {@code spindle.general}, {@code spindle.application}) that keeps console writes off the
 * loop: {@link #publish} only queues the record; a background thread, woken by the first
 * record of a batch, lets the batch gather for {@value #INTERVAL_MILLIS} ms (less when the queue
 * is half full), formats it, writes it in one go and flushes once. It sleeps while nothing is
 * logged. <b>Thread-safe:</b> may be called from any thread.
 *
 * {@snippet :
 * ConsoleLogHandler.install();     // before the server starts; System.Logger stays the API
 * }
 *
 * <p>Bounded: at most {@code capacity} records wait (8192 by default); beyond that, records are
 * dropped and counted, and the count is written with the next batch. Nothing is lost at exit:
 * {@link #close()} (run by the JDK's logging shutdown, and by a shutdown hook) writes what is
 * queued. Lines look like Tornado's: {@code [I 250101 12:00:00.123 access] 200 GET / (127.0.0.1) 0.05ms}.
 *
 * <p>Logging still goes through {@link System.Logger}; this is only where the records end up.
 * To turn the access log off, set {@code spindle.access.level = OFF} in a
 * {@code java.util.logging} configuration file ({@code -Djava.util.logging.config.file=...}).
 */
public final class ConsoleLogHandler extends Handler {
    /** How often the writer wakes up to write what queued up, at most. */
    public static final long INTERVAL_MILLIS = 100;
    /** Records that may wait by default. */
    public static final int DEFAULT_CAPACITY = 8192;

    private static final long INTERVAL_NANOS = Duration.ofMillis(INTERVAL_MILLIS).toNanos();
    /** Formats messages with parameters; its method is synchronized, and called under {@link #writeLock} anyway. */
    private static final java.util.logging.Formatter MESSAGES = new java.util.logging.SimpleFormatter();

    /** The parent of Spindle's loggers, held strongly: {@code java.util.logging} keeps loggers weakly. */
    private static final Logger SPINDLE = Logger.getLogger("spindle");

    private final PrintStream out;
    private final ArrayBlockingQueue<LogRecord> queue;
    private final int wakeAt;
    private final Thread writer;
    /** Records dropped because the queue was full; written and reset by the writer. */
    private final AtomicLong dropped = new AtomicLong();
    /** Serialises writing: the writer's batches and {@link #flush()} from other threads. */
    private final Object writeLock = new Object();
    /** Date prefix of the last second written, and that second. Guarded by {@link #writeLock}. */
    private String secondText = "";
    private long second = Long.MIN_VALUE;
    /** Whether the writer sleeps until the next record (rather than gathering a batch). Written by the writer. */
    private volatile boolean idle;
    /** Set once by {@link #close()}; read by every thread. */
    private volatile boolean closed;

    /**
     * A handler writing to {@code out}, with its writer thread started.
     *
     * @throws IllegalArgumentException if {@code capacity < 2}
     */
    public ConsoleLogHandler(PrintStream out, int capacity) {
        this.out = Objects.requireNonNull(out, "out");
        if (capacity < 2) {
            throw new IllegalArgumentException("capacity < 2: " + capacity);
        }
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.wakeAt = capacity / 2;
        this.writer = Thread.ofPlatform().name("spindle-log-writer").daemon().unstarted(this::writeLoop);
        writer.start();
    }

    /**
     * Routes the {@code spindle} loggers to a new handler on {@code System.err} instead of the
     * root console handler, and registers a shutdown hook that writes what is queued.
     * Call once, before the server starts.
     *
     * @return the handler
     */
    public static ConsoleLogHandler install() {
        ConsoleLogHandler h = new ConsoleLogHandler(System.err, DEFAULT_CAPACITY);
        for (Handler old : SPINDLE.getHandlers()) {
            SPINDLE.removeHandler(old);
        }
        SPINDLE.addHandler(h);
        SPINDLE.setUseParentHandlers(false);
        Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().name("spindle-log-flush").unstarted(h::close));
        return h;
    }

    /** Queues {@code record} for the writer; never blocks, never writes on the caller's thread. */
    @Override
    public void publish(LogRecord record) {
        if (closed || !isLoggable(record)) {
            return;
        }
        if (!queue.offer(record)) {
            dropped.incrementAndGet();
            return;
        }
        if (idle || queue.size() == wakeAt) {
            LockSupport.unpark(writer); // The first record after a quiet spell, or a batch that should not wait.
        }
    }

    /** Writes what is queued now, on the calling thread. */
    @Override
    public void flush() {
        drain();
    }

    /** Stops the writer and writes what is queued. Idempotent. */
    @Override
    public void close() {
        closed = true;
        LockSupport.unpark(writer);
        drain();
    }

    /** The writer thread; for tests. */
    Thread writer() {
        return writer;
    }

    /** Records dropped so far and not yet reported; for tests and monitoring. */
    public long dropped() {
        return dropped.get();
    }

    private void writeLoop() {
        while (!closed) {
            if (queue.isEmpty()) {
                idle = true;
                if (queue.isEmpty()) {
                    LockSupport.park(this); // Quiet: sleep until a record comes.
                }
                idle = false;
            } else {
                LockSupport.parkNanos(this, INTERVAL_NANOS); // Let a batch gather, then write it at once.
                drain();
            }
            if (Thread.interrupted()) {
                break; // Someone wants this thread gone; never spin on the flag.
            }
        }
        drain();
    }

    private void drain() {
        synchronized (writeLock) {
            List<LogRecord> batch = new ArrayList<>(Math.min(queue.size(), 1024));
            StringBuilder text = new StringBuilder();
            while (queue.drainTo(batch, 1024) > 0) {
                for (LogRecord r : batch) {
                    format(r, text);
                }
                batch.clear();
                out.append(text);
                text.setLength(0);
            }
            long lost = dropped.getAndSet(0);
            if (lost > 0) {
                prefix(text, System.currentTimeMillis(), 'W', "spindle");
                out.append(text.append(lost).append(" log records dropped: the log could not keep up\n"));
            }
            out.flush();
        }
    }

    /** Appends {@code [L yyMMdd HH:mm:ss.SSS logger] message} and the stack trace, if any. */
    private void format(LogRecord r, StringBuilder text) {
        String logger = r.getLoggerName() == null ? "" : r.getLoggerName();
        prefix(text, r.getMillis(), letter(r.getLevel()), logger.startsWith("spindle.") ? logger.substring(8) : logger);
        text.append(r.getParameters() == null ? r.getMessage() : MESSAGES.formatMessage(r)).append('\n');
        if (r.getThrown() != null) {
            StringWriter trace = new StringWriter();
            r.getThrown().printStackTrace(new PrintWriter(trace));
            text.append(trace);
        }
    }

    /** Appends {@code [L yyMMdd HH:mm:ss.SSS logger] }; the date is made once per second. */
    private void prefix(StringBuilder text, long millis, char level, String logger) {
        long s = Math.floorDiv(millis, 1000);
        if (s != second) {
            LocalDateTime t = LocalDateTime.ofInstant(java.time.Instant.ofEpochSecond(s), ZoneId.systemDefault());
            secondText = String.format("%02d%02d%02d %02d:%02d:%02d", t.getYear() % 100, t.getMonthValue(),
                    t.getDayOfMonth(), t.getHour(), t.getMinute(), t.getSecond());
            second = s;
        }
        int ms = (int) Math.floorMod(millis, 1000);
        text.append('[').append(level).append(' ').append(secondText).append('.').append((char) ('0' + ms / 100))
                .append((char) ('0' + ms / 10 % 10)).append((char) ('0' + ms % 10)).append(' ').append(logger).append("] ");
    }

    private static char letter(Level level) {
        int v = level.intValue();
        return v >= Level.SEVERE.intValue() ? 'E' : v >= Level.WARNING.intValue() ? 'W' : v >= Level.INFO.intValue() ? 'I' : 'D';
    }

    /** Returns e.g. {@code ConsoleLogHandler[queued=3, capacity=8192, dropped=0, open]}. */
    @Override
    public String toString() {
        return "ConsoleLogHandler[queued=" + queue.size() + ", capacity=" + (queue.size() + queue.remainingCapacity())
                + ", dropped=" + dropped.get() + ", " + (closed ? "closed" : "open") + "]";
    }
}
