package dev.spindle.runtime.testing;

import dev.spindle.runtime.IOLoop;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A throwaway certificate authority and a server certificate it signed, made at test time for
 * TLS tests, with nothing checked in (Netty: {@code SelfSignedCertificate}; OkHttp:
 * {@code HeldCertificate}). <b>Thread-safe:</b> immutable once created; every method may be
 * called from any thread.
 *
 * {@snippet :
 * try (TestCertificates certs = TestCertificates.create("localhost", "127.0.0.1")) {
 *     TcpServer server = TcpServer.create(loop, handler)
 *             .tls(TlsOptions.server(certs.serverContext()))
 *             .listen(0, InetAddress.getLoopbackAddress());
 *     TcpClient client = TcpClient.create().withTls(TlsOptions.client(certs.clientContext()));
 *     // Other peers: curl --cacert certs.caCertificatePem(), or HttpClient.newBuilder().sslContext(certs.clientContext())
 * }
 * }
 *
 * <p>The {@code SSLContext}s are made once and shared, as {@code SSLContext}s may be.
 *
 * <p><b>What is made.</b> {@link #create} runs the JDK's own {@code keytool} (from
 * {@code java.home}) twice: once for the CA, a self-signed certificate with
 * {@code BasicConstraints CA:true} and a name of its own ({@code CN=Spindle Test CA} and a random
 * suffix, so that two instances never trust each other's certificates), and once for the server
 * certificate it signs, whose subject alternative names are the given host names ({@code DNS})
 * and IP addresses ({@code IP}), usable for server and client authentication. Keys are EC P-256;
 * certificates are valid from a day ago for 30 days. This takes about a second and blocks the
 * caller, so call it outside any loop (in a {@code @BeforeAll}, or through
 * {@code runInExecutor}).
 *
 * <p><b>Files.</b> The key stores keytool writes are deleted as soon as they are loaded. What
 * other peers need stays in a temporary directory until {@link #close()}: the CA certificate
 * ({@link #caCertificatePem()}, for {@code curl --cacert}), the server's certificate chain and
 * its unencrypted private key, all PEM. They are also deleted when the JVM exits, for an
 * instance that was never closed.
 *
 * @since 0.2
 */
public final class TestCertificates implements AutoCloseable {
    private static final char[] PASSWORD = "spindle-test".toCharArray();

    private final List<String> names;
    private final Path directory;
    private final X509Certificate ca;
    private final X509Certificate[] serverChain;
    private final SSLContext serverContext;
    private final SSLContext clientContext;
    private final SSLContext clientContextWithCertificate;
    private final AtomicBoolean closed = new AtomicBoolean();

    private TestCertificates(List<String> names, Path directory, KeyStore made)
            throws GeneralSecurityException, IOException {
        this.names = names;
        this.directory = directory;
        this.ca = (X509Certificate) made.getCertificate("ca");
        Certificate[] chain = made.getCertificateChain("server");
        this.serverChain = Arrays.copyOf(chain, chain.length, X509Certificate[].class);
        KeyStore trust = emptyStore();
        trust.setCertificateEntry("ca", ca);
        KeyStore key = emptyStore();
        key.setKeyEntry("server", made.getKey("server", PASSWORD), PASSWORD, chain);
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(key, PASSWORD);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        this.serverContext = context(kmf.getKeyManagers(), tmf);
        this.clientContext = context(null, tmf);
        this.clientContextWithCertificate = context(kmf.getKeyManagers(), tmf);
    }

    private static KeyStore emptyStore() throws GeneralSecurityException, IOException {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        return ks;
    }

    private static SSLContext context(KeyManager[] keys, TrustManagerFactory trust) throws GeneralSecurityException {
        SSLContext c = SSLContext.getInstance("TLS");
        c.init(keys, trust.getTrustManagers(), null);
        return c;
    }

    /**
     * Makes a CA and a server certificate for {@code names}: host names such as
     * {@code "localhost"} and IP addresses such as {@code "127.0.0.1"} or {@code "::1"}. The
     * first name is also the certificate's common name.
     *
     * @throws IllegalArgumentException if no name is given, or one is blank or has a comma
     * @throws IllegalStateException if called on a loop (it blocks for a second), or if keytool
     *     cannot be found or fails (its output says why)
     * @throws UncheckedIOException if the temporary files cannot be written
     */
    public static TestCertificates create(String... names) {
        IOLoop loop = IOLoop.currentOrNull();
        if (loop != null) {
            throw new IllegalStateException("TestCertificates.create() called on " + loop.name() + ": it runs keytool"
                    + " and blocks for about a second; call it before the loop runs (e.g. in @BeforeAll) or through"
                    + " runInExecutor(null, () -> TestCertificates.create(...))");
        }
        List<String> list = checked(names);
        Path dir = null;
        try {
            dir = Files.createTempDirectory("spindle-test-certificates-");
            dir.toFile().deleteOnExit();
            KeyStore made = Keytool.make(dir, list, PASSWORD);
            TestCertificates certs = new TestCertificates(list, dir, made);
            certs.writePems(made);
            return certs;
        } catch (IOException e) {
            deleteQuietly(dir);
            throw new UncheckedIOException("cannot write test certificates: " + e.getMessage(), e);
        } catch (GeneralSecurityException e) {
            deleteQuietly(dir);
            throw new IllegalStateException("cannot load the test certificates keytool made: " + e, e);
        } catch (RuntimeException e) {
            deleteQuietly(dir);
            throw e;
        }
    }

    private static List<String> checked(String[] names) {
        List<String> list = List.of(Objects.requireNonNull(names, "names"));
        if (list.isEmpty()) {
            throw new IllegalArgumentException("no names: give the host names and IP addresses the certificate is for");
        }
        for (String n : list) {
            if (n.isBlank() || n.contains(",") || n.contains("=")) {
                throw new IllegalArgumentException("not a host name or IP address: \"" + n + "\"");
            }
        }
        return list;
    }

    /** Writes the PEM files other peers need, from the key store keytool made. */
    private void writePems(KeyStore made) throws IOException, GeneralSecurityException {
        write(caCertificatePem(), pem("CERTIFICATE", ca.getEncoded()));
        StringBuilder chain = new StringBuilder();
        for (X509Certificate c : serverChain) {
            chain.append(pem("CERTIFICATE", c.getEncoded()));
        }
        write(serverCertificatePem(), chain.toString());
        write(serverKeyPem(), pem("PRIVATE KEY", made.getKey("server", PASSWORD).getEncoded()));
    }

    private static void write(Path file, String text) throws IOException {
        Files.writeString(file, text, StandardCharsets.US_ASCII);
        file.toFile().deleteOnExit();
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

    /** A context for a server: it presents the server certificate (and the CA's), and trusts the CA for client certificates. */
    public SSLContext serverContext() {
        return serverContext;
    }

    /** A context for clients that trust the CA, and nothing else, and have no certificate of their own. */
    public SSLContext clientContext() {
        return clientContext;
    }

    /** Like {@link #clientContext()}, but presenting the server certificate as a client certificate when asked. */
    public SSLContext clientContextWithCertificate() {
        return clientContextWithCertificate;
    }

    /** The CA's certificate. */
    public X509Certificate caCertificate() {
        return ca;
    }

    /** The server's certificate, signed by the CA. */
    public X509Certificate serverCertificate() {
        return serverChain[0];
    }

    /** The host names and IP addresses the server certificate is for, as given to {@link #create}. */
    public List<String> names() {
        return names;
    }

    /** The CA certificate, PEM ({@code curl --cacert}, Python's {@code cafile}); deleted by {@link #close()}. */
    public Path caCertificatePem() {
        return directory.resolve("ca.pem");
    }

    /** The server's certificate followed by the CA's, PEM; deleted by {@link #close()}. */
    public Path serverCertificatePem() {
        return directory.resolve("server.pem");
    }

    /** The server's private key, unencrypted PKCS #8 PEM; deleted by {@link #close()}. */
    public Path serverKeyPem() {
        return directory.resolve("server-key.pem");
    }

    /** Deletes the files; the contexts and certificates stay usable. Idempotent. */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            deleteQuietly(directory);
        }
    }

    private static void deleteQuietly(Path dir) {
        if (dir == null) {
            return;
        }
        try (var files = Files.list(dir)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                Files.deleteIfExists(f);
            }
            Files.deleteIfExists(dir);
        } catch (IOException e) {
            // Left for deleteOnExit.
        }
    }

    @Override
    public String toString() {
        return "TestCertificates[" + ca.getSubjectX500Principal().getName() + ", server " + names + ", "
                + (closed.get() ? "closed" : directory) + "]";
    }
}
