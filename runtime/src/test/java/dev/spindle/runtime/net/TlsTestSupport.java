package dev.spindle.runtime.net;

import dev.spindle.runtime.testing.TestCertificates;
import java.io.IOException;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;

/**
 * Certificates and JDK peers of the TLS tests. The certificates are made once per test JVM
 * (keytool takes about a second) and never change; their files go when the JVM exits.
 */
final class TlsTestSupport {
    private TlsTestSupport() {}

    /** Makes the certificates if they are not made yet: call it off any loop, in {@code @BeforeAll}. */
    static void makeCertificates() {
        certificates();
        otherCertificates();
    }

    /** A CA and a server certificate for localhost and 127.0.0.1. */
    static TestCertificates certificates() {
        return Shared.LOCALHOST;
    }

    /** Another CA, and a certificate it signed for other.test only: untrusted by, and wrong for, the first. */
    static TestCertificates otherCertificates() {
        return Shared.OTHER;
    }

    private static final class Shared {
        static final TestCertificates LOCALHOST = TestCertificates.create("localhost", "127.0.0.1");
        static final TestCertificates OTHER = TestCertificates.create("other.test");
    }

    static TlsOptions serverOptions() {
        return TlsOptions.server(certificates().serverContext());
    }

    static TlsOptions clientOptions() {
        return TlsOptions.client(certificates().clientContext());
    }

    /** What a JDK peer does with its connected, handshaken socket, on a platform thread. */
    interface PeerBody {
        void run(SSLSocket socket) throws Exception;
    }

    /** A JDK SSLServerSocket on loopback that serves one connection with {@code body} on a platform thread. */
    static final class JdkServer implements AutoCloseable {
        final SSLServerSocket socket;
        /** Completes when the body returned, or fails with what it threw. */
        final CompletableFuture<Void> done = new CompletableFuture<>();

        JdkServer(String protocol, PeerBody body) throws IOException {
            socket = (SSLServerSocket) certificates().serverContext().getServerSocketFactory()
                    .createServerSocket(0, 50, NetTestSupport.LOOPBACK);
            socket.setEnabledProtocols(new String[] {protocol});
            Thread.ofPlatform().name("jdk-tls-server").daemon().start(() -> {
                try (SSLSocket s = (SSLSocket) socket.accept()) {
                    s.startHandshake();
                    body.run(s);
                    done.complete(null);
                } catch (Throwable e) {
                    done.completeExceptionally(e);
                }
            });
        }

        int port() {
            return socket.getLocalPort();
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    /**
     * A JDK SSLSocket client of {@code localhost:port} that verifies the host name and runs
     * {@code body} on a platform thread; the future completes when it returned.
     */
    static CompletableFuture<Void> jdkClient(int port, String protocol, PeerBody body) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        Thread.ofPlatform().name("jdk-tls-client").daemon().start(() -> {
            try (SSLSocket s = (SSLSocket) certificates().clientContext().getSocketFactory()
                    .createSocket("localhost", port)) {
                SSLParameters p = s.getSSLParameters();
                p.setEndpointIdentificationAlgorithm("HTTPS");
                p.setServerNames(List.of(new SNIHostName("localhost"))); // The JDK sends none for a name without a dot.
                p.setProtocols(new String[] {protocol});
                s.setSSLParameters(p);
                s.startHandshake();
                body.run(s);
                done.complete(null);
            } catch (Throwable e) {
                done.completeExceptionally(e);
            }
        });
        return done;
    }

    /** A JDK TLS client over {@code plain}, which the body may close to end the connection without close_notify. */
    static SSLSocket layered(Socket plain, int port) throws IOException {
        return (SSLSocket) certificates().clientContext().getSocketFactory().createSocket(plain, "localhost", port, true);
    }
}
