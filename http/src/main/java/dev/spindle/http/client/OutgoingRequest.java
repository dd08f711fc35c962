package dev.spindle.http.client;

import dev.spindle.http.HttpHeaders;
import dev.spindle.http.HttpRequest;
import java.net.URI;
import java.nio.ByteBuffer;
import java.util.Set;
import javax.net.ssl.SSLContext;

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
    /** The caller's TLS context for https connections, kept across redirects; null for the client's. */
    private final SSLContext sslContext;
    private final Origin origin;

    /**
     * @param uri an http or https URI with a host
     * @param url its ASCII form
     * @param headers the caller's headers, read-only
     * @param body the body, read-only; null for none
     * @param sslContext the request's own TLS context; null for the client's
     */
    OutgoingRequest(URI uri, String url, String method, HttpHeaders headers, ByteBuffer body, SSLContext sslContext) {
        this.uri = uri;
        this.url = url;
        this.method = method;
        this.headers = headers;
        this.body = body;
        this.sslContext = sslContext;
        this.origin = Origin.of(uri, sslContext);
    }

    static OutgoingRequest of(HttpRequest request) {
        return new OutgoingRequest(request.uri(), request.url(), request.method(), request.headers(),
                request.hasBody() ? request.bodyBuffer() : null, request.sslContext().orElse(null));
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

    SSLContext sslContext() {
        return sslContext;
    }

    String host() {
        return uri.getHost();
    }

    /** The port: the URL's, or the scheme's default (80, 443). */
    int port() {
        return origin.port();
    }

    /** The pool's key: scheme, host in lower case, port, and the request's own TLS context. */
    Origin origin() {
        return origin;
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
