package dev.spindle.http.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.spindle.http.RequestStartLine;
import dev.spindle.runtime.IOLoop;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;

class AccessLogTest {
    private static String millis(long nanos) {
        StringBuilder sb = new StringBuilder();
        AccessLog.appendMillis(sb, nanos);
        return sb.toString();
    }

    @Test
    void durationsAreMillisecondsWithTwoDecimalsRounded() {
        assertEquals("0.00ms", millis(0));
        assertEquals("0.00ms", millis(4_999));
        assertEquals("0.01ms", millis(5_000));
        assertEquals("12.35ms", millis(12_345_678));
        assertEquals("1000.00ms", millis(1_000_000_000));
        assertEquals("0.00ms", millis(-7));
    }

    @Test
    void theRequestIsShownAsTornadoDoesAndADashWhenNothingWasParsed() {
        InetSocketAddress from = new InetSocketAddress("127.0.0.1", 4242);
        assertEquals("GET /a?b=1 (127.0.0.1)", AccessLog.appendRequest(new StringBuilder(),
                new RequestStartLine("GET", "/a?b=1", "HTTP/1.1"), from).toString());
        assertEquals("- (127.0.0.1)", AccessLog.appendRequest(new StringBuilder(), null, from).toString());
    }

    @Test
    void toStringSaysWhetherTheLogIsOn() {
        try (IOLoop loop = IOLoop.create()) {
            String s = new AccessLog(loop).toString();
            assertEquals(true, s.equals("AccessLog[on]") || s.equals("AccessLog[off]"), s);
        }
    }
}
