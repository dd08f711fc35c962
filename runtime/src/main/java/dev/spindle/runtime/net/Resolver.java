package dev.spindle.runtime.net;

import dev.spindle.runtime.IOLoop;
import java.net.InetAddress;
import java.util.concurrent.CompletableFuture;

/**
 * Turns host names into addresses without blocking the loop (Tornado: {@code
 * tornado.netutil.DefaultLoopResolver}).
 *
 * <p><b>Thread-safe:</b> may be called from any thread; the future completes on the loop.
 */
final class Resolver {
    private Resolver() {}

    /**
     * The addresses of {@code host}. IP literals and {@code localhost} are answered at once,
     * without a lookup; other names are looked up on a platform thread of
     * {@link IOLoop#runInExecutor}, and an unknown host fails with the JDK's
     * {@link java.net.UnknownHostException}.
     */
    static CompletableFuture<InetAddress[]> resolve(IOLoop loop, String host) {
        InetAddress now = immediate(host);
        if (now != null) {
            return CompletableFuture.completedFuture(new InetAddress[] {now});
        }
        return loop.runInExecutor(null, () -> InetAddress.getAllByName(host));
    }

    /** The address of an IP literal or {@code localhost}, found without any lookup; else null. */
    static InetAddress immediate(String host) {
        if (host.equalsIgnoreCase("localhost")) {
            return InetAddress.getLoopbackAddress();
        }
        char c = host.isEmpty() ? 'x' : host.charAt(0);
        if (Character.digit(c, 16) < 0 && c != ':' && c != '[') {
            return null; // Cannot be a literal; spare the exception.
        }
        try {
            String literal = c == '[' && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
            return InetAddress.ofLiteral(literal);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
