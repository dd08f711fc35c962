package dev.spindle.http;

import java.util.Objects;

/**
 * The request line of an HTTP/1.x request: method, request target and version (Tornado:
 * {@code httputil.RequestStartLine}).
 *
 * <p><b>Thread-safe:</b> may be called from any thread (immutable).
 *
 * <p>The compact constructor checks the syntax of RFC 9112 §3: the method is a token, the
 * target is non-empty visible ASCII without spaces, the version is {@code HTTP/DIGIT.DIGIT}.
 * It does not check that the version is supported or that the target has a particular form.
 *
 * @param method the method, case-sensitive ({@code "GET"})
 * @param target the request target as sent ({@code "/path?q=1"}, {@code "*"}, an absolute URI)
 * @param version the protocol version ({@code "HTTP/1.1"})
 * @since 0.1
 */
public record RequestStartLine(String method, String target, String version) implements StartLine {
    /**
     * Checks the three parts.
     *
     * @throws NullPointerException if a part is null
     * @throws IllegalArgumentException if a part is malformed; the message shows it
     */
    public RequestStartLine {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(version, "version");
        if (!HttpSyntax.isToken(method)) {
            throw new IllegalArgumentException("invalid method: " + HttpSyntax.quote(method));
        }
        if (!isTarget(target)) {
            throw new IllegalArgumentException("invalid request target: " + HttpSyntax.quote(target));
        }
        if (!HttpSyntax.isHttpVersion(version)) {
            throw new IllegalArgumentException("invalid HTTP version: " + HttpSyntax.quote(version));
        }
    }

    private static boolean isTarget(String s) {
        if (s.isEmpty()) return false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c <= 0x20 || c >= 0x7F) return false;
        }
        return true;
    }

    /** Returns {@code "METHOD target VERSION"}, the line as sent on the wire. */
    @Override
    public String toString() {
        return method + ' ' + target + ' ' + version;
    }
}
