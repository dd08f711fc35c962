package dev.spindle.http;

import java.util.Objects;

/**
 * The peer sent bytes that are not a valid HTTP/1.1 message, or a message beyond a configured
 * limit (Tornado: {@code HTTPInputError}; Helidon: {@code RequestException}).
 *
 * <p><b>Thread-safe:</b> may be called from any thread (immutable).
 *
 * <p>It carries a {@link Reason} and the status a server answers with ({@link #status()}). A
 * server writes that status, closes the connection and logs at INFO; a client fails the exchange
 * with it. The connection is unusable afterwards: the parser cannot find the next message.
 *
 * @since 0.1
 */
public final class HttpInputException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** Why the input was rejected, with the status to answer with (Jetty-style names). */
    public enum Reason {
        /** Both {@code Content-Length} and {@code Transfer-Encoding} (RFC 9112 §6.1). */
        CONTENT_LENGTH_WITH_TRANSFER_ENCODING(400),
        /** Several {@code Content-Length} values that differ. */
        DUPLICATE_CONTENT_LENGTH(400),
        /** A {@code Content-Length} that is not a non-negative decimal number within range. */
        BAD_CONTENT_LENGTH(400),
        /** A chunk-size line that is not hex digits and extensions, or overflows. */
        BAD_CHUNK_SIZE(400),
        /** Chunk data not followed by CRLF. */
        BAD_CHUNK_TERMINATOR(400),
        /** Whitespace between a field name and its colon (RFC 9112 §5.1). */
        WHITESPACE_BEFORE_COLON(400),
        /** A field line folded onto the next line with leading whitespace (RFC 9112 §5.2). */
        OBS_FOLD(400),
        /** A CR not followed by LF (RFC 9112 §2.2). */
        BARE_CR(400),
        /** A line ending in LF alone where CRLF is required (chunked framing). */
        BARE_LF(400),
        /** A NUL byte in the head, a chunk line or the trailers. */
        NUL_BYTE(400),
        /** A malformed request line or status line, or too many empty lines before it. */
        BAD_START_LINE(400),
        /** A malformed field line: bad name, no colon, or control characters in the value. */
        BAD_HEADER(400),
        /** A {@code Transfer-Encoding} that cannot frame the message. */
        BAD_TRANSFER_ENCODING(400),
        /** A request transfer coding other than {@code chunked} (RFC 9112 §6.1). */
        UNKNOWN_TRANSFER_ENCODING(501),
        /** A well-formed HTTP version other than 1.0 and 1.1. */
        UNSUPPORTED_VERSION(505),
        /** A request line longer than the limit. */
        REQUEST_LINE_TOO_LONG(414),
        /** A status line longer than the limit (the client fails; nobody answers). */
        STATUS_LINE_TOO_LONG(400),
        /** A header block (or trailer block) larger than the limit. */
        HEADERS_TOO_LARGE(431),
        /** More header (or trailer) fields than the limit. */
        TOO_MANY_HEADERS(431),
        /** A body larger than the limit. */
        BODY_TOO_LARGE(413),
        /** An HTTP/1.1 request without {@code Host} (RFC 9112 §3.2). */
        MISSING_HOST(400),
        /** A request with more than one {@code Host} field (RFC 9112 §3.2). */
        DUPLICATE_HOST(400),
        /** The peer closed the connection in the middle of a message. */
        PREMATURE_EOF(400),
        /** A form body or query with a malformed percent-escape or non-UTF-8 text ({@link FormDecoder}'s strict methods). */
        BAD_FORM_ENCODING(400);

        private final int status;

        Reason(int status) {
            this.status = status;
        }

        /** Returns the status code a server answers with. */
        public int status() {
            return status;
        }
    }

    /** Why the input was rejected. */
    private final Reason reason;

    /**
     * Creates an exception for {@code reason}.
     *
     * @param reason why the input was rejected
     * @param detail what was wrong, showing the offending bytes
     */
    public HttpInputException(Reason reason, String detail) {
        super(Objects.requireNonNull(reason, "reason") + " (" + reason.status() + "): " + detail);
        this.reason = reason;
    }

    /** Returns why the input was rejected. */
    public Reason reason() {
        return reason;
    }

    /** Returns the status code a server answers with: {@code reason().status()}. */
    public int status() {
        return reason.status();
    }
}
