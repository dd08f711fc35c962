package dev.spindle.jmh;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;

/**
 * The JMH half of the suite's table: each row with its score, its error (JMH's 99.9 % confidence
 * interval), and its ratio to the baseline row of the same class and parameters, with the error
 * of the ratio from both relative errors. A ratio below 1 is faster than the baseline.
 *
 * <p>The baselines, by class: {@code AwaitBenchmark}: the park/unpark floor (the callback hop:
 * the callback floor); {@code SpawnBenchmark}: a platform thread start + join;
 * {@code SyncBenchmark}: the j.u.c. primitive on platform threads, per subject;
 * {@code FanOutBenchmark}: one virtual thread per request, same parameters (its
 * {@code clientCpu} rows against its {@code clientCpu}). A new row of an existing kind (a
 * LoopGroup fan-out) needs no entry here.
 *
 * <p><b>Thread-safe:</b> may be called from any thread (stateless).
 */
final class SuiteReport {
    private SuiteReport() {}

    /** The baseline method of {@code method} in {@code benchmarkClass}. */
    static String baselineOf(String benchmarkClass, String method) {
        return switch (benchmarkClass) {
            case "AwaitBenchmark" -> method.contains("CallbackHop") ? "floorCallbackHopOnMinimalCarrier"
                    : "floorParkUnparkOnMinimalCarrier";
            case "SpawnBenchmark" -> "platformThreadsStartJoin";
            case "SyncBenchmark" -> method.contains("Lock") ? "platformThreadsReentrantLock"
                    : method.contains("Semaphore") ? "platformThreadsSemaphore" : "platformThreadsArrayBlockingQueueRoundTrip";
            case "FanOutBenchmark" -> "virtualThreadPerRequest";
            default -> method;
        };
    }

    /** Prints the table of {@code results} as Markdown. */
    static void print(Collection<RunResult> results) {
        Map<String, Result<?>> rows = new LinkedHashMap<>();
        for (RunResult r : results) {
            rows.put(key(r.getParams().getBenchmark(), params(r)), r.getPrimaryResult());
            for (Map.Entry<String, Result> e : r.getSecondaryResults().entrySet()) {
                rows.put(key(r.getParams().getBenchmark() + ":" + e.getKey(), params(r)), e.getValue());
            }
        }
        System.out.println("| benchmark | parameters | score ± error | unit | × baseline ± error | baseline |");
        System.out.println("|---|---|---|---|---|---|");
        for (Map.Entry<String, Result<?>> row : rows.entrySet()) {
            String[] parts = row.getKey().split("\\|", -1);
            String[] name = parts[0].split(":", 2);
            String cls = name[0].substring(0, name[0].lastIndexOf('.'));
            String method = name[0].substring(cls.length() + 1);
            String baseline = baselineOf(cls, method);
            Result<?> base = rows.get(key(cls + "." + baseline + (name.length > 1 ? ":" + name[1] : ""), parts[1]));
            System.out.println(String.format(Locale.ROOT, "| `%s` | %s | %s | %s | %s | `%s` |", parts[0],
                    parts[1].isEmpty() ? "" : parts[1], scoreAndError(row.getValue()), row.getValue().getScoreUnit(),
                    ratio(row.getValue(), base), baseline));
        }
    }

    private static String key(String benchmark, String params) {
        String shortName = benchmark.startsWith("dev.spindle.jmh.") ? benchmark.substring(16) : benchmark;
        return shortName + "|" + params;
    }

    private static String params(RunResult r) {
        var p = r.getParams();
        List<String> keys = p.getParamsKeys().stream().sorted().toList();
        return String.join(" ", keys.stream().map(k -> k + "=" + p.getParam(k)).toList());
    }

    private static String scoreAndError(Result<?> r) {
        double e = r.getScoreError();
        return Double.isNaN(e) ? format(r.getScore()) : format(r.getScore()) + " ± " + format(e);
    }

    private static String ratio(Result<?> r, Result<?> base) {
        if (base == null || base.getScore() == 0) {
            return "n/a";
        }
        double q = r.getScore() / base.getScore();
        double e = q * Math.hypot(relative(r), relative(base));
        return Double.isNaN(e) ? String.format(Locale.ROOT, "%.3g", q) : String.format(Locale.ROOT, "%.3g ± %.2g", q, e);
    }

    private static double relative(Result<?> r) {
        return r.getScoreError() / r.getScore();
    }

    private static String format(double v) {
        return String.format(Locale.ROOT, v >= 100 ? "%,.0f" : v >= 10 ? "%.1f" : "%.2f", v);
    }
}
