package dev.spindle.http.server;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * The {@code Date} header line of responses, formatted at most once per second (RFC 9110
 * §5.6.7 IMF-fixdate, e.g. {@code Date: Sun, 06 Nov 1994 08:49:37 GMT}).
 *
 * <p><b>Loop-confined:</b> one instance per server, used on its loop only.
 */
final class DateCache {
    private static final DateTimeFormatter IMF_FIXDATE =
            DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US).withZone(ZoneOffset.UTC);

    /** The wall clock in epoch milliseconds; injected so that tests need not wait for seconds to pass. */
    private final LongSupplier millis;
    /** The epoch second {@link #line} was formatted for. Loop-confined. */
    private long second = Long.MIN_VALUE;
    /** {@code "Date: ...\r\n"} for {@link #second}; never modified once made. Loop-confined. */
    private byte[] line;

    DateCache(LongSupplier millis) {
        this.millis = millis;
    }

    /** The header line, CRLF included, for the current second; do not modify it. */
    byte[] line() {
        long now = Math.floorDiv(millis.getAsLong(), 1000);
        if (now != second) {
            line = ("Date: " + IMF_FIXDATE.format(Instant.ofEpochSecond(now)) + "\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1);
            second = now;
        }
        return line;
    }

    /** The header value for the current second, e.g. {@code Sun, 06 Nov 1994 08:49:37 GMT}. */
    String value() {
        byte[] l = line();
        return new String(l, 6, l.length - 8, StandardCharsets.ISO_8859_1);
    }

    @Override
    public String toString() {
        return "DateCache[" + (line == null ? "empty" : value()) + "]";
    }
}
