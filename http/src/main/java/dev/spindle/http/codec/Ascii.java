package dev.spindle.http.codec;

import java.nio.charset.StandardCharsets;

/**
 * Byte and character classes of HTTP/1.1 (RFC 9110 §5.6) and Latin-1 decoding, shared by the
 * message model and the codec.
 *
 * <p><b>Thread-safe:</b> may be called from any thread (stateless).
 *
 * <p>Internal: public only so that {@code dev.spindle.http} can validate with the same tables
 * as the parser.
 */
public final class Ascii {
    /** {@code tchar} of RFC 9110 §5.6.2, indexed by the unsigned byte value. Never written. */
    private static final boolean[] TCHAR = new boolean[256];

    static {
        for (char c = '0'; c <= '9'; c++) TCHAR[c] = true;
        for (char c = 'a'; c <= 'z'; c++) TCHAR[c] = true;
        for (char c = 'A'; c <= 'Z'; c++) TCHAR[c] = true;
        for (char c : "!#$%&'*+-.^_`|~".toCharArray()) TCHAR[c] = true;
    }

    private static final int QUOTE_LIMIT = 80;

    private Ascii() {}

    /** Returns whether {@code c} is a token character ({@code tchar}). */
    public static boolean isTokenChar(int c) {
        return c >= 0 && c < 256 && TCHAR[c];
    }

    /** Returns whether the byte {@code b} is a token character ({@code tchar}). */
    static boolean isTokenByte(byte b) {
        return TCHAR[b & 0xFF];
    }

    /** Returns whether {@code s} is a non-empty token (a valid method or field name). */
    public static boolean isToken(String s) {
        if (s.isEmpty()) return false;
        for (int i = 0; i < s.length(); i++) {
            if (!isTokenChar(s.charAt(i))) return false;
        }
        return true;
    }

    /** Returns whether {@code s} has the syntax {@code HTTP/DIGIT.DIGIT} (RFC 9112 §2.3). */
    public static boolean isHttpVersion(String s) {
        return s.length() == 8 && s.startsWith("HTTP/") && s.charAt(6) == '.'
                && isDigit(s.charAt(5)) && isDigit(s.charAt(7));
    }

    /** Returns whether {@code c} is an ASCII digit. */
    static boolean isDigit(int c) {
        return c >= '0' && c <= '9';
    }

    /** Returns whether {@code c} is optional whitespace: SP or HTAB. */
    static boolean isWhitespace(int c) {
        return c == ' ' || c == '\t';
    }

    /**
     * Returns whether {@code s} may be sent as field content or a reason phrase: Latin-1 text
     * without control characters other than HTAB (RFC 9110 §5.5 {@code field-vchar}, SP, HTAB).
     */
    public static boolean isFieldText(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (!isFieldChar(s.charAt(i))) return false;
        }
        return true;
    }

    /** Returns whether {@code c} is HTAB, SP, VCHAR or obs-text. */
    static boolean isFieldChar(int c) {
        return c == '\t' || (c >= 0x20 && c != 0x7F && c <= 0xFF);
    }

    /** Decodes bytes {@code [start, end)} of {@code a} as Latin-1 (ASCII is a subset). */
    static String decode(byte[] a, int start, int end) {
        return new String(a, start, end - start, StandardCharsets.ISO_8859_1);
    }

    /**
     * Returns {@code s} in double quotes with control characters escaped and long text cut, for
     * error messages that show the offending value.
     */
    public static String quote(CharSequence s) {
        StringBuilder out = new StringBuilder(Math.min(s.length(), QUOTE_LIMIT) + 8).append('"');
        for (int i = 0; i < s.length() && i < QUOTE_LIMIT; i++) {
            char c = s.charAt(i);
            switch (c) {
                case '\r' -> out.append("\\r");
                case '\n' -> out.append("\\n");
                case '\t' -> out.append("\\t");
                case '"', '\\' -> out.append('\\').append(c);
                default -> {
                    if (c < 0x20 || c == 0x7F) out.append(String.format("\\x%02x", (int) c));
                    else out.append(c);
                }
            }
        }
        if (s.length() > QUOTE_LIMIT) out.append("...");
        return out.append('"').toString();
    }

    /** {@link #quote(CharSequence)} for bytes {@code [start, end)} of {@code a}, as Latin-1. */
    static String quote(byte[] a, int start, int end) {
        return quote(decode(a, start, Math.min(end, start + QUOTE_LIMIT + 1)));
    }
}
