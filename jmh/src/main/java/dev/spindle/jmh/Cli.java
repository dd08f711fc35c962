package dev.spindle.jmh;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The {@code --name value} options of the measured programs, each with a default, checked
 * against the names a program knows so that a typo fails at once with the list.
 *
 * <p><b>Thread-safe:</b> not applicable; made and read by one main thread.
 */
final class Cli {
    private final Map<String, String> values = new HashMap<>();

    /**
     * Parses {@code args}.
     *
     * @throws IllegalArgumentException if an option is not in {@code known}, or has no value
     */
    Cli(String[] args, Set<String> known) {
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (!a.startsWith("--") || !known.contains(a.substring(2))) {
                throw new IllegalArgumentException("unknown option '" + a + "'; known: --" + String.join(", --", known));
            }
            if (i + 1 == args.length) {
                throw new IllegalArgumentException("option " + a + " needs a value");
            }
            values.put(a.substring(2), args[++i]);
        }
    }

    int integer(String name, int fallback) {
        String v = values.get(name);
        int n = v == null ? fallback : Integer.parseInt(v);
        if (n < 0) {
            throw new IllegalArgumentException("--" + name + " must not be negative: " + n);
        }
        return n;
    }

    double decimal(String name, double fallback) {
        String v = values.get(name);
        return v == null ? fallback : Double.parseDouble(v);
    }

    /** A comma-separated list; {@code fallback} if absent. */
    List<String> list(String name, List<String> fallback) {
        String v = values.get(name);
        return v == null ? fallback : Arrays.stream(v.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
    }

    List<Integer> integers(String name, List<Integer> fallback) {
        String v = values.get(name);
        return v == null ? fallback : list(name, List.of()).stream().map(Integer::parseInt).toList();
    }

    boolean flag(String name) {
        return Boolean.parseBoolean(values.getOrDefault(name, "false"));
    }

    @Override
    public String toString() {
        return "Cli" + values;
    }
}
