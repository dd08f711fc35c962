package dev.spindle.http.client;

import java.net.URI;
import java.util.Locale;
import javax.net.ssl.SSLContext;

/**
 * Where a request's connection goes, and the key of the connection pool (OkHttp:
 * {@code Address}): the scheme, the host in lower case, the port (the scheme's default when the
 * URL gives none) and, for {@code https}, the request's own {@link SSLContext} if it has one.
 * Requests share a connection only if their origins are equal: never an {@code https} request
 * on a plain connection or the reverse, and never a request with a context of its own on a
 * connection verified with another.
 *
 * <p><b>Thread-safe:</b> immutable.
 *
 * @param scheme {@code "http"} or {@code "https"}, lower case
 * @param host the host, lower case
 * @param port the port, 1..65535
 * @param sslContext the request's own context for {@code https}; null for the client's, and always for {@code http}
 */
record Origin(String scheme, String host, int port, SSLContext sslContext) {
    /** The origin of {@code uri}, an http or https URI with a host; {@code sslContext} counts for https only. */
    static Origin of(URI uri, SSLContext sslContext) {
        String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
        boolean secure = scheme.equals("https");
        int port = uri.getPort() < 0 ? (secure ? 443 : 80) : uri.getPort();
        return new Origin(scheme, uri.getHost().toLowerCase(Locale.ROOT), port, secure ? sslContext : null);
    }

    /** Whether connections to it speak TLS. */
    boolean secure() {
        return scheme.equals("https");
    }

    /** {@code host:port}, as messages name the peer. */
    String authority() {
        return host + ":" + port;
    }

    /** Returns e.g. {@code https://example.com:443}, and {@code (own SSLContext)} for a request's own context. */
    @Override
    public String toString() {
        return scheme + "://" + host + ":" + port + (sslContext != null ? " (own SSLContext)" : "");
    }
}
