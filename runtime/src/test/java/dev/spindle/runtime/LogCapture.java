package dev.spindle.runtime;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/** Captures the records of one java.util.logging logger while open. */
final class LogCapture extends Handler implements AutoCloseable {
    private final Logger logger;
    private final boolean parentHandlers;
    final List<LogRecord> records = new CopyOnWriteArrayList<>();
    private final LinkedBlockingQueue<LogRecord> queue = new LinkedBlockingQueue<>();

    private LogCapture(String name) {
        logger = Logger.getLogger(name);
        parentHandlers = logger.getUseParentHandlers();
        logger.setUseParentHandlers(false);
        logger.addHandler(this);
    }

    static LogCapture of(String name) {
        return new LogCapture(name);
    }

    @Override
    public void publish(LogRecord r) {
        records.add(r);
        queue.add(r);
    }

    /** Waits up to {@code seconds} for a record whose message contains {@code text}. */
    LogRecord await(String text, int seconds) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        for (LogRecord r : records) {
            if (r.getMessage().contains(text)) {
                return r;
            }
        }
        while (true) {
            long left = deadline - System.nanoTime();
            LogRecord r = queue.poll(Math.max(0, left), TimeUnit.NANOSECONDS);
            if (r == null) {
                throw new AssertionError("no log record containing '" + text + "' within " + seconds + " s; got " + records);
            }
            if (r.getMessage().contains(text)) {
                return r;
            }
        }
    }

    @Override
    public void flush() {}

    @Override
    public void close() {
        logger.removeHandler(this);
        logger.setUseParentHandlers(parentHandlers);
    }
}
