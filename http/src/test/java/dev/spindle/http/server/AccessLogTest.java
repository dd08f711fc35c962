package dev.spindle.http.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.spindle.http.RequestStartLine;
import dev.spindle.runtime.IOLoop;
import dev.spindle.runtime.testing.LogRecorder;
import java.net.InetSocketAddress;
import java.util.List;
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
    void eachLineNamesItsOwnClientAddressAsTheyAlternate() throws Exception {
        InetSocketAddress a = new InetSocketAddress("127.0.0.1", 4242);
        InetSocketAddress b = new InetSocketAddress("127.0.0.2", 4243);
        InetSocketAddress v6 = new InetSocketAddress(java.net.InetAddress.getByName("::1"), 4244);
        RequestStartLine line = new RequestStartLine("GET", "/", "HTTP/1.1");
        try (IOLoop loop = IOLoop.create(); LogRecorder log = LogRecorder.of("spindle.access")) {
            AccessLog access = new AccessLog(loop);
            for (InetSocketAddress from : List.of(a, a, b, a, v6, v6)) {
                access.log(loop.time(), 200, line, from);
            }
            List<String> addresses = log.takeAllMessages().stream()
                    .map(m -> m.substring(m.indexOf('(') + 1, m.indexOf(')'))).toList();
            assertEquals(List.of("127.0.0.1", "127.0.0.1", "127.0.0.2", "127.0.0.1", "0:0:0:0:0:0:0:1", "0:0:0:0:0:0:0:1"),
                    addresses);
        }
    }

    @Test
    void toStringSaysWhetherTheLogIsOn() {
        try (IOLoop loop = IOLoop.create()) {
            String s = new AccessLog(loop).toString();
            assertEquals(true, s.equals("AccessLog[on]") || s.equals("AccessLog[off]"), s);
        }
    }
}
