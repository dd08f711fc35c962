package dev.spindle.http.server;

import static dev.spindle.runtime.Coroutines.await;

import dev.spindle.http.HttpInputException;
import dev.spindle.http.codec.Http1Connection;
import dev.spindle.http.codec.Http1Event;
import dev.spindle.runtime.Deadline;
import dev.spindle.runtime.internal.Log;
import dev.spindle.runtime.net.IoStream;
import dev.spindle.runtime.net.StreamClosedException;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;

/**
 * One HTTP/1.1 connection of an {@link HttpServer}: its coroutine reads a request head, hands
 * the request to a {@link RequestDispatcher}, and loops for keep-alive and pipelining (Tornado:
 * {@code HTTP1ServerConnection}). The wire is the codec's {@link Http1Connection}'s; this class
 * adds the server's deadlines, stopping and rejecting.
 *
 * <p><b>Loop-confined:</b> {@link #serve()} runs on the connection's coroutine; the other
 * methods are called on the loop by the server, the deadline and the dispatcher.
 */
/*
 * Implementation notes: the state says what the connection waits for, and so what a passed
 * deadline does:
 *
 *   IDLE --first byte--> HEAD --head--> HANDLER <--> BODY (waiting for body bytes)
 *     ^                                    |
 *     +---- keep-alive ---- [FLUSH] <------+--> (close)     any --bad input--> LINGER --> (close)
 *
 * IDLE: close quietly. HEAD: 408 and close. BODY: 408 if no response started, and close.
 * HANDLER: no deadline (handlers may wait as long as they like). FLUSH (too many response
 * bytes queued for a client that does not read): close. LINGER: close.
 */
final class Http1ServerConnection {
    /** Queued response bytes beyond which the next request waits for the client to read. */
    static final int WRITE_LIMIT = 256 * 1024;
    /** How long, and how many bytes, a rejected client is read from before closing. */
    private static final long LINGER_NANOS = 1_000_000_000L;
    private static final int LINGER_BYTES = 1 << 20;

    enum State { IDLE, HEAD, HANDLER, BODY, FLUSH, LINGER, CLOSED }

    private final HttpServer server;
    /** What the server keeps on this connection's loop. */
    private final ServerLoop home;
    private final IoStream stream;
    private final Http1Connection http;
    private final Deadline deadline;
    /** The coroutine running {@link #serve()}; set when it starts. */
    private Thread coroutine;
    /** What the connection waits for. Loop-confined. */
    private State state = State.IDLE;
    /** The request being served, or null between requests. Loop-confined. */
    private RequestDispatcher current;
    /** The server stops: finish the current request, then close. Loop-confined. */
    private boolean stopping;
    /** The server closed the connection under its coroutine's feet. Loop-confined. */
    private boolean aborted;
    /** Requests served on this connection, for toString. Loop-confined. */
    private long requests;
    /** The current request's {@link #connectionClosed()} future; null if it asked for none. Loop-confined. */
    private CompletableFuture<Void> closedForRequest;
    /** Whether a listener on the stream's close future completes {@link #closedForRequest}. Loop-confined. */
    private boolean listeningForClose;
    /** When the current request began, for the access log of a rejected one (0: not logged). Loop-confined. */
    private long messageStarted;

    Http1ServerConnection(ServerLoop home, IoStream stream) {
        this.server = home.server;
        this.home = home;
        this.stream = stream;
        this.http = Http1Connection.forServer(stream, server.parserOptions(), home.writer);
        this.deadline = Deadline.create(stream.loop(), this::onDeadline);
        http.onWait(this::waiting);
    }

    /** Serves requests until the connection ends; TcpServer then closes the stream. */
    void serve() {
        coroutine = Thread.currentThread();
        try {
            while (serveOne()) {
                http.next();
            }
        } catch (HttpInputException e) {
            reject(e);
        } finally {
            state = State.CLOSED;
            deadline.cancel();
            home.connections.remove(this);
        }
    }

    /** Serves one request; returns whether the connection may serve another. */
    private boolean serveOne() {
        Http1Event.Head head = readHead();
        if (head == null) {
            return false;
        }
        deadline.disarm();
        state = State.HANDLER;
        requests++;
        RequestDispatcher dispatcher = new RequestDispatcher(this, head);
        current = dispatcher;
        try {
            return dispatcher.run() && !stopping && drainWrites() && !stopping;
        } finally {
            http.stopWatching();
            current = null;
            closedForRequest = null;
        }
    }

    /** The next request head; null when the connection is done (closed, timed out, stopping). */
    private Http1Event.Head readHead() {
        if (stopping && !stream.readBuffer().hasRemaining()) {
            return null;
        }
        messageStarted = home.accessLog.start();
        try {
            return http.readHead();
        } catch (StreamClosedException e) {
            return null; // The client reset, or a deadline or stop() closed the connection.
        } catch (HttpInputException e) {
            if (e.reason() == HttpInputException.Reason.PREMATURE_EOF) {
                return null; // The client closed in the middle of a head: nobody to answer.
            }
            throw e;
        }
    }

    /** What the codec waits for: moves the state and the deadline (see the implementation notes). */
    private void waiting(Http1Connection.Waiting what) {
        if (state == State.CLOSED || state == State.LINGER) {
            return;
        }
        switch (what) {
            case NEXT_MESSAGE -> {
                state = State.IDLE;
                deadline.arm(stream.loop().time() + server.options().idleTimeout().toNanos());
            }
            case HEAD -> {
                if (state != State.HEAD) {
                    state = State.HEAD;
                    deadline.arm(stream.loop().time() + server.options().headerTimeout().toNanos());
                }
            }
            case BODY -> {
                state = State.BODY;
                deadline.arm(current.body().deadline());
            }
            case NOTHING -> {
                if (state == State.IDLE) {
                    messageStarted = home.accessLog.start(); // The first bytes of a request came.
                } else if (state == State.BODY) {
                    state = State.HANDLER;
                    deadline.disarm();
                }
            }
        }
    }

    /**
     * Waits while more than {@link #WRITE_LIMIT} response bytes are queued, so that a client
     * that pipelines requests but does not read the answers cannot make the server buffer
     * them without bound; the idle timeout applies meanwhile.
     *
     * @return false if the connection closed meanwhile
     */
    private boolean drainWrites() {
        if (stream.writeBufferSize() <= WRITE_LIMIT) {
            return true;
        }
        state = State.FLUSH;
        deadline.arm(stream.loop().time() + server.options().idleTimeout().toNanos());
        try {
            await(stream.writeBufferAtMost(WRITE_LIMIT));
            return true;
        } catch (StreamClosedException e) {
            return false;
        } finally {
            deadline.disarm();
        }
    }

    /** Answers a malformed request with its status, logs it, and lingers before the close. */
    private void reject(HttpInputException e) {
        Log.GENERAL.log(System.Logger.Level.INFO, "Malformed HTTP message from " + stream.remoteAddress() + ": "
                + e.getMessage());
        if (!stream.isClosed()) {
            home.accessLog.rejected(messageStarted, e.status(), http.incomingStartLine(), stream.remoteAddress());
            answer(e.status(), e.reason().name());
            linger();
        }
    }

    /** Sends a complete response of the server's own, with a short text body and {@code Connection: close}. */
    private void answer(int status, String detail) {
        if (!http.headWritten()) {
            ResponseHead.simple(http, home, status, detail);
        }
    }

    /**
     * Reads and drops what the client still sends, for a short while, before the close: closing
     * with unread bytes makes the kernel reset the connection, and the client could lose the
     * error response.
     */
    private void linger() {
        state = State.LINGER;
        deadline.arm(stream.loop().time() + LINGER_NANOS);
        try {
            for (long dropped = 0; dropped < LINGER_BYTES && state == State.LINGER; ) {
                ByteBuffer in = stream.readBuffer();
                dropped += in.remaining();
                in.position(in.limit());
                await(stream.fill());
            }
        } catch (StreamClosedException e) {
            // The client closed, or the linger deadline did.
        }
    }

    /** The deadline's action; see the states in the implementation notes. */
    private void onDeadline() {
        switch (state) {
            case IDLE, FLUSH, LINGER -> stream.close();
            case HEAD -> timeOut("head");
            case BODY -> timeOut("body");
            case HANDLER, CLOSED -> { }
        }
    }

    private void timeOut(String what) {
        Log.GENERAL.log(System.Logger.Level.INFO, "Timeout reading the request " + what + " from " + stream.remoteAddress());
        RequestDispatcher d = current;
        if (d != null && !http.headWritten()) {
            d.response().sentByServer(408);
        }
        answer(408, "");
        stream.flush().whenComplete((v, e) -> stream.close());
    }

    /**
     * The current request's {@code connectionClosed()} future: completed when the stream closes
     * while the request is served, and let go when it is over. Starts the codec's close watch.
     */
    CompletableFuture<Void> connectionClosed() {
        http.watchClose();
        if (closedForRequest == null) {
            closedForRequest = new CompletableFuture<>();
            if (stream.isClosed()) {
                closedForRequest.complete(null);
            } else if (!listeningForClose) {
                listeningForClose = true; // One listener for the connection's life, whatever the requests.
                stream.closeFuture().whenComplete((v, e) -> {
                    CompletableFuture<Void> f = closedForRequest;
                    if (f != null) {
                        f.complete(null);
                    }
                });
            }
        }
        return closedForRequest;
    }

    /** Graceful stop: an idle connection closes now, a busy one after its current request. */
    void stopGracefully() {
        stopping = true;
        if (state == State.IDLE || state == State.LINGER) {
            stream.close();
        }
    }

    /** Closes the connection now and interrupts its coroutine, whatever it was doing. */
    void abort() {
        stopping = true;
        aborted = true;
        stream.close();
        Thread t = coroutine;
        if (t != null && state != State.CLOSED) {
            t.interrupt();
        }
    }

    /** The request being served; null between requests. */
    RequestDispatcher dispatcher() {
        return current;
    }

    boolean stopping() {
        return stopping;
    }

    boolean aborted() {
        return aborted;
    }

    IoStream stream() {
        return stream;
    }

    Http1Connection http() {
        return http;
    }

    HttpServer server() {
        return server;
    }

    /** What the server keeps on this connection's loop. */
    ServerLoop home() {
        return home;
    }

    @Override
    public String toString() {
        return "Http1ServerConnection[" + stream.remoteAddress() + ", " + state + ", requests=" + requests
                + (stopping ? ", stopping" : "") + (current != null ? ", " + current : "") + "]";
    }
}
