package dev.spindle.runtime.net;

import static dev.spindle.runtime.Coroutines.await;
import static dev.spindle.runtime.net.NetTestSupport.onLoop;
import static dev.spindle.runtime.net.NetTestSupport.socketPair;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spindle.runtime.IOLoop;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * A writer streaming far more than any buffer to a reader that reads slowly: the writer's
 * memory must stay bounded by flow control, not grow with what it has written.
 */
class IoStreamBackPressureTest {
    private static final long TOTAL = 256L << 20;
    private static final int CHUNK = 64 * 1024;

    @Test
    void writerAwaitingEachWriteBuffersAtMostOneChunk() throws Exception {
        long maxBuffered = stream((stream, chunk) -> {
            CompletableFuture<Void> written = stream.write(chunk);
            long buffered = stream.writeBufferSize();
            await(written);
            return buffered;
        });
        assertTrue(maxBuffered <= CHUNK, "buffered up to " + maxBuffered);
    }

    @Test
    void writerAwaitingWriteBufferAtMostStaysUnderItsLimit() throws Exception {
        long limit = 4 * CHUNK;
        long maxBuffered = stream((stream, chunk) -> {
            stream.write(chunk);
            long buffered = stream.writeBufferSize();
            await(stream.writeBufferAtMost(limit));
            return buffered;
        });
        assertTrue(maxBuffered <= limit + CHUNK, "buffered up to " + maxBuffered);
    }

    interface Writer {
        /** Writes {@code chunk} and returns the most bytes the stream buffered meanwhile. */
        long write(IoStream stream, ByteBuffer chunk);
    }

    /** Streams TOTAL bytes through {@code writer}; returns the most the stream ever buffered. */
    private static long stream(Writer writer) throws Exception {
        SocketChannel[] p = socketPair();
        CompletableFuture<Long> received = new CompletableFuture<>();
        Thread reader = Thread.ofPlatform().name("slow-reader").start(() -> {
            long n = 0;
            long sum = 0;
            ByteBuffer small = ByteBuffer.allocate(4096);
            try (SocketChannel in = p[0]) {
                for (int r; (r = in.read(small.clear())) >= 0; ) {
                    for (int i = 0; i < r; i++) {
                        sum += small.get(i);
                    }
                    n += r;
                }
                received.complete(n * 1_000_003 + sum);
            } catch (Exception e) {
                received.completeExceptionally(e);
            }
        });
        byte[] bytes = new byte[CHUNK];
        long expectedSum = 0;
        for (int i = 0; i < CHUNK; i++) {
            bytes[i] = (byte) i;
            expectedSum += bytes[i];
        }
        long maxBuffered = onLoop(Duration.ofSeconds(60), () -> {
            IoStream out = IoStream.create(IOLoop.current(), p[1]);
            long max = 0;
            for (long sent = 0; sent < TOTAL; sent += CHUNK) {
                max = Math.max(max, writer.write(out, ByteBuffer.wrap(bytes)));
            }
            await(out.flush());
            out.close();
            return max;
        });
        long chunks = TOTAL / CHUNK;
        assertEquals(TOTAL * 1_000_003 + chunks * expectedSum, received.get(60, java.util.concurrent.TimeUnit.SECONDS));
        reader.join();
        assertTrue(maxBuffered > 0, "the reader was never slower than the writer: nothing was tested");
        return maxBuffered;
    }
}
