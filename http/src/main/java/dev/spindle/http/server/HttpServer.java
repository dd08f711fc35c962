package dev.spindle.http.server;

import dev.spindle.runtime.IOLoop;
import dev.spindle.runtime.net.IoStream;
import dev.spindle.runtime.net.TcpServer;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

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
 * {@code Server} headers. Limits and timeouts are in {@link HttpServerOptions}.
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
public final class HttpServer {
    /** How long {@link #stop()} lets requests in flight finish: 30 seconds. */
    public static final Duration DEFAULT_STOP_DEADLINE = Duration.ofSeconds(30);

    private enum State { OPEN, STOPPING, CLOSED }

    /** The largest response, head and body, assembled in {@link #out}. */
    static final int SMALL_RESPONSE = 16 * 1024;

    private final IOLoop loop;
    private final HttpServerOptions options;
    private final Router router = new Router();
    private final DateCache dates = new DateCache(System::currentTimeMillis);
    /** Encodes every response head of the loop: a head is written before anything can suspend. */
    private final HeadEncoder encoder = new HeadEncoder();
    /**
     * Where a small response is assembled, head and body, for one plain write: a direct buffer
     * spares the JDK a copy into a temporary direct buffer per heap buffer, and the kernel a
     * writev. Shared by the loop's connections: a write consumes it before returning.
     */
    private final ByteBuffer out = ByteBuffer.allocateDirect(SMALL_RESPONSE);
    /** {@code Server: ...\r\n}, or null. */
    private final byte[] serverLine;
    private final TcpServer tcp;
    private final Connections connections;
    /** Loop-confined. */
    private State state = State.OPEN;
    /** The first listening port, or -1. Written on the loop, read by any thread. */
    private volatile int port = -1;
    /** Connections accepted, for toString. Loop-confined. */
    private long accepted;

    private HttpServer(IOLoop loop, HttpServerOptions options) {
        this.loop = loop;
        this.options = options;
        this.connections = new Connections(loop);
        this.serverLine = options.serverHeader() == null ? null : HeadEncoder.ascii("Server: " + options.serverHeader() + "\r\n");
        this.tcp = TcpServer.create(loop, new Acceptor(this));
    }

    /** Creates a server on {@code loop} with {@link HttpServerOptions#DEFAULTS}; it serves nothing until {@link #listen}. */
    public static HttpServer create(IOLoop loop) {
        return create(loop, HttpServerOptions.DEFAULTS);
    }

    /** Creates a server on {@code loop} with {@code options}; it serves nothing until {@link #listen}. */
    public static HttpServer create(IOLoop loop, HttpServerOptions options) {
        Objects.requireNonNull(loop, "loop");
        Objects.requireNonNull(options, "options");
        return new HttpServer(loop, options);
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

    /** The loop that runs this server. <b>Thread-safe.</b> */
    public IOLoop loop() {
        return loop;
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
        if (onLoopNow()) {
            return stopNow(deadline);
        }
        CompletableFuture<Void> result = new CompletableFuture<>();
        loop.execute(() -> stopNow(deadline).whenComplete((v, e) -> result.complete(null)));
        return result;
    }

    private CompletableFuture<Void> stopNow(Duration deadline) {
        if (state == State.OPEN) {
            state = State.STOPPING;
        }
        tcp.stop();
        return connections.stop(deadline);
    }

    /**
     * Closes at once: stops accepting, closes every connection and cancels its handler
     * (Tornado: {@code stop} and {@code close_all_connections}). Idempotent.
     *
     * <p><b>Thread-safe.</b> Does not wait for the handlers to end; {@link #stop(Duration)}
     * with a zero deadline does the same and returns a future for that.
     */
    public void close() {
        if (onLoopNow()) {
            closeNow();
        } else if (!loop.isClosed()) {
            loop.execute(this::closeNow);
        }
    }

    private void closeNow() {
        if (state == State.CLOSED) {
            return;
        }
        state = State.CLOSED;
        tcp.stop();
        connections.abortAll();
    }

    /** Whether loop-confined state may be touched now: on the loop, or while it does not run. */
    private boolean onLoopNow() {
        return loop.inLoop() || !loop.isRunning();
    }

    /** A connection for a stream just accepted; null if the server stopped meanwhile (TcpServer then closes it). */
    Http1ServerConnection register(IoStream stream) {
        if (state != State.OPEN) {
            return null;
        }
        Http1ServerConnection c = new Http1ServerConnection(this, stream);
        connections.add(c);
        accepted++;
        return c;
    }

    void connectionEnded(Http1ServerConnection c) {
        connections.remove(c);
    }

    /** Appends the {@code Server} field (if configured and {@code server}) and the {@code Date} field (if {@code date}). */
    HeadEncoder commonFields(HeadEncoder e, boolean server, boolean date) {
        if (server && serverLine != null) {
            e.put(serverLine);
        }
        return date ? e.put(dates.line()) : e;
    }

    /** The loop's assembly buffer for small responses, cleared; see {@link #out}. */
    ByteBuffer assemblyBuffer() {
        return out.clear();
    }

    HeadEncoder encoder() {
        return encoder;
    }

    Router router() {
        return router;
    }

    /** Returns e.g. {@code HttpServer[port 8888, open, connections=3, accepted=10, routes=2]}. */
    @Override
    public String toString() {
        int p = port;
        return "HttpServer[" + (p < 0 ? "not listening" : "port " + p) + ", " + state.name().toLowerCase(java.util.Locale.ROOT)
                + ", connections=" + connections.size() + ", accepted=" + accepted + ", routes=" + router.size() + "]";
    }
}
