package dev.spindle.runtime.sync;

/**
 * Thrown by {@link Queue#putNowait} when the queue is full (Tornado: {@code tornado.queues.QueueFull}).
 *
 * <p><b>Thread-safe:</b> immutable once thrown.
 */
public class QueueFullException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** Creates the exception with a message naming the queue. */
    public QueueFullException(String message) {
        super(message);
    }
}
