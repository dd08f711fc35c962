package dev.spindle.runtime.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spindle.runtime.IOLoop;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import org.junit.jupiter.api.Test;

/** {@link TlsOptions}: defaults, copies, checks, the engines it sets up and its warning. */
class TlsOptionsTest {
    private static SSLContext context() throws Exception {
        SSLContext c = SSLContext.getInstance("TLS");
        c.init(null, null, null);
        return c;
    }

    @Test
    void defaultsFollowTheTable() throws Exception {
        TlsOptions client = TlsOptions.client();
        assertTrue(client.clientMode());
        assertNull(client.context());
        assertTrue(client.verifyPeer());
        assertEquals(List.of(), client.applicationProtocols());
        assertEquals(List.of(), client.protocols());
        assertEquals(Duration.ofSeconds(10), client.handshakeTimeout());
        assertNull(client.taskExecutor());
        TlsOptions server = TlsOptions.server(context());
        assertFalse(server.clientMode());
        assertFalse(server.verifyPeer(), "a server asks for no client certificate by default");
    }

    @Test
    void withMethodsReturnChangedCopies() throws Exception {
        SSLContext c = context();
        TlsOptions base = TlsOptions.client(c);
        TlsOptions changed = base.withApplicationProtocols("h2", "http/1.1").withProtocols("TLSv1.3")
                .withHandshakeTimeout(Duration.ofMillis(500)).withTaskExecutor(Runnable::run);
        assertEquals(List.of("h2", "http/1.1"), changed.applicationProtocols());
        assertEquals(List.of("TLSv1.3"), changed.protocols());
        assertEquals(Duration.ofMillis(500), changed.handshakeTimeout());
        assertEquals(List.of(), base.applicationProtocols(), "the original is unchanged");
        assertEquals(c, changed.context());
    }

    @Test
    void badSettingsAreRefusedWithMessagesShowingThem() {
        assertEquals("context: a server needs an SSLContext with its certificate",
                assertThrows(NullPointerException.class, () -> new TlsOptions(false, null, false, List.of(), List.of(),
                        Duration.ofSeconds(1), null)).getMessage());
        assertThrows(NullPointerException.class, () -> TlsOptions.client(null));
        assertEquals("applicationProtocols: blank or longer than 255 bytes: \" \"",
                assertThrows(IllegalArgumentException.class, () -> TlsOptions.client().withApplicationProtocols(" "))
                        .getMessage());
        assertThrows(IllegalArgumentException.class, () -> TlsOptions.client().withApplicationProtocols("x".repeat(256)));
        assertThrows(IllegalArgumentException.class, () -> TlsOptions.client().withProtocols(""));
        assertEquals("handshakeTimeout must be positive: PT0S", assertThrows(IllegalArgumentException.class,
                () -> TlsOptions.client().withHandshakeTimeout(Duration.ZERO)).getMessage());
        assertThrows(NullPointerException.class, () -> TlsOptions.client().withHandshakeTimeout(null));
    }

    @Test
    void serversAndClientsRefuseTheOtherEndsSettings() throws Exception {
        TlsOptions server = TlsOptions.server(context());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TcpClient.create().withTls(server));
        assertTrue(e.getMessage().startsWith("a client needs client settings, TlsOptions.client(...): TlsOptions[server"),
                e.getMessage());
        try (IOLoop loop = IOLoop.create()) {
            TcpServer tcp = TcpServer.create(loop, (stream, address) -> {});
            e = assertThrows(IllegalArgumentException.class, () -> tcp.tls(TlsOptions.client()));
            assertTrue(e.getMessage().startsWith("a server needs server settings, TlsOptions.server(sslContext): "),
                    e.getMessage());
            assertTrue(tcp.tls(server).tls(null).toString().startsWith("TcpServer[not listening, connections="));
            assertTrue(tcp.tls(server).toString().startsWith("TcpServer[not listening, TLS, connections="));
        }
    }

    @Test
    void clientEnginesVerifyTheHostNameAndSendItAsServerName() throws Exception {
        TlsOptions client = TlsOptions.client(context()).withApplicationProtocols("http/1.1").withProtocols("TLSv1.2");
        SSLEngine engine = client.newEngine(client.context(), "example.com", 443);
        SSLParameters p = engine.getSSLParameters();
        assertTrue(engine.getUseClientMode());
        assertEquals("HTTPS", p.getEndpointIdentificationAlgorithm());
        assertEquals("example.com", TlsHandshake.serverName(engine, true));
        assertEquals(List.of("http/1.1"), List.of(p.getApplicationProtocols()));
        assertEquals(List.of("TLSv1.2"), List.of(p.getProtocols()));
        assertEquals("localhost", TlsHandshake.serverName(client.newEngine(client.context(), "localhost", 443), true));
        assertNull(TlsHandshake.serverName(client.newEngine(client.context(), "127.0.0.1", 443), true), "no SNI for an IP");
        assertNull(TlsHandshake.serverName(client.newEngine(client.context(), "under_score.example", 443), true));
    }

    @Test
    void serverEnginesAskForClientCertificatesOnlyWhenVerifyingPeers() throws Exception {
        TlsOptions server = TlsOptions.server(context());
        assertFalse(server.newEngine(server.context(), null, 0).getNeedClientAuth());
        assertTrue(server.withPeerVerification(true).newEngine(server.context(), null, 0).getNeedClientAuth());
        assertFalse(server.newEngine(server.context(), null, 0).getUseClientMode());
    }

    @Test
    void toStringShowsTheSettings() throws Exception {
        assertEquals("TlsOptions[client, JDK default context, verifies peer, handshake timeout 10000 ms]",
                TlsOptions.client().toString());
        assertEquals("TlsOptions[server, TLS context, ALPN [http/1.1], protocols [TLSv1.3], handshake timeout 2000 ms]",
                TlsOptions.server(context()).withApplicationProtocols("http/1.1").withProtocols("TLSv1.3")
                        .withHandshakeTimeout(Duration.ofSeconds(2)).toString());
    }

    @Test
    void aTcpClientShowsItsTlsSettings() {
        assertEquals("TcpClient[maxBufferSize=1024]", TcpClient.create().withMaxBufferSize(1024).toString());
        assertEquals("TcpClient[maxBufferSize=1024, TlsOptions[client, JDK default context, verifies peer, handshake timeout"
                + " 10000 ms]]", TcpClient.create().withTls(TlsOptions.client()).withMaxBufferSize(1024).toString());
        assertEquals("TcpClient[maxBufferSize=1024]", TcpClient.create().withTls(TlsOptions.client()).withTls(null)
                .withMaxBufferSize(1024).toString());
    }

    @Test
    void aClientThatVerifiesNothingLogsAWarningOncePerProcess() throws Exception {
        // In a fresh JVM: whether this one already warned depends on which tests ran before.
        Process child = NetTestSupport.startJvm(UnverifiedClientWarning.class);
        List<String> lines;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream()))) {
            lines = out.lines().toList();
            assertTrue(child.waitFor(60, TimeUnit.SECONDS));
        } finally {
            child.destroyForcibly();
        }
        assertEquals(1, lines.size(), "warnings: " + lines);
        assertTrue(lines.get(0).startsWith("TLS peer verification is off for a client"), lines.get(0));
    }
}
