package dev.spindle.runtime.net;

import static dev.spindle.runtime.Coroutines.await;
import static dev.spindle.runtime.Coroutines.moment;
import static dev.spindle.runtime.net.NetTestSupport.ascii;
import static dev.spindle.runtime.net.NetTestSupport.onLoop;
import static dev.spindle.runtime.net.NetTestSupport.socketPair;
import static dev.spindle.runtime.net.NetTestSupport.streamPair;
import static dev.spindle.runtime.net.NetTestSupport.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spindle.runtime.IOLoop;
import java.io.IOException;
import java.net.StandardSocketOptions;
import java.nio.channels.SocketChannel;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** How an {@link IoStream} ends: peer close, reset, local close, limits, writes after close. */
class IoStreamClosingTest {

    @Test
    void peerCloseFailsAPendingReadWithStreamClosedExceptionWithoutCause() {
        onLoop(() -> {
            IoStream[] p = streamPair();
            CompletableFuture<byte[]> f = p[1].readUntil("\n", 100);
            await(p[0].write(ascii("no newline")));
            p[0].close();
            StreamClosedException e = assertThrows(StreamClosedException.class, () -> await(f));
            assertNull(e.realError());
            assertTrue(p[1].isClosed());
            assertNull(p[1].error());
            return null;
        });
    }

    @Test
    void peerResetFailsAPendingReadWithTheRealError() throws IOException {
        SocketChannel[] p = socketPair();
        onLoop(() -> {
            IoStream stream = IoStream.create(IOLoop.current(), p[1]);
            CompletableFuture<byte[]> f = stream.readBytes(10);
            moment();
            p[0].setOption(StandardSocketOptions.SO_LINGER, 0);
            p[0].close(); // Sends RST.
            StreamClosedException e = assertThrows(StreamClosedException.class, () -> await(f));
            assertInstanceOf(IOException.class, e.getCause());
            assertTrue(e.getMessage().contains("Connection reset"), e.getMessage());
            assertSame(e.getCause(), stream.error());
            return null;
        });
    }

    @Test
    void localCloseFailsAPendingReadAndCompletesCloseFuture() {
        onLoop(() -> {
            IoStream[] p = streamPair();
            CompletableFuture<Void> closed = p[1].closeFuture();
            CompletableFuture<byte[]> f = p[1].readBytes(1);
            p[1].close();
            assertThrows(StreamClosedException.class, () -> await(f));
            assertTrue(closed.isDone());
            assertTrue(p[1].closeFuture().isDone());
            p[1].close(); // Idempotent.
            return null;
        });
    }

    @Test
    void readUntilCloseCompletesWithItsBytesOnLocalClose() {
        onLoop(() -> {
            IoStream[] p = streamPair();
            CompletableFuture<byte[]> f = p[1].readUntilClose();
            await(p[0].write(ascii("partial")));
            moment();
            moment();
            p[1].close();
            assertEquals("partial", text(await(f)));
            return null;
        });
    }

    @Test
    void readUntilPastMaxBytesClosesTheStreamWithUnsatisfiableReadException() {
        onLoop(() -> {
            IoStream[] p = streamPair();
            CompletableFuture<byte[]> f = p[1].readUntil("\r\n", 8);
            await(p[0].write(ascii("0123456789\r\n")));
            StreamClosedException e = assertThrows(StreamClosedException.class, () -> await(f));
            assertInstanceOf(UnsatisfiableReadException.class, e.getCause());
            assertTrue(e.getCause().getMessage().contains("maxBytes=8"), e.getCause().getMessage());
            assertTrue(p[1].isClosed());
            assertInstanceOf(UnsatisfiableReadException.class, p[1].error());
            return null;
        });
    }

    @Test
    void readUntilAcceptsAResultOfExactlyMaxBytes() {
        onLoop(() -> {
            IoStream[] p = streamPair();
            await(p[0].write(ascii("012345\r\n")));
            assertEquals("012345\r\n", text(await(p[1].readUntil("\r\n", 8))));
            return null;
        });
    }

    @Test
    void readBufferBeyondMaxBufferSizeClosesTheStream() {
        onLoop(() -> {
            IoStream[] p = streamPair();
            p[1].setMaxBufferSize(1000);
            CompletableFuture<byte[]> f = p[1].readUntil(ascii("\n"));
            await(p[0].write(new byte[1500]));
            StreamClosedException e = assertThrows(StreamClosedException.class, () -> await(f));
            assertTrue(e.getMessage().contains("maximum read buffer size of 1000 bytes"), e.getMessage());
            assertTrue(p[1].isClosed());
            return null;
        });
    }

    @Test
    void writeToAClosedStreamFailsWithStreamClosedException() {
        onLoop(() -> {
            IoStream[] p = streamPair();
            p[0].close();
            StreamClosedException e = assertThrows(StreamClosedException.class, () -> await(p[0].write(ascii("x"))));
            assertTrue(e.getMessage().startsWith("Stream to /127.0.0.1:"), e.getMessage());
            assertTrue(e.getMessage().endsWith(" is closed"), e.getMessage());
            return null;
        });
    }

    @Test
    void writeToAResetConnectionFailsWithTheRealError() throws IOException {
        SocketChannel[] p = socketPair();
        onLoop(() -> {
            IoStream stream = IoStream.create(IOLoop.current(), p[1]);
            p[0].setOption(StandardSocketOptions.SO_LINGER, 0);
            p[0].close();
            StreamClosedException e = assertThrows(StreamClosedException.class, () -> {
                for (int i = 0; i < 100; i++) {
                    await(stream.write(new byte[64 * 1024]));
                }
            });
            assertInstanceOf(IOException.class, e.getCause());
            return null;
        });
    }

    @Test
    void closeFailsBufferedWritesAndWaitersOfTheWriteBuffer() {
        onLoop(() -> {
            IoStream[] p = streamPair();
            CompletableFuture<Void> w = null;
            while (p[0].writeBufferSize() == 0) {
                w = p[0].write(new byte[1 << 20]); // Nobody reads p[1]: the kernel buffers fill up.
            }
            CompletableFuture<Void> drained = p[0].flush();
            p[0].close();
            CompletableFuture<Void> write = w;
            assertThrows(StreamClosedException.class, () -> await(write));
            assertThrows(StreamClosedException.class, () -> await(drained));
            assertEquals(0, p[0].writeBufferSize());
            return null;
        });
    }
}
