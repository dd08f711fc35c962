package dev.spindle.runtime.net;

import dev.spindle.runtime.IOLoop;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.GatheringByteChannel;
import java.util.Collections;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * Byte-buffer helpers of the streams, and the loop-owned buffers every socket read goes into.
 *
 * <p><b>Thread-safe:</b> {@link #scratch} may be called from any thread; the other methods work
 * on buffers their caller owns.
 */
/*
 * Implementation notes:
 *
 * A stream never owns a read buffer while it has nothing buffered: the socket is read into one
 * heap buffer per loop (the scratch), the pending read takes what it needs from there, and only
 * the leftover bytes are copied into a buffer of the stream's own, sized to fit them. Sharing
 * is safe because the loop runs one task at a time and a stream always moves its leftover out
 * of the scratch before it completes a future (which may run code that reads another stream).
 *
 * TLS streams need two more per loop, made on first use: one their records are unwrapped into
 * (a TLS stream is a stream over a socket stream, and both read within one task, so they cannot
 * share one buffer) and one records are wrapped into before they are written.
 *
 * Those two are filled by the SSLEngine, which may park a coroutine calling it: the JDK's engine
 * takes locks that threads off the loop take too (a client's NewSessionTicket goes into the
 * session cache that handshakes look up in their tasks), and a virtual thread that meets a
 * contended lock unmounts, so its loop runs other tasks while its bytes are in the buffer. So a
 * TLS stream marks the buffer held (Shared.held) for as long as an engine call may park with its
 * bytes there, and whoever needs the buffer meanwhile gets a new one (Shared.get).
 *
 * Buffers in this package are kept in read mode: the unread bytes are position..limit.
 */
final class Buffers {
    /** Size of the per-loop read buffer: the most one socket read takes (Tornado: read_chunk_size). */
    static final int SCRATCH_SIZE = 64 * 1024;
    /** Every loop's buffers, by {@link Scratch}. Weak keys, so a closed and forgotten loop lets go of them. */
    private static final Map<IOLoop, Shared[]> SCRATCH = Collections.synchronizedMap(new WeakHashMap<>());
    /** An empty buffer: nothing can be put in it, nothing taken out. */
    static final ByteBuffer EMPTY = ByteBuffer.allocate(0);
    private static final int MAX_ARRAY = Integer.MAX_VALUE - 16;
    /**
     * The most bytes offered to one write system call. The JDK copies a heap buffer into a
     * temporary direct buffer of the size offered, so an unbounded write of a huge buffer would
     * allocate (and cache) a direct buffer as large.
     */
    static final int MAX_WRITE = 1024 * 1024;

    private Buffers() {}

    /** What a loop-owned buffer is for. */
    enum Scratch {
        /** Socket reads. */
        READ(SCRATCH_SIZE),
        /** TLS records unwrapped: more than the largest record's plaintext (16 KiB, 32 KiB with large fragments). */
        TLS_PLAIN(SCRATCH_SIZE),
        /** TLS records wrapped: a wrap needs room for a whole record (16,709 bytes) even for one byte. */
        TLS_NET(SCRATCH_SIZE + 17 * 1024);

        final int size;

        Scratch(int size) {
            this.size = size;
        }
    }

    /** The read buffer of {@code loop}; use it only on the loop, and never across a suspension. */
    static ByteBuffer scratch(IOLoop loop) {
        return scratch(loop, Scratch.READ);
    }

    /** The {@code kind} buffer of {@code loop}; use it only on the loop, and never across a suspension. */
    static ByteBuffer scratch(IOLoop loop, Scratch kind) {
        return shared(loop, kind).buffer;
    }

    /** The {@code kind} buffer of {@code loop} with its held mark; use it only on the loop. */
    static Shared shared(IOLoop loop, Scratch kind) {
        Shared[] all = SCRATCH.computeIfAbsent(loop, l -> new Shared[Scratch.values().length]);
        synchronized (all) {
            Shared s = all[kind.ordinal()];
            if (s == null) {
                all[kind.ordinal()] = s = new Shared(ByteBuffer.allocate(kind.size));
            }
            return s;
        }
    }

    /**
     * A loop's buffer that an engine call may hold across a suspension of its coroutine (see the
     * implementation notes). <b>Loop-confined.</b>
     */
    static final class Shared {
        final ByteBuffer buffer;
        /** Whether a coroutine may be parked with its bytes in {@link #buffer}. Loop-confined. */
        boolean held;

        private Shared(ByteBuffer buffer) {
            this.buffer = buffer;
        }

        /** The buffer to use within the current task: the loop's, or while that is held, a new one as large. */
        ByteBuffer get() {
            return held ? ByteBuffer.allocate(buffer.capacity()) : buffer;
        }
    }

    /**
     * Appends the unread bytes of {@code src} to {@code buf}, consuming them, and returns the
     * buffer that now holds both: {@code buf} itself if they fit (compacting it if needed), a
     * larger copy otherwise. A null or empty {@code buf} gets a new buffer of exactly the size
     * needed, so a stream's leftover costs only what it holds.
     */
    static ByteBuffer append(ByteBuffer buf, ByteBuffer src) {
        int n = src.remaining();
        if (buf == null || !buf.hasRemaining() && buf.capacity() < n) {
            return n == 0 ? buf : ByteBuffer.allocate(n).put(src).flip();
        }
        int have = buf.remaining();
        if (buf.capacity() - buf.limit() < n) {
            if (buf.capacity() - have >= n) {
                buf.compact().flip();
            } else {
                long grown = Math.max((long) have + n, 2L * buf.capacity());
                buf = ByteBuffer.allocate((int) Math.min(grown, MAX_ARRAY)).put(buf).flip();
            }
        }
        int pos = buf.position();
        int lim = buf.limit();
        buf.limit(lim + n).position(lim);
        buf.put(src);
        return buf.position(pos);
    }

    /** A new buffer holding {@code head} followed by the unread bytes of {@code tail} (may be null). */
    static ByteBuffer prepend(byte[] head, int length, ByteBuffer tail) {
        int t = tail == null ? 0 : tail.remaining();
        ByteBuffer b = ByteBuffer.allocate(length + t).put(head, 0, length);
        if (tail != null) {
            b.put(tail);
        }
        return b.flip();
    }

    /**
     * The index in {@code a} of the first occurrence of {@code d} that starts in
     * {@code [from, to)} and ends by {@code to}, or -1.
     */
    static int indexOf(byte[] a, int from, int to, byte[] d) {
        byte first = d[0];
        int last = to - d.length;
        outer:
        for (int i = from; i <= last; i++) {
            if (a[i] != first) {
                continue;
            }
            for (int j = 1; j < d.length; j++) {
                if (a[i + j] != d[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    /**
     * Writes the unread bytes of {@code bufs[off, off + len)} until the kernel takes less than
     * offered, at most {@link #MAX_WRITE} bytes per system call, and returns the bytes written.
     */
    static long writeTo(GatheringByteChannel ch, ByteBuffer[] bufs, int off, int len) throws IOException {
        long total = 0;
        for (int first = off, end = off + len; ; ) {
            while (first < end && !bufs[first].hasRemaining()) {
                first++;
            }
            if (first == end) {
                return total;
            }
            long offered = 0;
            for (int i = first; i < end && offered < MAX_WRITE; i++) {
                offered += bufs[i].remaining();
            }
            long n = writeCapped(ch, bufs, first, end);
            total += n;
            if (n < Math.min(offered, MAX_WRITE)) {
                return total;
            }
        }
    }

    /** One write system call of at most {@link #MAX_WRITE} bytes from {@code bufs[first, end)}. */
    private static long writeCapped(GatheringByteChannel ch, ByteBuffer[] bufs, int first, int end)
            throws IOException {
        long budget = MAX_WRITE;
        int last = first;
        int cutLimit = -1;
        for (; last < end && budget > 0; last++) {
            ByteBuffer b = bufs[last];
            if (b.remaining() > budget) {
                cutLimit = b.limit();
                b.limit(b.position() + (int) budget);
            }
            budget -= b.remaining();
        }
        try {
            return last - first == 1 ? ch.write(bufs[first]) : ch.write(bufs, first, last - first);
        } finally {
            if (cutLimit >= 0) {
                bufs[last - 1].limit(cutLimit);
            }
        }
    }

    /** Total unread bytes of {@code srcs}. */
    static long remaining(ByteBuffer[] srcs) {
        long n = 0;
        for (ByteBuffer b : srcs) {
            n += b.remaining();
        }
        return n;
    }

    /** A new buffer with the unread bytes of all of {@code srcs}, which are consumed. */
    static ByteBuffer copyOf(ByteBuffer[] srcs, long total) {
        if (total > MAX_ARRAY) {
            throw new IllegalArgumentException("cannot buffer " + total + " bytes in one write; write less at a time");
        }
        ByteBuffer copy = ByteBuffer.allocate((int) total);
        for (ByteBuffer b : srcs) {
            copy.put(b);
        }
        return copy.flip();
    }
}
