package dev.spindle.http.server;

import dev.spindle.http.RequestStartLine;
import dev.spindle.http.StartLine;
import dev.spindle.runtime.IOLoop;
import dev.spindle.runtime.internal.Log;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;

/**
 * The access log of a server: one line per request on {@code spindle.access}, in Tornado's
 * format ({@code 200 GET /path?q (127.0.0.1) 0.42ms}), at INFO below 400, WARNING for 4xx and
 * ERROR for 5xx. A request whose client went away before its response was complete is logged
 * {@value #CLIENT_CLOSED} (nginx's "client closed request"); a request rejected as malformed with
 * the status it got, and {@code -} for what could not be parsed.
 *
 * <p><b>Loop-confined:</b> one per server, used on its loop. The line is built only when the
 * logger takes its level, with no {@code String.format}.
 */
final class AccessLog {
    /** The status logged for a request whose client closed the connection before the response was complete. */
    static final int CLIENT_CLOSED = 499;

    private final IOLoop loop;
    /**
     * The last client address logged and its text: requests come in runs per connection, and
     * formatting an address costs more than the rest of the line. Loop-confined.
     */
    private InetAddress lastAddress;
    private String lastAddressText;

    AccessLog(IOLoop loop) {
        this.loop = loop;
    }

    /** Loop time to measure a request from, or 0 when nothing is logged at all. */
    long start() {
        return Log.ACCESS.isLoggable(System.Logger.Level.ERROR) ? loop.time() : 0;
    }

    /** Logs a request that began at {@code started} (from {@link #start()}; 0 logs nothing). */
    void log(long started, int status, RequestStartLine line, SocketAddress from) {
        if (started == 0) {
            return;
        }
        System.Logger.Level level = levelOf(status);
        if (Log.ACCESS.isLoggable(level)) {
            StringBuilder sb = new StringBuilder(64).append(status).append(' ');
            appendLine(sb, line);
            sb.append(" (").append(addressText(from)).append(") ");
            appendMillis(sb, loop.time() - started);
            Log.ACCESS.log(level, sb.toString());
        }
    }

    /** The text of {@code from}, remembered for the next request from the same address object. */
    private String addressText(SocketAddress from) {
        if (!(from instanceof InetSocketAddress a) || a.getAddress() == null) {
            return address(from);
        } else if (a.getAddress() != lastAddress) {
            lastAddressText = address(from);
            lastAddress = a.getAddress();
        }
        return lastAddressText;
    }

    /** The client's IP address as text ({@code 127.0.0.1}), or the address as it prints itself. */
    private static String address(SocketAddress from) {
        return from instanceof InetSocketAddress a && a.getAddress() != null
                ? a.getAddress().getHostAddress() : String.valueOf(from);
    }

    /** Logs a request rejected as malformed; {@code line} is what was parsed of it, or null. */
    void rejected(long started, int status, StartLine line, SocketAddress from) {
        log(started, status, line instanceof RequestStartLine r ? r : null, from);
    }

    private static System.Logger.Level levelOf(int status) {
        return status < 400 ? System.Logger.Level.INFO : status < 500 ? System.Logger.Level.WARNING
                : System.Logger.Level.ERROR;
    }

    /** {@code GET /path?q (address)}, as in Tornado's access log; {@code - (address)} without a request line. */
    static StringBuilder appendRequest(StringBuilder sb, RequestStartLine line, SocketAddress from) {
        appendLine(sb, line);
        return sb.append(" (").append(address(from)).append(')');
    }

    /** {@code GET /path?q}, or {@code -} without a request line. */
    private static void appendLine(StringBuilder sb, RequestStartLine line) {
        if (line == null) {
            sb.append('-');
        } else {
            sb.append(line.method()).append(' ').append(line.target());
        }
    }

    /** Appends {@code nanos} as milliseconds with two decimals: {@code 12.34ms}. */
    static void appendMillis(StringBuilder sb, long nanos) {
        long hundredths = Math.max(0, (nanos + 5_000) / 10_000);
        long fraction = hundredths % 100;
        sb.append(hundredths / 100).append('.').append(fraction < 10 ? "0" : "").append(fraction).append("ms");
    }

    @Override
    public String toString() {
        return "AccessLog[" + (Log.ACCESS.isLoggable(System.Logger.Level.INFO) ? "on" : "off") + "]";
    }
}
