package dev.spindle.runtime.testing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import dev.spindle.runtime.IOLoop;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@link TestCertificates} against the JDK's https server and client, and curl. */
class TestCertificatesTest {
    private static TestCertificates certs;

    @BeforeAll
    static void make() {
        certs = TestCertificates.create("localhost", "127.0.0.1");
    }

    @AfterAll
    static void delete() {
        certs.close();
    }

    @Test
    void theServerCertificateIsSignedByTheCaForTheGivenNames() throws Exception {
        assertTrue(certs.caCertificate().getBasicConstraints() >= 0, "the CA may sign");
        assertEquals(-1, certs.serverCertificate().getBasicConstraints(), "the server may not");
        assertEquals(certs.caCertificate().getSubjectX500Principal(), certs.serverCertificate().getIssuerX500Principal());
        certs.serverCertificate().verify(certs.caCertificate().getPublicKey());
        assertEquals(List.of(List.of(2, "localhost"), List.of(7, "127.0.0.1")),
                List.copyOf(certs.serverCertificate().getSubjectAlternativeNames()));
        assertTrue(certs.serverCertificate().getExtendedKeyUsage().containsAll(List.of("1.3.6.1.5.5.7.3.1", "1.3.6.1.5.5.7.3.2")),
                "server and client authentication");
        assertEquals(List.of("localhost", "127.0.0.1"), certs.names());
        certs.serverCertificate().checkValidity();
    }

    @Test
    void pemFilesHoldTheSameCertificatesAndTheMatchingKey() throws Exception {
        CertificateFactory x509 = CertificateFactory.getInstance("X.509");
        try (InputStream in = Files.newInputStream(certs.caCertificatePem())) {
            assertEquals(List.of(certs.caCertificate()), List.copyOf(x509.generateCertificates(in)));
        }
        try (InputStream in = Files.newInputStream(certs.serverCertificatePem())) {
            List<? extends Certificate> chain = List.copyOf(x509.generateCertificates(in));
            assertEquals(List.of(certs.serverCertificate(), certs.caCertificate()), chain);
        }
        String pem = Files.readString(certs.serverKeyPem(), StandardCharsets.US_ASCII);
        assertTrue(pem.startsWith("-----BEGIN PRIVATE KEY-----\n"), pem);
        byte[] der = Base64.getMimeDecoder().decode(pem.replaceAll("-----[A-Z ]+-----", ""));
        PrivateKey key = KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(der));
        Signature sign = Signature.getInstance("SHA256withECDSA");
        sign.initSign(key);
        sign.update(new byte[] {1, 2, 3});
        byte[] signature = sign.sign();
        Signature verify = Signature.getInstance("SHA256withECDSA");
        verify.initVerify(certs.serverCertificate());
        verify.update(new byte[] {1, 2, 3});
        assertTrue(verify.verify(signature), "the key is the certificate's");
    }

    /** A JDK https server on loopback answering "ok" with the server context. */
    private static HttpsServer httpsServer() throws IOException {
        HttpsServer server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(certs.serverContext()));
        server.createContext("/", exchange -> {
            byte[] ok = "ok".getBytes(StandardCharsets.US_ASCII);
            exchange.sendResponseHeaders(200, ok.length);
            exchange.getResponseBody().write(ok);
            exchange.close();
        });
        server.start();
        return server;
    }

    @Test
    void theJdkHttpClientTrustsTheServerContextThroughTheClientContext() throws Exception {
        HttpsServer server = httpsServer();
        try (HttpClient client = HttpClient.newBuilder().sslContext(certs.clientContext()).build()) {
            for (String host : List.of("localhost", "127.0.0.1")) {
                HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create("https://" + host + ":"
                        + server.getAddress().getPort() + "/")).build(), HttpResponse.BodyHandlers.ofString());
                assertEquals("ok", r.body(), host);
            }
        } finally {
            server.stop(0);
        }
    }

    @Test
    void curlTrustsTheServerThroughTheCaPemFile() throws Exception {
        Assumptions.assumeTrue(hasCurl(), "curl is not installed");
        HttpsServer server = httpsServer();
        try {
            String url = "https://localhost:" + server.getAddress().getPort() + "/";
            assertEquals("ok", curl("--cacert", certs.caCertificatePem().toString(), url));
            assertTrue(curl(url).startsWith("curl: (60)"), "without the CA, curl refuses the certificate");
        } finally {
            server.stop(0);
        }
    }

    @Test
    void anotherInstanceHasItsOwnCaThatTheFirstDoesNotTrustAndCloseDeletesItsFiles() throws Exception {
        TestCertificates other = TestCertificates.create("other.test");
        HttpsServer server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(other.serverContext()));
        server.createContext("/", exchange -> exchange.close());
        server.start();
        try (HttpClient client = HttpClient.newBuilder().sslContext(certs.clientContext()).build()) {
            assertFalse(other.caCertificate().getSubjectX500Principal().equals(certs.caCertificate().getSubjectX500Principal()));
            assertThrows(SSLHandshakeException.class, () -> client.send(HttpRequest.newBuilder(URI.create(
                    "https://localhost:" + server.getAddress().getPort() + "/")).build(), HttpResponse.BodyHandlers.ofString()));
        } finally {
            server.stop(0);
        }
        Path dir = other.caCertificatePem().getParent();
        assertTrue(other.toString().matches("TestCertificates\\[CN=Spindle Test CA [0-9a-f]{8}, server \\[other.test\\], "
                + java.util.regex.Pattern.quote(dir.toString()) + "]"), other.toString());
        assertArrayEquals(new String[] {"ca.pem", "server-key.pem", "server.pem"},
                Files.list(dir).map(p -> p.getFileName().toString()).sorted().toArray(), "no key store is left");
        other.close();
        other.close();
        assertFalse(Files.exists(dir), "close() deletes the files");
        assertTrue(other.toString().endsWith(", closed]"), other.toString());
        assertEquals("other.test", other.serverCertificate().getSubjectX500Principal().getName().substring(3));
    }

    @Test
    void badNamesAreRefusedWithMessagesShowingThem() {
        assertThrows(IllegalArgumentException.class, TestCertificates::create);
        assertEquals("not a host name or IP address: \"a,b\"",
                assertThrows(IllegalArgumentException.class, () -> TestCertificates.create("a,b")).getMessage());
        assertThrows(IllegalArgumentException.class, () -> TestCertificates.create(" "));
        assertThrows(NullPointerException.class, () -> TestCertificates.create((String) null));
    }

    @Test
    void creatingOnALoopIsRefusedSinceItBlocks() {
        try (IOLoop loop = IOLoop.create()) {
            IllegalStateException e = loop.runSync(() -> assertThrows(IllegalStateException.class,
                    () -> TestCertificates.create("localhost")));
            assertTrue(e.getMessage().startsWith("TestCertificates.create() called on IOLoop-"), e.getMessage());
        }
    }

    private static boolean hasCurl() {
        try {
            return new ProcessBuilder("curl", "--version").redirectErrorStream(true).start().waitFor() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** curl's output and error output for {@code args}. */
    private static String curl(String... args) throws Exception {
        List<String> cmd = new java.util.ArrayList<>(List.of("curl", "-sS", "--max-time", "30"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        return out;
    }
}
