package dev.spindle.runtime.net;

import dev.spindle.runtime.IOLoop;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * The read side of a stream over a non-blocking byte source: the bytes received and not yet
 * taken, the one pending read, and how socket reads feed it (Tornado: {@code BaseIOStream}).
 *
 * <p><b>Loop-confined:</b> call only from a coroutine or callback of the owning {@link IOLoop}.
 */
/*
 * Implementation notes:
 *
 * A read first takes what it needs from the leftover (bytes received and not yet taken). If
 * that is not enough and the source may hold more, it reads the source at once into the loop's
 * shared scratch buffer (Buffers); only if the read is still unsatisfied does the subclass ask
 * the selector for readability. Bytes go from the scratch straight into the read's result; the
 * rest is copied into the leftover before any future completes, since completing runs code
 * that may read another stream of the loop. `mayHaveMore` skips the immediate read when the
 * last read drained the source: a read system call would then almost always return nothing,
 * and the selector will say when bytes arrive. A read that has to wait first lets go of an
 * emptied leftover (a fill() leaves it to its caller to take the bytes), so an idle stream
 * holds no buffer.
 */
abstract class BufferedStream implements IoStream {
    /** Source reads per readiness event at most, so one busy stream cannot starve the loop. */
    private static final int MAX_READS_PER_EVENT = 16;

    final IOLoop loop;
    /** The loop's read buffer; holds this stream's bytes only within one task. */
    private final ByteBuffer scratch;
    /** Bytes received and not taken yet, in read mode; null or empty when there are none. */
    private ByteBuffer leftover;
    /** The pending read, or null; a done one was cancelled by its caller (see pendingRead). */
    private Read<?> read;
    private int maxBufferSize;
    /** Whether the source may hold unread bytes, so that a read should try it before waiting. */
    private boolean mayHaveMore = true;

    BufferedStream(IOLoop loop, ByteBuffer scratch, int maxBufferSize) {
        this.loop = loop;
        this.scratch = scratch;
        this.maxBufferSize = maxBufferSize;
    }

    /** The buffer the next source read goes into: the loop's scratch buffer unless a subclass says otherwise. */
    ByteBuffer readScratch() {
        return scratch;
    }

    /** Reads from the source into {@code dst}, like {@link java.nio.channels.ReadableByteChannel#read}. */
    abstract int readSource(ByteBuffer dst) throws IOException;

    /** Asks the selector to report readability ({@code on}) or to stop doing so. */
    abstract void selectRead(boolean on);

    /**
     * Whether the source may hold more bytes after a {@link #readSource} call that left
     * {@code dst} (in write mode) as it is: by default, if the read filled it.
     */
    boolean sourceMayHaveMore(ByteBuffer dst) {
        return !dst.hasRemaining();
    }

    /** Closes the stream with {@code cause} (null: cleanly); it must call {@link #endPendingRead}. */
    abstract void closeWith(Throwable cause);

    /** The exception for operations on the closed stream, carrying {@link #error()}. */
    abstract StreamClosedException closedException();

    @Override
    public void close() {
        loop.checkInLoop();
        closeWith(null);
    }

    @Override
    public CompletableFuture<byte[]> readUntil(byte[] delimiter, int maxBytes) {
        Objects.requireNonNull(delimiter, "delimiter");
        if (delimiter.length == 0) {
            throw new IllegalArgumentException("empty delimiter");
        } else if (maxBytes < 1) {
            throw new IllegalArgumentException("maxBytes < 1: " + maxBytes);
        }
        return start(new Read.Until(delimiter, maxBytes));
    }

    @Override
    public CompletableFuture<byte[]> readBytes(int n, boolean partial) {
        if (n < 0 || n > maxBufferSize) {
            throw new IllegalArgumentException("n must be in [0, maxBufferSize=" + maxBufferSize + "]: " + n);
        }
        return start(new Read.Bytes(n, partial));
    }

    @Override
    public CompletableFuture<Integer> readInto(ByteBuffer dst, boolean partial) {
        Objects.requireNonNull(dst, "dst");
        if (dst.isReadOnly()) {
            throw new IllegalArgumentException("dst is read-only: " + dst);
        }
        return start(new Read.Into(dst, partial));
    }

    @Override
    public CompletableFuture<byte[]> readUntilRegex(java.util.regex.Pattern pattern, int maxBytes) {
        Objects.requireNonNull(pattern, "pattern");
        if (maxBytes < 1) {
            throw new IllegalArgumentException("maxBytes < 1: " + maxBytes);
        }
        return start(new Read.UntilRegex(pattern, maxBytes));
    }

    @Override
    public CompletableFuture<byte[]> readUntilClose() {
        return start(new Read.ToClose());
    }

    @Override
    public CompletableFuture<Integer> fill() {
        return start(new Read.Fill(buffered()));
    }

    @Override
    public ByteBuffer readBuffer() {
        return leftover != null ? leftover : Buffers.EMPTY;
    }

    int buffered() {
        return leftover == null ? 0 : leftover.remaining();
    }

    private <T> Read<T> start(Read<T> r) {
        loop.checkInLoop();
        if (pendingRead() != null) {
            throw new IllegalStateException("a read is already pending on " + this + "; await it (or cancel its"
                    + " future) before starting " + r.describe() + ": a stream serves one read at a time");
        }
        read = r;
        if (offer(r, readBuffer())) { // Even an empty buffer: readBytes(0) needs nothing more.
            return r;
        } else if (isClosed()) {
            end(r);
        } else if (mayHaveMore) {
            pump(r);
        } else {
            waitForSource();
        }
        return r;
    }

    /** The pending read needs more bytes than the source has now: lets go of an empty leftover and waits. */
    private void waitForSource() {
        if (leftover != null && !leftover.hasRemaining()) {
            leftover = null;
        }
        selectRead(true);
    }

    /** The pending read; forgets one its caller cancelled, giving back the bytes it took. */
    private Read<?> pendingRead() {
        Read<?> r = read;
        if (r != null && r.isDone()) {
            read = null;
            leftover = r.giveBack(leftover);
            return null;
        }
        return r;
    }

    /** Reads the socket until {@code r} is over or the socket has nothing; then waits for the selector. */
    private void pump(Read<?> r) {
        for (int i = 0; i < MAX_READS_PER_EVENT; i++) {
            ByteBuffer s = readScratch().clear();
            int n;
            try {
                n = readSource(s);
            } catch (IOException e) {
                closeWith(e);
                return;
            }
            if (n < 0) {
                closeWith(null);
                return;
            }
            mayHaveMore = sourceMayHaveMore(s);
            if (n > 0 && ingest(r, s.flip())) {
                return;
            } else if (!mayHaveMore) {
                break;
            }
        }
        waitForSource();
    }

    /** Offers fresh bytes (in the scratch) to {@code r} and keeps the rest; true if {@code r} is over. */
    private boolean ingest(Read<?> r, ByteBuffer s) {
        if (buffered() > 0) {
            return keep(s) && offer(r, leftover);
        }
        Object v;
        try {
            v = r.consume(s);
        } catch (UnsatisfiableReadException e) {
            closeWith(e);
            return true;
        }
        if (!keep(s)) {
            return true;
        } else if (v != null) {
            complete(r, v);
            return true;
        }
        return false;
    }

    /**
     * Moves the unread bytes of {@code s} (the scratch, or bytes a TLS handshake unwrapped) into
     * the leftover; false if that closed the stream.
     */
    boolean keep(ByteBuffer s) {
        if (!s.hasRemaining()) {
            return true;
        } else if ((long) buffered() + s.remaining() > maxBufferSize) {
            closeWith(new IOException("Reached maximum read buffer size of " + maxBufferSize + " bytes"));
            return false;
        }
        leftover = Buffers.append(leftover, s);
        return true;
    }

    /** Offers {@code buf} to {@code r}; true if {@code r} is over (done, or failed by closing). */
    private boolean offer(Read<?> r, ByteBuffer buf) {
        Object v;
        try {
            v = r.consume(buf);
        } catch (UnsatisfiableReadException e) {
            closeWith(e);
            return true;
        }
        if (v == null) {
            return false;
        }
        complete(r, v);
        return true;
    }

    @SuppressWarnings("unchecked")
    private void complete(Read<?> r, Object value) {
        read = null;
        if (leftover != null && !leftover.hasRemaining()) {
            leftover = null; // An idle stream holds no buffer.
        }
        ((Read<Object>) r).complete(value);
    }

    /** Ends {@code r} on a closed stream: its end-of-stream result, or a failure. */
    private void end(Read<?> r) {
        read = null;
        Object v = error() == null ? r.atEnd(leftover) : null;
        if (v != null) {
            complete(r, v);
        } else {
            r.completeExceptionally(closedException());
        }
    }

    /** The source is readable. Runs on the loop, in a callback (or, for a TLS stream, maybe a coroutine). */
    void onReadable() {
        Read<?> r = pendingRead();
        if (r != null) {
            pump(r);
        } else {
            mayHaveMore = true; // Nobody wants the bytes yet: leave them to the kernel.
            selectRead(false);
        }
    }

    /** Ends the pending read of a stream that just closed. */
    void endPendingRead() {
        Read<?> r = pendingRead();
        if (r != null) {
            end(r);
        }
    }

    /** The {@code toString} of a stream: {@code kind[peer, detail, state, pending read, bytes buffered]}. */
    String describe(String kind, String detail) {
        Read<?> r = read;
        Throwable e = error();
        return kind + "[" + remoteAddress() + (detail.isEmpty() ? "" : ", " + detail)
                + (isClosed() ? ", closed" + (e != null ? " by " + e : "") : ", open")
                + (r != null && !r.isDone() ? ", " + r.describe() : "")
                + ", buffered " + buffered() + " in / " + writeBufferSize() + " out]";
    }

    @Override
    public int maxBufferSize() {
        return maxBufferSize;
    }

    @Override
    public void setMaxBufferSize(int bytes) {
        if (bytes < 1) {
            throw new IllegalArgumentException("maxBufferSize < 1: " + bytes);
        }
        maxBufferSize = bytes;
    }

    @Override
    public IOLoop loop() {
        return loop;
    }
}
