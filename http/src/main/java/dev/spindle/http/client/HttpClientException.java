package dev.spindle.http.client;

import dev.spindle.http.HttpResponse;
import java.util.Objects;

/**
 * The server answered, but not with success: the final response (after redirects) has a status
 * outside 2xx (Tornado: {@code tornado.httpclient.HTTPClientError}). Carries that response.
 *
 * {@snippet :
 * try {
 *     await(client.fetch(url));
 * } catch (HttpClientException e) {
 *     if (e.code() == 404) { ... }          // e.response().bodyText() has the error page
 * }
 * }
 *
 * <p><b>Thread-safe:</b> immutable once thrown.
 *
 * <p>Raised only for real responses, so {@link #code()} is always a status the server sent;
 * unlike Tornado there is no pseudo-status 599. Failures without a response keep their own
 * types: {@link HttpTimeoutException} for timeouts, {@link java.net.ConnectException} for a
 * refused connection, {@link dev.spindle.runtime.net.StreamClosedException} for a connection
 * lost before the response, {@link dev.spindle.http.HttpInputException} for a malformed one.
 * A request built with {@code raiseError(false)} gets non-2xx responses as values instead.
 *
 * @since 0.1
 */
public final class HttpClientException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** The response; not serialised. */
    private final transient HttpResponse response;
    private final int code;

    /**
     * Creates the exception for {@code response}, with the message {@code "HTTP 404: Not Found"}.
     */
    public HttpClientException(HttpResponse response) {
        this(response, null);
    }

    /**
     * Creates the exception with a detail appended to the message:
     * {@code "HTTP 302: Found (too many redirects: 5)"}.
     *
     * @param detail more about what went wrong, or null
     */
    public HttpClientException(HttpResponse response, String detail) {
        super("HTTP " + Objects.requireNonNull(response, "response").code() + ": " + response.reason()
                + (detail == null ? "" : " (" + detail + ")"));
        this.response = response;
        this.code = response.code();
    }

    /** The status code of the response. */
    public int code() {
        return code;
    }

    /** The response, body included. */
    public HttpResponse response() {
        return response;
    }
}
