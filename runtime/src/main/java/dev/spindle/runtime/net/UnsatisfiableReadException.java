package dev.spindle.runtime.net;

/**
 * A read can never be satisfied: {@link IoStream#readUntil(byte[], int)} saw more than
 * {@code maxBytes} bytes without its delimiter (Tornado:
 * {@code tornado.iostream.UnsatisfiableReadError}).
 * <b>Thread-safe:</b> immutable once thrown.
 *
 * <p>As in Tornado, the stream closes with this exception as its {@linkplain IoStream#error()
 * error}, and the read fails with a {@link StreamClosedException} whose cause it is.
 */
public class UnsatisfiableReadException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** Creates the exception with a message that shows the limit. */
    public UnsatisfiableReadException(String message) {
        super(message);
    }
}
