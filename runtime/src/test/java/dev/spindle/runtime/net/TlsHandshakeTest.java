package dev.spindle.runtime.net;

import static dev.spindle.runtime.Coroutines.await;
import static dev.spindle.runtime.net.NetTestSupport.LOOPBACK;
import static dev.spindle.runtime.net.NetTestSupport.ascii;
import static dev.spindle.runtime.net.NetTestSupport.onLoop;
import static dev.spindle.runtime.net.NetTestSupport.onVirtualLoop;
import static dev.spindle.runtime.net.NetTestSupport.text;
import static dev.spindle.runtime.net.TlsTestSupport.certificates;
import static dev.spindle.runtime.net.TlsTestSupport.clientOptions;
import static dev.spindle.runtime.net.TlsTestSupport.otherCertificates;
import static dev.spindle.runtime.net.TlsTestSupport.serverOptions;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spindle.runtime.IOLoop;
import dev.spindle.runtime.TimeoutException;
import dev.spindle.runtime.testing.ExpectLog;
import dev.spindle.runtime.testing.VirtualTime;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The TLS handshake of {@link TcpClient} and {@link TcpServer}: what the handler and the client
 * learn from it (SNI, ALPN), and how each way it can go wrong fails fast, with a clear message,
 * never a hang.
 */
class TlsHandshakeTest {
    @BeforeAll
    static void makeCertificates() {
        TlsTestSupport.makeCertificates();
    }


    /** A TLS server on the current loop that echoes one line and returns; handshake details go to {@code seen}. */
    private static TcpServer echoServer(TlsOptions tls, List<String> seen) {
        return TcpServer.create(IOLoop.current(), (stream, address) -> {
            TlsStream s = (TlsStream) stream;
            seen.add(s.serverName() + " " + s.applicationProtocol());
            await(stream.write(await(stream.readUntil("\n", 100))));
        }).tls(tls).listen(0, LOOPBACK);
    }

    private static String echo(IoStream stream, String line) {
        await(stream.write(ascii(line + "\n")));
        return text(await(stream.readUntil("\n", 100))).strip();
    }

    /**
     * Connects to {@code host} with {@code client} settings, to a server with {@code server}
     * settings, on the current loop; returns the stream and what each end learned from the
     * handshake ("serverName applicationProtocol"), after one echo.
     */
    private static List<String> handshake(TlsOptions server, TlsOptions client, String host) {
        List<String> seen = new ArrayList<>();
        TcpServer s = echoServer(server, seen);
        try {
            TlsStream stream = (TlsStream) await(TcpClient.create().withTls(client).connect(host, s.port()));
            assertEquals("hi", echo(stream, "hi"));
            stream.close();
            return List.of(stream.serverName() + " " + stream.applicationProtocol(), seen.get(0));
        } finally {
            s.stop();
        }
    }

    /**
     * Connects to localhost with {@code client} settings, to a server with {@code server}
     * settings, on the current loop; returns the client's failure, its port shown as PORT, once
     * the server logged its own.
     */
    private static String refusal(TlsOptions server, TlsOptions client) {
        TcpServer s = echoServer(server, new ArrayList<>());
        try (var log = ExpectLog.of("spindle.general", "TLS handshake with", System.Logger.Level.INFO)) {
            SSLHandshakeException e = assertThrows(SSLHandshakeException.class, () -> await(TcpClient.create()
                    .withTls(client).connect("localhost", s.port()), SSLHandshakeException.class));
            assertInstanceOf(SSLException.class, e.getCause(), "the engine's own");
            log.await(Duration.ofSeconds(10)); // The server hears the client's alert, or sends one.
            return e.getMessage().replace(":" + s.port() + " ", ":PORT ");
        } finally {
            s.stop();
        }
    }

    @Test
    void serverNameAndNegotiatedProtocolReachBothEnds() {
        List<String> seen = onLoop(() -> handshake(serverOptions().withApplicationProtocols("http/1.1"),
                clientOptions().withApplicationProtocols("h2", "http/1.1"), "localhost"));
        assertEquals(List.of("localhost http/1.1", "localhost http/1.1"), seen, "client, server");
    }

    @Test
    void anIpAddressGoesWithoutServerNameAndNoAlpnMeansNoProtocol() {
        assertEquals(List.of("null null", "null null"), onLoop(() -> handshake(serverOptions(), clientOptions(), "127.0.0.1")));
    }

    @Test
    void noCommonApplicationProtocolFailsTheHandshake() {
        String e = onLoop(() -> refusal(serverOptions().withApplicationProtocols("http/1.1"),
                clientOptions().withApplicationProtocols("h2")));
        assertTrue(e.startsWith("TLS handshake with localhost:PORT failed: "), e);
        assertTrue(e.contains("no_application_protocol"), e);
    }

    @Test
    void anUntrustedCertificateFailsWithAClearSslHandshakeException() {
        assertEquals("TLS handshake with localhost:PORT failed: the certificate is not trusted"
                + " (unable to find valid certification path to requested target)",
                onLoop(() -> refusal(TlsOptions.server(otherCertificates().serverContext()), clientOptions())));
    }

    @Test
    void aCertificateForAnotherHostFailsWithAClearSslHandshakeException() {
        assertEquals("TLS handshake with localhost:PORT failed: the certificate is not valid for this host name"
                + " (No subject alternative DNS name matching localhost found.)",
                onLoop(() -> refusal(TlsOptions.server(otherCertificates().serverContext()),
                        TlsOptions.client(otherCertificates().clientContext()))));
    }

    @Test
    void aPlainTextClientIsClosedAndLoggedAndTheServerServesTheNextTlsClient() {
        onLoop(() -> {
            List<String> seen = new ArrayList<>();
            TcpServer server = echoServer(serverOptions(), seen);
            try (var log = ExpectLog.of("spindle.general", "the peer does not speak TLS", System.Logger.Level.INFO)) {
                IoStream plain = await(TcpClient.create().connect("127.0.0.1", server.port()));
                await(plain.write(ascii("GET / HTTP/1.1\r\nHost: localhost\r\n\r\n")));
                await(plain.readUntilClose()); // The server closes; whatever alert it sent is not HTTP.
                String message = log.await(Duration.ofSeconds(10)).getMessage();
                assertTrue(message.startsWith("TLS handshake with /127.0.0.1:"), message);
            }
            IoStream tls = await(TcpClient.create().withTls(clientOptions()).connect("localhost", server.port()));
            assertEquals("next", echo(tls, "next"));
            assertEquals(1, seen.size(), "the handler ran for the TLS client only");
            tls.close();
            server.stop();
            return null;
        });
    }

    @Test
    void aTlsClientOfAPlainHttpServerFailsSayingThePeerDoesNotSpeakTls() throws Exception {
        try (ServerSocket plain = new ServerSocket(0, 50, LOOPBACK)) {
            Thread.ofPlatform().daemon().start(() -> {
                try (Socket s = plain.accept(); OutputStream out = s.getOutputStream()) {
                    s.getInputStream().read(new byte[1024]);
                    out.write(ascii("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"));
                } catch (java.io.IOException e) {
                    // The test fails on its own side.
                }
            });
            SSLHandshakeException e = onLoop(() -> assertThrows(SSLHandshakeException.class, () -> await(TcpClient.create()
                    .withTls(clientOptions()).connect("127.0.0.1", plain.getLocalPort()), SSLHandshakeException.class)));
            assertTrue(e.getMessage().startsWith("TLS handshake with 127.0.0.1:" + plain.getLocalPort()
                    + " failed: the peer does not speak TLS"), e.getMessage());
            assertInstanceOf(SSLException.class, e.getCause());
        }
    }

    @Test
    void aServerThatClosesDuringTheHandshakeFailsItAtOnce() throws Exception {
        try (ServerSocket plain = new ServerSocket(0, 50, LOOPBACK)) {
            Thread.ofPlatform().daemon().start(() -> {
                try (Socket s = plain.accept()) {
                    s.getInputStream().read(new byte[1024]);
                } catch (java.io.IOException e) {
                    // The test fails on its own side.
                }
            });
            SSLHandshakeException e = onLoop(() -> assertThrows(SSLHandshakeException.class, () -> await(TcpClient.create()
                    .withTls(clientOptions()).connect("127.0.0.1", plain.getLocalPort()), SSLHandshakeException.class)));
            assertEquals("TLS handshake with 127.0.0.1:" + plain.getLocalPort() + " failed: the peer closed the connection",
                    e.getMessage());
        }
    }

    @Test
    @Timeout(30)
    void aServerThatSaysNothingFailsTheHandshakeAtItsDeadline() throws Exception {
        try (ServerSocket silent = new ServerSocket(0, 50, LOOPBACK)) {
            CompletableFuture<Integer> read = CompletableFuture.supplyAsync(() -> {
                try (Socket s = silent.accept()) {
                    return s.getInputStream().readAllBytes().length > 0 ? 1 : 0; // Until the client gives up.
                } catch (java.io.IOException e) {
                    return -1;
                }
            }, Thread.ofPlatform()::start);
            TimeoutException e = onVirtualLoop(() -> {
                TimeoutException t = assertThrows(TimeoutException.class, () -> await(TcpClient.create()
                        .withTls(clientOptions().withHandshakeTimeout(Duration.ofMillis(200)))
                        .connect("127.0.0.1", silent.getLocalPort())));
                assertEquals(Duration.ofMillis(200), VirtualTime.elapsed(IOLoop.current()));
                return t;
            });
            assertEquals("TLS handshake with 127.0.0.1:" + silent.getLocalPort() + " timed out after 200 ms", e.getMessage());
            assertEquals(1, read.get(), "the client closed the connection after its hello");
        }
    }

    @Test
    @Timeout(30)
    void aClientThatSaysNothingIsClosedAtTheServersHandshakeDeadline() {
        onVirtualLoop(() -> {
            TcpServer server = echoServer(serverOptions().withHandshakeTimeout(Duration.ofMillis(200)), new ArrayList<>());
            try (var log = ExpectLog.of("spindle.general", "timed out after 200 ms", System.Logger.Level.INFO)) {
                IoStream silent = await(TcpClient.create().connect("127.0.0.1", server.port()));
                await(silent.readUntilClose()); // Ends when the server gives up: the deadline is the event.
                assertEquals(Duration.ofMillis(200), VirtualTime.elapsed(IOLoop.current()));
                log.await(Duration.ofSeconds(10));
            }
            server.stop();
            return null;
        });
    }

    @Test
    void cancellingAConnectDuringTheHandshakeClosesTheConnection() throws Exception {
        try (ServerSocket silent = new ServerSocket(0, 50, LOOPBACK)) {
            CompletableFuture<Integer> hello = new CompletableFuture<>();
            CompletableFuture<Integer> end = CompletableFuture.supplyAsync(() -> {
                try (Socket s = silent.accept(); InputStream in = s.getInputStream()) {
                    hello.complete(in.read());
                    return in.read(new byte[64 * 1024]) < 0 ? 0 : in.readAllBytes().length;
                } catch (java.io.IOException e) {
                    return -1;
                }
            }, Thread.ofPlatform()::start);
            onLoop(() -> {
                CompletableFuture<IoStream> connect = TcpClient.create().withTls(clientOptions())
                        .connect("127.0.0.1", silent.getLocalPort());
                assertEquals(0x16, await(hello), "a TLS handshake record");
                connect.cancel(true);
                return null;
            });
            assertEquals(0, end.get(), "the connection ends after the client hello");
        }
    }

    @Test
    void delegatedTasksRunOnTheTaskExecutorNeverOnTheLoop() {
        Set<Thread> ranOn = ConcurrentHashMap.newKeySet();
        AtomicInteger tasks = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(2);
        java.util.concurrent.Executor recording = r -> pool.execute(() -> {
            ranOn.add(Thread.currentThread());
            tasks.incrementAndGet();
            r.run();
        });
        try {
            Thread loopThread = onLoop(() -> {
                TcpServer server = echoServer(serverOptions().withTaskExecutor(recording), new ArrayList<>());
                IoStream client = await(TcpClient.create().withTls(clientOptions().withTaskExecutor(recording))
                        .connect("localhost", server.port()));
                assertEquals("hi", echo(client, "hi"));
                client.close();
                server.stop();
                CompletableFuture<Thread> carrier = new CompletableFuture<>();
                IOLoop.current().execute(() -> carrier.complete(Thread.currentThread()));
                return await(carrier);
            });
            assertTrue(tasks.get() >= 2, "client and server each ran tasks: " + tasks);
            assertFalse(ranOn.contains(loopThread), "a task ran on the loop's thread");
            for (Thread t : ranOn) {
                assertFalse(t.isVirtual(), t + " is a virtual thread, perhaps one of the loop");
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aClientThatVerifiesNothingConnectsToAnyServer() {
        TlsOptions unsafe = TlsOptions.client().withPeerVerification(false); // A warning, once per process.
        assertEquals(List.of("localhost null", "localhost null"),
                onLoop(() -> handshake(TlsOptions.server(otherCertificates().serverContext()), unsafe, "localhost")));
    }

    @Test
    void aServerThatVerifiesPeersRefusesAClientWithoutACertificateAndAcceptsOneWithIt() {
        onLoop(() -> {
            TcpServer server = echoServer(serverOptions().withPeerVerification(true), new ArrayList<>());
            try (var log = ExpectLog.of("spindle.general", "TLS handshake with", System.Logger.Level.INFO)) {
                // With TLS 1.3 the client's handshake may be over before the server checks its
                // certificate: the refusal then comes as the end of the stream.
                Exception e = assertThrows(Exception.class, () -> echo(await(TcpClient.create().withTls(clientOptions())
                        .connect("localhost", server.port()), SSLException.class), "hi"));
                Throwable why = e instanceof StreamClosedException c ? c.getCause() : e;
                assertInstanceOf(SSLException.class, why);
                assertTrue(why.getMessage().contains("certificate_required") || why.getMessage().contains("bad_certificate"),
                        why.getMessage());
                log.await(Duration.ofSeconds(10));
            }
            TlsOptions withCertificate = TlsOptions.client(certificates().clientContextWithCertificate());
            TlsStream client = (TlsStream) await(TcpClient.create().withTls(withCertificate).connect("localhost", server.port()));
            assertEquals("hi", echo(client, "hi"));
            assertEquals(certificates().serverCertificate(), client.session().getLocalCertificates()[0]);
            client.close();
            server.stop();
            return null;
        });
    }
}
