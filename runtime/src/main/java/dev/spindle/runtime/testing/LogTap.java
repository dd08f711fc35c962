package dev.spindle.runtime.testing;

import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.logging.Filter;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;

/**
 * Takes the records of one java.util.logging logger that match a predicate, before any handler
 * sees them; the rest go on as usual. Spindle logs through {@link System.Logger}, which the JDK
 * backs with java.util.logging unless the application installs another {@code LoggerFinder}.
 *
 * <p><b>Thread-safe:</b> records arrive on whatever thread logs them.
 */
/*
 * Implementation notes: a java.util.logging Logger has one Filter, consulted before its handlers
 * and its parents'. The tap installs a filter that takes matching records (returning false, so
 * nobody else sees them) and hands the others to the filter it replaced. Taps nest; closing one
 * out of order only deactivates it. The logger's level is lowered while the tap is open if the
 * records wanted would otherwise not be logged at all.
 */
final class LogTap implements AutoCloseable {
    private static final SimpleFormatter FORMATTER = new SimpleFormatter();

    /** Held strongly: java.util.logging keeps loggers only weakly, and would drop our filter. */
    private final Logger logger;
    private final Filter previous;
    private final Level previousLevel;
    private final Level loweredTo;
    private final Filter filter;
    /** Cleared by close(). */
    private volatile boolean active = true;

    LogTap(String loggerName, Level min, Predicate<LogRecord> take, Consumer<LogRecord> sink) {
        Objects.requireNonNull(take, "take");
        Objects.requireNonNull(sink, "sink");
        this.logger = Logger.getLogger(Objects.requireNonNull(loggerName, "loggerName"));
        this.previous = logger.getFilter();
        this.previousLevel = logger.getLevel();
        if (!logger.isLoggable(min)) {
            logger.setLevel(min);
            loweredTo = min;
        } else {
            loweredTo = null;
        }
        Filter prev = previous;
        this.filter = r -> {
            if (active && take.test(r)) {
                sink.accept(r);
                return false;
            }
            return prev == null || prev.isLoggable(r);
        };
        logger.setFilter(filter);
    }

    @Override
    public void close() {
        active = false;
        synchronized (logger) {
            if (logger.getFilter() == filter) {
                logger.setFilter(previous);
            }
            if (loweredTo != null && logger.getLevel() == loweredTo) {
                logger.setLevel(previousLevel);
            }
        }
    }

    /** A record's message with its parameters filled in. */
    static String message(LogRecord r) {
        return FORMATTER.formatMessage(r);
    }

    /** The java.util.logging level that {@link System.Logger} maps {@code level} to. */
    static Level jul(System.Logger.Level level) {
        return switch (Objects.requireNonNull(level, "level")) {
            case ALL -> Level.ALL;
            case TRACE -> Level.FINER;
            case DEBUG -> Level.FINE;
            case INFO -> Level.INFO;
            case WARNING -> Level.WARNING;
            case ERROR -> Level.SEVERE;
            case OFF -> Level.OFF;
        };
    }
}
