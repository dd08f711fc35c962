package dev.spindle.http.codec;

import dev.spindle.http.HttpHeaders;
import dev.spindle.http.HttpInputException;
import dev.spindle.http.HttpInputException.Reason;
import dev.spindle.http.StartLine;

/**
 * What differs between parsing requests and parsing responses: the start line and the body
 * framing rules. Chosen once, when the parser is created (STYLE S17).
 *
 * <p><b>Thread-safe:</b> may be called from any thread (stateless).
 */
sealed interface Dialect permits RequestDialect, ResponseDialect {
    /** Returns the reason thrown when the start line exceeds its limit. */
    Reason startLineTooLong();

    /**
     * Parses the non-empty start line {@code a[start, end)}, terminator removed.
     *
     * @throws HttpInputException if it is malformed or has an unsupported version
     */
    StartLine parseStartLine(byte[] a, int start, int end);

    /**
     * Decides how the body is delimited (RFC 9112 §6.3) and checks the head's other rules.
     *
     * @param noBody whether the caller said the message has no body (a response to HEAD)
     * @throws HttpInputException if the framing fields are invalid or contradictory
     */
    BodyFraming framing(StartLine line, HttpHeaders headers, boolean noBody);

    /**
     * Parses {@code a[start, end)} as {@code HTTP/1.0} or {@code HTTP/1.1}, returning a constant.
     *
     * @throws HttpInputException with {@link Reason#BAD_START_LINE} if it is not
     *     {@code HTTP/DIGIT.DIGIT}, or {@link Reason#UNSUPPORTED_VERSION} for another version
     */
    static String version(byte[] a, int start, int end) {
        boolean wellFormed = end - start == 8 && a[start] == 'H' && a[start + 1] == 'T' && a[start + 2] == 'T'
                && a[start + 3] == 'P' && a[start + 4] == '/' && Ascii.isDigit(a[start + 5])
                && a[start + 6] == '.' && Ascii.isDigit(a[start + 7]);
        if (!wellFormed) {
            throw new HttpInputException(Reason.BAD_START_LINE, "malformed HTTP version " + Ascii.quote(a, start, end));
        }
        if (a[start + 5] == '1' && a[start + 7] == '1') return "HTTP/1.1";
        if (a[start + 5] == '1' && a[start + 7] == '0') return "HTTP/1.0";
        throw new HttpInputException(Reason.UNSUPPORTED_VERSION, "unsupported version " + Ascii.quote(a, start, end));
    }

    /** Returns the index of the first {@code b} in {@code a[from, to)}, or -1. */
    static int indexOf(byte[] a, int from, int to, char b) {
        for (int i = from; i < to; i++) {
            if (a[i] == b) return i;
        }
        return -1;
    }
}
