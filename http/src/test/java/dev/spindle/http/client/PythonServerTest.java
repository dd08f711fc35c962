package dev.spindle.http.client;

import static dev.spindle.http.client.Loops.onLoop;
import static dev.spindle.runtime.Coroutines.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.spindle.http.HttpRequest;
import dev.spindle.http.HttpResponse;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The client against Python's {@code http.server} (HTTP/1.0, closes after each response); skipped without python3. */
class PythonServerTest {
    @TempDir
    Path dir;

    private ChildServer start() throws IOException {
        try {
            return ChildServer.command(List.of("python3", "-u", "-m", "http.server", "0", "--bind", "127.0.0.1"),
                    dir.toFile());
        } catch (IOException e) {
            Assumptions.abort("python3 is not available: " + e.getMessage());
            throw e;
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
