package dev.spindle.runtime.internal;

/**
 * Spindle's three loggers, mirroring {@code tornado.access}, {@code tornado.application} and
 * {@code tornado.general}.
 *
 * <p><b>Thread-safe:</b> may be used from any thread.
 *
 * <p>Internal: exported only to {@code dev.spindle.http}; applications configure the loggers by
 * name.
 */
public final class Log {
    /** One line per request served: {@code 200 GET /path (address) 0.42ms}. */
    public static final System.Logger ACCESS = System.getLogger("spindle.access");
    /** User-code failures: callbacks, coroutines, unobserved failures. */
    public static final System.Logger APPLICATION = System.getLogger("spindle.application");
    /** Framework and protocol events: blocked loops, protocol errors. */
    public static final System.Logger GENERAL = System.getLogger("spindle.general");

    private Log() {}
}
