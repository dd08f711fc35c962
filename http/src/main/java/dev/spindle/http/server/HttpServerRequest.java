package dev.spindle.http.server;

import dev.spindle.http.HttpHeaders;
import dev.spindle.http.RequestStartLine;
import dev.spindle.runtime.net.TlsStream;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.Charset;
import java.nio.charset.IllegalCharsetNameException;
import java.nio.charset.StandardCharsets;
import java.nio.charset.UnsupportedCharsetException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import javax.net.ssl.SSLSession;

/**
 * A request as an {@link HttpHandler} sees it: start line, headers, path and query
 * parameters, and the body, read whole or streamed (Tornado: {@code HTTPServerRequest}).
 * <b>Loop-confined:</b> call only from a coroutine or callback of the owning
 * {@link dev.spindle.runtime.IOLoop}, normally the handler itself; the body can be read only
 * while the handler runs.
 *
 * {@snippet :
 * server.post("/users/{id}/avatar", (request, response) -> {
 *     String id = request.pathParam("id");              // decoded
 *     String size = request.queryParam("size");         // null when absent
 *     byte[] image = request.body();                    // parks until the body is in
 *     response.send(store(id, size, image));
 * });
 * }
 *
 * <p><b>The body</b> is read when the handler asks for it, not before: {@link #body()} or
 * {@link #bodyText()} for the whole of it, or {@link #readChunk()} piece by piece (not both).
 * Asking for it first sends {@code 100 Continue} to a client that expects one. Every body is
 * bounded by {@link HttpServerOptions#maxBodySize()}: a larger one fails the
 * read with {@link dev.spindle.http.HttpInputException} (413) and, if the handler lets it
 * propagate, the client gets 413. What the handler leaves unread is drained after it returns
 * when that is cheap, otherwise the connection closes.
 */
public final class HttpServerRequest {
    private final RequestStartLine line;
    private final HttpHeaders headers;
    private final SocketAddress remote;
    private final RequestBody body;
    private final Http1ServerConnection conn;
    /** The path part of the target, as received. */
    private final String path;
    /** Decoded path parameters of the matched route. Set once by the exchange. */
    private Map<String, String> pathParams = Map.of();
    /** Decoded query parameters; parsed on first use. Loop-confined. */
    private Map<String, List<String>> query;
    /** The body read by {@link #body()}; null before. Loop-confined. */
    private byte[] bytes;
    /** Whether {@link #readChunk()} was used. Loop-confined. */
    private boolean streamed;
    /** The get_argument family's state; made on first use. Loop-confined. */
    private RequestArguments arguments;

    HttpServerRequest(RequestStartLine line, HttpHeaders headers, SocketAddress remote, RequestBody body,
            Http1ServerConnection conn) {
        this.line = line;
        this.headers = headers;
        this.remote = remote;
        this.body = body;
        this.conn = conn;
        this.path = pathOf(line.target());
    }

    /** The path of a target in origin form ({@code /a?b}), absolute form ({@code http://h/a?b}) or other ({@code *}). */
    static String pathOf(String target) {
        int from = 0;
        if (target.charAt(0) != '/') {
            int scheme = target.indexOf("://");
            if (scheme < 0) {
                return target;
            }
            from = target.indexOf('/', scheme + 3);
            if (from < 0) {
                return "/";
            }
        }
        int q = target.indexOf('?', from);
        return q < 0 ? (from == 0 ? target : target.substring(from)) : target.substring(from, q);
    }

    /** The method, e.g. {@code GET}; case-sensitive as sent. */
    public String method() {
        return line.method();
    }

    /** The request target as sent, e.g. {@code /search?q=tornado} (Tornado: {@code uri}). */
    public String target() {
        return line.target();
    }

    /** The path of the target, percent-encoded as sent, without the query (Tornado: {@code path}). */
    public String path() {
        return path;
    }

    /** The query string of the target without {@code ?}, as sent; empty if none (Tornado: {@code query}). */
    public String query() {
        String t = line.target();
        int q = t.indexOf('?');
        return q < 0 ? "" : t.substring(q + 1);
    }

    /** The first value of query parameter {@code name} (decoded, {@code +} as space), or null. */
    public String queryParam(String name) {
        List<String> values = queryParams().get(name);
        return values == null ? null : values.getFirst();
    }

    /** Every query parameter with its values, in order, decoded; unmodifiable (Tornado: {@code query_arguments}). */
    public Map<String, List<String>> queryParams() {
        if (query == null) {
            query = dev.spindle.http.FormDecoder.parseLenient(query());
        }
        return query;
    }

    /**
     * The last value of argument {@code name}, from the query or the form body, or null if
     * there is none (Tornado: {@code get_argument(name, None)}); see {@link #arguments()}.
     *
     * <p><b>Suspension:</b> may park to read the body, as {@link #body()}.
     *
     * @throws dev.spindle.http.HttpInputException (400, {@code BAD_FORM_ENCODING}) for a
     *     malformed escape, and as {@link #body()}
     */
    public String argument(String name) {
        return RequestArguments.last(arguments(), java.util.Objects.requireNonNull(name, "name"));
    }

    /** {@link #argument(String)}, or {@code defaultValue} if there is none (Tornado: {@code get_argument(name, default)}). */
    public String argument(String name, String defaultValue) {
        String v = argument(name);
        return v != null ? v : defaultValue;
    }

    /** Every value of argument {@code name}, query values first; empty if none (Tornado: {@code get_arguments}). */
    public List<String> arguments(String name) {
        return arguments().getOrDefault(java.util.Objects.requireNonNull(name, "name"), List.of());
    }

    /**
     * The query's and the form body's arguments together, query values first, decoded
     * strictly by {@link dev.spindle.http.FormDecoder}; unmodifiable (Tornado:
     * {@code request.arguments}). Values are not stripped (Tornado's {@code strip=True} is not
     * applied). Unlike {@link #queryParams()}, which keeps a malformed escape as sent, these
     * reject one with a 400: let the exception propagate and the server answers it.
     *
     * <p><b>Suspension:</b> parks to read the body if it is a form, as {@link #body()}.
     *
     * @throws dev.spindle.http.HttpInputException (400, {@code BAD_FORM_ENCODING}) for a
     *     malformed escape or non-UTF-8 text, and as {@link #body()}
     * @throws IllegalStateException as {@link #body()}
     */
    public Map<String, List<String>> arguments() {
        return args().all();
    }

    /** The last value of body argument {@code name}, or null (Tornado: {@code get_body_argument}); see {@link #bodyArguments()}. */
    public String bodyArgument(String name) {
        return RequestArguments.last(bodyArguments(), java.util.Objects.requireNonNull(name, "name"));
    }

    /**
     * The arguments of an {@code application/x-www-form-urlencoded} body, decoded strictly;
     * empty for any other {@code Content-Type} (multipart bodies are not decoded); unmodifiable
     * (Tornado: {@code request.body_arguments}).
     *
     * <p><b>Suspension:</b> parks to read the body, as {@link #body()}.
     *
     * @throws dev.spindle.http.HttpInputException (400, {@code BAD_FORM_ENCODING}) for a
     *     malformed escape or non-UTF-8 text, and as {@link #body()}
     * @throws IllegalStateException as {@link #body()}
     */
    public Map<String, List<String>> bodyArguments() {
        return args().body();
    }

    /** The query's arguments decoded strictly (Tornado: {@code request.query_arguments}); {@link #queryParams()} is the lenient form. */
    public Map<String, List<String>> queryArguments() {
        return args().query();
    }

    private RequestArguments args() {
        if (arguments == null) {
            arguments = new RequestArguments(this);
        }
        return arguments;
    }

    /**
     * The decoded value of the route's path parameter {@code name} (Tornado: the arguments of
     * the handler's {@code get(...)}).
     *
     * @throws IllegalArgumentException if the route's pattern has no such parameter
     */
    public String pathParam(String name) {
        String v = pathParams.get(name);
        if (v == null) {
            throw new IllegalArgumentException("no path parameter " + name + " in the route of " + path
                    + "; the route has " + pathParams.keySet());
        }
        return v;
    }

    /** The decoded path parameters of the matched route, unmodifiable. */
    public Map<String, String> pathParams() {
        return pathParams;
    }

    void pathParams(Map<String, String> params) {
        this.pathParams = params.isEmpty() ? Map.of() : java.util.Collections.unmodifiableMap(params);
    }

    /** The header fields as received; modifiable, but changing them changes nothing on the wire. */
    public HttpHeaders headers() {
        return headers;
    }

    /** The first value of header {@code name} (case-insensitive), or null. */
    public String header(String name) {
        return headers.get(name);
    }

    /** The protocol version, {@code HTTP/1.1} or {@code HTTP/1.0}. */
    public String version() {
        return line.version();
    }

    /** The client's address (Tornado: {@code remote_ip}). */
    public SocketAddress remoteAddress() {
        return remote;
    }

    /**
     * {@code "https"} if the request came over TLS, else {@code "http"} (Tornado:
     * {@code protocol}; Servlet: {@code getScheme()}). It says how this connection was made; a
     * proxy's {@code X-Forwarded-Proto} is a header like any other.
     *
     * @since 0.2
     */
    public String scheme() {
        return isSecure() ? "https" : "http";
    }

    /**
     * Whether the request came over TLS (Servlet: {@code isSecure()}).
     *
     * @since 0.2
     */
    public boolean isSecure() {
        return conn.stream() instanceof TlsStream;
    }

    /**
     * The host name the client asked for in the TLS handshake (SNI), e.g. {@code "example.com"};
     * null over plain http, or if the client sent none (it connected to an IP address, say).
     * Unlike Servlet's {@code getServerName()}, this is not the {@code Host} header: read that
     * with {@code header("Host")}. A server with several names can pick its answer by it.
     *
     * @since 0.2
     */
    public String serverName() {
        return conn.stream() instanceof TlsStream tls ? tls.serverName() : null;
    }

    /**
     * The TLS session of the connection, null over plain http: its protocol
     * ({@code getProtocol()}, e.g. {@code "TLSv1.3"}), cipher suite and, if the server asked for
     * one ({@code TlsOptions.withPeerVerification(true)}), the client's certificates
     * ({@code getPeerCertificates()}; Tornado: {@code get_ssl_certificate}).
     *
     * @since 0.2
     */
    public SSLSession tlsSession() {
        return conn.stream() instanceof TlsStream tls ? tls.session() : null;
    }

    /** The request line as received. */
    RequestStartLine startLine() {
        return line;
    }

    /** Whether this is a {@code HEAD} request, whose response has no body. */
    boolean isHead() {
        return line.method().equals("HEAD");
    }

    /**
     * The whole body, read now if it was not yet (Tornado: {@code body}). Repeated calls return
     * the same array.
     *
     * <p><b>Suspension:</b> parks the calling coroutine until the body is in; bytes already
     * received are taken without parking. If the coroutine is cancelled meanwhile, throws
     * {@link java.util.concurrent.CancellationException} and the connection will be closed.
     *
     * @throws dev.spindle.http.HttpInputException (413) if the body exceeds the limit, or (400)
     *     if its chunked framing is malformed
     * @throws dev.spindle.runtime.net.StreamClosedException if the client goes away or the body
     *     timeout closes the connection
     * @throws IllegalStateException after {@link #readChunk()}, or once the handler returned
     */
    public byte[] body() {
        if (bytes == null) {
            if (streamed) {
                throw new IllegalStateException("body() after readChunk(): the body was already read in pieces");
            }
            bytes = body.readAll();
        }
        return bytes;
    }

    /**
     * The whole body as text, decoded with the {@code charset} of {@code Content-Type}, else
     * UTF-8; malformed bytes become U+FFFD.
     *
     * <p><b>Suspension:</b> parks the calling coroutine as {@link #body()} does, with the same
     * cancellation behaviour.
     *
     * @throws dev.spindle.http.HttpInputException (413 or 400) as {@link #body()}
     * @throws dev.spindle.runtime.net.StreamClosedException as {@link #body()}
     * @throws IllegalStateException as {@link #body()}
     */
    public String bodyText() {
        return new String(body(), charset());
    }

    private Charset charset() {
        String type = headers.get("Content-Type");
        int at = type == null ? -1 : type.toLowerCase(Locale.ROOT).indexOf("charset=");
        if (at >= 0) {
            String name = type.substring(at + 8).split(";")[0].strip().replace("\"", "");
            try {
                return Charset.forName(name);
            } catch (IllegalCharsetNameException | UnsupportedCharsetException e) {
                // Fall back to UTF-8, as for no charset.
            }
        }
        return StandardCharsets.UTF_8;
    }

    /**
     * The next piece of the body, as it arrives (Tornado: {@code data_received} of a
     * {@code stream_request_body} handler): completes with the bytes, never empty, or with null
     * once the body has ended. Chunked framing is removed. Does not park; the future completes
     * at once when bytes are buffered.
     *
     * <p>The buffer is a view into the connection's read buffer, valid until the next call of
     * {@code readChunk()}: consume or copy it before. Only one call may be pending.
     *
     * @return fails with {@link dev.spindle.http.HttpInputException} (413, 400) or
     *     {@link dev.spindle.runtime.net.StreamClosedException} as {@link #body()} throws them
     * @throws IllegalStateException after {@link #body()}, or once the handler returned
     */
    public CompletableFuture<ByteBuffer> readChunk() {
        if (bytes != null) {
            throw new IllegalStateException("readChunk() after body(): the body was already read whole");
        }
        streamed = true;
        return body.next();
    }

    /**
     * A future that completes when the connection closes, by either side, while this request
     * is served (Tornado: {@code on_connection_close}, which also speaks only of the request in
     * progress). A handler that waits long, say a long poll, can stop
     * waiting when the client goes away:
     * {@snippet :
     * String message = await(any(messages.next(), request.connectionClosed().thenApply(v -> null)));
     * }
     *
     * <p>Calling it makes the server watch the socket for the client closing while the
     * handler runs, once the request body has been read; a handler that never calls it costs
     * nothing. A client that half-closes its side after sending the request counts as gone.
     * The future is completed on the loop; completing it yourself affects nothing. It belongs
     * to this request: once the handler returned it never completes, and the connection lets
     * go of it, so that the long polls of one keep-alive connection do not pile up waiters.
     */
    public CompletableFuture<Void> connectionClosed() {
        return conn.connectionClosed().copy();
    }

    /** The connection the request came on; for tests. */
    Http1ServerConnection connection() {
        return conn;
    }

    /** Returns e.g. {@code HttpServerRequest[GET /users/7 HTTP/1.1 from /127.0.0.1:50412, RequestBody[NONE, ...]]}. */
    @Override
    public String toString() {
        return "HttpServerRequest[" + line + " from " + remote + ", " + body + "]";
    }
}
