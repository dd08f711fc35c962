package dev.spindle.http.codec;

import dev.spindle.runtime.net.StreamClosedException;
import javax.net.ssl.SSLException;

/**
 * Tells a connection that ended cleanly from one that failed, for {@link Http1Connection}: a
 * close without error is clean, and so is a TLS connection that ended without
 * {@code close_notify} (see "TLS" in {@code Http1Connection}'s description), which the runtime's
 * TLS stream reports as a plain {@link SSLException} saying so, with no cause of its own.
 *
 * <p><b>Thread-safe:</b> stateless.
 */
final class CleanEnd {
    /** What the TLS stream's exception says when the connection ended without close_notify. */
    static final String NO_CLOSE_NOTIFY = "ended without a TLS close_notify";

    private CleanEnd() {}

    /** Whether {@code e}, the failure of a read, says the connection ended cleanly. */
    static boolean of(StreamClosedException e) {
        Throwable cause = e.getCause();
        return cause == null || cause.getClass() == SSLException.class && cause.getCause() == null
                && String.valueOf(cause.getMessage()).contains(NO_CLOSE_NOTIFY);
    }
}
