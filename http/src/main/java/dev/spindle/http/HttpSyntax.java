package dev.spindle.http;

/**
 * The character classes of HTTP's grammar (RFC 9110 §5.5 and §5.6), for checking names and values
 * before they are sent, and a quoting helper for messages that show an offending value.
 *
 * <p><b>Thread-safe:</b> may be called from any thread (stateless).
 *
 * {@snippet :
 * if (!HttpSyntax.isToken(name)) {
 *     throw new IllegalArgumentException("invalid header name: " + HttpSyntax.quote(name));
 * }
 * }
 *
 * @since 0.2
 */
public final class HttpSyntax {
    /** {@code tchar} of RFC 9110 §5.6.2, indexed by the character. Never written after init. */
    private static final boolean[] TCHAR = new boolean[128];

    static {
        for (char c = '0'; c <= '9'; c++) TCHAR[c] = true;
        for (char c = 'a'; c <= 'z'; c++) TCHAR[c] = true;
        for (char c = 'A'; c <= 'Z'; c++) TCHAR[c] = true;
        for (char c : "!#$%&'*+-.^_`|~".toCharArray()) TCHAR[c] = true;
    }

    /** Characters of a value {@link #quote} shows before it cuts the rest. */
    private static final int QUOTE_LIMIT = 80;

    private HttpSyntax() {}

    /** Returns whether {@code c} is a token character ({@code tchar}, RFC 9110 §5.6.2). */
    public static boolean isTokenChar(int c) {
        return c >= 0 && c < 128 && TCHAR[c];
    }

    /** Returns whether {@code s} is a non-empty token: a valid method or field name. */
    public static boolean isToken(String s) {
        if (s.isEmpty()) return false;
        for (int i = 0; i < s.length(); i++) {
            if (!isTokenChar(s.charAt(i))) return false;
        }
        return true;
    }

    /** Returns whether {@code c} may appear in field content: HTAB, SP, VCHAR or obs-text (RFC 9110 §5.5). */
    public static boolean isFieldChar(int c) {
        return c == '\t' || (c >= 0x20 && c != 0x7F && c <= 0xFF);
    }

    /**
     * Returns whether {@code s} may be sent as field content or a reason phrase: Latin-1 text
     * without control characters other than HTAB.
     */
    public static boolean isFieldText(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (!isFieldChar(s.charAt(i))) return false;
        }
        return true;
    }

    /** Returns whether {@code s} has the syntax {@code HTTP/DIGIT.DIGIT} (RFC 9112 §2.3). */
    public static boolean isHttpVersion(String s) {
        return s.length() == 8 && s.startsWith("HTTP/") && s.charAt(6) == '.'
                && isDigit(s.charAt(5)) && isDigit(s.charAt(7));
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    /**
     * Returns {@code s} in double quotes with control characters escaped and text beyond 80
     * characters cut, for error messages that show the offending value.
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
}
