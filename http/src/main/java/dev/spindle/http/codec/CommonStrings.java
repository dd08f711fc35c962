package dev.spindle.http.codec;

/**
 * The strings that nearly every message repeats, methods and common field names, handed out as
 * shared constants instead of decoded anew for each message: no allocation for them, and field
 * lookups ({@code equalsIgnoreCase}, which first compares references) find them at once. A name
 * is shared only when its bytes are exactly the constant's; any other spelling is decoded as
 * sent, so what a handler sees does not change.
 *
 * <p><b>Thread-safe:</b> may be called from any thread (immutable).
 */
final class CommonStrings {
    private static final String[][] METHODS = byLength("GET", "HEAD", "POST", "PUT", "DELETE", "OPTIONS", "PATCH",
            "CONNECT", "TRACE");
    private static final String[][] FIELD_NAMES = byLength("Host", "host", "Connection", "connection",
            "Content-Length", "content-length", "Content-Type", "content-type", "Transfer-Encoding",
            "transfer-encoding", "Accept", "accept", "Accept-Encoding", "accept-encoding", "Accept-Language",
            "User-Agent", "user-agent", "Expect", "Cookie", "cookie", "Authorization", "authorization",
            "Cache-Control", "Upgrade", "Origin", "Referer", "If-None-Match", "If-Modified-Since", "Keep-Alive",
            "Pragma", "Date", "Server", "Location", "Content-Encoding", "Set-Cookie", "ETag", "Last-Modified", "Vary",
            "Range", "Accept-Ranges", "X-Forwarded-For", "X-Request-Id");

    private CommonStrings() {}

    /** The method {@code a[start, end)}: a shared constant for the standard ones. */
    static String method(byte[] a, int start, int end) {
        return lookUp(METHODS, a, start, end);
    }

    /** The field name {@code a[start, end)}: a shared constant for common ones spelt as usual. */
    static String fieldName(byte[] a, int start, int end) {
        return lookUp(FIELD_NAMES, a, start, end);
    }

    private static String lookUp(String[][] table, byte[] a, int start, int end) {
        int n = end - start;
        if (n < table.length) {
            for (String s : table[n]) {
                if (sameBytes(s, a, start)) {
                    return s;
                }
            }
        }
        return Ascii.decode(a, start, end);
    }

    /** Whether the ASCII string {@code s} is spelt by the bytes from {@code a[start]} on, which are at least as many. */
    private static boolean sameBytes(String s, byte[] a, int start) {
        for (int i = 0; i < s.length(); i++) {
            if (a[start + i] != s.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /** The strings grouped by length: {@code [n]} holds those of length n. */
    private static String[][] byLength(String... strings) {
        int longest = 0;
        for (String s : strings) {
            longest = Math.max(longest, s.length());
        }
        String[][] table = new String[longest + 1][];
        for (int n = 0; n <= longest; n++) {
            int length = n;
            table[n] = java.util.Arrays.stream(strings).filter(s -> s.length() == length).toArray(String[]::new);
        }
        return table;
    }
}
