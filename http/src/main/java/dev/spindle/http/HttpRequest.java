package dev.spindle.http;

import java.net.URI;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import javax.net.ssl.SSLContext;

/**
 * An HTTP request for the client to send: URL, method, headers, body and per-request settings
 * (Tornado: {@code tornado.httpclient.HTTPRequest}).
 *
 * {@snippet :
 * HttpRequest request = HttpRequest.builder("http://example.com/upload")
 *         .method("POST")
 *         .header("Content-Type", "application/json")
 *         .body("{\"name\": \"spindle\"}")
 *         .requestTimeout(Duration.ofSeconds(5))
 *         .build();
 * HttpResponse response = await(AsyncHttpClient.create().fetch(request));
 * }
 *
 * <p><b>Thread-safe:</b> immutable; may be shared by any threads and loops. Its callbacks run on
 * the loop of the client that fetches it.
 *
 * <table class="striped">
 * <caption>Settings and defaults</caption>
 * <tr><th>setting</th><th>default</th></tr>
 * <tr><td>method</td><td>{@code GET}</td></tr>
 * <tr><td>connect / request timeout</td><td>unset: the client's (20 s each, as in Tornado)</td></tr>
 * <tr><td>follow redirects, at most</td><td>yes, 5</td></tr>
 * <tr><td>decompress gzip and deflate responses</td><td>yes (sends {@code Accept-Encoding})</td></tr>
 * <tr><td>raise {@code HttpClientException} for non-2xx</td><td>yes</td></tr>
 * <tr><td>TLS context of {@code https} connections</td><td>unset: the client's (see
 *     {@code HttpClientOptions.withSslContext})</td></tr>
 * </table>
 *
 * <p>{@code http} and {@code https} URLs can be fetched. A user name and password in the URL
 * ({@code http://user:pw@host/}) become basic authentication, as {@link Builder#basicAuth} does.
 *
 * @since 0.1
 */
public final class HttpRequest {
    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0).asReadOnlyBuffer();
    private final URI uri;
    /** {@code uri}'s ASCII form, computed once: {@link URI#toASCIIString()} encodes on every call. */
    private final String url;
    private final String method;
    /** A read-only snapshot nobody else holds. */
    private final HttpHeaders headers;
    /** The body, or null for none. Never handed out: {@link #body()} copies. */
    private final byte[] body;
    private final Duration connectTimeout;
    private final Duration requestTimeout;
    private final boolean followRedirects;
    private final int maxRedirects;
    private final boolean decompressResponse;
    private final boolean raiseError;
    private final Consumer<byte[]> streamingCallback;
    private final Consumer<String> headerCallback;
    private final SSLContext sslContext;

    private HttpRequest(Builder b) {
        this.uri = b.uri;
        this.url = b.uri.toASCIIString();
        this.method = b.method;
        this.headers = b.headers.copy().unmodifiableView();
        this.body = b.body;
        this.connectTimeout = b.connectTimeout;
        this.requestTimeout = b.requestTimeout;
        this.followRedirects = b.followRedirects;
        this.maxRedirects = b.maxRedirects;
        this.decompressResponse = b.decompressResponse;
        this.raiseError = b.raiseError;
        this.streamingCallback = b.streamingCallback;
        this.headerCallback = b.headerCallback;
        this.sslContext = b.sslContext;
    }

    /**
     * Starts a request for {@code url}, a {@code GET} until {@link Builder#method} says otherwise.
     *
     * @throws IllegalArgumentException if {@code url} is malformed, neither {@code http} nor
     *     {@code https}, or has no host
     */
    public static Builder builder(String url) {
        return new Builder(RequestUrls.parse(url));
    }

    /** A {@code GET} of {@code url} with default settings. See {@link #builder}. */
    public static HttpRequest get(String url) {
        return builder(url).build();
    }

    /** A {@code HEAD} of {@code url}. See {@link #builder}. */
    public static HttpRequest head(String url) {
        return builder(url).method("HEAD").build();
    }

    /** A {@code DELETE} of {@code url}. See {@link #builder}. */
    public static HttpRequest delete(String url) {
        return builder(url).method("DELETE").build();
    }

    /** A {@code POST} of {@code body} to {@code url}. See {@link #builder}. */
    public static HttpRequest post(String url, byte[] body) {
        return builder(url).method("POST").body(body).build();
    }

    /** A {@code POST} of {@code body}, encoded in UTF-8, to {@code url}. See {@link #builder}. */
    public static HttpRequest post(String url, String body) {
        return builder(url).method("POST").body(body).build();
    }

    /** A {@code PUT} of {@code body} to {@code url}. See {@link #builder}. */
    public static HttpRequest put(String url, byte[] body) {
        return builder(url).method("PUT").body(body).build();
    }

    /** A builder holding this request's settings, to derive a changed copy. */
    public Builder toBuilder() {
        Builder b = new Builder(uri);
        b.method = method;
        for (int i = 0; i < headers.size(); i++) {
            b.headers.add(headers.name(i), headers.value(i));
        }
        b.body = body;
        b.connectTimeout = connectTimeout;
        b.requestTimeout = requestTimeout;
        b.followRedirects = followRedirects;
        b.maxRedirects = maxRedirects;
        b.decompressResponse = decompressResponse;
        b.raiseError = raiseError;
        b.streamingCallback = streamingCallback;
        b.headerCallback = headerCallback;
        b.sslContext = sslContext;
        return b;
    }

    /** The URL as given, in its ASCII form ({@code http[s]://host[:port]/path?query}). */
    public String url() {
        return url;
    }

    /** The URL as a {@link URI}: scheme {@code http} or {@code https}, a host, and a port if one was given. */
    public URI uri() {
        return uri;
    }

    /** The method, e.g. {@code GET}. */
    public String method() {
        return method;
    }

    /**
     * The headers set on the request, read-only. The client adds {@code Host},
     * {@code User-Agent}, {@code Accept-Encoding} and {@code Content-Length} when sending, unless
     * set here (except {@code Content-Length}, which is always the body's).
     */
    public HttpHeaders headers() {
        return headers;
    }

    /** A copy of the body, or null if the request has none. */
    public byte[] body() {
        return body == null ? null : body.clone();
    }

    /** Whether the request has a body (possibly empty). */
    public boolean hasBody() {
        return body != null;
    }

    /** The body as a read-only buffer, without copying; empty if the request has none. */
    public ByteBuffer bodyBuffer() {
        return body == null ? EMPTY.duplicate() : ByteBuffer.wrap(body).asReadOnlyBuffer();
    }

    /** The connect timeout, or empty for the client's default. */
    public Optional<Duration> connectTimeout() {
        return Optional.ofNullable(connectTimeout);
    }

    /** The request timeout, measured from the call to {@code fetch}, or empty for the client's default. */
    public Optional<Duration> requestTimeout() {
        return Optional.ofNullable(requestTimeout);
    }

    /** Whether 301, 302, 303, 307 and 308 responses are followed. */
    public boolean followRedirects() {
        return followRedirects;
    }

    /** The most redirects followed before the 3xx response counts as the final one. */
    public int maxRedirects() {
        return maxRedirects;
    }

    /** Whether gzip and deflate response bodies are decompressed. */
    public boolean decompressResponse() {
        return decompressResponse;
    }

    /** Whether a final response outside 2xx fails the fetch with {@code HttpClientException}. */
    public boolean raiseError() {
        return raiseError;
    }

    /** The consumer of body chunks, or empty if the body is collected in the response. */
    public Optional<Consumer<byte[]>> streamingCallback() {
        return Optional.ofNullable(streamingCallback);
    }

    /** The consumer of header lines, or empty. */
    public Optional<Consumer<String>> headerCallback() {
        return Optional.ofNullable(headerCallback);
    }

    /**
     * The TLS context this request's {@code https} connections use instead of the client's, or
     * empty for the client's. See {@link Builder#sslContext}.
     *
     * @since 0.2
     */
    public Optional<SSLContext> sslContext() {
        return Optional.ofNullable(sslContext);
    }

    /** Returns e.g. {@code HttpRequest[POST http://example.com/up, 12 bytes]}. */
    @Override
    public String toString() {
        return "HttpRequest[" + method + " " + url() + (body == null ? "" : ", " + body.length + " bytes") + "]";
    }

    /**
     * Collects the settings of an {@link HttpRequest}. Each setter checks its argument and throws
     * {@link IllegalArgumentException} (showing the value) or {@link NullPointerException} at once.
     *
     * <p><b>Not thread-safe:</b> a builder belongs to the code building the request.
     */
    public static final class Builder {
        private final URI uri;
        private final HttpHeaders headers = HttpHeaders.create();
        private String method = "GET";
        private byte[] body;
        private Duration connectTimeout;
        private Duration requestTimeout;
        private boolean followRedirects = true;
        private int maxRedirects = 5;
        private boolean decompressResponse = true;
        private boolean raiseError = true;
        private Consumer<byte[]> streamingCallback;
        private Consumer<String> headerCallback;
        private SSLContext sslContext;

        private Builder(URI uri) {
            this.uri = uri;
            String userInfo = uri.getUserInfo();
            if (userInfo != null) {
                int colon = userInfo.indexOf(':');
                basicAuth(colon < 0 ? userInfo : userInfo.substring(0, colon),
                        colon < 0 ? "" : userInfo.substring(colon + 1));
            }
        }

        /**
         * Sets the method, case-sensitive ({@code GET}, {@code POST}, {@code PATCH}, ...).
         *
         * @throws IllegalArgumentException if {@code method} is not an HTTP token
         */
        public Builder method(String method) {
            Objects.requireNonNull(method, "method");
            if (!HttpSyntax.isToken(method)) {
                throw new IllegalArgumentException("invalid method: \"" + method + "\"");
            }
            this.method = method;
            return this;
        }

        /**
         * Adds a header field, keeping others of that name.
         *
         * @throws IllegalArgumentException if the name is not a token, the value has CR, LF or
         *     NUL, or the name is {@code Content-Length} or {@code Transfer-Encoding}, which the
         *     client sets from the body
         */
        public Builder header(String name, String value) {
            checkNotFraming(name);
            headers.add(name, value);
            return this;
        }

        /** Replaces every header field named {@code name} with one. Checks as {@link #header}. */
        public Builder setHeader(String name, String value) {
            checkNotFraming(name);
            headers.set(name, value);
            return this;
        }

        /** Adds every field of {@code headers}, in order. Checks as {@link #header}. */
        public Builder headers(HttpHeaders headers) {
            Objects.requireNonNull(headers, "headers");
            for (int i = 0; i < headers.size(); i++) {
                header(headers.name(i), headers.value(i));
            }
            return this;
        }

        /** Sets the body (copied); sent with {@code Content-Length}. */
        public Builder body(byte[] body) {
            this.body = Objects.requireNonNull(body, "body").clone();
            return this;
        }

        /** Sets the body to {@code text} encoded in UTF-8. */
        public Builder body(String text) {
            this.body = Objects.requireNonNull(text, "text").getBytes(java.nio.charset.StandardCharsets.UTF_8);
            return this;
        }

        /**
         * Sets the time allowed to open a connection (Tornado: {@code connect_timeout}).
         *
         * @throws IllegalArgumentException if not positive
         */
        public Builder connectTimeout(Duration timeout) {
            this.connectTimeout = positive(timeout, "connectTimeout");
            return this;
        }

        /**
         * Sets the time allowed for the whole fetch, from the call to {@code fetch} until the
         * response is complete: time in the client's queue, connecting, redirects, and reading
         * the body (Tornado: {@code request_timeout}).
         *
         * @throws IllegalArgumentException if not positive
         */
        public Builder requestTimeout(Duration timeout) {
            this.requestTimeout = positive(timeout, "requestTimeout");
            return this;
        }

        /** Whether to follow 301, 302, 303, 307 and 308 redirects (default yes). */
        public Builder followRedirects(boolean follow) {
            this.followRedirects = follow;
            return this;
        }

        /**
         * Sets the most redirects to follow (default 5).
         *
         * @throws IllegalArgumentException if negative
         */
        public Builder maxRedirects(int max) {
            if (max < 0) {
                throw new IllegalArgumentException("maxRedirects < 0: " + max);
            }
            this.maxRedirects = max;
            return this;
        }

        /**
         * Whether to ask for and decompress gzip and deflate bodies (default yes). A decompressed
         * response loses its {@code Content-Encoding} header, which moves to
         * {@code X-Consumed-Content-Encoding} (as in Tornado).
         */
        public Builder decompressResponse(boolean decompress) {
            this.decompressResponse = decompress;
            return this;
        }

        /**
         * Hands the body to {@code callback} in chunks as they arrive (decompressed), instead of
         * collecting it: the response's body is then empty. Each chunk is a new array the
         * callback may keep. It runs on the client's loop and must not block; if it throws, the
         * fetch fails with that exception. Not called for the bodies of redirects that are followed.
         */
        public Builder streamingCallback(Consumer<byte[]> callback) {
            this.streamingCallback = Objects.requireNonNull(callback, "callback");
            return this;
        }

        /**
         * Hands the final response's head to {@code callback} line by line, as Tornado's
         * {@code header_callback}: the status line, each field line, then an empty line, each
         * ending in CRLF ({@code "HTTP/1.1 200 OK\r\n"}, {@code "Content-Type: text/plain\r\n"},
         * {@code "\r\n"}). It runs on the client's loop before any body chunk; if it throws, the
         * fetch fails with that exception.
         */
        public Builder headerCallback(Consumer<String> callback) {
            this.headerCallback = Objects.requireNonNull(callback, "callback");
            return this;
        }

        /**
         * Sets {@code Authorization: Basic ...} for {@code user} and {@code password}, UTF-8
         * encoded (RFC 7617). Replaces credentials from the URL. Dropped when a redirect leads to
         * another host or port.
         *
         * @throws IllegalArgumentException if {@code user} contains a colon
         */
        public Builder basicAuth(String user, String password) {
            Objects.requireNonNull(user, "user");
            Objects.requireNonNull(password, "password");
            if (user.indexOf(':') >= 0) {
                throw new IllegalArgumentException("a basic-auth user name cannot contain ':': \"" + user + "\"");
            }
            byte[] pair = (user + ":" + password).getBytes(java.nio.charset.StandardCharsets.UTF_8);
            headers.set("Authorization", "Basic " + java.util.Base64.getEncoder().encodeToString(pair));
            return this;
        }

        /**
         * Whether a final response outside 2xx fails the fetch with {@code HttpClientException}
         * (default yes, Tornado's {@code raise_error}). Other failures (refused connections,
         * timeouts, malformed responses) fail it either way.
         */
        public Builder raiseError(boolean raise) {
            this.raiseError = raise;
            return this;
        }

        /**
         * Sets the TLS context of this request's {@code https} connections, instead of the
         * client's ({@code HttpClientOptions.withSslContext}): its trust managers say which
         * certificates are trusted (a private CA, say), its key managers which certificate the
         * client shows if the server asks for one. The server's certificate is still verified,
         * host name included, unless the client's TLS settings turned verification off. It
         * applies to every connection of the request, redirects included; connections made with
         * it are pooled apart from the client's own, and reused only by requests with the same
         * context object.
         *
         * @since 0.2
         */
        public Builder sslContext(SSLContext context) {
            this.sslContext = Objects.requireNonNull(context, "context");
            return this;
        }

        /**
         * Builds the request.
         *
         * @throws IllegalArgumentException if a {@code GET} or {@code HEAD} request has a body
         */
        public HttpRequest build() {
            if (body != null && (method.equals("GET") || method.equals("HEAD"))) {
                throw new IllegalArgumentException("a " + method + " request cannot have a body (" + body.length
                        + " bytes given): use POST or PUT, or drop the body");
            }
            return new HttpRequest(this);
        }

        private static void checkNotFraming(String name) {
            Objects.requireNonNull(name, "name");
            if (name.equalsIgnoreCase("Content-Length") || name.equalsIgnoreCase("Transfer-Encoding")) {
                throw new IllegalArgumentException(name + " is set by the client from the body; do not set it");
            }
        }

        private static Duration positive(Duration d, String what) {
            Objects.requireNonNull(d, what);
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException(what + " must be positive: " + d);
            }
            return d;
        }
    }
}
