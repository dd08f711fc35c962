package dev.spindle.http;

import java.util.Objects;

/**
 * The status line of an HTTP/1.x response: version, status code and reason phrase (Tornado:
 * {@code httputil.ResponseStartLine}).
 *
 * <p><b>Thread-safe:</b> may be called from any thread (immutable).
 *
 * <p>The compact constructor checks the syntax of RFC 9112 §4: the version is
 * {@code HTTP/DIGIT.DIGIT}, the code has three digits (100 to 999), the reason phrase (possibly
 * empty) holds Latin-1 text without control characters other than HTAB.
 *
 * @param version the protocol version ({@code "HTTP/1.1"})
 * @param code the status code ({@code 200})
 * @param reason the reason phrase ({@code "OK"}), possibly empty; clients should ignore it
 * @since 0.1
 */
public record ResponseStartLine(String version, int code, String reason) implements StartLine {
    /**
     * Checks the three parts.
     *
     * @throws NullPointerException if {@code version} or {@code reason} is null
     * @throws IllegalArgumentException if a part is malformed; the message shows it
     */
    public ResponseStartLine {
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(reason, "reason");
        if (!HttpSyntax.isHttpVersion(version)) {
            throw new IllegalArgumentException("invalid HTTP version: " + HttpSyntax.quote(version));
        }
        if (code < 100 || code > 999) {
            throw new IllegalArgumentException("status code not in 100..999: " + code);
        }
        if (!HttpSyntax.isFieldText(reason)) {
            throw new IllegalArgumentException("invalid reason phrase: " + HttpSyntax.quote(reason));
        }
    }

    /** Returns {@code "VERSION code reason"}, the line as sent on the wire. */
    @Override
    public String toString() {
        return version + ' ' + code + ' ' + reason;
    }
}
