package dev.spindle.http.client;

import static dev.spindle.http.client.Loops.onLoop;
import static dev.spindle.runtime.Coroutines.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spindle.http.Certificates;
import dev.spindle.http.HttpInputException;
import dev.spindle.runtime.IOLoop;
import dev.spindle.runtime.net.StreamClosedException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * How the client reads the end of a TLS connection (see "TLS" in {@code Http1Connection}): a
 * JDK server socket layered over a plain one, so that the test decides whether the connection
 * ends with a {@code close_notify} or with the TCP close alone, as many servers end it. A body
 * whose length is known is checked either way; a close-delimited one ends at the close either
 * way; a broken record fails the fetch.
 */
class TlsEndOfStreamTest {
    private static final HttpClientOptions TRUSTING = HttpClientOptions.DEFAULTS
            .withSslContext(Certificates.localhost().clientContext());

    @BeforeAll
    static void makeCertificates() {
        Certificates.make();
    }

    /** What the server does with the handshaken TLS socket over {@code raw}, which it may close without close_notify. */
    private interface TlsScript {
        void run(SSLSocket tls, Socket raw) throws Exception;
    }

    /** A server that handshakes each connection as the test CA's localhost, then runs {@code script}. */
    private static RawServer tlsServer(TlsScript script) throws IOException {
        return new RawServer((raw, n) -> {
            SSLSocket tls = (SSLSocket) Certificates.localhost().serverContext().getSocketFactory()
                    .createSocket(raw, null, raw.getPort(), false); // Closing tls would not close raw.
            tls.setUseClientMode(false);
            tls.startHandshake();
            RawServer.readHead(tls.getInputStream());
            script.run(tls, raw);
        });
    }

    private static String fetch(RawServer server) {
        return onLoop(() -> await(AsyncHttpClient.create(IOLoop.current(), TRUSTING)
                .fetch("https://localhost:" + server.port() + "/")).bodyText());
    }

    private static <T extends Throwable> T fetchFails(RawServer server, Class<T> type) {
        return onLoop(() -> assertThrows(type, () -> await(AsyncHttpClient.create(IOLoop.current(), TRUSTING)
                .fetch("https://localhost:" + server.port() + "/"))));
    }

    @Test
    void aCloseDelimitedBodyEndsAtTheCloseWithoutCloseNotify() throws IOException {
        try (RawServer server = tlsServer((tls, raw) -> {
            RawServer.write(tls, "HTTP/1.1 200 OK\nConnection: close\n\nuntil the close");
            raw.close(); // No close_notify: the TCP close alone, as Python's ssl server ends a connection.
        })) {
            assertEquals("until the close", fetch(server));
        }
    }

    @Test
    void aCloseDelimitedBodyEndsAtTheCloseNotify() throws IOException {
        try (RawServer server = tlsServer((tls, raw) -> {
            RawServer.write(tls, "HTTP/1.1 200 OK\nConnection: close\n\nuntil the close_notify");
            tls.close(); // close_notify first.
            raw.close();
        })) {
            assertEquals("until the close_notify", fetch(server));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"Content-Length: 10\n\nhalf!", "Transfer-Encoding: chunked\n\n5\r\nhalf!\r\n"})
    void aBodyCutShortOfItsFramingFailsAsOnAPlainConnection(String rest) throws IOException {
        try (RawServer server = tlsServer((tls, raw) -> {
            RawServer.write(tls, "HTTP/1.1 200 OK\n" + rest);
            raw.close();
        })) {
            assertEquals(HttpInputException.Reason.PREMATURE_EOF, fetchFails(server, HttpInputException.class).reason());
        }
    }

    @Test
    void aBrokenRecordInTheBodyFailsTheFetchWithTheSslException() throws IOException {
        try (RawServer server = tlsServer((tls, raw) -> {
            RawServer.write(tls, "HTTP/1.1 200 OK\nConnection: close\n\nbefore the broken record");
            OutputStream out = raw.getOutputStream(); // An application data record whose tag cannot match.
            out.write(new byte[] {0x17, 0x03, 0x03, 0x00, 0x20});
            out.write("0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            raw.getInputStream().readAllBytes(); // Until the client gives up.
        })) {
            StreamClosedException e = fetchFails(server, StreamClosedException.class);
            assertInstanceOf(SSLException.class, e.getCause(), String.valueOf(e.getCause()));
        }
    }

    @Test
    void aPooledConnectionTheServerClosedWithoutCloseNotifyIsReplacedQuietly() throws IOException {
        try (RawServer server = tlsServer((tls, raw) -> {
            RawServer.write(tls, "HTTP/1.1 200 OK\nContent-Length: 4\n\npool");
            raw.close(); // Between requests, without close_notify.
        })) {
            List<String> bodies = onLoop(() -> {
                AsyncHttpClient client = AsyncHttpClient.create(IOLoop.current(), TRUSTING);
                String url = "https://localhost:" + server.port() + "/";
                String first = await(client.fetch(url)).bodyText();
                return List.of(first, await(client.fetch(url)).bodyText());
            });
            assertEquals(List.of("pool", "pool"), bodies);
            assertEquals(2, server.connections());
            assertTrue(server.failures().isEmpty(), server.failures().toString());
        }
    }
}
