package dev.spindle.runtime.net;

import dev.spindle.runtime.IOLoop;
import dev.spindle.runtime.IoHandler;
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
 * selector (Tornado: {@code IOStream}). <b>Loop-confined:</b> call only from a coroutine or
 * callback of the owning {@link IOLoop}.
 */
/*
 * Implementation notes:
 *
 * Reading is BufferedStream's; this class supplies the socket and the selector. Interest in
 * OP_READ is dropped lazily: the first readiness event that finds no pending read removes it.
 * A connection that keeps reading costs no epoll_ctl calls, and a stream nobody reads is
 * selected at most once (the kernel buffer then applies back-pressure to the peer).
 *
 * Writing. A write goes straight to the kernel when nothing is queued; what the kernel refuses
 * is copied into a WriteQueue (created on demand, dropped when drained) and OP_WRITE is
 * selected until it drains.
 *
 *   OPEN --close(), end of stream, I/O error, full read buffer, unsatisfiable read--> CLOSED
 */
final class SocketStream extends BufferedStream implements IoHandler {
    private final SocketChannel channel;
    private final SelectionKey key;
    private final SocketAddress remote;
    /** Bytes the kernel refused and their futures; null when none wait. */
    private WriteQueue writes;
    /** What closed the stream; null while open or after a clean close. */
    private Throwable error;
    /** Created on first request. */
    private CompletableFuture<Void> closeFuture;
    /** The interest ops last set on {@code key}. */
    private int interest;
    private boolean closed;

    private SocketStream(IOLoop loop, SocketChannel channel, ByteBuffer scratch, int maxBufferSize) {
        super(loop, scratch, maxBufferSize);
        this.channel = channel;
        this.key = loop.addHandler(channel, 0, this);
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
    @Override
    public void ready(SelectionKey k) {
        int ready = k.readyOps();
        if ((ready & SelectionKey.OP_WRITE) != 0 && !closed) {
            onWritable();
        }
        if ((ready & SelectionKey.OP_READ) != 0 && !closed) {
            onReadable();
        }
    }

    @Override
    int readSource(ByteBuffer dst) throws IOException {
        return channel.read(dst);
    }

    @Override
    void selectRead(boolean on) {
        setInterest(on ? interest | SelectionKey.OP_READ : interest & ~SelectionKey.OP_READ);
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

    /** Closes the stream; {@code cause} is the error, null for a clean close. Idempotent. */
    @Override
    void closeWith(Throwable cause) {
        if (closed) {
            return;
        }
        closed = true;
        error = cause;
        if (loop.inLoop()) {
            loop.removeHandler(channel); // also makes the loop poll soon, which frees the descriptor
        } else {
            key.cancel();
        }
        try {
            channel.close();
        } catch (IOException e) {
            // Nothing to do: the descriptor is released either way.
        }
        endPendingRead();
        WriteQueue w = writes;
        writes = null;
        if (w != null) {
            w.failAll(closedException());
        }
        if (closeFuture != null) {
            closeFuture.complete(null);
        }
    }

    @Override
    StreamClosedException closedException() {
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
    public SocketAddress remoteAddress() {
        return remote;
    }

    @Override
    public String toString() {
        return describe("IoStream", "");
    }
}
