package dev.spindle.jmh;

import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * The hello-world answer of the servers without a framework of their own: {@code 200} with
 * {@code Date} (formatted at most once per second, as every server here does), {@code
 * Content-Type}, {@code Content-Length: 12} and {@code Hello, world}; and the {@code Date} value
 * for the frameworks that do not send one by default.
 *
 * <p><b>Thread-safe:</b> may be called from any thread; a racy refresh only formats twice.
 */
final class HelloResponse {
    static final String BODY = "Hello, world";
    static final String CONTENT_TYPE = "text/plain; charset=utf-8";
    private static final DateTimeFormatter DATE =
            DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US);

    /** The second a snapshot was made for, its Date value and whole response. */
    private record Snapshot(long second, String date, byte[] bytes) {}

    /** The current snapshot; replaced by whoever first sees a new second. */
    private static volatile Snapshot current = snapshot(-1);

    private HelloResponse() {}

    /** The whole response, head and body, for this second. */
    static byte[] bytes() {
        return fresh().bytes;
    }

    /** The {@code Date} field value for this second. */
    static String date() {
        return fresh().date;
    }

    private static Snapshot fresh() {
        long second = System.currentTimeMillis() / 1000;
        Snapshot s = current;
        if (s.second != second) {
            current = s = snapshot(second);
        }
        return s;
    }

    private static Snapshot snapshot(long second) {
        String date = DATE.format(ZonedDateTime.now(ZoneOffset.UTC));
        String head = "HTTP/1.1 200 OK\r\nDate: " + date + "\r\nContent-Type: " + CONTENT_TYPE
                + "\r\nContent-Length: " + BODY.length() + "\r\n\r\n";
        return new Snapshot(second, date, (head + BODY).getBytes(StandardCharsets.ISO_8859_1));
    }
}
