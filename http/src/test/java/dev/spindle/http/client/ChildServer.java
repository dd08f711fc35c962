package dev.spindle.http.client;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A server process: a main class of the test classpath in a JVM of its own, or any command, that
 * prints {@code PORT <n>} (or Python's {@code Serving HTTP on ... port <n>}) when ready and stops
 * when its standard input closes or it is destroyed.
 */
final class ChildServer implements AutoCloseable {
    private final Process process;
    private final int port;

    private ChildServer(Process process) throws IOException {
        this.process = process;
        this.port = readPort(process);
    }

    /** Runs {@code main} in a new JVM of the same JDK. */
    static ChildServer java(Class<?> main, String... args) throws IOException {
        String java = ProcessHandle.current().info().command().orElseThrow();
        List<String> cmd = new ArrayList<>(List.of(java, "-Xss256k", "-cp", System.getProperty("java.class.path"),
                main.getName()));
        cmd.addAll(List.of(args));
        return new ChildServer(new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start());
    }

    /** Runs {@code command}, e.g. {@code python3 -u -m http.server}. */
    static ChildServer command(List<String> command, java.io.File directory) throws IOException {
        return new ChildServer(new ProcessBuilder(command).directory(directory).redirectErrorStream(true).start());
    }

    private static int readPort(Process p) throws IOException {
        BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        for (String line; (line = r.readLine()) != null; ) {
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?:^PORT | port )(\\d+)").matcher(line);
            if (m.find()) {
                return Integer.parseInt(m.group(1));
            }
        }
        throw new IOException("the server ended before telling its port (exit " + exitCode(p) + ")");
    }

    private static String exitCode(Process p) {
        try {
            return p.waitFor(5, TimeUnit.SECONDS) ? Integer.toString(p.exitValue()) : "still running";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "unknown";
        }
    }

    int port() {
        return port;
    }

    String url(String path) {
        return "http://127.0.0.1:" + port + path;
    }

    @Override
    public void close() throws IOException, InterruptedException {
        process.getOutputStream().close();
        process.destroy();
        if (!process.waitFor(5, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }
}
