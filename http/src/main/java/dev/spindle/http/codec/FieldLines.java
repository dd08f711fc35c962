package dev.spindle.http.codec;

import dev.spindle.http.HttpHeaders;
import dev.spindle.http.HttpInputException;
import dev.spindle.http.HttpInputException.Reason;
import dev.spindle.http.HttpSyntax;

/**
 * Parses one field line ({@code name ":" OWS value OWS}, RFC 9112 §5) of a header or trailer
 * block, strictly.
 *
 * <p><b>Thread-safe:</b> may be called from any thread (stateless).
 */
final class FieldLines {
    private FieldLines() {}

    /**
     * Parses the non-empty line {@code a[start, end)} (terminator removed) and adds the field.
     *
     * @throws HttpInputException with {@link Reason#OBS_FOLD}, {@link Reason#WHITESPACE_BEFORE_COLON}
     *     or {@link Reason#BAD_HEADER}
     */
    static void parse(byte[] a, int start, int end, HttpHeaders into) {
        assert start < end : "empty field line";
        if (Ascii.isWhitespace(a[start])) {
            throw new HttpInputException(Reason.OBS_FOLD, "folded field line " + Ascii.quote(a, start, end));
        }
        int colon = start;
        while (colon < end && Ascii.isTokenByte(a[colon])) colon++;
        if (colon == end || a[colon] != ':' || colon == start) throw badName(a, start, end, colon);
        int from = colon + 1;
        int to = end;
        while (from < to && Ascii.isWhitespace(a[from])) from++;
        while (to > from && Ascii.isWhitespace(a[to - 1])) to--;
        for (int i = from; i < to; i++) {
            if (!HttpSyntax.isFieldChar(a[i] & 0xFF)) {
                throw new HttpInputException(Reason.BAD_HEADER, "control character in field value " + Ascii.quote(a, start, end));
            }
        }
        into.add(CommonStrings.fieldName(a, start, colon), Ascii.decode(a, from, to));
    }

    private static HttpInputException badName(byte[] a, int start, int end, int stop) {
        int i = stop;
        while (i < end && Ascii.isWhitespace(a[i])) i++;
        if (i > stop && i < end && a[i] == ':' && stop > start) {
            return new HttpInputException(Reason.WHITESPACE_BEFORE_COLON,
                    "whitespace between field name and colon " + Ascii.quote(a, start, end));
        }
        String what = stop == end ? "field line without colon " : "invalid field name in ";
        return new HttpInputException(Reason.BAD_HEADER, what + Ascii.quote(a, start, end));
    }
}
