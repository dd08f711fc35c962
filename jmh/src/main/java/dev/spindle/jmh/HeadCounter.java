package dev.spindle.jmh;

import java.nio.ByteBuffer;

/**
 * Finds the ends of request heads ({@code \r\n\r\n}) in a byte stream fed in pieces, for the
 * servers that do not parse HTTP: a head split across reads is still found once.
 *
 * <p><b>Thread-safe:</b> no; one per connection, used by the thread that reads it.
 */
final class HeadCounter {
    /** How many bytes of {@code \r\n\r\n} the bytes fed so far end with. */
    private int matched;

    /** Feeds the first {@code length} bytes of {@code bytes}; returns how many heads ended in them. */
    int feed(ByteBuffer bytes, int length) {
        int heads = 0;
        int m = matched;
        for (int i = 0; i < length; i++) {
            byte b = bytes.get(i);
            m = b == (m % 2 == 0 ? '\r' : '\n') ? m + 1 : b == '\r' ? 1 : 0;
            if (m == 4) {
                heads++;
                m = 0;
            }
        }
        matched = m;
        return heads;
    }

    @Override
    public String toString() {
        return "HeadCounter[matched " + matched + "]";
    }
}
