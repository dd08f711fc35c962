package dev.spindle.runtime.net;

/**
 * An operation on an {@link IoStream} failed because the stream is closed, or closed while the
 * operation was pending (Tornado: {@code tornado.iostream.StreamClosedError}).
 * <b>Thread-safe:</b> immutable once thrown.
 *
 * <p>The {@linkplain #getCause() cause} is the real error that closed the stream (Tornado:
 * {@code real_error}): the {@link java.io.IOException} of a reset connection, the
 * {@link UnsatisfiableReadException} of a read that passed its {@code maxBytes}, the error of a
 * full read buffer. It is null when the stream was closed cleanly: by the peer (end of stream)
 * or by a local {@link IoStream#close()}.
 */
public class StreamClosedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what was closed
     * @param realError what closed it, or null for a clean close
     */
    public StreamClosedException(String message, Throwable realError) {
        super(realError == null ? message : message + ": " + realError, realError);
    }

    /** The error that closed the stream, or null if it was closed cleanly; same as {@link #getCause()}. */
    public Throwable realError() {
        return getCause();
    }
}
