package dev.spindle.http;

/**
 * The first line of an HTTP/1.x message: a {@link RequestStartLine} or a
 * {@link ResponseStartLine} (Tornado: the {@code start_line} given to
 * {@code HTTPMessageDelegate.headers_received}).
 *
 * <p><b>Thread-safe:</b> may be called from any thread (implementations are immutable records).
 *
 * @since 0.1
 */
public sealed interface StartLine permits RequestStartLine, ResponseStartLine {
    /** The protocol version, {@code "HTTP/1.1"} or {@code "HTTP/1.0"} for parsed messages. */
    String version();

    /** Returns the line as sent on the wire, without the CRLF. */
    @Override
    String toString();
}
