package dev.spindle.runtime;

/**
 * Spindle's three loggers, mirroring {@code tornado.access}, {@code tornado.application} and
 * {@code tornado.general}.
 *
 * <p><b>Thread-safe:</b> may be used from any thread.
 */
final class Log {
    /** User-code failures: callbacks, coroutines, unobserved failures. */
    static final System.Logger APPLICATION = System.getLogger("spindle.application");
    /** Framework and protocol events: blocked loops, protocol errors. */
    static final System.Logger GENERAL = System.getLogger("spindle.general");

    private Log() {}
}
