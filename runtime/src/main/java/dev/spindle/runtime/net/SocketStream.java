package dev.spindle.runtime.net;

import dev.spindle.runtime.IOLoop;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.SocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.CancelledKeyException;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * The {@link IoStream} of a non-blocking {@link SocketChannel} registered with its loop's
 * selector.
 *
 * <p><b>Loop-confined:</b> call only from a coroutine or callback of the owning {@link IOLoop}.
 */
/*
 * Implementation notes:
 *
 * Reading. A read first takes what it needs from the leftover (bytes received and not yet
 * taken). If that is not enough and the socket may hold more, it reads the socket at once into
 * the loop's shared scratch buffer (Buffers); only if the read is still unsatisfied does it ask
 * the selector for OP_READ. Bytes go from the scratch straight into the read's result; the
 * rest is copied into the leftover before any future completes. `mayHaveMore` skips the
 * immediate read when the last socket read drained the socket: then a read system call would
 * almost always return nothing, and the selector will say when bytes arrive.
 *
 * Interest in OP_READ is dropped lazily: the first readiness event that finds no pending read
 * removes it. A connection that keeps reading costs no epoll_ctl calls, and a stream nobody
 * reads is selected at most once (the kernel buffer then applies back-pressure to the peer).
 *
 * Writing. A write goes straight to the kernel when nothing is queued; what the kernel refuses
 * is copied into a WriteQueue (created on demand) and OP_WRITE is selected until it drains.
 *
 *   OPEN --close(), end of stream, I/O error, full read buffer, unsatisfiable read--> CLOSED
 */
final class SocketStream implements IoStream {
    /** Socket reads per readiness event at most, so one busy stream cannot starve the loop. */
    private static final int MAX_READS_PER_EVENT = 16;

    private final IOLoop loop;
    private final SocketChannel channel;
    private final SelectionKey key;
    private final SocketAddress remote;
    /** The loop's read buffer; holds this stream's bytes only within one task. */
    private final ByteBuffer scratch;
    /** Bytes received and not taken yet, in read mode; null or empty when there are none. */
    private ByteBuffer leftover;
    /** The pending read, or null; a done one was cancelled by its caller (see pendingRead). */
    private Read<?> read;
    /** Bytes the kernel refused and their futures; null when none wait. */
    private WriteQueue writes;
    /** What closed the stream; null while open or after a clean close. */
    private Throwable error;
    /** Created on first request. */
    private CompletableFuture<Void> closeFuture;
    private int maxBufferSize;
    /** The interest ops last set on {@code key}. */
    private int interest;
    private boolean closed;
    /** Whether the socket may hold unread bytes, so that a read should try it before waiting. */
    private boolean mayHaveMore = true;

    private SocketStream(IOLoop loop, SocketChannel channel, ByteBuffer scratch, int maxBufferSize) {
        this.loop = loop;
        this.channel = channel;
        this.scratch = scratch;
        this.maxBufferSize = maxBufferSize;
        this.key = loop.addHandler(channel, 0, this::onReady);
        SocketAddress r;
        try {
            r = channel.getRemoteAddress();
        } catch (IOException e) {
            r = null;
        }
        this.remote = r;
    }

    /** Wraps a connected channel; see {@link IoStream#create}. */
    static SocketStream open(IOLoop loop, SocketChannel channel, ByteBuffer scratch, int maxBufferSize) {
        Objects.requireNonNull(loop, "loop");
        Objects.requireNonNull(channel, "channel");
        loop.checkInLoop();
        if (!channel.isConnected()) {
            throw new IllegalArgumentException("channel is not connected: " + channel);
        }
        return new SocketStream(loop, channel, scratch, maxBufferSize);
    }

    // ---------------------------------------------------------------- reads

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

    private int buffered() {
        return leftover == null ? 0 : leftover.remaining();
    }

    private <T> Read<T> start(Read<T> r) {
        loop.checkInLoop();
        if (pendingRead() != null) {
            throw new IllegalStateException("a read is already pending on " + this + "; await it (or cancel its"
                    + " future) before starting " + r.describe() + ": a stream serves one read at a time");
        }
        read = r;
        if (buffered() > 0 && offer(r, leftover)) {
            return r;
        } else if (closed) {
            end(r);
        } else if (mayHaveMore) {
            pump(r);
        } else {
            setInterest(interest | SelectionKey.OP_READ);
        }
        return r;
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
            ByteBuffer s = scratch.clear();
            int n;
            try {
                n = channel.read(s);
            } catch (IOException e) {
                closeWith(e);
                return;
            }
            if (n < 0) {
                closeWith(null);
                return;
            }
            mayHaveMore = !s.hasRemaining();
            if (n > 0 && ingest(r, s.flip())) {
                return;
            } else if (!mayHaveMore) {
                break;
            }
        }
        setInterest(interest | SelectionKey.OP_READ);
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

    /** Moves the unread bytes of the scratch into the leftover; false if that closed the stream. */
    private boolean keep(ByteBuffer s) {
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
        Object v = error == null ? r.atEnd(leftover) : null;
        if (v != null) {
            complete(r, v);
        } else {
            r.completeExceptionally(closedException());
        }
    }

    // ---------------------------------------------------------------- writes

    @Override
    public CompletableFuture<Void> write(ByteBuffer... srcs) {
        Objects.requireNonNull(srcs, "srcs");
        loop.checkInLoop();
        if (closed) {
            return CompletableFuture.failedFuture(closedException());
        }
        WriteQueue w = writes;
        if (w == null || w.isEmpty()) {
            try {
                Buffers.writeTo(channel, srcs, 0, srcs.length);
            } catch (IOException e) {
                closeWith(e);
                return CompletableFuture.failedFuture(closedException());
            }
        }
        long left = Buffers.remaining(srcs);
        if (left == 0 && (w == null || w.isEmpty())) {
            return CompletableFuture.completedFuture(null);
        } else if (w == null) {
            writes = w = new WriteQueue();
        }
        CompletableFuture<Void> f = w.add(Buffers.copyOf(srcs, left));
        setInterest(interest | SelectionKey.OP_WRITE);
        return f;
    }

    @Override
    public long writeBufferSize() {
        return writes == null ? 0 : writes.size();
    }

    @Override
    public CompletableFuture<Void> writeBufferAtMost(long bytes) {
        if (bytes < 0) {
            throw new IllegalArgumentException("bytes < 0: " + bytes);
        }
        loop.checkInLoop();
        if (closed) {
            return CompletableFuture.failedFuture(closedException());
        } else if (writeBufferSize() <= bytes) {
            return CompletableFuture.completedFuture(null);
        }
        return writes.atMost(bytes);
    }

    private void onWritable() {
        WriteQueue w = writes;
        if (w == null) {
            setInterest(interest & ~SelectionKey.OP_WRITE);
            return;
        }
        try {
            w.flushTo(channel);
        } catch (IOException e) {
            closeWith(e);
            return;
        }
        if (w.isEmpty()) {
            setInterest(interest & ~SelectionKey.OP_WRITE);
        }
        w.completeDone(); // Last: the futures' dependents may write again.
        if (writes == w && w.isIdle()) {
            writes = null;
        }
    }

    // ---------------------------------------------------------------- selector and closing

    /** Readiness of the channel. Runs on the loop thread, not in a coroutine. */
    private void onReady(SelectionKey k) {
        int ready = k.readyOps();
        if ((ready & SelectionKey.OP_WRITE) != 0 && !closed) {
            onWritable();
        }
        if ((ready & SelectionKey.OP_READ) != 0 && !closed) {
            Read<?> r = pendingRead();
            if (r != null) {
                pump(r);
            } else {
                mayHaveMore = true;
                setInterest(interest & ~SelectionKey.OP_READ);
            }
        }
    }

    private void setInterest(int ops) {
        if (ops != interest && !closed) {
            interest = ops;
            try {
                key.interestOps(ops);
            } catch (CancelledKeyException e) {
                closeWith(new IOException("the selector let go of the channel: was " + loop.name() + " closed?", e));
            }
        }
    }

    @Override
    public void close() {
        loop.checkInLoop();
        closeWith(null);
    }

    /** Closes the stream; {@code cause} is the error, null for a clean close. Idempotent. */
    private void closeWith(Throwable cause) {
        if (closed) {
            return;
        }
        closed = true;
        error = cause;
        key.cancel();
        try {
            channel.close();
        } catch (IOException e) {
            // Nothing to do: the descriptor is released either way.
        }
        Read<?> r = pendingRead();
        if (r != null) {
            end(r);
        }
        WriteQueue w = writes;
        writes = null;
        if (w != null) {
            w.failAll(closedException());
        }
        if (closeFuture != null) {
            closeFuture.complete(null);
        }
    }

    private StreamClosedException closedException() {
        return new StreamClosedException("Stream to " + remote + " is closed", error);
    }

    @Override
    public boolean isClosed() {
        return closed;
    }

    @Override
    public Throwable error() {
        return error;
    }

    @Override
    public CompletableFuture<Void> closeFuture() {
        if (closeFuture == null) {
            closeFuture = closed ? CompletableFuture.completedFuture(null) : new CompletableFuture<>();
        }
        return closeFuture;
    }

    @Override
    public void setNoDelay(boolean noDelay) {
        if (closed) {
            return;
        }
        try {
            channel.setOption(StandardSocketOptions.TCP_NODELAY, noDelay);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot set TCP_NODELAY on " + this, e);
        }
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
    public SocketAddress remoteAddress() {
        return remote;
    }

    @Override
    public IOLoop loop() {
        return loop;
    }

    @Override
    public String toString() {
        Read<?> r = read;
        return "IoStream[" + remote + (closed ? ", closed" + (error != null ? " by " + error : "") : ", open")
                + (r != null && !r.isDone() ? ", " + r.describe() : "")
                + ", buffered " + buffered() + " in / " + writeBufferSize() + " out]";
    }
}
