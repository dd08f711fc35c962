package dev.spindle.http.server;

import static dev.spindle.runtime.Coroutines.await;

import dev.spindle.http.HttpInputException;
import dev.spindle.http.codec.Http1Event;
import dev.spindle.http.codec.Http1Parser;
import dev.spindle.runtime.net.IoStream;
import dev.spindle.runtime.net.StreamClosedException;
import java.nio.ByteBuffer;

/**
 * One HTTP/1.1 connection of an {@link HttpServer}: its coroutine reads a request head, runs
 * the exchange, and loops for keep-alive and pipelining (Tornado:
 * {@code HTTP1ServerConnection} and {@code HTTP1Connection}).
 *
 * <p><b>Loop-confined:</b> {@link #serve()} runs on the connection's coroutine; the other
 * methods are called on the loop by the server, the timer and the exchange.
 */
/*
 * Implementation notes:
 *
 * The parser reads in place from the stream's read buffer; the coroutine awaits fill() only
 * when the buffer holds no complete head, so pipelined requests are served without waiting.
 * The phase says what the connection waits for, and so what a passed deadline does:
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
    static final System.Logger GENERAL = System.getLogger("spindle.general");
    /** The end of a body, as returned by body reads; compared by identity. */
    static final ByteBuffer NO_MORE = ByteBuffer.allocate(0);
    /** Queued response bytes beyond which the next request waits for the client to read. */
    static final int WRITE_LIMIT = 256 * 1024;
    /** How long, and how many bytes, a rejected client is read from before closing. */
    private static final long LINGER_NANOS = 1_000_000_000L;
    private static final int LINGER_BYTES = 1 << 20;

    enum Phase { IDLE, HEAD, HANDLER, BODY, FLUSH, LINGER, CLOSED }

    private final HttpServer server;
    private final IoStream stream;
    private final Http1Parser parser;
    private final ConnectionTimer timer;
    /** The coroutine running {@link #serve()}; set when it starts. */
    private Thread coroutine;
    /** What the connection waits for. Loop-confined. */
    private Phase phase = Phase.IDLE;
    /** The request being served, or null between requests. Loop-confined. */
    private Exchange current;
    /** The server stops: finish the current request, then close. Loop-confined. */
    private boolean stopping;
    /** The server closed the connection under its coroutine's feet. Loop-confined. */
    private boolean aborted;
    /** Tells a handler's connectionClosed() future that the peer went away; made on first use. */
    private CloseWatch watch;
    /** Requests served on this connection, for toString. Loop-confined. */
    private long requests;

    Http1ServerConnection(HttpServer server, IoStream stream) {
        this.server = server;
        this.stream = stream;
        this.parser = Http1Parser.forRequests(server.options().http1());
        this.timer = new ConnectionTimer(stream.loop(), this::onDeadline);
    }

    /** Serves requests until the connection ends; TcpServer then closes the stream. */
    void serve() {
        coroutine = Thread.currentThread();
        try {
            while (serveOne()) {
                parser.reset();
            }
        } catch (HttpInputException e) {
            reject(e);
        } finally {
            phase = Phase.CLOSED;
            timer.cancel();
            server.connectionEnded(this);
        }
    }

    /** Serves one request; returns whether the connection may serve another. */
    private boolean serveOne() {
        Http1Event.Head head = readHead();
        if (head == null) {
            return false;
        }
        timer.disarm();
        phase = Phase.HANDLER;
        requests++;
        Exchange exchange = new Exchange(this, head);
        current = exchange;
        try {
            return exchange.run() && !stopping && drainWrites();
        } finally {
            stopWatching();
            current = null;
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
        phase = Phase.FLUSH;
        timer.arm(stream.loop().time() + server.options().idleTimeout().toNanos());
        try {
            await(stream.writeBufferAtMost(WRITE_LIMIT));
            return true;
        } catch (StreamClosedException e) {
            return false;
        } finally {
            timer.disarm();
        }
    }

    /** Reads the next request head; null when the connection is done (closed, timed out, stopping). */
    private Http1Event.Head readHead() {
        ByteBuffer in = stream.readBuffer();
        while (true) {
            // Feeding nothing would cost the parser a line buffer (it keeps partial lines).
            if (in.hasRemaining() && parser.feed(in) instanceof Http1Event.Head head) {
                return head;
            } else if (!awaitBytes()) {
                return null;
            }
            in = stream.readBuffer();
        }
    }

    /** Waits for more bytes of a request head; false when there will be none. */
    private boolean awaitBytes() {
        boolean idle = parser.isIdle();
        if (idle && stopping) {
            return false;
        } else if (idle) {
            phase = Phase.IDLE;
            timer.arm(stream.loop().time() + server.options().idleTimeout().toNanos());
        } else if (phase != Phase.HEAD) {
            phase = Phase.HEAD;
            timer.arm(stream.loop().time() + server.options().headerTimeout().toNanos());
        }
        try {
            await(stream.fill());
            return true;
        } catch (StreamClosedException e) {
            return false; // The client closed (or reset), or a deadline or stop() closed the connection.
        }
    }

    /** Answers a malformed request with its status, logs it, and lingers before the close. */
    private void reject(HttpInputException e) {
        GENERAL.log(System.Logger.Level.INFO, "Malformed HTTP message from " + stream.remoteAddress() + ": " + e.getMessage());
        if (!stream.isClosed()) {
            stream.write(ResponseHead.simple(this, e.status(), e.reason().name()));
            linger();
        }
    }

    /**
     * Reads and drops what the client still sends, for a short while, before the close: closing
     * with unread bytes makes the kernel reset the connection, and the client could lose the
     * error response.
     */
    private void linger() {
        phase = Phase.LINGER;
        timer.arm(stream.loop().time() + LINGER_NANOS);
        try {
            for (long dropped = 0; dropped < LINGER_BYTES && phase == Phase.LINGER; ) {
                ByteBuffer in = stream.readBuffer();
                dropped += in.remaining();
                in.position(in.limit());
                await(stream.fill());
            }
        } catch (StreamClosedException e) {
            // The client closed, or the linger deadline did.
        }
    }

    /** The timer's action when a deadline passed; see the phases in the implementation notes. */
    private void onDeadline() {
        switch (phase) {
            case IDLE, FLUSH, LINGER -> stream.close();
            case HEAD -> timeOut("head");
            case BODY -> timeOut("body");
            case HANDLER, CLOSED -> { }
        }
    }

    private void timeOut(String what) {
        GENERAL.log(System.Logger.Level.INFO, "Timeout reading the request " + what + " from " + stream.remoteAddress());
        Exchange ex = current;
        if (ex == null || !ex.response().isStarted()) {
            if (ex != null) {
                ex.response().sentByServer(408);
            }
            stream.write(ResponseHead.simple(this, 408, ""));
        }
        stream.flush().whenComplete((v, e) -> stream.close());
    }

    /** The body reader waits for body bytes until {@code deadline} (loop time), or (null) no longer waits. */
    void waitingForBody(Long deadline) {
        if (phase == Phase.CLOSED || phase == Phase.LINGER) {
            return;
        } else if (deadline == null) {
            phase = Phase.HANDLER;
            timer.disarm();
        } else {
            phase = Phase.BODY;
            timer.arm(deadline);
        }
    }

    /** A handler asked for {@code connectionClosed()}: watch for the peer closing while it runs. */
    void watchForClose() {
        if (watch == null) {
            watch = new CloseWatch(stream, () -> phase == Phase.HANDLER && current != null && current.body().ended());
        }
        watch.want();
    }

    /** The body ended: a watch asked for can start now. */
    void bodyEnded() {
        if (watch != null) {
            watch.poll();
        }
    }

    /** Ends the watch, if any: the connection reads again. */
    void stopWatching() {
        if (watch != null) {
            watch.stop();
        }
    }

    /** Graceful stop: an idle connection closes now, a busy one after its current request. */
    void stopGracefully() {
        stopping = true;
        if (phase == Phase.IDLE || phase == Phase.LINGER) {
            stream.close();
        }
    }

    /** Closes the connection now and interrupts its coroutine, whatever it was doing. */
    void abort() {
        stopping = true;
        aborted = true;
        stream.close();
        Thread t = coroutine;
        if (t != null && phase != Phase.CLOSED) {
            t.interrupt();
        }
    }

    boolean responseStarted() {
        Exchange ex = current;
        return ex != null && ex.response().isStarted();
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

    Http1Parser parser() {
        return parser;
    }

    HttpServer server() {
        return server;
    }

    @Override
    public String toString() {
        return "Http1ServerConnection[" + stream.remoteAddress() + ", " + phase + ", requests=" + requests
                + (stopping ? ", stopping" : "") + (current != null ? ", " + current : "") + "]";
    }
}
