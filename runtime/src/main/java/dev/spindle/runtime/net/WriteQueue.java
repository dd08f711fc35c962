package dev.spindle.runtime.net;

import dev.spindle.runtime.internal.ResumingFuture;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.GatheringByteChannel;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The bytes a stream could not hand to the kernel yet, and the futures waiting for them.
 *
 * <p><b>Loop-confined:</b> owned by one {@link SocketStream}, used on its loop only.
 */
/*
 * Implementation notes:
 *
 * Offsets count every byte ever queued: a write's future completes once `flushed` reaches the
 * offset of its last byte. A stream creates its queue only when the kernel refuses bytes and
 * drops it when it is empty again, so a stream that keeps up with its writes never has one.
 */
final class WriteQueue {
    private static final int MAX_BATCH = 16;

    /** Queued bytes in write order, each in read mode. */
    private final ArrayDeque<ByteBuffer> chunks = new ArrayDeque<>();
    /** Futures of writes not fully flushed, in write order. */
    private final ArrayDeque<Pending> writes = new ArrayDeque<>();
    /** Futures of writeBufferAtMost(limit) calls, in call order. */
    private final List<Pending> drains = new ArrayList<>(0);
    /** Scratch array for gathering writes. */
    private final ByteBuffer[] batch = new ByteBuffer[MAX_BATCH];
    /** Bytes in {@code chunks}. */
    private long queued;
    /** Bytes handed to the kernel from this queue. */
    private long flushed;

    /** A future and the offset (or buffer limit) that completes it. */
    private record Pending(long mark, CompletableFuture<Void> future) {}

    /** Queues {@code chunk} (taking ownership) and returns the future of its write. */
    CompletableFuture<Void> add(ByteBuffer chunk) {
        chunks.addLast(chunk);
        queued += chunk.remaining();
        CompletableFuture<Void> f = new ResumingFuture<>();
        writes.addLast(new Pending(flushed + queued, f));
        return f;
    }

    /** A future completed once at most {@code limit} bytes are queued. */
    CompletableFuture<Void> atMost(long limit) {
        CompletableFuture<Void> f = new ResumingFuture<>();
        drains.add(new Pending(limit, f));
        return f;
    }

    long size() {
        return queued;
    }

    boolean isEmpty() {
        return queued == 0;
    }

    /** Whether nothing is queued and nobody waits: the stream may drop this queue. */
    boolean isIdle() {
        return queued == 0 && writes.isEmpty() && drains.isEmpty();
    }

    /** Writes queued bytes until the kernel takes no more or the queue is empty. */
    void flushTo(GatheringByteChannel channel) throws IOException {
        while (queued > 0) {
            int k = 0;
            long offered = 0;
            for (ByteBuffer b : chunks) {
                batch[k++] = b;
                offered += b.remaining();
                if (k == MAX_BATCH) {
                    break;
                }
            }
            long n = Buffers.writeTo(channel, batch, 0, k);
            Arrays.fill(batch, 0, k, null);
            queued -= n;
            flushed += n;
            while (!chunks.isEmpty() && !chunks.peekFirst().hasRemaining()) {
                chunks.pollFirst();
            }
            if (n < offered) {
                return; // The kernel buffer is full.
            }
        }
    }

    /**
     * Completes the futures whose bytes are flushed and the drains whose limit is reached. Call
     * after the stream's state is consistent: the futures' dependents run here and may write.
     */
    void completeDone() {
        Pending p;
        while ((p = writes.peekFirst()) != null && p.mark <= flushed) {
            writes.pollFirst();
            p.future.complete(null);
        }
        for (int i = 0; i < drains.size(); ) {
            Pending d = drains.get(i);
            if (queued <= d.mark) {
                drains.remove(i);
                d.future.complete(null);
            } else {
                i++;
            }
        }
    }

    /** Fails every waiting future with {@code e}; the stream is closed. */
    void failAll(RuntimeException e) {
        chunks.clear();
        queued = 0;
        for (Pending p; (p = writes.pollFirst()) != null; ) {
            p.future.completeExceptionally(e);
        }
        List<Pending> ds = List.copyOf(drains);
        drains.clear();
        for (Pending d : ds) {
            d.future.completeExceptionally(e);
        }
    }
}
