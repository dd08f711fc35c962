package dev.spindle.http.server;

import dev.spindle.http.codec.Http1Options;
import dev.spindle.http.codec.Http1Writer;
import dev.spindle.runtime.IOLoop;
import dev.spindle.runtime.LoopGroup;
import dev.spindle.runtime.net.IoStream;
import dev.spindle.runtime.net.TcpServer;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;

/**
 * An HTTP/1.1 server on one {@link IOLoop}: one coroutine per connection reads a request, runs
 * its {@link HttpHandler} (sequential code that may {@code await}), writes the response, and
 * loops for keep-alive (Tornado: {@code HTTPServer} with a routing {@code Application}).
 * <b>Loop-confined:</b> call only from a coroutine or callback of the owning {@link IOLoop}, or
 * before that loop first runs; {@link #stop}, {@link #close}, {@link #port()}, {@link #loop()}
 * and {@link #options()} are <b>thread-safe</b> (actions before {@code stop} or {@code close}
 * happen-before their effect on the loop).
 *
 * {@snippet :
 * IOLoop loop = IOLoop.create();
 * HttpServer server = HttpServer.create(loop)
 *         .get("/", (request, response) -> response.send("Hello, world"))
 *         .get("/users/{id}", (request, response) -> {
 *             User user = await(users.find(request.pathParam("id")));
 *             response.send(user.name());
 *         })
 *         .listen(8888, InetAddress.getLoopbackAddress());
 * loop.start();
 * }
 *
 * <p><b>Routing.</b> {@link #route} maps a method and a path pattern to a handler. A pattern is
 * a literal path ({@code /about}), or has whole-segment parameters ({@code /users/{id}}) and
 * at most one trailing rest parameter ({@code /static/{path...}}, which matches slashes too);
 * the handler reads them with {@link HttpServerRequest#pathParam}. Literal paths are found by
 * one hash lookup; patterns are tried in registration order. A {@code HEAD} request uses the
 * {@code GET} handler (the body is not sent). An unknown path gets 404; a known path with
 * another method gets 405 with an {@code Allow} header.
 *
 * <p><b>Protocol.</b> Keep-alive (HTTP/1.1 by default, HTTP/1.0 with
 * {@code Connection: keep-alive}), {@code Connection: close}, pipelining (answered in order),
 * {@code HEAD}, {@code Expect: 100-continue} (sent when the handler first reads the body; any
 * other expectation gets 417), chunked request and response bodies, {@code Date} and
 * {@code Server} headers. Limits and timeouts are in {@link HttpServerOptions}; so are the TLS
 * settings of an https server ({@link HttpServerOptions#withSslContext}), whose handshake
 * failures close the connection and are logged at INFO, and whose ALPN advertises
 * {@code http/1.1}.
 *
 * <p><b>Errors.</b> A malformed request, or one beyond a limit, gets the status of its
 * {@link dev.spindle.http.HttpInputException} (400, 413, 414, 431, 501, 505) with
 * {@code Connection: close}, is logged at INFO to {@code spindle.general}, and its connection
 * is closed; the server goes on. An exception from a handler is logged to
 * {@code spindle.application} and answered with 500 if the response had not started; the
 * connection stays open if the request body was read (or cheaply drained) and the response is
 * complete. Each request is logged to {@code spindle.access} (Tornado's format:
 * {@code 200 GET /path (address) 0.42ms}) at INFO, at WARNING for 4xx, at ERROR for 5xx.
 *
 * <p><b>Stopping.</b> {@link #stop(Duration)} stops accepting, closes idle connections at
 * once, lets requests in flight finish within a deadline, then closes what is left.
 * {@link #close()} closes everything at once.
 */
public final class HttpServer implements AutoCloseable {
    /** How long {@link #stop()} lets requests in flight finish: 30 seconds. */
    public static final Duration DEFAULT_STOP_DEADLINE = Duration.ofSeconds(30);

    private enum State { OPEN, STOPPING, CLOSED }

    /** The loop that accepts: the server's loop, or the group's first. */
    private final IOLoop loop;
    /** The group the connections are spread over, or null. */
    private final LoopGroup group;
    /** What the server keeps on each serving loop, in the group's order. Never changed. */
    private final List<ServerLoop> loops;
    private final HttpServerOptions options;
    private final Router router = new Router();
    /** The parser's limits, from {@link #options}. */
    private final Http1Options parserOptions;
    /** {@code Server: ...\r\n}, or null. */
    private final byte[] serverLine;
    private final TcpServer tcp;
    /** Written on the accepting loop, read by every serving loop. */
    private volatile State state = State.OPEN;
    /** The future of the first {@link #stop}; null before. Set by any thread, once. */
    private final AtomicReference<CompletableFuture<Void>> stopped = new AtomicReference<>();
    /** The first listening port, or -1. Written on the loop, read by any thread. */
    private volatile int port = -1;

    private HttpServer(IOLoop loop, LoopGroup group, HttpServerOptions options) {
        this.loop = loop;
        this.group = group;
        this.options = options;
        this.loops = (group == null ? List.of(loop) : group.loops()).stream().map(l -> new ServerLoop(this, l)).toList();
        this.parserOptions = Http1Options.DEFAULTS.withMaxStartLineLength(options.maxRequestLineLength())
                .withMaxHeaderBytes(options.maxHeaderBytes()).withMaxHeaderCount(options.maxHeaderCount())
                .withMaxBodySize(options.maxBodySize());
        this.serverLine = options.serverHeader() == null ? null : Http1Writer.ascii("Server: " + options.serverHeader() + "\r\n");
        HttpStreamHandler handler = new HttpStreamHandler(this);
        this.tcp = group == null ? TcpServer.create(loop, handler) : TcpServer.create(group, handler);
        if (options.tls() != null) {
            tcp.tls(options.tls().withApplicationProtocols("http/1.1")); // HTTP/1.1 is all it speaks.
        }
    }

    /** Creates a server on {@code loop} with {@link HttpServerOptions#DEFAULTS}; it serves nothing until {@link #listen}. */
    public static HttpServer create(IOLoop loop) {
        return create(loop, HttpServerOptions.DEFAULTS);
    }

    /** Creates a server on {@code loop} with {@code options}; it serves nothing until {@link #listen}. */
    public static HttpServer create(IOLoop loop, HttpServerOptions options) {
        Objects.requireNonNull(loop, "loop");
        Objects.requireNonNull(options, "options");
        return new HttpServer(loop, null, options);
    }

    /**
     * Creates a server whose connections are spread over the loops of {@code group}, with
     * {@link HttpServerOptions#DEFAULTS}; see {@link #create(LoopGroup, HttpServerOptions)}.
     *
     * @since 0.2
     */
    public static HttpServer create(LoopGroup group) {
        return create(group, HttpServerOptions.DEFAULTS);
    }

    /**
     * Creates a server whose connections are spread over the loops of {@code group}: it accepts on
     * the group's first loop and hands each connection to the next loop in turn, where its
     * coroutine, its handlers and its timers run for the connection's whole life (see
     * {@link TcpServer#create(LoopGroup, TcpServer.StreamHandler)}). Handlers of different
     * connections may so run at the same time on different threads: state they share must be
     * thread-safe. Add the routes before the group starts; {@link #listen} on the first loop or
     * before the group starts; {@link #stop} stops the connections of every loop.
     *
     * @since 0.2
     */
    public static HttpServer create(LoopGroup group, HttpServerOptions options) {
        Objects.requireNonNull(group, "group");
        Objects.requireNonNull(options, "options");
        return new HttpServer(group.loops().getFirst(), group, options);
    }

    /**
     * Routes requests with {@code method} whose path matches {@code pattern} to {@code handler}
     * (see the class description for patterns). May be called while the server runs.
     *
     * @return this
     * @throws IllegalArgumentException if the method is not a token, the pattern is malformed
     *     (it must start with {@code /}; parameters are whole segments, names unique), or the
     *     method and pattern already have a handler
     */
    public HttpServer route(String method, String pattern, HttpHandler handler) {
        if (group != null && group.isRunning()) {
            throw new IllegalStateException("route() on a server of the running " + group.name()
                    + ": its loops read the routes without a lock, so add every route before the group starts");
        }
        loop.checkInLoop();
        router.add(method, pattern, handler);
        return this;
    }

    /** {@code route("GET", pattern, handler)}; it answers {@code HEAD} too. */
    public HttpServer get(String pattern, HttpHandler handler) {
        return route("GET", pattern, handler);
    }

    /** {@code route("POST", pattern, handler)}. */
    public HttpServer post(String pattern, HttpHandler handler) {
        return route("POST", pattern, handler);
    }

    /** {@code route("PUT", pattern, handler)}. */
    public HttpServer put(String pattern, HttpHandler handler) {
        return route("PUT", pattern, handler);
    }

    /** {@code route("PATCH", pattern, handler)}. */
    public HttpServer patch(String pattern, HttpHandler handler) {
        return route("PATCH", pattern, handler);
    }

    /** {@code route("DELETE", pattern, handler)}. */
    public HttpServer delete(String pattern, HttpHandler handler) {
        return route("DELETE", pattern, handler);
    }

    /** Listens on {@code port} of every interface; see {@link #listen(int, InetAddress)}. */
    public HttpServer listen(int port) {
        return listen(port, null);
    }

    /**
     * Starts accepting connections on {@code address:port} (Tornado: {@code listen}). May be
     * called more than once, to listen on several addresses.
     *
     * @param port 0 for a port the system chooses; read it with {@link #port()}
     * @param address null for every interface
     * @return this
     * @throws java.io.UncheckedIOException if the socket cannot be bound
     * @throws IllegalStateException once stopped or closed
     * @throws IllegalArgumentException if {@code port} is outside 0..65535
     */
    public HttpServer listen(int port, InetAddress address) {
        loop.checkInLoop();
        if (state != State.OPEN) {
            throw new IllegalStateException(this + " was stopped; create a new HttpServer to listen again");
        }
        tcp.listen(port, address);
        if (this.port < 0) {
            this.port = tcp.port();
        }
        return this;
    }

    /**
     * The port of the first {@link #listen}. <b>Thread-safe.</b>
     *
     * @throws IllegalStateException if the server never listened
     */
    public int port() {
        int p = port;
        if (p < 0) {
            throw new IllegalStateException(this + " is not listening; call listen() first");
        }
        return p;
    }

    /** The loop that runs this server; on a group, the loop that accepts (the group's first). <b>Thread-safe.</b> */
    public IOLoop loop() {
        return loop;
    }

    /** The group whose loops serve the connections, or null for a server on one loop. <b>Thread-safe.</b> */
    public LoopGroup group() {
        return group;
    }

    /** The options given to {@link #create}. <b>Thread-safe.</b> */
    public HttpServerOptions options() {
        return options;
    }

    /**
     * Stops gracefully, giving requests in flight {@link #DEFAULT_STOP_DEADLINE} to finish:
     * {@code stop(DEFAULT_STOP_DEADLINE)}.
     *
     * <p><b>Thread-safe.</b> Never parks; await the result to wait.
     *
     * @return completes once every connection is closed and its handler has ended
     */
    public CompletableFuture<Void> stop() {
        return stop(DEFAULT_STOP_DEADLINE);
    }

    /**
     * Stops gracefully (Tornado: {@code stop} followed by {@code close_all_connections}): stops
     * accepting, closes idle keep-alive connections at once, lets each request in flight finish
     * (its response says {@code Connection: close}), and when {@code deadline} has passed,
     * closes the connections left and cancels their handlers. Calling it again returns the
     * first call's future.
     *
     * <p><b>Thread-safe.</b> Never parks; await the result to wait.
     *
     * @param deadline how long requests in flight may take to finish; zero to cancel them at once
     * @return completes once every connection is closed and its handler has ended
     * @throws IllegalArgumentException if {@code deadline} is negative
     */
    public CompletableFuture<Void> stop(Duration deadline) {
        Objects.requireNonNull(deadline, "deadline");
        if (deadline.isNegative()) {
            throw new IllegalArgumentException("deadline < 0: " + deadline);
        }
        CompletableFuture<Void> result = new CompletableFuture<>();
        if (!stopped.compareAndSet(null, result)) {
            return stopped.get();
        }
        loop.runOnLoop(() -> {
            if (state == State.OPEN) {
                state = State.STOPPING;
            }
            tcp.stop();
        });
        List<CompletableFuture<Void>> each = new ArrayList<>(loops.size());
        for (ServerLoop part : loops) {
            CompletableFuture<Void> f = new CompletableFuture<>();
            if (!part.loop.runOnLoop(() -> part.stop(deadline).whenComplete((v, e) -> f.complete(null)))) {
                f.complete(null); // The loop is closed: its connections are gone with it.
            }
            each.add(f);
        }
        CompletableFuture.allOf(each.toArray(CompletableFuture[]::new)).whenComplete((v, e) -> result.complete(null));
        return result;
    }

    /**
     * Closes at once: stops accepting, closes every connection and cancels its handler
     * (Tornado: {@code stop} and {@code close_all_connections}). Idempotent.
     *
     * <p><b>Thread-safe.</b> Does not wait for the handlers to end; {@link #stop(Duration)}
     * with a zero deadline does the same and returns a future for that.
     */
    @Override
    public void close() {
        loop.runOnLoop(() -> {
            state = State.CLOSED;
            tcp.stop();
        });
        for (ServerLoop part : loops) {
            part.loop.runOnLoop(part.connections::abortAll);
        }
    }

    /**
     * A connection for a stream just accepted on its serving loop, which runs {@code ended} (if
     * not null) when it is over; null if the server stopped meanwhile (the caller closes the stream).
     */
    Http1ServerConnection register(IoStream stream, Runnable ended) {
        if (state != State.OPEN) {
            return null;
        }
        return part(stream.loop()).register(stream, ended);
    }

    /** What the server keeps on {@code loop}, one of its serving loops. */
    ServerLoop part(IOLoop loop) {
        for (ServerLoop part : loops) {
            if (part.loop == loop) {
                return part;
            }
        }
        throw new IllegalStateException(loop.name() + " does not serve " + this);
    }

    /** {@code Server: ...\r\n}, or null for none. */
    byte[] serverLine() {
        return serverLine;
    }

    Http1Options parserOptions() {
        return parserOptions;
    }

    Router router() {
        return router;
    }

    /**
     * Returns e.g. {@code HttpServer[port 8888, open, connections=3, accepted=10, routes=2]}
     * ({@code port 8443, https, open, ...} for https); read racily off the loops.
     */
    @Override
    public String toString() {
        int p = port;
        int connections = 0;
        long accepted = 0;
        for (ServerLoop part : loops) {
            connections += part.connections.size();
            accepted += part.accepted();
        }
        return "HttpServer[" + (p < 0 ? "not listening" : "port " + p) + (options.tls() != null ? ", https" : "")
                + ", " + state.name().toLowerCase(java.util.Locale.ROOT)
                + (group != null ? ", " + group.size() + " loops" : "") + ", connections=" + connections
                + ", accepted=" + accepted + ", routes=" + router.size() + "]";
    }
}
