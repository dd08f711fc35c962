package dev.spindle.http.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Runs the example as the README does, in a JVM of its own, and talks to it over HTTP. */
@Timeout(60)
class HelloServerTest {
    @Test
    void servesHelloWorldAndEchoesPostsOnThePrintedUrl() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        // The empty argument is what exec:exec passes when example.args is not set.
        Process p = new ProcessBuilder(List.of(java, "--add-opens", "java.base/java.lang=ALL-UNNAMED",
                "-cp", System.getProperty("java.class.path"), HelloServer.class.getName(), "0", ""))
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        try {
            String line = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8)).readLine();
            assertTrue(line.matches("Listening on http://127\\.0\\.0\\.1:\\d+/"), line);
            URI root = URI.create(line.substring("Listening on ".length()));
            HttpClient client = HttpClient.newHttpClient();
            HttpResponse<String> hello = client.send(HttpRequest.newBuilder(root).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals("Hello, world", hello.body());
            HttpResponse<String> echo = client.send(HttpRequest.newBuilder(root.resolve("/echo"))
                    .POST(HttpRequest.BodyPublishers.ofString("ping")).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals("ping", echo.body());
            // Whatever type the request declares, the echo is plain text (it used to echo the type).
            for (String type : List.of("application/x-www-form-urlencoded", "text/html", "application/json")) {
                HttpResponse<String> typed = client.send(HttpRequest.newBuilder(root.resolve("/echo")).header("Content-Type", type)
                        .POST(HttpRequest.BodyPublishers.ofString("<b>a=1</b>")).build(), HttpResponse.BodyHandlers.ofString());
                assertEquals("<b>a=1</b>", typed.body());
                assertEquals(List.of(HelloServer.ECHO_TYPE), typed.headers().allValues("Content-Type"), type);
            }
            HttpResponse<String> untyped = client.send(HttpRequest.newBuilder(root.resolve("/echo"))
                    .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(HelloServer.ECHO_TYPE, untyped.headers().firstValue("Content-Type").orElseThrow());
        } finally {
            p.destroy();
            p.waitFor(10, TimeUnit.SECONDS);
        }
    }
}
