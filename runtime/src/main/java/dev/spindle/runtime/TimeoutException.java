package dev.spindle.runtime;

/**
 * A deadline passed: thrown by {@link IOLoop#runSync(java.util.concurrent.Callable, java.time.Duration)},
 * and the failure of futures returned by {@link Coroutines#withTimeout} (Tornado:
 * {@code tornado.util.TimeoutError}).
 *
 * <p>Unchecked, unlike {@link java.util.concurrent.TimeoutException}, which it shadows by name
 * (STYLE S3): refer to the JDK one fully qualified.
 *
 * <p><b>Thread-safe:</b> immutable once thrown.
 */
public class TimeoutException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** Creates the exception with a message that says what timed out and after how long. */
    public TimeoutException(String message) {
        super(message);
    }

    /** Creates the exception with a message and the cause. */
    public TimeoutException(String message, Throwable cause) {
        super(message, cause);
    }
}
