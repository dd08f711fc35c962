package dev.spindle.runtime;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs a main class in a fresh JVM of the same JDK, on the test class path or with given options. */
final class ChildJvm {
    record Result(int exitCode, String output) {}

    private ChildJvm() {}

    static Result run(Class<?> main, boolean addOpens, String... args) throws IOException, InterruptedException {
        List<String> options = new ArrayList<>();
        if (addOpens) {
            options.addAll(List.of("--add-opens", "java.base/java.lang=ALL-UNNAMED"));
        }
        options.addAll(List.of("-cp", System.getProperty("java.class.path")));
        return run(options, main, args);
    }

    /** Runs {@code main} with exactly {@code options} (class path, module path, flags) before it. */
    static Result run(List<String> options, Class<?> main, String... args) throws IOException, InterruptedException {
        String java = ProcessHandle.current().info().command().orElseThrow();
        List<String> cmd = new ArrayList<>(List.of(java, "-Xss1m"));
        cmd.addAll(options);
        cmd.add(main.getName());
        cmd.addAll(List.of(args));
        Path log = Files.createTempFile("spindle-child", ".log");
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            boolean exited = p.waitFor(60, TimeUnit.SECONDS);
            if (!exited) {
                p.destroyForcibly().waitFor();
            }
            String out = Files.readString(log, StandardCharsets.UTF_8);
            if (!exited) {
                throw new AssertionError("child JVM did not exit within 60 s: " + cmd + "\n" + out);
            }
            return new Result(p.exitValue(), out);
        } finally {
            Files.deleteIfExists(log);
        }
    }

    /** Where a class was loaded from: a classes directory or a jar. */
    static Path locationOf(Class<?> c) {
        try {
            return Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
