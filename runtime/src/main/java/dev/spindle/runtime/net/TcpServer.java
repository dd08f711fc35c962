package dev.spindle.runtime.net;

import dev.spindle.runtime.IOLoop;
import dev.spindle.runtime.LoopGroup;
import dev.spindle.runtime.TimeoutException;
import dev.spindle.runtime.internal.Log;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLException;

/**
 * Accepts TCP connections on the loop's selector and runs a handler coroutine for each
 * (Tornado: {@code tornado.tcpserver.TCPServer}). <b>Loop-confined:</b> call only from a
 * coroutine or callback of the owning {@link IOLoop}, or before that loop first runs.
 *
 * {@snippet :
 * TcpServer server = TcpServer.create(loop, (stream, address) -> {
 *     while (true) {
 *         byte[] line = await(stream.readUntil("\n", 1024));
 *         await(stream.write(line));
 *     }
 * }).listen(0, InetAddress.getLoopbackAddress());
 * int port = server.port();
 * }
 *
 * <p><b>Connections.</b> Each accepted connection becomes an {@link IoStream} (with
 * {@code TCP_NODELAY} on) and its {@link StreamHandler} runs as a new coroutine of the loop.
 * <b>The handler owns the connection for as long as it runs, and the stream is closed when it
 * returns</b>, once the bytes it wrote were handed to the kernel. So a handler serves its
 * connection in a loop (as HTTP keep-alive does) and need not close the stream; to hand the
 * connection to other code, await that code before returning. This differs from Tornado's
 * {@code handle_stream}, which returns at once and leaves closing to the stream's user.
 *
 * <p><b>Loop groups.</b> A server made with {@link #create(LoopGroup, StreamHandler)} accepts on
 * the group's first loop and hands each accepted connection to the group's {@link LoopGroup#next()}
 * loop (Netty's boss and workers): the connection's stream, its TLS handshake and its handler's
 * coroutine all live on that loop, so its state needs no locks; connections use every loop of the
 * group in turn. One accepting socket rather than {@code SO_REUSEPORT} sockets per loop, which the
 * JDK offers on Linux and macOS: the kernel would spread connections by a hash of their addresses,
 * unevenly for few clients, and not at all on other systems. The settings and {@link #listen} are
 * the accepting loop's; call them before the group starts or on that loop.
 *
 * <p><b>TLS.</b> With {@link #tls(TlsOptions)}, each connection's handshake runs first, on the
 * loop's callbacks (the handler's coroutine starts once it is over, so a connection that is still
 * handshaking costs no coroutine), and the handler gets a {@link TlsStream} whose handshake
 * completed: its
 * {@link TlsStream#serverName()} is the host name the client asked for (SNI), its
 * {@link TlsStream#applicationProtocol()} what ALPN chose. A handshake that fails (a client that
 * speaks plain TCP or HTTP, or rejects the certificate, or says nothing until the handshake
 * deadline) closes that connection and is logged at {@code INFO} on {@code spindle.general}
 * ("TLS handshake with /address failed: ..."); the handler is not called and the server goes on.
 *
 * <p><b>Errors.</b> An exception thrown by a handler is logged to {@code spindle.application}
 * (at {@code ERROR}; a {@link StreamClosedException}, which only says the peer went away, at
 * {@code DEBUG}) and closes that connection only. Cancellation (the loop closing) closes the
 * connection quietly.
 *
 * <table class="striped">
 * <caption>Settings (change them before {@link #listen})</caption>
 * <tr><th>setting</th><th>default</th></tr>
 * <tr><td>{@link #backlog(int)}</td><td>1024 (the kernel caps it at {@code somaxconn})</td></tr>
 * <tr><td>{@link #reuseAddress(boolean)}: {@code SO_REUSEADDR}</td><td>true</td></tr>
 * <tr><td>{@link #maxBufferSize(int)} of each stream</td><td>{@link IoStream#DEFAULT_MAX_BUFFER_SIZE}</td></tr>
 * <tr><td>{@link #tls(TlsOptions)}</td><td>null: plain TCP</td></tr>
 * </table>
 */
public final class TcpServer {
    /** How long accepting pauses after accept() failed, e.g. because the process is out of descriptors. */
    private static final Duration ACCEPT_PAUSE = Duration.ofMillis(200);

    /**
     * Serves one connection (Tornado: {@code TCPServer.handle_stream}). <b>Loop-confined:</b>
     * the server calls it in a new coroutine of its loop, so it may {@code await}; the stream is
     * closed when it returns.
     */
    @FunctionalInterface
    public interface StreamHandler {
        /**
         * Serves the connection of {@code stream}.
         *
         * @param address the peer's address
         * @throws Exception anything: it is logged and the connection closed
         */
        void handleStream(IoStream stream, SocketAddress address) throws Exception;
    }

    /** The loop that accepts. */
    private final IOLoop loop;
    /** The loops connections are handed to, or null: all on {@link #loop}. */
    private final LoopGroup group;
    private final StreamHandler handler;
    /** Each serving loop's scratch buffer, for the streams accepted there. Never changed. */
    private final Map<IOLoop, ByteBuffer> scratch = new IdentityHashMap<>();
    /** Listening sockets, in listen order. Loop-confined. */
    private final List<ServerSocketChannel> sockets = new ArrayList<>(1);
    private int backlog = 1024;
    private boolean reuseAddress = true;
    private int maxBufferSize = IoStream.DEFAULT_MAX_BUFFER_SIZE;
    /** TLS settings of connections accepted from now on; null for plain TCP. */
    private TlsOptions tls;
    /** Connections accepted and not over yet: in their TLS handshake or their handler. Any serving loop. */
    private final AtomicInteger active = new AtomicInteger();
    /** Connections accepted so far. Written by the accepting loop. */
    private long accepted;
    private boolean stopped;

    private TcpServer(IOLoop loop, LoopGroup group, StreamHandler handler) {
        this.loop = loop;
        this.group = group;
        this.handler = handler;
        for (IOLoop l : group == null ? List.of(loop) : group.loops()) {
            scratch.put(l, Buffers.scratch(l));
        }
    }

    /** Creates a server on {@code loop}; it accepts nothing until {@link #listen}. */
    public static TcpServer create(IOLoop loop, StreamHandler handler) {
        Objects.requireNonNull(loop, "loop");
        Objects.requireNonNull(handler, "handler");
        return new TcpServer(loop, null, handler);
    }

    /**
     * Creates a server that accepts on the first loop of {@code group} and serves each connection
     * on the group's next loop (see "Loop groups" above); it accepts nothing until {@link #listen}.
     *
     * @since 0.2
     */
    public static TcpServer create(LoopGroup group, StreamHandler handler) {
        Objects.requireNonNull(group, "group");
        Objects.requireNonNull(handler, "handler");
        return new TcpServer(group.loops().getFirst(), group, handler);
    }

    /** Sets the listen backlog for later {@link #listen} calls; must be positive. */
    public TcpServer backlog(int backlog) {
        if (backlog < 1) {
            throw new IllegalArgumentException("backlog < 1: " + backlog);
        }
        this.backlog = backlog;
        return this;
    }

    /** Sets {@code SO_REUSEADDR} for later {@link #listen} calls. */
    public TcpServer reuseAddress(boolean on) {
        this.reuseAddress = on;
        return this;
    }

    /** Sets the {@link IoStream#maxBufferSize()} of streams accepted from now on; must be positive. */
    public TcpServer maxBufferSize(int bytes) {
        if (bytes < 1) {
            throw new IllegalArgumentException("maxBufferSize < 1: " + bytes);
        }
        this.maxBufferSize = bytes;
        return this;
    }

    /**
     * Serves TLS with {@code options} on connections accepted from now on; null for plain TCP
     * (the default). See "TLS" above.
     *
     * {@snippet :
     * TcpServer.create(loop, handler)
     *         .tls(TlsOptions.server(sslContext).withApplicationProtocols("http/1.1"))
     *         .listen(8443);
     * }
     *
     * @param options made by {@link TlsOptions#server}
     * @throws IllegalArgumentException if {@code options} are a client's
     * @since 0.2
     */
    public TcpServer tls(TlsOptions options) {
        if (options != null && options.clientMode()) {
            throw new IllegalArgumentException("a server needs server settings, TlsOptions.server(sslContext): " + options);
        }
        this.tls = options;
        return this;
    }

    /** Listens on {@code port} of every interface; see {@link #listen(int, InetAddress)}. */
    public TcpServer listen(int port) {
        return listen(port, null);
    }

    /**
     * Starts accepting connections on {@code address:port} (Tornado: {@code listen}). May be
     * called more than once, to listen on several addresses.
     *
     * @param port 0 for a port the system chooses; read it with {@link #port()}
     * @param address null for every interface
     * @return this server
     * @throws UncheckedIOException if the socket cannot be bound (its cause, e.g. a
     *     {@link java.net.BindException}, says why)
     * @throws IllegalStateException if the server was stopped
     * @throws IllegalArgumentException if {@code port} is outside 0..65535
     */
    public TcpServer listen(int port, InetAddress address) {
        if (port < 0 || port > 0xFFFF) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
        loop.checkInLoop();
        if (stopped) {
            throw new IllegalStateException(this + " was stopped; create a new TcpServer to listen again");
        }
        InetSocketAddress where = new InetSocketAddress(address, port);
        ServerSocketChannel ssc = null;
        try {
            ssc = ServerSocketChannel.open();
            ssc.setOption(StandardSocketOptions.SO_REUSEADDR, reuseAddress);
            ssc.bind(where, backlog);
            loop.addHandler(ssc, SelectionKey.OP_ACCEPT, this::onAcceptable);
        } catch (IOException e) {
            closeQuietly(ssc);
            throw new UncheckedIOException("cannot listen on " + where + ": " + e.getMessage(), e);
        }
        sockets.add(ssc);
        return this;
    }

    /**
     * The port of the first listening socket.
     *
     * @throws IllegalStateException if the server is not listening
     */
    public int port() {
        return localAddress().getPort();
    }

    /**
     * The address of the first listening socket.
     *
     * @throws IllegalStateException if the server is not listening
     */
    public InetSocketAddress localAddress() {
        if (sockets.isEmpty()) {
            throw new IllegalStateException(this + " is not listening; call listen() first");
        }
        try {
            return (InetSocketAddress) sockets.get(0).getLocalAddress();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Stops accepting and closes the listening sockets (Tornado: {@code stop}). Connections
     * already accepted stay with their handlers. Idempotent.
     */
    public void stop() {
        loop.checkInLoop();
        stopped = true;
        for (ServerSocketChannel ssc : sockets) {
            loop.removeHandler(ssc);
            closeQuietly(ssc);
        }
        sockets.clear();
    }

    /** Accepts every pending connection. Runs on the loop thread, not in a coroutine. */
    private void onAcceptable(SelectionKey key) {
        ServerSocketChannel ssc = (ServerSocketChannel) key.channel();
        while (true) {
            SocketChannel ch;
            try {
                ch = ssc.accept();
            } catch (IOException e) {
                pauseAccepting(key, e);
                return;
            }
            if (ch == null) {
                return;
            }
            accepted++;
            IOLoop target = group == null ? loop : group.next();
            if (target == loop) {
                serve(loop, ch);
            } else if (!target.runOnLoop(() -> serve(target, ch))) {
                closeQuietly(ch); // That loop is closed.
            }
        }
    }

    /** Serves an accepted connection on {@code loop}, the one it was handed to. Runs on that loop. */
    private void serve(IOLoop loop, SocketChannel ch) {
        SocketStream stream;
        try {
            ch.configureBlocking(false);
            ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
            stream = SocketStream.open(loop, ch, scratch.get(loop), maxBufferSize);
        } catch (IOException | RuntimeException e) {
            Log.APPLICATION.log(System.Logger.Level.WARNING, "cannot set up accepted connection " + ch + " on " + this, e);
            closeQuietly(ch);
            return;
        }
        active.incrementAndGet();
        if (tls == null) {
            loop.spawn(new Connection(this, stream));
            return;
        }
        TlsHandshake.start(stream, tls, null, 0).whenComplete((s, e) -> {
            if (e == null) {
                loop.spawn(new Connection(this, s));
                return;
            }
            active.decrementAndGet(); // The handshake closed the connection.
            if (e instanceof SSLException || e instanceof TimeoutException) {
                Log.GENERAL.log(System.Logger.Level.INFO, e.getMessage()); // It names the peer and what went wrong.
            } else {
                Log.APPLICATION.log(System.Logger.Level.ERROR, "cannot set up TLS for " + stream + " on " + this, e);
            }
        });
    }

    /**
     * The body of a connection's coroutine. A class rather than a lambda: every frame under a
     * parked handler is kept on the heap while the connection idles, and a lambda adds two.
     */
    private record Connection(TcpServer server, IoStream stream) implements Callable<Void> {
        @Override
        public Void call() {
            try {
                server.handler.handleStream(stream, stream.remoteAddress());
            } catch (StreamClosedException | CancellationException e) {
                Log.APPLICATION.log(System.Logger.Level.DEBUG, "connection " + stream + " ended: " + e);
            } catch (Throwable e) {
                Log.APPLICATION.log(System.Logger.Level.ERROR, "Exception in the stream handler of " + server + " for " + stream, e);
                stream.close();
            } finally {
                server.active.decrementAndGet();
                stream.flush().whenComplete((v, e) -> stream.close());
            }
            return null;
        }
    }

    private void pauseAccepting(SelectionKey key, IOException e) {
        Log.APPLICATION.log(System.Logger.Level.WARNING, "accept() failed on " + this + "; pausing accepting for "
                + ACCEPT_PAUSE.toMillis() + " ms", e);
        key.interestOps(0);
        loop.callLater(ACCEPT_PAUSE, () -> {
            if (key.isValid()) {
                key.interestOps(SelectionKey.OP_ACCEPT);
            }
        });
    }

    private static void closeQuietly(java.nio.channels.Channel ch) {
        try {
            if (ch != null) {
                ch.close();
            }
        } catch (IOException e) {
            // Nothing more to release.
        }
    }

    @Override
    public String toString() {
        List<String> addresses = new ArrayList<>();
        for (ServerSocketChannel ssc : sockets) {
            try {
                addresses.add(String.valueOf(ssc.getLocalAddress()));
            } catch (IOException e) {
                addresses.add("?");
            }
        }
        return "TcpServer[" + (addresses.isEmpty() ? stopped ? "stopped" : "not listening" : String.join(", ", addresses))
                + (tls != null ? ", TLS" : "") + (group != null ? ", " + group.size() + " loops" : "")
                + ", connections=" + active + ", accepted=" + accepted + "]";
    }
}
