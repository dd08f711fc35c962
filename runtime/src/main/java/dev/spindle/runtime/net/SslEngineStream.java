package dev.spindle.runtime.net;

import dev.spindle.runtime.internal.ResumingFuture;
import java.io.IOException;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSession;

/**
 * The {@link TlsStream} over a {@link SocketStream}: records the socket stream receives are
 * unwrapped into the read side this class inherits, and what is written is wrapped into records
 * the socket stream writes (Tornado: {@code SSLIOStream}). <b>Loop-confined:</b> call only from a
 * coroutine or callback of the owning loop.
 */
/*
 * Implementation notes:
 *
 * Layering. The socket stream below carries the records: its readBuffer() holds those received
 * and not yet unwrapped (once this stream has caught up, at most part of one record), its fill()
 * reads more, and its write path (straight to the kernel, the rest queued in order) carries the
 * records this stream wraps. So flow control, write futures and the write buffer are the socket
 * stream's, counted in record bytes; TlsHandshake uses the same two doors.
 *
 * Reading. BufferedStream calls readSource with the loop's TLS buffer (not the socket reads'
 * buffer: the socket stream reads into that one within the same call). It unwraps records
 * until it has produced something, the buffer cannot hold another record, or only part of one
 * is left; then it tries one socket fill at once, and if that must wait, the fill's completion
 * (`wake`) calls onReadable, as the selector does for a plain socket. The socket stream's
 * readiness is thus driven by this stream's reads: nobody reading, nothing is read below either.
 *
 * Suspension inside the engine. The engine may park the coroutine calling it (a contended JDK
 * lock, see Buffers) with this stream's plaintext or records in the loop's buffer, and the loop
 * then runs other streams' reads and writes. readSource and wrap therefore mark that buffer held
 * while they use it, and other users take a new buffer meanwhile (Buffers.Shared.get). Such a
 * coroutine also holds the engine's own lock, and a loop callback that called the engine then
 * would block the carrier the coroutine needs to resume: a deadlock. So every engine call
 * records its caller (engineUser), and work arriving from another thread of control while one
 * is inside waits for it: a write or a key-update answer goes to the next loop iteration, and a
 * close sends no close_notify (the socket closes; the peer sees a truncation).
 *
 * The engines of all streams share locks too (EngineCalls), so a loop callback must not enter
 * any engine while a coroutine of the loop is parked inside one: a read or a deferred write
 * goes on in a coroutine then, a key-update answer and a handshake step likewise, and a close
 * sends no close_notify.
 *
 * After the handshake, a TLS 1.3 key update is answered from a loop callback, not from within
 * readSource (a write may fail and run other code that reads a TLS stream of this loop, which
 * would reuse the buffer readSource is filling); a TLS 1.2 renegotiation closes the stream.
 *
 * Closing: close() sends close_notify if nothing is queued before it (queued records are dropped
 * on close, and a close_notify after a record cut short is garbage); the peer's close_notify is
 * the end of the stream; the connection's end without one closes with an SSLException (the
 * JDK's SSLSocket does the same).
 *
 *   OPEN --close(), close_notify, end of connection, SSLException, renegotiation--> CLOSED
 */
final class SslEngineStream extends BufferedStream implements TlsStream {
    private static final ByteBuffer[] NOTHING = {};
    /** Versions that have renegotiation; TLS 1.3 has key updates instead. */
    private static final Set<String> RENEGOTIABLE = Set.of("SSLv3", "TLSv1", "TLSv1.1", "TLSv1.2");

    /** The stream of the connection, carrying records. */
    final SocketStream socket;
    final SSLEngine engine;
    /** The loop's buffer records are unwrapped into; holds nothing between calls. */
    private final Buffers.Shared plain;
    /** The loop's buffer records are wrapped into; holds nothing between calls. */
    private final Buffers.Shared net;
    /** Writes made while another caller was inside the engine, to be written in order (writeDeferred). */
    private final ArrayDeque<Later> later = new ArrayDeque<>();
    /** The thread (coroutine) inside an engine call of this stream's, or null. Loop-confined. */
    private Thread engineUser;
    /** The loop's count of coroutines inside an engine call, of any stream. */
    final EngineCalls calls;
    /** A pending socket fill whose completion resumes reading; null when none. */
    private CompletableFuture<Integer> wake;
    /** Whether a callback or coroutine will resume reading (see selectRead and readSource). */
    private boolean resumeScheduled;
    /** Whether a callback will send the records the engine asked to wrap after a read. */
    private boolean answerScheduled;
    /** The most plaintext one record holds: readSource stops with less room than this. */
    private int recordSize;
    /** Whether the handshake completed; set once by {@link #established}. */
    private boolean established;
    private String serverName;
    /** The protocol and the ALPN protocol (null if none) of the established session, kept so that reading them needs no engine call. */
    private String protocol;
    private String alpn;
    private boolean closed;
    /** What closed this stream; null while open or after a clean close. */
    private Throwable error;

    SslEngineStream(SocketStream socket, SSLEngine engine) {
        super(socket.loop, Buffers.scratch(socket.loop, Buffers.Scratch.TLS_PLAIN), socket.maxBufferSize());
        this.socket = socket;
        this.engine = engine;
        this.plain = Buffers.shared(socket.loop, Buffers.Scratch.TLS_PLAIN);
        this.net = Buffers.shared(socket.loop, Buffers.Scratch.TLS_NET);
        this.recordSize = engine.getSession().getApplicationBufferSize();
        this.calls = EngineCalls.of(socket.loop);
    }

    /** The handshake completed; {@code sni} is the connection's server name, or null. */
    void established(String sni) {
        established = true;
        serverName = sni;
        recordSize = engine.getSession().getApplicationBufferSize();
        protocol = engine.getSession().getProtocol();
        String p = engine.getApplicationProtocol();
        alpn = p == null || p.isEmpty() ? null : p;
    }

    // ---------------------------------------------------------------- reads

    @Override
    ByteBuffer readScratch() {
        return plain.get();
    }

    @Override
    int readSource(ByteBuffer dst) throws IOException {
        if (calls.carrierMustWait()) {
            readOnCoroutine();
            return 0;
        }
        Thread previous = enterEngine(plain, dst); // The engine may park this coroutine with plaintext in dst.
        try {
            return unwrapInto(dst);
        } finally {
            leaveEngine(previous, plain, dst);
        }
    }

    /**
     * Marks the current thread as inside this stream's engine, and {@code shared} held if
     * {@code b} is its buffer; returns the mark to restore with {@link #leaveEngine}.
     */
    private Thread enterEngine(Buffers.Shared shared, ByteBuffer b) {
        calls.enter();
        shared.held |= b == shared.buffer;
        Thread previous = engineUser;
        engineUser = Thread.currentThread();
        return previous;
    }

    /** Undoes {@link #enterEngine}. */
    private void leaveEngine(Thread previous, Buffers.Shared shared, ByteBuffer b) {
        if (b == shared.buffer) {
            shared.held = false;
        }
        engineUser = previous;
        calls.leave();
    }

    /**
     * A loop callback wanted to read while a coroutine of the loop is parked inside an engine:
     * the read goes on in a coroutine of its own (see {@link EngineCalls}).
     */
    private void readOnCoroutine() {
        if (!resumeScheduled) {
            resumeScheduled = true;
            EngineCalls.onCoroutine(loop, "tls-read", () -> {
                resumeScheduled = false;
                onReadable();
            });
        }
    }

    /** Whether another caller (a coroutine, maybe parked) is inside this stream's engine now. */
    private boolean engineBusyElsewhere() {
        Thread user = engineUser;
        return user != null && user != Thread.currentThread();
    }

    /** Unwraps what the socket stream holds into {@code dst}; see {@link #readSource}. */
    private int unwrapInto(ByteBuffer dst) throws IOException {
        int start = dst.position();
        while (true) {
            SSLEngineResult r = engine.unwrap(socket.readBuffer(), dst);
            int produced = dst.position() - start;
            switch (r.getStatus()) {
                case OK -> {
                    afterRecord(r.getHandshakeStatus());
                    if (dst.remaining() < recordSize) {
                        return produced;
                    }
                }
                case CLOSED -> {
                    return produced > 0 ? produced : -1; // The peer's close_notify.
                }
                case BUFFER_UNDERFLOW -> {
                    if (produced > 0 || !fillNow()) {
                        return produced;
                    }
                    dst.limit(dst.capacity()).position(start); // A failing fill may have run code that used it.
                }
                case BUFFER_OVERFLOW -> throw new SSLException("a TLS record does not fit in " + dst.remaining() + " bytes");
            }
        }
    }

    /** Unwraps one handshake record into {@code dst}, from {@link #readScratch()}, which it holds meanwhile. */
    SSLEngineResult unwrapHandshake(ByteBuffer dst) throws SSLException {
        Thread previous = enterEngine(plain, dst);
        try {
            return engine.unwrap(socket.readBuffer(), dst);
        } finally {
            leaveEngine(previous, plain, dst);
        }
    }

    /** Reads more records at once: true if some came; false if they must be waited for ({@link #wake} is set). */
    private boolean fillNow() throws IOException {
        if (wake != null) {
            return false;
        }
        CompletableFuture<Integer> f = socket.fill();
        if (!f.isDone()) {
            wake = f;
            f.whenComplete(this::woken);
            return false;
        } else if (f.isCompletedExceptionally()) {
            throw socketEnded();
        }
        return true;
    }

    @Override
    boolean sourceMayHaveMore(ByteBuffer dst) {
        return wake == null && !resumeScheduled;
    }

    /** The socket stream has more records, or has ended. Runs on the loop. */
    private void woken(Integer n, Throwable e) {
        wake = null;
        if (closed) {
            return;
        } else if (e != null) {
            closeWith(socketEnded());
        } else {
            onReadable();
        }
    }

    /**
     * BufferedStream waits for bytes: a wake is pending, or it stopped reading with records
     * perhaps left in the socket stream's buffer (it reads a bounded amount per event), and goes
     * on in a later callback so that other streams get their turn.
     */
    @Override
    void selectRead(boolean on) {
        if (on && wake == null && !resumeScheduled) {
            resumeScheduled = true;
            loop.execute(() -> {
                resumeScheduled = false;
                onReadable();
            });
        }
    }

    /** Why the socket stream ended: its error, or a truncation if it ended cleanly without close_notify. */
    private IOException socketEnded() {
        Throwable e = socket.error();
        if (e instanceof IOException io) {
            return io;
        }
        return e != null ? new IOException(e)
                : new SSLException("the connection ended without a TLS close_notify: the data may be truncated");
    }

    /** Handles what the engine asks for after a record of the established session. */
    private void afterRecord(HandshakeStatus hs) throws SSLException {
        if (hs == HandshakeStatus.NOT_HANDSHAKING || hs == HandshakeStatus.FINISHED) {
            return;
        }
        String protocol = established ? this.protocol : engine.getSession().getProtocol();
        if (RENEGOTIABLE.contains(protocol)) {
            throw new SSLException("TLS renegotiation refused: the peer started a new " + protocol
                    + " handshake on an established connection");
        }
        runTasksHere();
        if (engine.getHandshakeStatus() == HandshakeStatus.NEED_WRAP && !answerScheduled) {
            answerScheduled = true; // A key update to answer.
            loop.execute(this::answerKeyUpdate);
        }
    }

    /** The scheduled key-update answer: a callback, so it waits while a coroutine is inside the engine. */
    private void answerKeyUpdate() {
        if (engineBusyElsewhere()) {
            loop.execute(this::answerKeyUpdate);
            return;
        } else if (calls.movedToCoroutine(loop, "tls-key-update", this::answerKeyUpdate)) {
            return;
        }
        answerScheduled = false;
        if (!isClosed()) {
            write(NOTHING); // A failure closes the stream; readers see it there.
        }
    }

    /**
     * Runs delegated tasks on the loop: only after the handshake, where the JDK's engine asks for
     * none (it handles key updates and session tickets within unwrap); another provider's would
     * be as small.
     */
    private void runTasksHere() {
        for (Runnable t; (t = engine.getDelegatedTask()) != null; ) {
            t.run();
        }
    }

    // ---------------------------------------------------------------- writes

    @Override
    public CompletableFuture<Void> write(ByteBuffer... srcs) {
        Objects.requireNonNull(srcs, "srcs");
        loop.checkInLoop();
        if (isClosed()) {
            return CompletableFuture.failedFuture(closedException());
        } else if (engineBusyElsewhere() || calls.carrierMustWait() || !later.isEmpty()) {
            return writeLater(Buffers.copyOf(srcs, Buffers.remaining(srcs)));
        }
        return writeNow(srcs);
    }

    /** Wraps and writes {@code srcs}; the caller checked that the stream is open and the engine free. */
    private CompletableFuture<Void> writeNow(ByteBuffer[] srcs) {
        try {
            CompletableFuture<Void> written;
            do {
                written = socket.write(wrap(srcs));
                if (engine.getHandshakeStatus() == HandshakeStatus.NEED_TASK) {
                    runTasksHere();
                }
            } while (!isClosed() && (Buffers.remaining(srcs) > 0 || engine.getHandshakeStatus() == HandshakeStatus.NEED_WRAP));
            return written;
        } catch (SSLException e) {
            closeWith(e);
            return CompletableFuture.failedFuture(closedException());
        }
    }

    /**
     * Wraps {@code srcs} into the loop's record buffer until they are consumed and the engine
     * has nothing more to send, the buffer is full, or the engine needs a task; returns the
     * records, in read mode, to be written before the buffer is used again (within the same task,
     * with nothing in between that may park).
     */
    ByteBuffer wrap(ByteBuffer[] srcs) throws SSLException {
        ByteBuffer out = net.get().clear();
        Thread previous = enterEngine(net, out); // The engine may park this coroutine with records in out.
        try {
            return wrapInto(srcs, out);
        } finally {
            leaveEngine(previous, net, out);
        }
    }

    private ByteBuffer wrapInto(ByteBuffer[] srcs, ByteBuffer out) throws SSLException {
        while (true) {
            SSLEngineResult r = engine.wrap(srcs, out);
            HandshakeStatus hs = r.getHandshakeStatus();
            switch (r.getStatus()) {
                case BUFFER_OVERFLOW -> {
                    if (out.position() == 0) {
                        throw new SSLException("a TLS record does not fit in " + out.capacity() + " bytes");
                    }
                    return out.flip();
                }
                case CLOSED -> {
                    if (Buffers.remaining(srcs) > 0) {
                        throw new SSLException("the TLS engine of " + this + " is closed");
                    }
                    return out.flip();
                }
                default -> {
                    if (hs == HandshakeStatus.NEED_TASK || Buffers.remaining(srcs) == 0 && hs != HandshakeStatus.NEED_WRAP) {
                        return out.flip();
                    }
                }
            }
        }
    }

    /** A write that waits for the coroutine inside the engine: {@code copy} is written, in order, in a later iteration. */
    private CompletableFuture<Void> writeLater(ByteBuffer copy) {
        Later w = new Later(copy, new ResumingFuture<>());
        if (later.isEmpty()) {
            loop.execute(this::writeDeferred);
        }
        later.addLast(w);
        return w.done;
    }

    /** Writes the deferred writes in order once no other caller is inside the engine. A loop callback or coroutine. */
    private void writeDeferred() {
        if (engineBusyElsewhere()) {
            loop.execute(this::writeDeferred);
            return;
        } else if (calls.movedToCoroutine(loop, "tls-write", this::writeDeferred)) {
            return;
        }
        for (Later w; (w = later.pollFirst()) != null; ) {
            CompletableFuture<Void> done = w.done;
            CompletableFuture<Void> written = isClosed() ? CompletableFuture.failedFuture(closedException())
                    : writeNow(new ByteBuffer[] {w.copy});
            written.whenComplete((v, e) -> {
                if (e != null) {
                    done.completeExceptionally(e);
                } else {
                    done.complete(null);
                }
            });
        }
    }

    /** A deferred write: its bytes and its future. */
    private record Later(ByteBuffer copy, CompletableFuture<Void> done) {}

    @Override
    public long writeBufferSize() {
        return socket.writeBufferSize();
    }

    @Override
    public CompletableFuture<Void> writeBufferAtMost(long bytes) {
        return socket.writeBufferAtMost(bytes);
    }

    // ---------------------------------------------------------------- closing

    @Override
    void closeWith(Throwable cause) {
        if (closed) {
            return;
        }
        closed = true;
        error = cause != null ? cause : socket.error();
        sayGoodbye();
        endPendingRead();
        socket.closeWith(error);
    }

    /** Sends close_notify, or the alert the engine has after a failure, unless records are still queued. */
    private void sayGoodbye() {
        if (socket.isClosed() || socket.writeBufferSize() > 0 || engineBusyElsewhere() || calls.carrierMustWait()) {
            return;
        }
        engine.closeOutbound();
        try {
            ByteBuffer records = wrap(NOTHING);
            if (records.hasRemaining()) {
                socket.write(records);
            }
        } catch (SSLException e) {
            // The connection ends without the goodbye; the peer sees a truncation.
        }
    }

    @Override
    StreamClosedException closedException() {
        return new StreamClosedException("TLS stream to " + remoteAddress() + " is closed", error());
    }

    @Override
    public boolean isClosed() {
        return closed || socket.isClosed();
    }

    @Override
    public Throwable error() {
        return closed ? error : socket.error();
    }

    @Override
    public CompletableFuture<Void> closeFuture() {
        return socket.closeFuture();
    }

    // ---------------------------------------------------------------- the rest

    @Override
    public SSLSession session() {
        return engine.getSession();
    }

    @Override
    public String applicationProtocol() {
        return alpn; // Null until established; TLS 1.3 has no renegotiation, and TLS 1.2's is refused.
    }

    @Override
    public String serverName() {
        return serverName;
    }

    @Override
    public void setNoDelay(boolean noDelay) {
        socket.setNoDelay(noDelay);
    }

    @Override
    public SocketAddress remoteAddress() {
        return socket.remoteAddress();
    }

    @Override
    public String toString() {
        return describe("TlsStream", established ? protocol + (alpn != null ? " " + alpn : "") : "handshaking");
    }
}
