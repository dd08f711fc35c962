package dev.spindle.runtime.net;

import static dev.spindle.runtime.Coroutines.await;
import static dev.spindle.runtime.net.NetTestSupport.LOOPBACK;
import static dev.spindle.runtime.net.NetTestSupport.ascii;
import static dev.spindle.runtime.net.NetTestSupport.onLoop;
import static dev.spindle.runtime.net.NetTestSupport.onVirtualLoop;
import static dev.spindle.runtime.net.NetTestSupport.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spindle.runtime.IOLoop;
import dev.spindle.runtime.TimeoutException;
import dev.spindle.runtime.testing.VirtualTime;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@link TcpClient} against plain {@link ServerSocket} servers. */
class TcpClientTest {

    /** A one-connection server thread that upper-cases one line. */
    private static ServerSocket upperCaseServer() throws IOException {
        ServerSocket ss = new ServerSocket(0, 50, LOOPBACK);
        Thread.ofPlatform().daemon().start(() -> {
            try (ss; Socket s = ss.accept(); InputStream in = s.getInputStream(); OutputStream out = s.getOutputStream()) {
                for (int b; (b = in.read()) >= 0; ) {
                    out.write(Character.toUpperCase(b));
                    if (b == '\n') {
                        break;
                    }
                }
            } catch (IOException e) {
                // The test fails on its own side.
            }
        });
        return ss;
    }

    @Test
    void connectsToAPlainServerSocket() throws IOException {
        ServerSocket ss = upperCaseServer();
        String got = onLoop(() -> {
            IoStream stream = await(TcpClient.create().connect("127.0.0.1", ss.getLocalPort(), Duration.ofSeconds(5)));
            await(stream.write(ascii("shout\n")));
            String line = text(await(stream.readUntil("\n", 100)));
            assertEquals("", text(await(stream.readUntilClose())));
            return line;
        });
        assertEquals("SHOUT\n", got);
    }

    @Test
    void connectsToLocalhostWithoutALookup() throws IOException {
        assertEquals(LOOPBACK, Resolver.immediate("localhost"));
        assertEquals("::1", Resolver.immediate("[::1]").getHostAddress().replace("0:0:0:0:0:0:0:1", "::1"));
        assertNull(Resolver.immediate("example.com"));
        assertNull(Resolver.immediate("1.example.com"));
        ServerSocket ss = upperCaseServer();
        onLoop(() -> {
            IoStream stream = await(TcpClient.create().connect("localhost", ss.getLocalPort()));
            assertEquals(new InetSocketAddress(LOOPBACK, ss.getLocalPort()), stream.remoteAddress());
            stream.close();
            return null;
        });
    }

    @Test
    void refusedConnectionFailsWithAConnectExceptionNamingTheAddress() throws IOException {
        int port;
        try (ServerSocket ss = new ServerSocket(0, 50, LOOPBACK)) {
            port = ss.getLocalPort();
        }
        ConnectException e = onLoop(() -> assertThrows(ConnectException.class,
                () -> await(TcpClient.create().connect("127.0.0.1", port), ConnectException.class)));
        assertEquals(ConnectException.class, e.getClass());
        assertEquals("Connection refused: 127.0.0.1 port " + port, e.getMessage());
        ConnectException jdk = assertInstanceOf(ConnectException.class, e.getCause(), "the JDK's own");
        assertEquals("Connection refused", jdk.getMessage());

        ConnectException named = onLoop(() -> assertThrows(ConnectException.class,
                () -> await(TcpClient.create().connect("localhost", port), ConnectException.class)));
        assertEquals("Connection refused: localhost (127.0.0.1) port " + port, named.getMessage());
    }

    @Test
    void unknownHostFailsWithTheJdksUnknownHostException() {
        onLoop(() -> assertThrows(UnknownHostException.class,
                () -> await(TcpClient.create().connect("no-such-host.invalid", 80), UnknownHostException.class)));
    }

    @Test
    @Timeout(30)
    void connectTimeoutFailsWithTimeoutExceptionNamingHostAndPort() throws IOException {
        // A listener whose accept queue is full drops new SYNs: a connect to it hangs, and on a
        // virtual clock its timeout comes one I/O quantum later.
        try (ServerSocket ss = new ServerSocket(0, 1, LOOPBACK)) {
            List<Socket> fillers = new ArrayList<>();
            try {
                fillAcceptQueue(ss, fillers);
                int port = ss.getLocalPort();
                TimeoutException e = onVirtualLoop(() -> {
                    TimeoutException t = assertThrows(TimeoutException.class,
                            () -> await(TcpClient.create().connect("127.0.0.1", port, Duration.ofMillis(200))));
                    assertEquals(Duration.ofMillis(200), VirtualTime.elapsed(IOLoop.current()));
                    return t;
                });
                assertTrue(e.getMessage().startsWith("Timed out after 200 ms while connecting to 127.0.0.1:" + port),
                        e.getMessage());
            } finally {
                for (Socket s : fillers) {
                    s.close();
                }
            }
        }
    }

    private static void fillAcceptQueue(ServerSocket ss, List<Socket> fillers) throws IOException {
        for (int i = 0; i < 20; i++) {
            Socket s = new Socket();
            fillers.add(s);
            try {
                s.connect(ss.getLocalSocketAddress(), 200);
            } catch (SocketTimeoutException full) {
                return;
            }
        }
        throw new IllegalStateException("the accept queue never filled up");
    }

    @Test
    void connectWithAnExplicitLoopWorksFromAnotherThread() throws Exception {
        ServerSocket ss = upperCaseServer();
        try (IOLoop loop = IOLoop.create()) {
            CompletableFuture<IoStream> f = TcpClient.create().connect(loop, "127.0.0.1", ss.getLocalPort(), null);
            String got = loop.runSync(() -> {
                IoStream stream = await(f);
                assertTrue(loop.inLoop());
                await(stream.write(ascii("abc\n")));
                return text(await(stream.readUntil("\n", 10)));
            }, Duration.ofSeconds(10));
            assertEquals("ABC\n", got);
        }
    }

    @Test
    void connectOutsideAnyLoopNamesTheFix() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> TcpClient.create().connect("127.0.0.1", 80));
        assertTrue(e.getMessage().contains("IOLoop.current()"), e.getMessage());
    }

    @Test
    void cancellingAConnectLeavesNothingBehind() throws IOException {
        try (ServerSocket ss = new ServerSocket(0, 1, LOOPBACK)) {
            List<Socket> fillers = new ArrayList<>();
            try {
                fillAcceptQueue(ss, fillers);
                onLoop(() -> {
                    CompletableFuture<IoStream> f = TcpClient.create().connect("127.0.0.1", ss.getLocalPort());
                    dev.spindle.runtime.Coroutines.moment();
                    assertTrue(IOLoop.current().toString().contains("channels=1"), IOLoop.current().toString());
                    assertTrue(f.cancel(true));
                    dev.spindle.runtime.Coroutines.moment(); // The selector forgets cancelled keys as it selects.
                    assertTrue(IOLoop.current().toString().contains("channels=0"), IOLoop.current().toString());
                    return null;
                });
            } finally {
                for (Socket s : fillers) {
                    s.close();
                }
            }
        }
    }

    @Test
    void toStringShowsTheSettings() {
        assertEquals("TcpClient[maxBufferSize=1024]", TcpClient.create().withMaxBufferSize(1024).toString());
        assertNotNull(TcpClient.create().toString());
        assertThrows(IllegalArgumentException.class, () -> TcpClient.create().withMaxBufferSize(0));
    }
}
