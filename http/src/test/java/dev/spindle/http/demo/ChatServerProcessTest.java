package dev.spindle.http.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The chat as a process: its exit status for bad options, and that it dies with the process that started it. */
@Timeout(120)
class ChatServerProcessTest {
    private static final Pattern URL = Pattern.compile("Chat running on (http://127\\.0\\.0\\.1:(\\d+)/) .*");

    private static List<String> javaCommand(String... args) {
        List<String> c = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--add-opens", "java.base/java.lang=ALL-UNNAMED", "-D" + ParentWatch.PROPERTY + "=true",
                "-cp", System.getProperty("java.class.path"), ChatServer.class.getName()));
        c.addAll(List.of(args));
        return c;
    }

    @Test
    void aBadOptionPrintsTheUsageAndExitsWith2() throws Exception {
        Process p = new ProcessBuilder(javaCommand("--port", "eighty")).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(2, p.waitFor());
        assertTrue(err.startsWith("ChatServer: --port takes a whole number: eighty\nUsage: ChatServer [options]"), err);
    }

    /*
     * What `mvn exec:exec` does: a parent process forks the server's JVM and waits for it. Killing
     * the parent (kill <pid of mvn>) used to leave the server serving, reparented to PID 1. Here
     * the parent is a shell that starts the server in the background and waits; the test kills
     * the shell with SIGTERM, as `kill` does, and then the server must end and free its port.
     */
    @Test
    void killingTheParentProcessStopsTheServerAndFreesItsPort() throws Exception {
        StringBuilder script = new StringBuilder();
        for (String word : javaCommand("--port", "0")) {
            script.append('\'').append(word.replace("'", "'\\''")).append("' ");
        }
        Process shell = new ProcessBuilder("sh", "-c", script + "& wait").redirectError(ProcessBuilder.Redirect.DISCARD).start();
        List<ProcessHandle> started = new ArrayList<>();
        try {
            String line = new BufferedReader(new InputStreamReader(shell.getInputStream(), StandardCharsets.UTF_8)).readLine();
            Matcher m = URL.matcher(String.valueOf(line));
            assertTrue(m.matches(), line);
            int port = Integer.parseInt(m.group(2));
            ProcessHandle server = shell.toHandle().children().findFirst().orElseThrow();
            started.add(server);
            try (HttpClient client = HttpClient.newHttpClient()) {
                HttpResponse<String> page = client.send(HttpRequest.newBuilder(URI.create(m.group(1))).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertEquals(200, page.statusCode());
            }

            shell.destroy(); // SIGTERM to the parent only.
            assertEquals(143, shell.waitFor());
            server.onExit().get(60, TimeUnit.SECONDS);
            assertThrows(ConnectException.class, () -> new Socket(InetAddress.getLoopbackAddress(), port).close());
        } finally {
            started.forEach(ProcessHandle::destroyForcibly); // Reparented once the shell is gone: not its descendant.
            shell.destroyForcibly();
        }
    }
}
