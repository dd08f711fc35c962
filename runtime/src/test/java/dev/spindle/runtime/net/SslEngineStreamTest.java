package dev.spindle.runtime.net;

import static dev.spindle.runtime.Coroutines.await;
import static dev.spindle.runtime.net.NetTestSupport.LOOPBACK;
import static dev.spindle.runtime.net.NetTestSupport.ascii;
import static dev.spindle.runtime.net.NetTestSupport.onLoop;
import static dev.spindle.runtime.net.NetTestSupport.text;
import static dev.spindle.runtime.net.TlsTestSupport.certificates;
import static dev.spindle.runtime.net.TlsTestSupport.clientOptions;
import static dev.spindle.runtime.net.TlsTestSupport.jdkClient;
import static dev.spindle.runtime.net.TlsTestSupport.serverOptions;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spindle.runtime.IOLoop;
import dev.spindle.runtime.net.TlsTestSupport.JdkServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A {@link TlsStream} against the JDK's blocking {@code SSLSocket} and {@code SSLServerSocket}
 * (on platform threads), each TLS version forced in turn: data both ways, {@code close_notify}
 * both ways, a TLS 1.3 key update, a TLS 1.2 renegotiation, a connection cut without
 * {@code close_notify}.
 */
class SslEngineStreamTest {
    @BeforeAll
    static void makeCertificates() {
        TlsTestSupport.makeCertificates();
    }


    @ParameterizedTest
    @ValueSource(strings = {"TLSv1.3", "TLSv1.2"})
    void clientTalksToAJdkServerAndItsCloseNotifyEndsTheStream(String protocol) throws Exception {
        try (JdkServer server = new JdkServer(protocol, s -> {
            String line = readLine(s.getInputStream());
            s.getOutputStream().write(ascii(line.toUpperCase() + "\nbye"));
        })) { // The JDK server closes its socket after the body: close_notify.
            onLoop(() -> {
                TlsStream stream = (TlsStream) await(TcpClient.create().withTls(clientOptions().withProtocols(protocol))
                        .connect("localhost", server.port()));
                assertEquals(protocol, stream.session().getProtocol());
                assertEquals("localhost", stream.serverName());
                await(stream.write(ascii("hello\n")));
                assertEquals("HELLO\n", text(await(stream.readUntil("\n", 100))));
                assertEquals("bye", text(await(stream.readUntilClose())));
                assertTrue(stream.isClosed());
                assertNull(stream.error(), "a close_notify is a clean close");
                await(server.done);
                return null;
            });
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"TLSv1.3", "TLSv1.2"})
    void closeSendsCloseNotifyToAJdkServer(String protocol) throws Exception {
        try (JdkServer server = new JdkServer(protocol, s -> {
            InputStream in = s.getInputStream();
            assertEquals("ping", readLine(in));
            assertEquals(-1, in.read(), "close_notify reads as the end of the stream");
        })) {
            onLoop(() -> {
                IoStream stream = await(TcpClient.create().withTls(clientOptions().withProtocols(protocol))
                        .connect("localhost", server.port()));
                await(stream.write(ascii("ping\n")));
                stream.close();
                await(server.done);
                return null;
            });
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"TLSv1.3", "TLSv1.2"})
    void serverTalksToAJdkClientBothClosingWithCloseNotify(String protocol) {
        onLoop(() -> {
            CompletableFuture<String> seen = new CompletableFuture<>();
            TcpServer server = TcpServer.create(IOLoop.current(), (stream, address) -> {
                TlsStream tls = (TlsStream) stream;
                byte[] line = await(stream.readUntil("\n", 100));
                await(stream.write(ascii(text(line).toUpperCase())));
                String rest = text(await(stream.readUntilClose())); // The client's close_notify.
                seen.complete(tls.serverName() + " " + tls.session().getProtocol() + " " + rest + " " + tls.error());
            }).tls(serverOptions()).listen(0, LOOPBACK);
            await(jdkClient(server.port(), protocol, s -> {
                s.getOutputStream().write(ascii("hello\nrest"));
                assertEquals("HELLO", readLine(s.getInputStream()));
                s.shutdownOutput(); // close_notify; the server's then closes the connection.
                assertEquals(-1, s.getInputStream().read());
            }));
            assertEquals("localhost " + protocol + " rest null", await(seen));
            server.stop();
            return null;
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {"TLSv1.3", "TLSv1.2"})
    void eightMebibytesGoBothWaysIntactWithTheWriteBufferBounded(String protocol) throws Exception {
        try (JdkServer server = new JdkServer(protocol, s -> {
            Thread writer = Thread.ofPlatform().start(() -> {
                try {
                    Payload.send(s.getOutputStream());
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            assertEquals(Payload.SUM, Payload.receive(s.getInputStream()));
            writer.join();
        })) {
            onLoop(() -> {
                IoStream stream = await(TcpClient.create().withTls(clientOptions().withProtocols(protocol))
                        .connect("localhost", server.port()));
                CompletableFuture<Long> received = IOLoop.current().spawn(() -> Payload.receive(stream));
                long maxBuffered = Payload.send(stream);
                assertEquals(Payload.SUM, await(received));
                assertTrue(maxBuffered <= Payload.CHUNK + 1024, "buffered up to " + maxBuffered);
                stream.close();
                await(server.done);
                return null;
            });
        }
    }

    @Test
    void aWriterThatAwaitsWriteBufferAtMostStaysUnderItsLimitWithASlowReader() throws Exception {
        // The JDK reader takes 1 KiB at a time; the writer issues writes without awaiting them,
        // and waits for the write buffer to drain below a limit before each.
        long limit = 4L * Payload.CHUNK;
        try (JdkServer server = new JdkServer("TLSv1.3", s -> {
            byte[] small = new byte[1024];
            java.util.zip.CRC32 crc = new java.util.zip.CRC32();
            InputStream in = s.getInputStream();
            for (long n = 0; n < Payload.TOTAL; ) {
                int r = in.read(small, 0, (int) Math.min(small.length, Payload.TOTAL - n));
                crc.update(small, 0, r);
                n += r;
            }
            assertEquals(Payload.SUM, crc.getValue());
        })) {
            long max = onLoop(() -> {
                IoStream stream = await(TcpClient.create().withTls(clientOptions()).connect("localhost", server.port()));
                long most = 0;
                for (long off = 0; off < Payload.TOTAL; off += Payload.CHUNK) {
                    stream.write(Payload.bytes(off, Payload.CHUNK));
                    most = Math.max(most, stream.writeBufferSize());
                    await(stream.writeBufferAtMost(limit));
                }
                await(stream.flush());
                await(server.done);
                stream.close();
                return most;
            });
            assertTrue(max <= limit + Payload.CHUNK + 1024, "buffered up to " + max);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"client", "server"})
    void tls12RenegotiationIsRefused(String renegotiator) throws Exception {
        // The JDK peer exchanges one line, then starts a new handshake on the connection
        // (a ClientHello from a client, a HelloRequest from a server). The Spindle side must
        // close rather than renegotiate; its pending read says why.
        Spindle.Side side = renegotiator.equals("client") ? Spindle.Side.SERVER : Spindle.Side.CLIENT;
        StreamClosedException e = Spindle.talkTo("TLSv1.2", side, s -> {
            s.getOutputStream().write(ascii("one\n"));
            assertEquals("one", readLine(s.getInputStream()));
            try {
                s.startHandshake();
                s.getInputStream().read();
            } catch (IOException expected) {
                // The Spindle side closed the connection.
            }
        }, stream -> {
            await(stream.write(await(stream.readUntil("\n", 100))));
            return assertThrows(StreamClosedException.class, () -> await(stream.readUntil("\n", 100)));
        });
        SSLException cause = assertInstanceOf(SSLException.class, e.getCause());
        assertTrue(cause.getMessage().startsWith("TLS renegotiation refused"), cause.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"client", "server"})
    void tls13KeyUpdatesAreAnsweredAndTheStreamGoesOn(String updater) throws Exception {
        // On TLS 1.3, the JDK's startHandshake() on an established connection sends a key
        // update that asks the peer to update its keys too.
        Spindle.Side side = updater.equals("client") ? Spindle.Side.SERVER : Spindle.Side.CLIENT;
        String echoed = Spindle.talkTo("TLSv1.3", side, s -> {
            InputStream in = s.getInputStream();
            OutputStream out = s.getOutputStream();
            for (int i = 0; i < 3; i++) {
                out.write(ascii("line " + i + "\n"));
                assertEquals("line " + i, readLine(in));
                s.startHandshake();
            }
            s.shutdownOutput();
            assertEquals(-1, in.read());
        }, stream -> {
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < 3; i++) {
                byte[] line = await(stream.readUntil("\n", 100));
                sb.append(text(line));
                await(stream.write(line));
            }
            await(stream.readUntilClose());
            return sb.toString();
        });
        assertEquals("line 0\nline 1\nline 2\n", echoed);
    }

    @ParameterizedTest
    @ValueSource(strings = {"TLSv1.3", "TLSv1.2"})
    void connectionCutWithoutCloseNotifyFailsTheReadAsTruncated(String protocol) throws Exception {
        try (ServerSocket plain = new ServerSocket(0, 50, LOOPBACK)) {
            CompletableFuture<Void> served = CompletableFuture.runAsync(() -> {
                try (Socket tcp = plain.accept()) {
                    SSLSocket s = (SSLSocket) certificates().serverContext().getSocketFactory()
                            .createSocket(tcp, null, tcp.getPort(), false);
                    s.setUseClientMode(false);
                    s.setEnabledProtocols(new String[] {protocol});
                    s.getOutputStream().write(ascii("partial"));
                    s.getOutputStream().flush();
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                } // Closes the TCP socket only: no close_notify.
            }, Thread.ofPlatform()::start);
            StreamClosedException e = onLoop(() -> {
                IoStream stream = await(TcpClient.create().withTls(clientOptions()).connect("localhost", plain.getLocalPort()));
                await(served);
                return assertThrows(StreamClosedException.class, () -> await(stream.readUntilClose()));
            });
            SSLException cause = assertInstanceOf(SSLException.class, e.getCause());
            assertTrue(cause.getMessage().contains("without a TLS close_notify"), cause.getMessage());
        }
    }

    /*
     * A coroutine can park inside an engine call: the JDK's engine takes locks that other
     * threads take too (a client's NewSessionTicket goes into the session cache that handshakes
     * running off the loop look up), and a virtual thread that meets a contended lock unmounts,
     * so its loop runs other tasks meanwhile. Here stream a's coroutine parks inside an unwrap
     * that produced its echo, or a wrap that produced its record, and stream b of the same loop
     * reads or writes meanwhile. Each stream must still see and send its own bytes. (TLS 1.2:
     * nothing but the echo follows the handshake, so its record can be buffered beforehand and
     * the read's unwrap runs in the coroutine.)
     */
    @ParameterizedTest
    @EnumSource(ParkingEngine.Call.class)
    void aCoroutineParkedInsideItsEngineKeepsItsOwnBytesWhileAnotherStreamUsesTheLoop(ParkingEngine.Call call) {
        List<String> received = onLoop(() -> {
            List<String> lines = new ArrayList<>();
            TcpServer server = TcpServer.create(IOLoop.current(), (stream, address) -> {
                byte[] line = await(stream.readUntil("\n", 100));
                lines.add(text(line));
                await(stream.write(line));
                await(stream.readUntilClose());
            }).tls(serverOptions()).listen(0, LOOPBACK);
            ParkingEngine.Trap trap = new ParkingEngine.Trap();
            TlsOptions parking = parking(trap);
            IoStream a = await(TcpClient.create().withTls(parking).connect("localhost", server.port()));
            IoStream b = await(TcpClient.create().withTls(clientOptions().withProtocols("TLSv1.2"))
                    .connect("localhost", server.port()));
            CompletableFuture<Void> gate = new CompletableFuture<>();
            CompletableFuture<String> aEcho;
            String bEcho;
            if (call == ParkingEngine.Call.UNWRAP) {
                await(a.write(ascii("from a\n")));
                await(b.write(ascii("from b\n")));
                bufferOneRecord(a);
                bufferOneRecord(b);
                CompletableFuture<Void> parked = trap.arm(call, gate);
                aEcho = IOLoop.current().spawn(() -> text(await(a.readUntil("\n", 100))));
                await(parked);
                bEcho = text(await(b.readUntil("\n", 100))); // On the loop's buffer, while a is parked.
            } else {
                CompletableFuture<Void> parked = trap.arm(call, gate);
                CompletableFuture<Void> aWritten = IOLoop.current().spawn(() -> await(a.write(ascii("from a\n"))));
                await(parked);
                await(b.write(ascii("from b\n"))); // On the loop's buffer, while a is parked.
                gate.complete(null);
                await(aWritten);
                aEcho = IOLoop.current().spawn(() -> text(await(a.readUntil("\n", 100))));
                bEcho = text(await(b.readUntil("\n", 100)));
            }
            gate.complete(null);
            assertEquals("from a\n", await(aEcho));
            assertEquals("from b\n", bEcho);
            a.close();
            b.close();
            server.stop();
            return lines;
        });
        assertEquals(List.of("from a\n", "from b\n"), received.stream().sorted().toList());
    }

    /*
     * The parked coroutine also holds its engine's lock (the JDK's engine has one too), so a loop
     * callback that called that engine would block the carrier the coroutine needs to resume. A
     * write and a close from a callback meanwhile must return at once: the write is made after
     * the coroutine has left the engine, in order; the close sends no close_notify.
     */
    @Test
    @Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD) // A deadlock hangs the loop: fail, not hang.
    void aLoopCallbackWritingAndClosingWhileACoroutineIsParkedInsideTheEngineDoesNotBlockTheLoop() {
        List<String> received = onLoop(() -> {
            List<String> lines = new ArrayList<>();
            CompletableFuture<Void> serverDone = new CompletableFuture<>();
            TcpServer server = TcpServer.create(IOLoop.current(), (stream, address) -> {
                try {
                    byte[] line = await(stream.readUntil("\n", 100));
                    await(stream.write(line));
                    for (int i = 0; i < 2; i++) {
                        lines.add(text(await(stream.readUntil("\n", 100))));
                    }
                    await(stream.write(ascii("ping\n")));
                    await(stream.readUntilClose());
                } catch (RuntimeException e) {
                    // The client's close without close_notify may read as a truncation.
                } finally {
                    serverDone.complete(null);
                }
            }).tls(serverOptions()).listen(0, LOOPBACK);
            ParkingEngine.Trap trap = new ParkingEngine.Trap();
            TlsOptions parking = parking(trap);
            IoStream a = await(TcpClient.create().withTls(parking).connect("localhost", server.port()));
            await(a.write(ascii("from a\n")));
            bufferOneRecord(a);
            CompletableFuture<Void> gate = new CompletableFuture<>();
            CompletableFuture<Void> parked = trap.arm(ParkingEngine.Call.UNWRAP, gate);
            CompletableFuture<String> aEcho = IOLoop.current().spawn(() -> text(await(a.readUntil("\n", 100))));
            await(parked);
            CompletableFuture<List<CompletableFuture<Void>>> fromCallback = new CompletableFuture<>();
            IOLoop.current().execute(() -> fromCallback.complete(List.of(a.write(ascii("one\n")), a.write(ascii("two\n")))));
            List<CompletableFuture<Void>> writes = await(fromCallback); // The callback returned.
            assertTrue(writes.stream().noneMatch(CompletableFuture::isDone), "written while the engine was taken");
            gate.complete(null);
            assertEquals("from a\n", await(aEcho));
            writes.forEach(w -> await(w));

            bufferOneRecord(a); // The server's ping, so that the read unwraps it in its coroutine.
            CompletableFuture<Void> gate2 = new CompletableFuture<>();
            CompletableFuture<Void> parked2 = trap.arm(ParkingEngine.Call.UNWRAP, gate2);
            CompletableFuture<String> ping = IOLoop.current().spawn(() -> text(await(a.readUntil("\n", 100))));
            await(parked2); // Inside the unwrap of the server's ping.
            CompletableFuture<Boolean> closedFromCallback = new CompletableFuture<>();
            IOLoop.current().execute(() -> {
                a.close();
                closedFromCallback.complete(a.isClosed());
            });
            assertTrue(await(closedFromCallback)); // The callback returned.
            gate2.complete(null);
            try {
                await(ping);
            } catch (RuntimeException e) {
                // Either way: the stream was closed under the read.
            }
            await(serverDone);
            server.stop();
            return lines;
        });
        assertEquals(List.of("one\n", "two\n"), received);
    }

    /*
     * The engines of all streams share locks as well: the JDK's take the NativePRNG's one lock for
     * random bytes, which a client's NewSessionTicket and every ClientHello need. So the carrier
     * must not enter any engine while a coroutine of its loop is parked inside one. Here a's
     * coroutine parks inside an unwrap holding the lock that all engines of the trap share, and
     * b's echo arrives meanwhile: b's read resumes from a loop callback, and a callback write goes
     * to b. Had the carrier called b's engine, it would wait for that lock, and a's coroutine,
     * which holds it, could never resume on that carrier. The read must go on in a coroutine of
     * its own and the write wait, and both echoes and the write arrive.
     */
    @Test
    @Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD) // A deadlock hangs the loop: fail, not hang.
    void aLoopCallbackReadingOrWritingWhileAnotherStreamsCoroutineIsParkedInsideItsEngineDoesNotBlockTheLoop() {
        List<String> received = onLoop(() -> {
            List<String> lines = new ArrayList<>();
            CompletableFuture<Void> releaseB = new CompletableFuture<>();
            CompletableFuture<Void> bDone = new CompletableFuture<>();
            TcpServer server = TcpServer.create(IOLoop.current(), (stream, address) -> {
                byte[] line = await(stream.readUntil("\n", 100));
                if (text(line).equals("from b\n")) {
                    await(releaseB); // b's echo comes only once a's coroutine is parked.
                    await(stream.write(line));
                    lines.add(text(await(stream.readUntil("\n", 100))));
                    bDone.complete(null);
                } else {
                    await(stream.write(line));
                }
                await(stream.readUntilClose());
            }).tls(serverOptions()).listen(0, LOOPBACK);
            ParkingEngine.Trap trap = new ParkingEngine.Trap();
            TlsOptions parking = parking(trap);
            IoStream a = await(TcpClient.create().withTls(parking).connect("localhost", server.port()));
            IoStream b = await(TcpClient.create().withTls(parking).connect("localhost", server.port()));
            await(a.write(ascii("from a\n")));
            await(b.write(ascii("from b\n")));
            bufferOneRecord(a);
            CompletableFuture<String> bEcho = IOLoop.current().spawn(() -> text(await(b.readUntil("\n", 100))));
            await(IOLoop.current().spawn(() -> null)); // Spawned after it: b's reader now waits for its socket.
            CompletableFuture<Void> gate = new CompletableFuture<>();
            CompletableFuture<Void> parked = trap.arm(ParkingEngine.Call.UNWRAP, gate);
            CompletableFuture<String> aEcho = IOLoop.current().spawn(() -> text(await(a.readUntil("\n", 100))));
            await(parked);
            releaseB.complete(null);
            await(trap.contended()); // b's unwrap waits for the lock a's coroutine holds.
            CompletableFuture<CompletableFuture<Void>> fromCallback = new CompletableFuture<>();
            IOLoop.current().execute(() -> fromCallback.complete(b.write(ascii("more b\n"))));
            CompletableFuture<Void> write = await(fromCallback); // The callback returned.
            assertTrue(!write.isDone(), "written while a coroutine was parked inside an engine");
            gate.complete(null);
            List<String> echoes = List.of(await(aEcho), await(bEcho));
            await(write);
            await(bDone);
            a.close();
            b.close();
            server.stop();
            lines.addAll(0, echoes);
            return lines;
        });
        assertEquals(List.of("from a\n", "from b\n", "more b\n"), received);
    }

    /** TLS 1.2 client options whose engines {@code trap} arms. */
    private static TlsOptions parking(ParkingEngine.Trap trap) {
        return TlsOptions.client(trap.context(certificates().clientContext())).withProtocols("TLSv1.2");
    }

    /** Reads into the socket stream under {@code tls} until it holds one whole TLS record. */
    private static void bufferOneRecord(IoStream tls) {
        SocketStream socket = ((SslEngineStream) tls).socket;
        ByteBuffer b = socket.readBuffer();
        while (b.remaining() < 5 || b.remaining() < 5 + (b.getShort(b.position() + 3) & 0xffff)) {
            await(socket.fill());
            b = socket.readBuffer();
        }
    }

    @Test
    void curlFetchesOverTlsFromAServerThatAdvertisesHttp11() throws Exception {
        // curl (OpenSSL here) offers h2 and http/1.1; the server speaks a minimal HTTP/1.1 and
        // closes with close_notify when the handler returns.
        Assumptions.assumeTrue(curlInstalled(), "curl is not installed");
        onLoop(() -> {
            CompletableFuture<String> seen = new CompletableFuture<>();
            TcpServer server = TcpServer.create(IOLoop.current(), (stream, address) -> {
                TlsStream tls = (TlsStream) stream;
                String head = text(await(stream.readUntil("\r\n\r\n", 8192)));
                seen.complete(tls.applicationProtocol() + " " + tls.serverName() + " " + head.lines().findFirst().orElseThrow());
                await(stream.write(ascii("HTTP/1.1 200 OK\r\nContent-Length: 5\r\nConnection: close\r\n\r\nhello")));
            }).tls(serverOptions().withApplicationProtocols("http/1.1")).listen(0, LOOPBACK);
            String out = await(IOLoop.current().runInExecutor(null, () -> run("curl", "-sS", "--max-time", "30",
                    "--cacert", certificates().caCertificatePem().toString(), "https://localhost:" + server.port() + "/")));
            assertEquals("hello", out);
            assertEquals("http/1.1 localhost GET / HTTP/1.1", await(seen));
            server.stop();
            return null;
        });
    }

    private static boolean curlInstalled() {
        try {
            return run("curl", "--version").startsWith("curl");
        } catch (IOException e) {
            return false;
        }
    }

    /** The output (and error output) of a command. */
    private static String run(String... cmd) throws IOException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        try {
            return new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        } finally {
            p.destroy();
        }
    }

    /** Reads a line (without its end) from a blocking stream. */
    static String readLine(InputStream in) throws IOException {
        StringBuilder sb = new StringBuilder();
        for (int b; (b = in.read()) != '\n'; ) {
            if (b < 0) {
                throw new IOException("end of stream after \"" + sb + "\"");
            }
            sb.append((char) b);
        }
        return sb.toString();
    }

    /** A Spindle end, client or server, talking to a JDK peer on a platform thread. */
    static final class Spindle {
        enum Side { CLIENT, SERVER }

        interface Body<T> {
            T run(IoStream stream) throws Exception;
        }

        /** Runs {@code body} on a Spindle {@code side} connected to a JDK peer running {@code peer}; returns what it returned. */
        static <T> T talkTo(String protocol, Side side, TlsTestSupport.PeerBody peer, Body<T> body) throws Exception {
            if (side == Side.CLIENT) {
                try (JdkServer server = new JdkServer(protocol, peer)) {
                    return onLoop(() -> {
                        IoStream stream = await(TcpClient.create().withTls(clientOptions()).connect("localhost", server.port()));
                        T result = body.run(stream);
                        stream.close();
                        await(server.done);
                        return result;
                    });
                }
            }
            return onLoop(() -> {
                CompletableFuture<T> result = new CompletableFuture<>();
                TcpServer server = TcpServer.create(IOLoop.current(), (stream, address) -> {
                    try {
                        result.complete(body.run(stream));
                    } catch (Throwable e) {
                        result.completeExceptionally(e);
                    }
                }).tls(serverOptions()).listen(0, LOOPBACK);
                CompletableFuture<Void> client = jdkClient(server.port(), protocol, peer);
                T value = await(result);
                await(client);
                server.stop();
                return value;
            });
        }
    }
}
