package dev.spindle.http.client;

import static dev.spindle.http.client.Loops.onLoop;
import static dev.spindle.runtime.Coroutines.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.spindle.http.Certificates;
import dev.spindle.http.HttpRequest;
import dev.spindle.http.HttpResponse;
import dev.spindle.runtime.IOLoop;
import dev.spindle.runtime.testing.TestCertificates;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The client against Python's {@code http.server} (HTTP/1.0, closes after each response); skipped without python3. */
class PythonServerTest {
    /**
     * Python's http.server over TLS, with the test CA's certificate: its handler answers HTTP/1.0
     * with a close-delimited body, and Python's TLS sockets end with the TCP close alone, without
     * close_notify. Arguments: the certificate chain and the key, PEM.
     */
    private static final String HTTPS_SERVER = """
            import http.server, ssl, sys
            class Handler(http.server.BaseHTTPRequestHandler):
                def do_GET(self):
                    self.send_response(200)
                    self.send_header("Content-Type", "text/plain")
                    self.end_headers()
                    self.wfile.write(b"python over tls\\n" * 1000)
                def log_message(self, *args):
                    pass
            server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
            context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            context.load_cert_chain(sys.argv[1], sys.argv[2])
            server.socket = context.wrap_socket(server.socket, server_side=True)
            print("PORT", server.server_address[1], flush=True)
            server.serve_forever()
            """;

    @TempDir
    Path dir;

    private ChildServer start() throws IOException {
        return start(List.of("python3", "-u", "-m", "http.server", "0", "--bind", "127.0.0.1"));
    }

    private ChildServer start(List<String> command) throws IOException {
        try {
            return ChildServer.command(command, dir.toFile());
        } catch (IOException e) {
            Assumptions.abort("python3 is not available: " + e.getMessage());
            throw e;
        }
    }

    @Test
    void aCloseDelimitedBodyFromPythonsHttpsServerWhichSendsNoCloseNotifyArrivesWhole() throws Exception {
        TestCertificates certs = Certificates.localhost();
        try (ChildServer python = start(List.of("python3", "-u", "-c", HTTPS_SERVER,
                certs.serverCertificatePem().toString(), certs.serverKeyPem().toString()))) {
            String url = "https://localhost:" + python.port() + "/";
            List<HttpResponse> rs = onLoop(() -> {
                AsyncHttpClient client = AsyncHttpClient.create(IOLoop.current(),
                        HttpClientOptions.DEFAULTS.withSslContext(certs.clientContext()));
                return List.of(await(client.fetch(url)), await(client.fetch(url)));
            });
            for (HttpResponse r : rs) {
                assertEquals("python over tls\n".repeat(1000), r.bodyText());
                assertFalse(r.headers().contains("Content-Length"));
            }
        }
    }

    @Test
    void filesAndErrorsFromPythonsHttpServer() throws Exception {
        Files.writeString(dir.resolve("hello.txt"), "hello from python\n".repeat(1000));
        try (ChildServer python = start()) {
            List<HttpResponse> rs = onLoop(() -> {
                AsyncHttpClient client = AsyncHttpClient.create();
                HttpResponse file = await(client.fetch(python.url("/hello.txt")));
                HttpResponse head = await(client.fetch(HttpRequest.head(python.url("/hello.txt"))));
                HttpClientException missing = assertThrows(HttpClientException.class,
                        () -> await(client.fetch(python.url("/missing"))));
                return List.of(file, head, missing.response());
            });
            assertEquals("hello from python\n".repeat(1000), rs.get(0).bodyText());
            assertEquals("18000", rs.get(0).headers().get("Content-Length"));
            assertEquals(0, rs.get(1).bodyLength());
            assertEquals(404, rs.get(2).code());
        }
    }
}
