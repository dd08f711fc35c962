package dev.spindle.jmh;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A main class of this classpath in a JVM of its own, of the same JDK, that talks line by line
 * over its standard streams: it prints {@code PORT <n>} when it listens, answers commands such as
 * {@code heap} (see {@link ServerControl}), and exits when its standard input closes, so it never
 * outlives the JVM that started it. Its standard error goes to ours.
 *
 * <p><b>Thread-safe:</b> not applicable; one thread starts, talks to and closes a child.
 */
final class ChildJvm implements AutoCloseable {
    /** How long a child may take to start or to answer a command. */
    private static final long ANSWER_SECONDS = 120;

    /** What the child is, for messages. */
    private final String name;
    private final Process process;
    /** The child's standard output, read only by {@link #awaitLine}. */
    private final BufferedReader out;
    /** The child's standard input: commands; closing it ends the child. */
    private final PrintStream in;

    private ChildJvm(String name, Process process) {
        this.name = name;
        this.process = process;
        this.out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        this.in = new PrintStream(process.getOutputStream(), true, StandardCharsets.UTF_8);
    }

    /**
     * Starts {@code main} with {@code jvmArgs} (the {@code --add-opens} of DESIGN rule 7 is always
     * added) and {@code args}.
     */
    static ChildJvm start(String name, Class<?> main, List<String> jvmArgs, List<String> args) throws IOException {
        Objects.requireNonNull(main, "main");
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> cmd = new ArrayList<>(List.of(java, "--add-opens", "java.base/java.lang=ALL-UNNAMED"));
        cmd.addAll(jvmArgs);
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), main.getName()));
        cmd.addAll(args);
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        return new ChildJvm(name, p);
    }

    /** The child's process id, for {@code /proc/<pid>}. */
    long pid() {
        return process.pid();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** Waits for the child's {@code PORT <n>} line and returns n. */
    int awaitPort() throws IOException {
        String line = awaitLine("PORT ");
        return Integer.parseInt(line.substring(5).strip().split(" ")[0]);
    }

    /** Sends {@code command} and returns the first answer line starting with {@code prefix}. */
    String ask(String command, String prefix) throws IOException {
        in.println(command);
        return awaitLine(prefix);
    }

    /** Waits, at most {@value #ANSWER_SECONDS} s, for a line starting with {@code prefix}. */
    String awaitLine(String prefix) throws IOException {
        CompletableFuture<String> line = CompletableFuture.supplyAsync(() -> {
            try {
                for (String l; (l = out.readLine()) != null; ) {
                    if (l.startsWith(prefix)) {
                        return l;
                    }
                }
                return null;
            } catch (IOException e) {
                return null;
            }
        }, r -> Thread.ofPlatform().daemon().start(r));
        try {
            String l = line.get(ANSWER_SECONDS, TimeUnit.SECONDS);
            if (l == null) {
                throw new IOException(this + " ended before printing '" + prefix + "...'" + exit());
            }
            return l;
        } catch (TimeoutException e) {
            throw new IOException(this + " printed no '" + prefix + "...' within " + ANSWER_SECONDS + " s");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for " + this, e);
        } catch (ExecutionException e) {
            throw new IOException(e.getCause());
        }
    }

    private String exit() {
        try {
            return process.waitFor(5, TimeUnit.SECONDS) ? " (exit " + process.exitValue() + ")" : "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }

    /** Closes the child's standard input, then waits for it to exit, destroying it after 10 s. */
    @Override
    public void close() {
        in.close();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return name + "[pid " + process.pid() + (process.isAlive() ? "" : ", exited") + "]";
    }
}
