package dev.spindle.http.server;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A route's path pattern: literal segments, {@code {name}} segments matching one non-empty
 * segment, and an optional last {@code {name...}} matching the rest of the path, slashes
 * included (possibly nothing). Matching walks the path once; no regular expressions.
 *
 * <p><b>Thread-safe:</b> may be called from any thread (immutable).
 *
 * <p>Paths are matched as received (percent-encoded); parameter values are percent-decoded
 * (UTF-8; {@code +} stays {@code +}).
 */
final class PathPattern {
    private final String pattern;
    /** Literal text of each segment, or null for a parameter segment. */
    private final String[] literals;
    /** Parameter name of each segment, or null for a literal segment. */
    private final String[] names;
    /** Whether the last segment is {@code {name...}}. */
    private final boolean rest;

    private PathPattern(String pattern, String[] literals, String[] names, boolean rest) {
        this.pattern = pattern;
        this.literals = literals;
        this.names = names;
        this.rest = rest;
    }

    /**
     * Parses {@code pattern}.
     *
     * @throws IllegalArgumentException if it does not start with {@code /}, has a malformed or
     *     repeated parameter, a {@code {name...}} that is not last, or braces inside a literal
     */
    static PathPattern parse(String pattern) {
        Objects.requireNonNull(pattern, "pattern");
        if (!pattern.startsWith("/")) {
            throw new IllegalArgumentException("path pattern must start with '/': " + pattern);
        }
        String[] segments = pattern.substring(1).split("/", -1);
        String[] literals = new String[segments.length];
        String[] names = new String[segments.length];
        Set<String> seen = new HashSet<>();
        boolean rest = false;
        for (int i = 0; i < segments.length; i++) {
            String s = segments[i];
            if (rest) {
                throw new IllegalArgumentException("{name...} must be the last segment: " + pattern);
            } else if (s.startsWith("{") && s.endsWith("}")) {
                String name = s.substring(1, s.length() - 1);
                rest = name.endsWith("...");
                names[i] = rest ? name.substring(0, name.length() - 3) : name;
                if (!isName(names[i]) || !seen.add(names[i])) {
                    throw new IllegalArgumentException("bad or repeated parameter " + s + " in " + pattern);
                }
            } else if (s.indexOf('{') >= 0 || s.indexOf('}') >= 0) {
                throw new IllegalArgumentException("a parameter must be a whole segment: " + s + " in " + pattern);
            } else {
                literals[i] = s;
            }
        }
        return new PathPattern(pattern, literals, names, rest);
    }

    private static boolean isName(String s) {
        if (s.isEmpty() || !Character.isJavaIdentifierStart(s.charAt(0))) {
            return false;
        }
        return s.chars().allMatch(Character::isJavaIdentifierPart);
    }

    /** Whether the pattern has no parameters: it matches exactly one path. */
    boolean isLiteral() {
        return pattern.indexOf('{') < 0;
    }

    String pattern() {
        return pattern;
    }

    /**
     * Matches {@code path} and puts the decoded parameters into {@code params}.
     *
     * @return whether the path matches; {@code params} is unchanged if not
     */
    boolean match(String path, Map<String, String> params) {
        if (path.isEmpty() || path.charAt(0) != '/') {
            return false;
        }
        List<String> values = null;
        int at = 1;
        for (int i = 0; i < literals.length; i++) {
            if (rest && i == literals.length - 1) {
                values = add(values, path.substring(at));
                at = path.length();
                break;
            }
            int end = path.indexOf('/', at);
            boolean last = i == literals.length - 1;
            if (end < 0) {
                end = path.length();
            } else if (last) {
                return false; // More segments than the pattern has.
            }
            if (end == path.length() && !last) {
                return false; // Fewer segments than the pattern has.
            }
            if (literals[i] != null) {
                if (!path.regionMatches(at, literals[i], 0, literals[i].length()) || end - at != literals[i].length()) {
                    return false;
                }
            } else if (end == at) {
                return false; // A {name} matches a non-empty segment only.
            } else {
                values = add(values, path.substring(at, end));
            }
            at = end + 1;
        }
        if (values != null) {
            for (int i = 0, v = 0; i < names.length; i++) {
                if (names[i] != null) {
                    params.put(names[i], PercentDecoder.decode(values.get(v++), false));
                }
            }
        }
        return true;
    }

    private static List<String> add(List<String> values, String v) {
        List<String> l = values != null ? values : new ArrayList<>(2);
        l.add(v);
        return l;
    }

    @Override
    public String toString() {
        return "PathPattern[" + pattern + "]";
    }
}
