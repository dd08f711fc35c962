package dev.spindle.http.codec;

import dev.spindle.http.HttpSyntax;
import java.nio.charset.StandardCharsets;

/**
 * Byte classes of HTTP/1.1 for the parser, on top of the model's {@link HttpSyntax}, and
 * Latin-1 decoding.
 *
 * <p><b>Thread-safe:</b> may be called from any thread (stateless).
 */
final class Ascii {
    private static final int QUOTE_LIMIT = 80;

    private Ascii() {}

    /** Returns whether the byte {@code b} is a token character ({@code tchar}). */
    static boolean isTokenByte(byte b) {
        return HttpSyntax.isTokenChar(b);
    }

    /** Returns whether {@code c} is an ASCII digit. */
    static boolean isDigit(int c) {
        return c >= '0' && c <= '9';
    }

    /** Returns whether {@code c} is optional whitespace: SP or HTAB. */
    static boolean isWhitespace(int c) {
        return c == ' ' || c == '\t';
    }

    /** Decodes bytes {@code [start, end)} of {@code a} as Latin-1 (ASCII is a subset). */
    static String decode(byte[] a, int start, int end) {
        return new String(a, start, end - start, StandardCharsets.ISO_8859_1);
    }

    /** {@link HttpSyntax#quote} for bytes {@code [start, end)} of {@code a}, as Latin-1. */
    static String quote(byte[] a, int start, int end) {
        return HttpSyntax.quote(decode(a, start, Math.min(end, start + QUOTE_LIMIT + 1)));
    }
}
