package dev.spindle.http.server;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Records what one logger logs while open, and keeps it off the console (OkHttp's
 * {@code TestLogHandler}); System.Logger goes to java.util.logging here.
 */
final class LogRecorder extends Handler implements AutoCloseable {
    /** Held strongly: java.util.logging keeps loggers weakly, and would drop our level. */
    private final Logger logger;
    private final List<LogRecord> records = new ArrayList<>();

    private LogRecorder(String name) {
        logger = Logger.getLogger(name);
        logger.setUseParentHandlers(false);
        logger.addHandler(this);
        logger.setLevel(Level.ALL);
        setLevel(Level.ALL);
    }

    static LogRecorder of(String name) {
        return new LogRecorder(name);
    }

    @Override
    public synchronized void publish(LogRecord r) {
        records.add(r);
        notifyAll();
    }

    synchronized List<LogRecord> records() {
        return List.copyOf(records);
    }

    synchronized List<String> messages() {
        return records.stream().map(r -> r.getLevel() + " " + r.getMessage()).toList();
    }

    /** Waits up to 10 s for a record whose message contains {@code text}, and returns it. */
    synchronized LogRecord await(String text) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (true) {
            for (LogRecord r : records) {
                if (r.getMessage().contains(text)) {
                    return r;
                }
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError("no record containing '" + text + "' in " + messages());
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
    }

    @Override
    public void flush() {}

    @Override
    public void close() {
        logger.removeHandler(this);
        logger.setUseParentHandlers(true);
        logger.setLevel(null);
    }
}
