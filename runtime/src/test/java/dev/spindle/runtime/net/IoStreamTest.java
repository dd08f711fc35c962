package dev.spindle.runtime.net;

import static dev.spindle.runtime.Coroutines.await;
import static dev.spindle.runtime.Coroutines.moment;
import static dev.spindle.runtime.net.NetTestSupport.ascii;
import static dev.spindle.runtime.net.NetTestSupport.onLoop;
import static dev.spindle.runtime.net.NetTestSupport.streamPair;
import static dev.spindle.runtime.net.NetTestSupport.text;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spindle.runtime.IOLoop;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** Reading and writing an {@link IoStream} over real loopback sockets, both ends on one loop. */
class IoStreamTest {

    @Test
    void echoesLinesSentInManySmallPackets() {
        String message = "the quick brown fox jumps over the lazy dog\n";
        String got = onLoop(() -> {
            TcpServer server = NetTestSupport.lineEchoServer();
            IoStream client = await(TcpClient.create().connect("127.0.0.1", server.port()));
            byte[] bytes = ascii(message.repeat(20));
            for (int i = 0; i < bytes.length; i += 3) {
                await(client.write(ByteBuffer.wrap(bytes, i, Math.min(3, bytes.length - i))));
                moment(); // Let the server read what came so far.
            }
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < 20; i++) {
                sb.append(text(await(client.readUntil("\n", 100))));
            }
            client.close();
            server.stop();
            return sb.toString();
        });
        assertEquals(message.repeat(20), got);
    }

    @Test
    void echoesManyLinesCoalescedIntoOneWrite() {
        int lines = 5000;
        byte[] got = onLoop(() -> {
            TcpServer server = NetTestSupport.lineEchoServer();
            IoStream client = await(TcpClient.create().connect("127.0.0.1", server.port()));
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < lines; i++) {
                sb.append("line ").append(i).append('\n');
            }
            client.write(ascii(sb.toString()));
            byte[] echoed = await(client.readBytes(sb.length()));
            assertEquals(sb.toString(), text(echoed));
            client.close();
            return echoed;
        });
        assertEquals("line 0\nline 1\n", text(got).substring(0, 14));
    }

    @Test
    void readUntilFindsADelimiterSplitAcrossPackets() {
        onLoop(() -> {
            IoStream[] p = streamPair();
            CompletableFuture<byte[]> head = p[1].readUntil("\r\n\r\n", 100);
            for (String piece : new String[] {"GET / HTTP/1.1\r", "\nHost: x\r\n", "\r", "\nbody"}) {
                await(p[0].write(ascii(piece)));
                moment();
                moment();
            }
            assertEquals("GET / HTTP/1.1\r\nHost: x\r\n\r\n", text(await(head)));
            assertEquals("body", text(await(p[1].readBytes(4))));
            return null;
        });
    }

    @Test
    void readUntilRegexMatchesAcrossPacketsAndLeavesTheRestBuffered() {
        onLoop(() -> {
            IoStream[] p = streamPair();
            CompletableFuture<byte[]> f = p[1].readUntilRegex(java.util.regex.Pattern.compile("END\\d+;"), 100);
            for (String piece : new String[] {"abc EN", "D4", "2; tail"}) {
                await(p[0].write(ascii(piece)));
                moment();
                if (!piece.endsWith("tail")) {
                    assertFalse(f.isDone(), "not done before the match is complete");
                }
            }
            assertEquals("abc END42;", text(await(f)));
            assertEquals(" tail", text(await(p[1].readBytes(5))));
            return null;
        });
    }

    @Test
    void readUntilRegexRejectsANullPatternAndANonPositiveMaxBytes() {
        onLoop(() -> {
            IoStream[] p = streamPair();
            assertThrows(NullPointerException.class, () -> p[1].readUntilRegex(null, 10));
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> p[1].readUntilRegex(java.util.regex.Pattern.compile("x"), 0));
            assertTrue(e.getMessage().contains("maxBytes < 1: 0"), e.getMessage());
            assertFalse(p[1].isClosed(), "a rejected call leaves the stream usable");
            return null;
        });
    }

    @Test
    void readUntilRegexPastMaxBytesClosesTheStream() {
        onLoop(() -> {
            IoStream[] p = streamPair();
            CompletableFuture<byte[]> f = p[1].readUntilRegex(java.util.regex.Pattern.compile("\\r?\\n"), 8);
            await(p[0].write(ascii("0123456789\n")));
            StreamClosedException e = assertThrows(StreamClosedException.class, () -> await(f));
            assertTrue(e.getCause() instanceof UnsatisfiableReadException, String.valueOf(e.getCause()));
            assertTrue(p[1].isClosed());
            return null;
        });
    }

    @Test
    void readUntilFindsADelimiterSentOneByteAtATime() {
        String msg = "aa\r\naa\r\r\n\r\n";
        onLoop(() -> {
            IoStream[] p = streamPair();
            CompletableFuture<byte[]> f = p[1].readUntil("\r\n\r\n", 100);
            for (byte b : ascii(msg)) {
                await(p[0].write(new byte[] {b}));
                moment();
            }
            assertEquals(msg, text(await(f)));
            return null;
        });
    }

    @Test
    void readBytesPartialReturnsWhatHasArrived() {
        onLoop(() -> {
            IoStream[] p = streamPair();
            await(p[0].write(ascii("abc")));
            assertEquals("abc", text(await(p[1].readBytes(10, true))));
            await(p[0].write(ascii("defgh")));
            assertEquals("de", text(await(p[1].readBytes(2, true))));
            assertEquals("fgh", text(await(p[1].readBytes(10, true))));
            return null;
        });
    }

    @Test
    void readBytesWaitsForAllBytesAcrossWrites() {
        onLoop(() -> {
            IoStream[] p = streamPair();
            CompletableFuture<byte[]> f = p[1].readBytes(6);
            await(p[0].write(ascii("abc")));
            moment();
            assertFalse(f.isDone());
            await(p[0].write(ascii("defg")));
            assertEquals("abcdef", text(await(f)));
            assertEquals("g", text(await(p[1].readBytes(1))));
            return null;
        });
    }

    @Test
    void readUntilCloseReturnsEverythingUntilThePeerCloses() {
        byte[] sent = new byte[300_000];
        for (int i = 0; i < sent.length; i++) {
            sent[i] = (byte) (i * 31);
        }
        onLoop(() -> {
            IoStream[] p = streamPair();
            CompletableFuture<byte[]> all = p[1].readUntilClose();
            await(p[0].write(ByteBuffer.wrap(sent, 0, 1000), ByteBuffer.wrap(sent, 1000, sent.length - 1000)));
            p[0].close();
            assertArrayEquals(sent, await(all));
            assertTrue(p[1].isClosed());
            assertNull(p[1].error());
            return null;
        });
    }

    @Test
    void readIntoFillsTheCallersBuffer() {
        onLoop(() -> {
            IoStream[] p = streamPair();
            ByteBuffer dst = ByteBuffer.allocate(5);
            CompletableFuture<Integer> f = p[1].readInto(dst);
            await(p[0].write(ascii("12")));
            await(p[0].write(ascii("3456")));
            assertEquals(5, await(f));
            assertEquals("12345", text(dst.array()));
            ByteBuffer rest = ByteBuffer.allocate(10);
            assertEquals(1, await(p[1].readInto(rest, true)));
            return null;
        });
    }

    @Test
    void fillAppendsToTheReadBufferForInPlaceParsing() {
        onLoop(() -> {
            IoStream[] p = streamPair();
            assertEquals(0, p[1].readBuffer().remaining());
            await(p[0].write(ascii("HEAD")));
            int n = await(p[1].fill());
            assertEquals(4, n);
            ByteBuffer buf = p[1].readBuffer();
            assertTrue(buf.hasArray());
            buf.position(buf.position() + 2); // Take "HE".
            await(p[0].write(ascii("ER")));
            assertEquals(4, await(p[1].fill()));
            assertEquals("ADER", text(await(p[1].readBytes(4))));
            return null;
        });
    }

    @Test
    void readsThatBufferedBytesSatisfyCompleteWithoutWaiting() {
        onLoop(() -> {
            IoStream[] p = streamPair();
            await(p[0].write(ascii("one\ntwo\nthree")));
            assertEquals("one\n", text(await(p[1].readUntil("\n", 10))));
            CompletableFuture<byte[]> two = p[1].readUntil("\n", 10);
            assertTrue(two.isDone(), "served from the leftover of the first read");
            assertEquals("two\n", text(two.join()));
            CompletableFuture<byte[]> three = p[1].readBytes(5);
            assertTrue(three.isDone());
            return null;
        });
    }

    @Test
    void readsThatNeedNoBytesCompleteAtOnce() {
        onLoop(() -> {
            IoStream[] p = streamPair();
            assertEquals(0, p[1].readBytes(0).join().length);
            assertEquals(0, p[1].readInto(ByteBuffer.allocate(0)).join());
            return null;
        });
    }

    @Test
    void readOfBytesAlreadyInTheSocketCompletesWithoutWaiting() {
        onLoop(() -> {
            IoStream[] p = streamPair();
            await(p[0].write(ascii("ready\n")));
            moment(); // The bytes are in p[1]'s socket; nobody has asked for them yet.
            CompletableFuture<byte[]> f = p[1].readUntil("\n", 10);
            assertTrue(f.isDone(), "one immediate non-blocking read satisfies it");
            return null;
        });
    }

    @Test
    void bufferedBytesCanStillBeReadAfterThePeerClosed() {
        onLoop(() -> {
            IoStream[] p = streamPair();
            await(p[0].write(ascii("a\nb\n")));
            p[0].close();
            assertThrows(StreamClosedException.class, () -> await(p[1].readUntil("\n\n", 100)));
            assertTrue(p[1].isClosed());
            assertEquals("a\n", text(await(p[1].readUntil("\n", 10))));
            assertEquals("b\n", text(await(p[1].readUntil("\n", 10))));
            StreamClosedException e = assertThrows(StreamClosedException.class, () -> await(p[1].readBytes(1)));
            assertNull(e.getCause(), "a clean close has no real error");
            return null;
        });
    }

    @Test
    void secondConcurrentReadThrowsIllegalStateException() {
        onLoop(() -> {
            IoStream[] p = streamPair();
            p[1].readUntil("\n", 10);
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> p[1].readBytes(1));
            assertTrue(e.getMessage().contains("a read is already pending"), e.getMessage());
            assertTrue(e.getMessage().contains("readUntil(\"\\n\", max 10)"), e.getMessage());
            return null;
        });
    }

    @Test
    void cancellingAPendingReadLeavesItsBytesForTheNextRead() {
        onLoop(() -> {
            IoStream[] p = streamPair();
            CompletableFuture<byte[]> f = p[1].readBytes(10);
            await(p[0].write(ascii("abcd")));
            moment();
            moment();
            f.cancel(false);
            await(p[0].write(ascii("ef")));
            assertEquals("abcdef", text(await(p[1].readBytes(6))));
            return null;
        });
    }

    @Test
    void writeOfSeveralBuffersSendsThemInOrder() {
        onLoop(() -> {
            IoStream[] p = streamPair();
            ByteBuffer a = ByteBuffer.wrap(ascii("xxhello"), 2, 5);
            ByteBuffer b = ByteBuffer.wrap(ascii(", world"));
            await(p[0].write(a, b));
            assertFalse(a.hasRemaining() || b.hasRemaining(), "write consumes its buffers");
            assertEquals("hello, world", text(await(p[1].readBytes(12))));
            return null;
        });
    }

    @Test
    void largeGatheringWriteArrivesIntactAcrossTheSystemCallCap() {
        // 3 x 700 KB: each system call takes at most 1 MiB, so the cap cuts the second buffer.
        byte[] data = new byte[2_100_000];
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) (i % 251);
        }
        onLoop(() -> {
            IoStream[] p = streamPair();
            CompletableFuture<byte[]> all = p[1].readBytes(data.length);
            CompletableFuture<Void> w = p[0].write(ByteBuffer.wrap(data, 0, 700_000),
                    ByteBuffer.wrap(data, 700_000, 700_000), ByteBuffer.wrap(data, 1_400_000, 700_000));
            assertArrayEquals(data, await(all));
            await(w);
            assertEquals(0, p[0].writeBufferSize());
            return null;
        });
    }

    @Test
    void toStringShowsPeerStateReadAndBufferedBytes() {
        onLoop(() -> {
            IoStream[] p = streamPair();
            await(p[0].write(ascii("abc")));
            p[1].readUntil("\n", 64);
            moment();
            moment();
            String s = p[1].toString();
            assertTrue(s.startsWith("IoStream[/127.0.0.1:"), s);
            assertTrue(s.contains(", open, readUntil(\"\\n\", max 64), buffered 3 in / 0 out]"), s);
            p[1].close();
            assertTrue(p[1].toString().contains(", closed, buffered 3 in / 0 out]"), p[1].toString());
            return null;
        });
    }

    @Test
    void streamBelongsToItsLoop() {
        onLoop(() -> {
            IoStream[] p = streamPair();
            assertEquals(IOLoop.current(), p[0].loop());
            assertInstanceOf(java.net.InetSocketAddress.class, p[0].remoteAddress());
            assertEquals(IoStream.DEFAULT_MAX_BUFFER_SIZE, p[0].maxBufferSize());
            return null;
        });
    }

    @Test
    void readUntilCloseCollectsAcrossManyPackets() {
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        onLoop(() -> {
            IoStream[] p = streamPair();
            CompletableFuture<byte[]> all = p[1].readUntilClose();
            for (int i = 0; i < 200; i++) {
                byte[] chunk = ascii("chunk " + i + ";");
                expected.writeBytes(chunk);
                await(p[0].write(chunk));
                moment();
            }
            p[0].close();
            assertArrayEquals(expected.toByteArray(), await(all));
            return null;
        });
    }
}
