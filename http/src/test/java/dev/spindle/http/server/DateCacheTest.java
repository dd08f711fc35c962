package dev.spindle.http.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class DateCacheTest {
    @Test
    void formatsImfFixdateWithAZeroPaddedDay() {
        AtomicLong now = new AtomicLong(784_111_777_000L); // RFC 9110's example instant
        DateCache dates = new DateCache(now::get);
        assertEquals("Sun, 06 Nov 1994 08:49:37 GMT", dates.value());
        assertEquals("Date: Sun, 06 Nov 1994 08:49:37 GMT\r\n", new String(dates.line(), StandardCharsets.ISO_8859_1));
    }

    @Test
    void formatsOncePerSecond() {
        AtomicLong now = new AtomicLong(784_111_777_000L);
        DateCache dates = new DateCache(now::get);
        byte[] first = dates.line();
        now.set(784_111_777_999L);
        assertSame(first, dates.line());
        now.set(784_111_778_000L);
        assertNotSame(first, dates.line());
        assertEquals("Sun, 06 Nov 1994 08:49:38 GMT", dates.value());
    }

    @Test
    void toStringShowsTheCachedValue() {
        DateCache dates = new DateCache(() -> 0);
        assertEquals("DateCache[empty]", dates.toString());
        dates.line();
        assertEquals("DateCache[Thu, 01 Jan 1970 00:00:00 GMT]", dates.toString());
    }
}
