package dev.spindle.runtime.sync;

/**
 * Thrown by {@link Queue#getNowait} when the queue is empty (Tornado: {@code tornado.queues.QueueEmpty}).
 *
 * <p><b>Thread-safe:</b> immutable once thrown.
 */
public class QueueEmptyException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** Creates the exception with a message naming the queue. */
    public QueueEmptyException(String message) {
        super(message);
    }
}
