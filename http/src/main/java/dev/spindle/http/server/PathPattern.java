package dev.spindle.http.server;

import java.util.HashSet;
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
        String[] values = new String[literals.length];
        for (int i = 0, at = 1; i < literals.length; i++) {
            int end = segmentEnd(path, at, i);
            if (end < 0 || !matchSegment(path, at, end, i, values)) {
                return false;
            }
            at = end + 1;
        }
        for (int i = 0; i < names.length; i++) {
            if (names[i] != null) {
                params.put(names[i], dev.spindle.http.FormDecoder.decodeLenient(values[i], false));
            }
        }
        return true;
    }

    /** Where segment {@code i} of the pattern ends in {@code path}, starting at {@code at}; -1 if the counts differ. */
    private int segmentEnd(String path, int at, int i) {
        boolean last = i == literals.length - 1;
        if (last && rest) {
            return path.length();
        }
        int slash = path.indexOf('/', at);
        if (last) {
            return slash < 0 ? path.length() : -1; // More segments than the pattern has.
        }
        return slash; // -1: fewer segments than the pattern has.
    }

    private boolean matchSegment(String path, int at, int end, int i, String[] values) {
        if (literals[i] != null) {
            return end - at == literals[i].length() && path.startsWith(literals[i], at);
        } else if (end == at && !(rest && i == literals.length - 1)) {
            return false; // A {name} matches a non-empty segment only.
        }
        values[i] = path.substring(at, end);
        return true;
    }

    @Override
    public String toString() {
        return "PathPattern[" + pattern + "]";
    }
}
