package dev.spindle.http.client;

import dev.spindle.http.HttpHeaders;
import dev.spindle.http.HttpRequest;
import java.net.URI;
import java.nio.ByteBuffer;
import java.util.Locale;
import java.util.Set;

/**
 * One request as it goes on the wire: the caller's, or the follow-up a redirect led to (OkHttp:
 * the {@code Request} of a follow-up).
 *
 * <p><b>Thread-safe:</b> immutable once made (its headers are read-only and its body is never
 * consumed: senders write a duplicate).
 */
final class OutgoingRequest {
    /** RFC 9110 §9.2.2; a failure on a reused connection before any response byte is retried for these. */
    private static final Set<String> IDEMPOTENT = Set.of("GET", "HEAD", "PUT", "DELETE", "OPTIONS", "TRACE");

    private final URI uri;
    private final String url;
    private final String method;
    private final HttpHeaders headers;
    private final ByteBuffer body;
    private final String origin;

    /**
     * @param uri an http URI with a host
     * @param url its ASCII form
     * @param headers the caller's headers, read-only
     * @param body the body, read-only; null for none
     */
    OutgoingRequest(URI uri, String url, String method, HttpHeaders headers, ByteBuffer body) {
        this.uri = uri;
        this.url = url;
        this.method = method;
        this.headers = headers;
        this.body = body;
        this.origin = originOf(uri);
    }

    static OutgoingRequest of(HttpRequest request) {
        return new OutgoingRequest(request.uri(), request.url(), request.method(), request.headers(),
                request.hasBody() ? request.bodyBuffer() : null);
    }

    URI uri() {
        return uri;
    }

    String method() {
        return method;
    }

    HttpHeaders headers() {
        return headers;
    }

    ByteBuffer body() {
        return body;
    }

    String host() {
        return uri.getHost();
    }

    int port() {
        return uri.getPort() < 0 ? 80 : uri.getPort();
    }

    /** The pool's key: {@code host:port}, host in lower case. */
    String origin() {
        return origin;
    }

    static String originOf(URI uri) {
        return uri.getHost().toLowerCase(Locale.ROOT) + ":" + (uri.getPort() < 0 ? 80 : uri.getPort());
    }

    /** The {@code Host} field: host, and the port if the URL has one. */
    String hostHeader() {
        return uri.getPort() < 0 ? host() : host() + ":" + uri.getPort();
    }

    /** The request target: path (at least "/") and query. */
    String target() {
        String path = uri.getRawPath();
        String query = uri.getRawQuery();
        return (path == null || path.isEmpty() ? "/" : path) + (query == null ? "" : "?" + query);
    }

    boolean idempotent() {
        return IDEMPOTENT.contains(method);
    }

    String url() {
        return url;
    }

    @Override
    public String toString() {
        return method + " " + url;
    }
}
