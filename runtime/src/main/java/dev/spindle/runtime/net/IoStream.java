package dev.spindle.runtime.net;

import dev.spindle.runtime.IOLoop;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.concurrent.CompletableFuture;

/**
 * A non-blocking byte stream over a connected socket, read and written through futures that
 * the loop's selector completes (Tornado: {@code tornado.iostream.IOStream}).
 * <b>Loop-confined:</b> call only from a coroutine or callback of the owning {@link IOLoop};
 * the returned futures are ordinary {@link CompletableFuture}s, completed on the loop, that may
 * be awaited or chained anywhere.
 *
 * {@snippet :
 * IoStream stream = await(TcpClient.create().connect("example.com", 80));
 * await(stream.write("GET / HTTP/1.0\r\nHost: example.com\r\n\r\n".getBytes(US_ASCII)));
 * byte[] head = await(stream.readUntil("\r\n\r\n", 64 * 1024));
 * byte[] body = await(stream.readUntilClose());
 * }
 *
 * <p><b>Suspension.</b> No method blocks or parks: each returns a future. A read that bytes
 * already buffered (or one immediate non-blocking socket read) can satisfy returns a future
 * that is already done, so {@code await} returns without parking. Otherwise the stream asks the
 * selector for readiness and completes the future when enough bytes came in; the awaiting
 * coroutine parks until then.
 *
 * <p><b>One read at a time.</b> Starting a read while another is pending throws
 * {@link IllegalStateException}. To give up a pending read, cancel its future: the bytes it has
 * not delivered stay buffered for the next read. (Cancelling the <em>coroutine</em> that awaits
 * it does not cancel the read.) Writes may be issued at any time; their bytes go out in call
 * order.
 *
 * <p><b>Errors.</b> A pending read fails with {@link StreamClosedException} when the peer
 * closes or resets the connection or the stream is closed locally; its cause is the real error
 * ({@link #error()}), null for a clean close. Bytes already buffered can still be read after
 * the stream closed. Writing to a closed stream fails the same way.
 *
 * <table class="striped">
 * <caption>Limits and defaults</caption>
 * <tr><th>what</th><th>default</th><th>when exceeded</th></tr>
 * <tr><td>{@link #maxBufferSize()}: bytes buffered for reads</td><td>100 MiB</td>
 *     <td>the stream closes; the pending read fails with {@code StreamClosedException}</td></tr>
 * <tr><td>{@code maxBytes} of {@link #readUntil(byte[], int)}</td><td>none</td>
 *     <td>the stream closes with {@link UnsatisfiableReadException}</td></tr>
 * <tr><td>bytes one socket read takes</td><td>64 KiB</td><td>the next read takes more</td></tr>
 * </table>
 *
 * <p><b>Memory.</b> An idle stream holds no read buffer: sockets are read into one buffer per
 * loop and a stream keeps only the bytes no read has taken yet. A write hands its bytes
 * straight to the kernel when it can; only what the kernel refuses is copied and queued.
 */
public interface IoStream extends AutoCloseable {
    /** Default {@link #maxBufferSize()}: 100 MiB, as in Tornado. */
    int DEFAULT_MAX_BUFFER_SIZE = 100 * 1024 * 1024;

    /**
     * Wraps a connected socket channel, registering it with {@code loop}'s selector. The stream
     * owns the channel from now on and switches it to non-blocking mode.
     *
     * @throws IllegalArgumentException if the channel is not connected
     * @throws IllegalStateException if called from another thread while the loop runs
     */
    static IoStream create(IOLoop loop, SocketChannel channel) {
        return SocketStream.open(loop, channel, Buffers.scratch(loop), DEFAULT_MAX_BUFFER_SIZE);
    }

    /**
     * Reads up to and including {@code delimiter} (Tornado: {@code read_until}). The result
     * ends with the delimiter.
     *
     * @param maxBytes the most bytes the result may have, delimiter included; if the delimiter
     *     is not found within that many, the stream closes with {@link UnsatisfiableReadException}
     *     and the read fails with {@link StreamClosedException}
     * @return the bytes; fails with {@link StreamClosedException} if the stream closes first
     * @throws IllegalStateException if another read is pending
     * @throws IllegalArgumentException if {@code delimiter} is empty or {@code maxBytes < 1}
     */
    CompletableFuture<byte[]> readUntil(byte[] delimiter, int maxBytes);

    /** {@link #readUntil(byte[], int)} bounded only by {@link #maxBufferSize()}. */
    default CompletableFuture<byte[]> readUntil(byte[] delimiter) {
        return readUntil(delimiter, Integer.MAX_VALUE);
    }

    /**
     * {@link #readUntil(byte[], int)} with a delimiter given as text of ISO-8859-1 characters,
     * e.g. {@code "\r\n"}.
     */
    default CompletableFuture<byte[]> readUntil(String delimiter, int maxBytes) {
        return readUntil(Read.Until.delimiter(delimiter), maxBytes);
    }

    /**
     * Reads up to and including the first match of {@code pattern} (Tornado:
     * {@code read_until_regex}). The bytes are matched as ISO-8859-1 text, one character per
     * byte, so {@code Pattern.compile("\\r?\\n")} finds a line end; the search starts over at
     * the beginning of the unread bytes each time more arrive.
     *
     * @param maxBytes the most bytes the result may have; if the pattern does not match within
     *     that many, the stream closes with {@link UnsatisfiableReadException} and the read fails
     *     with {@link StreamClosedException}
     * @return the bytes; fails with {@link StreamClosedException} if the stream closes first
     * @throws IllegalStateException if another read is pending
     * @throws IllegalArgumentException if {@code maxBytes < 1}
     */
    CompletableFuture<byte[]> readUntilRegex(java.util.regex.Pattern pattern, int maxBytes);

    /**
     * Reads {@code n} bytes (Tornado: {@code read_bytes}); with {@code partial}, completes as
     * soon as at least one byte is there, with at most {@code n}.
     *
     * @return the bytes; fails with {@link StreamClosedException} if the stream closes first
     * @throws IllegalArgumentException if {@code n} is negative or beyond {@link #maxBufferSize()}
     * @throws IllegalStateException if another read is pending
     */
    CompletableFuture<byte[]> readBytes(int n, boolean partial);

    /** Reads exactly {@code n} bytes: {@code readBytes(n, false)}. */
    default CompletableFuture<byte[]> readBytes(int n) {
        return readBytes(n, false);
    }

    /**
     * Reads into {@code dst} until it is full; with {@code partial}, until at least one byte was
     * put in it (Tornado: {@code read_into}). The buffer's position advances past the bytes put.
     * Do not touch {@code dst} until the future completes.
     *
     * @return how many bytes were put; fails with {@link StreamClosedException} if the stream
     *     closes first (the bytes put so far stay in {@code dst})
     * @throws IllegalStateException if another read is pending
     */
    CompletableFuture<Integer> readInto(ByteBuffer dst, boolean partial);

    /** Reads into {@code dst} until it is full: {@code readInto(dst, false)}. */
    default CompletableFuture<Integer> readInto(ByteBuffer dst) {
        return readInto(dst, false);
    }

    /**
     * Reads everything until the peer closes the connection (Tornado:
     * {@code read_until_close}). Completes normally with all the bytes also when the stream is
     * closed locally meanwhile; fails if it closed with an error.
     *
     * @throws IllegalStateException if another read is pending
     */
    CompletableFuture<byte[]> readUntilClose();

    /**
     * The bytes received and not yet taken by any read, for protocol code that parses in place
     * without copying. The unread bytes are the buffer's position to limit; advance its position
     * to take bytes. It is a heap buffer ({@code hasArray()} is true) and may be empty.
     *
     * <p>The returned object is valid until the next read operation of this stream starts
     * (including {@link #fill()}): the stream may then compact it or replace it with a larger
     * one. Call this method again after each read. Do not change its limit or capacity.
     */
    ByteBuffer readBuffer();

    /**
     * Reads more bytes from the socket into {@link #readBuffer()}: completes once it holds more
     * bytes than when this call started, with the number of bytes it now holds. Never completes
     * without reading, even if bytes are buffered.
     *
     * <p>This is the building block of incremental parsers: parse {@code readBuffer()} in place,
     * and when it lacks a complete message, {@code await(stream.fill())} and parse again.
     *
     * @return the new {@code readBuffer().remaining()}; fails with {@link StreamClosedException}
     *     at end of stream (cause null for a clean close) and when the buffer would exceed
     *     {@link #maxBufferSize()}
     * @throws IllegalStateException if another read is pending
     */
    CompletableFuture<Integer> fill();

    /**
     * Writes the unread bytes of {@code srcs} (Tornado: {@code write}), consuming them: their
     * positions advance to their limits before this returns, and the caller may reuse the
     * buffers at once. What the kernel takes now is written directly; the rest is copied into
     * the stream's write buffer and written as the socket becomes writable.
     *
     * <p><b>Flow control:</b> the future completes when all these bytes were handed to the
     * kernel. A writer that awaits each write (or {@link #writeBufferAtMost}) before buffering
     * more holds at most one write's worth of bytes, however slow the reader.
     *
     * @return completes when the bytes are written; fails with {@link StreamClosedException}
     *     if the stream is or gets closed first
     */
    CompletableFuture<Void> write(ByteBuffer... srcs);

    /** Writes {@code bytes}; see {@link #write(ByteBuffer...)}. */
    default CompletableFuture<Void> write(byte[] bytes) {
        return write(ByteBuffer.wrap(bytes));
    }

    /** Bytes written but not yet handed to the kernel. */
    long writeBufferSize();

    /**
     * A future that completes once at most {@code bytes} bytes are buffered for writing: at once
     * if that is so now. A writer that produces faster than the peer reads can keep memory
     * bounded with {@code stream.write(chunk); await(stream.writeBufferAtMost(limit));}.
     *
     * @return fails with {@link StreamClosedException} if the stream closes first
     * @throws IllegalArgumentException if {@code bytes} is negative
     */
    CompletableFuture<Void> writeBufferAtMost(long bytes);

    /** A future that completes once everything written was handed to the kernel: {@code writeBufferAtMost(0)}. */
    default CompletableFuture<Void> flush() {
        return writeBufferAtMost(0);
    }

    /**
     * Closes the stream and its socket (Tornado: {@code close}). A pending read fails with
     * {@link StreamClosedException} ({@link #readUntilClose()} completes with what it has);
     * buffered writes are dropped and their futures fail. Idempotent.
     */
    @Override
    void close();

    /** Whether the stream is closed, by either side. */
    boolean isClosed();

    /** What closed the stream: null while open or after a clean close (Tornado: {@code error}). */
    Throwable error();

    /**
     * A future completed, normally, when the stream closes; {@link #error()} then says why
     * (Tornado: {@code set_close_callback}). Its dependents run on the loop.
     */
    CompletableFuture<Void> closeFuture();

    /**
     * Sets {@code TCP_NODELAY} (Tornado: {@code set_nodelay}). {@link TcpServer} and
     * {@link TcpClient} streams start with it on; does nothing once closed.
     *
     * @throws java.io.UncheckedIOException if the option cannot be set
     */
    void setNoDelay(boolean noDelay);

    /** The most bytes the stream buffers for reads; see the table above. */
    int maxBufferSize();

    /**
     * Sets {@link #maxBufferSize()}.
     *
     * @throws IllegalArgumentException if {@code bytes < 1}
     */
    void setMaxBufferSize(int bytes);

    /** The peer's address. */
    SocketAddress remoteAddress();

    /** The loop that owns this stream. */
    IOLoop loop();
}
