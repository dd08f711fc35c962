package dev.spindle.jmh;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The load generator of {@link ServerThroughput}: {@code wrk -t1 -c<n> -d<s>s --latency}, one
 * thread, keep-alive, and what it printed.
 *
 * <p><b>Thread-safe:</b> may be called from any thread; each run is its own process.
 */
final class Wrk {
    /** How to get wrk, for the message when it is missing. */
    static final String INSTALL = "wrk is not installed: on Debian or Ubuntu, `apt-get update && apt-get install -y wrk`"
            + " (as root, or with sudo); elsewhere build it from its sources and put it on the PATH";

    private static final Pattern REQUESTS = Pattern.compile("(\\d+) requests in ");
    private static final Pattern RATE = Pattern.compile("Requests/sec:\\s+([\\d.]+)");
    private static final Pattern P99 = Pattern.compile("\\s99%\\s+([\\d.]+)(us|ms|s)\\b");
    private static final Pattern NON_2XX = Pattern.compile("Non-2xx or 3xx responses: (\\d+)");
    private static final Pattern ERRORS = Pattern.compile("Socket errors: connect (\\d+), read (\\d+), write (\\d+), timeout (\\d+)");

    /**
     * What one run measured.
     *
     * @param requests completed responses
     * @param perSecond responses per second, as wrk computed them
     * @param p99Millis the 99th percentile latency
     * @param non2xx responses that were not 2xx or 3xx
     * @param socketErrors connect, read, write errors and timeouts, summed
     * @param output what wrk printed
     */
    record Result(long requests, double perSecond, double p99Millis, long non2xx, long socketErrors, String output) {}

    private Wrk() {}

    /** The wrk executable on the PATH, or null. */
    static File find() {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(File.pathSeparator)) {
            File f = new File(dir, "wrk");
            if (f.canExecute()) {
                return f;
            }
        }
        return null;
    }

    /** Runs wrk against {@code url} with {@code connections} for {@code seconds}; at most 60 s more. */
    static Result run(File wrk, String url, int connections, int seconds) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(List.of(wrk.getPath(), "-t1", "-c" + connections, "-d" + seconds + "s",
                "--latency", url)).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes(); // Ends when wrk ends or is destroyed.
        if (!p.waitFor(seconds + 60L, TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor();
            throw new IOException("wrk did not end within " + (seconds + 60) + " s");
        }
        String text = new String(out, StandardCharsets.UTF_8);
        if (p.exitValue() != 0) {
            throw new IOException("wrk exited with " + p.exitValue() + ":\n" + text);
        }
        return parse(text);
    }

    /** What wrk printed, as numbers; what it did not print is 0 (NaN for the latency). */
    static Result parse(String text) {
        long requests = group(REQUESTS, text, 1).map(Long::parseLong).orElse(0L);
        double rate = group(RATE, text, 1).map(Double::parseDouble).orElse(0.0);
        Matcher m = P99.matcher(text);
        double p99 = Double.NaN;
        if (m.find()) {
            double v = Double.parseDouble(m.group(1));
            p99 = switch (m.group(2)) {
                case "us" -> v / 1000;
                case "s" -> v * 1000;
                default -> v;
            };
        }
        long non2xx = group(NON_2XX, text, 1).map(Long::parseLong).orElse(0L);
        long errors = 0;
        Matcher e = ERRORS.matcher(text);
        if (e.find()) {
            for (int i = 1; i <= 4; i++) {
                errors += Long.parseLong(e.group(i));
            }
        }
        return new Result(requests, rate, p99, non2xx, errors, text);
    }

    private static java.util.Optional<String> group(Pattern p, String text, int g) {
        Matcher m = p.matcher(text);
        return m.find() ? java.util.Optional.of(m.group(g)) : java.util.Optional.empty();
    }
}
