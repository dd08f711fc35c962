package dev.spindle.runtime.net;

import static dev.spindle.runtime.Coroutines.await;
import static dev.spindle.runtime.Coroutines.moment;
import static dev.spindle.runtime.net.NetTestSupport.LOOPBACK;
import static dev.spindle.runtime.net.NetTestSupport.ascii;
import static dev.spindle.runtime.net.NetTestSupport.onLoop;
import static dev.spindle.runtime.net.NetTestSupport.text;
import static dev.spindle.runtime.net.TlsTestSupport.clientOptions;
import static dev.spindle.runtime.net.TlsTestSupport.serverOptions;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spindle.runtime.IOLoop;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Spindle's TLS client and server talking to each other, both on one loop. */
class TlsStreamTest {
    @BeforeAll
    static void makeCertificates() {
        TlsTestSupport.makeCertificates();
    }

    @ParameterizedTest
    @ValueSource(strings = {"TLSv1.3", "TLSv1.2"})
    void eightMebibytesGoBothWaysAtOnceWithBothWriteBuffersBounded(String protocol) {
        onLoop(() -> {
            CompletableFuture<long[]> serverSide = new CompletableFuture<>();
            TcpServer server = TcpServer.create(IOLoop.current(), (stream, address) -> {
                CompletableFuture<Long> received = IOLoop.current().spawn(() -> Payload.receive(stream));
                long maxBuffered = Payload.send(stream);
                serverSide.complete(new long[] {await(received), maxBuffered});
            }).tls(serverOptions().withProtocols(protocol)).listen(0, LOOPBACK);
            IoStream client = await(TcpClient.create().withTls(clientOptions()).connect("localhost", server.port()));
            CompletableFuture<Long> received = IOLoop.current().spawn(() -> Payload.receive(client));
            long maxBuffered = Payload.send(client);
            assertEquals(Payload.SUM, await(received), "what the client received");
            long[] s = await(serverSide);
            assertEquals(Payload.SUM, s[0], "what the server received");
            assertTrue(maxBuffered <= Payload.CHUNK + 1024, "client buffered up to " + maxBuffered);
            assertTrue(s[1] <= Payload.CHUNK + 1024, "server buffered up to " + s[1]);
            assertEquals("", text(await(client.readUntilClose())), "the handler returned: close_notify");
            server.stop();
            return null;
        });
    }

    @Test
    void aParserReadsInPlaceFromReadBufferAndFill() {
        // As the HTTP codec does: look for the end of a head in readBuffer(), fill() when it is
        // not there yet, take the bytes by moving the position.
        String head = "GET / HTTP/1.1\r\nHost: localhost\r\nX-Long: " + "x".repeat(40_000) + "\r\n\r\n";
        onLoop(() -> {
            CompletableFuture<String> parsed = new CompletableFuture<>();
            TcpServer server = TcpServer.create(IOLoop.current(), (stream, address) -> {
                int fills = 0;
                ByteBuffer in = stream.readBuffer();
                int end;
                while ((end = indexOfBlankLine(in)) < 0) {
                    await(stream.fill());
                    fills++;
                    in = stream.readBuffer();
                }
                assertTrue(in.hasArray());
                String got = new String(in.array(), in.arrayOffset() + in.position(), end - in.position(),
                        java.nio.charset.StandardCharsets.ISO_8859_1);
                in.position(end);
                parsed.complete(got + "|" + (fills > 1) + "|" + text(await(stream.readBytes(4))));
            }).tls(serverOptions()).listen(0, LOOPBACK);
            IoStream client = await(TcpClient.create().withTls(clientOptions()).connect("localhost", server.port()));
            byte[] bytes = ascii(head + "tail");
            for (int i = 0; i < bytes.length; i += 1000) {
                await(client.write(ByteBuffer.wrap(bytes, i, Math.min(1000, bytes.length - i))));
                moment(); // The server sees the head in many records.
            }
            assertEquals(head + "|true|tail", await(parsed));
            client.close();
            server.stop();
            return null;
        });
    }

    /** The index just past the first CRLFCRLF in {@code in}'s unread bytes, or -1. */
    private static int indexOfBlankLine(ByteBuffer in) {
        for (int i = in.position(); i + 4 <= in.limit(); i++) {
            if (in.get(i) == '\r' && in.get(i + 1) == '\n' && in.get(i + 2) == '\r' && in.get(i + 3) == '\n') {
                return i + 4;
            }
        }
        return -1;
    }

    @Test
    void toStringShowsPeerProtocolStateAndPendingRead() {
        onLoop(() -> {
            CompletableFuture<Void> release = new CompletableFuture<>();
            TcpServer server = TcpServer.create(IOLoop.current(), (stream, address) -> await(release))
                    .tls(serverOptions().withApplicationProtocols("http/1.1")).listen(0, LOOPBACK);
            TlsStream client = (TlsStream) await(TcpClient.create()
                    .withTls(clientOptions().withApplicationProtocols("http/1.1")).connect("localhost", server.port()));
            String peer = "localhost/127.0.0.1:" + server.port();
            assertEquals("TlsStream[" + peer + ", TLSv1.3 http/1.1, open, buffered 0 in / 0 out]", client.toString());
            CompletableFuture<byte[]> line = client.readUntil("\n", 100);
            assertEquals("TlsStream[" + peer + ", TLSv1.3 http/1.1, open, readUntil(\"\\n\", max 100), buffered 0 in / 0 out]",
                    client.toString());
            release.complete(null); // The server closes with close_notify.
            assertThrows(StreamClosedException.class, () -> await(line));
            assertEquals("TlsStream[" + peer + ", TLSv1.3 http/1.1, closed, buffered 0 in / 0 out]", client.toString());
            assertNull(client.error());
            server.stop();
            return null;
        });
    }

    @Test
    void writingToAClosedStreamFailsWithStreamClosedException() {
        onLoop(() -> {
            TcpServer tlsServer = TcpServer.create(IOLoop.current(), (stream, address) -> await(stream.readUntilClose()))
                    .tls(serverOptions()).listen(0, LOOPBACK);
            IoStream client = await(TcpClient.create().withTls(clientOptions()).connect("localhost", tlsServer.port()));
            client.close();
            StreamClosedException e = assertThrows(StreamClosedException.class, () -> await(client.write(ascii("late"))));
            assertEquals("TLS stream to localhost/127.0.0.1:" + tlsServer.port() + " is closed", e.getMessage());
            assertThrows(StreamClosedException.class, () -> await(client.readBytes(1)));
            tlsServer.stop();
            return null;
        });
    }
}
