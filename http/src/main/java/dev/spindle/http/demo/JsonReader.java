package dev.spindle.http.demo;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Reads JSON text (RFC 8259) strictly, for the chat's {@code {"body": "..."}} posts: objects
 * become {@code Map<String, Object>} (in order), arrays {@code List<Object>}, strings
 * {@code String}, numbers {@code BigDecimal}, {@code true}/{@code false} {@code Boolean}, and
 * {@code null} null. The maps and lists are unmodifiable.
 *
 * <p><b>Thread-safe:</b> may be called from any thread; each {@link #parse} has its own state.
 *
 * <p>Rejected, with an {@link IllegalArgumentException} giving the offset: anything RFC 8259
 * does not allow (trailing commas, leading zeros, control characters in strings, bad escapes,
 * text after the value), duplicate member names, and nesting deeper than {@value #MAX_DEPTH}.
 */
final class JsonReader {
    /** The deepest nesting of arrays and objects accepted, so that no input can exhaust the stack. */
    static final int MAX_DEPTH = 64;

    private final String text;
    /** The next char to read. */
    private int at;

    private JsonReader(String text) {
        this.text = text;
    }

    /**
     * Parses {@code text}, one JSON value with optional whitespace around it.
     *
     * @throws IllegalArgumentException if it is not valid JSON
     */
    static Object parse(String text) {
        JsonReader r = new JsonReader(Objects.requireNonNull(text, "text"));
        Object value = r.value(0);
        r.skipWhitespace();
        if (r.at < text.length()) {
            throw r.error("text after the value");
        }
        return value;
    }

    private Object value(int depth) {
        skipWhitespace();
        if (at == text.length()) {
            throw error("a value expected, the text ended");
        }
        char c = text.charAt(at);
        return switch (c) {
            case '{' -> object(depth + 1);
            case '[' -> array(depth + 1);
            case '"' -> string();
            case 't' -> literal("true", Boolean.TRUE);
            case 'f' -> literal("false", Boolean.FALSE);
            case 'n' -> literal("null", null);
            default -> number();
        };
    }

    private Map<String, Object> object(int depth) {
        checkDepth(depth);
        at++;
        Map<String, Object> map = new LinkedHashMap<>();
        if (peek() == '}') {
            at++;
            return Collections.unmodifiableMap(map);
        }
        do {
            skipWhitespace();
            int nameAt = at;
            if (at == text.length() || text.charAt(at) != '"') {
                throw error("a member name (a string) expected");
            }
            String name = string();
            expect(':');
            if (map.containsKey(name)) {
                at = nameAt;
                throw error("duplicate member name " + JsonWriter.string(name));
            }
            map.put(name, value(depth));
        } while (next(',', '}'));
        return Collections.unmodifiableMap(map);
    }

    private List<Object> array(int depth) {
        checkDepth(depth);
        at++;
        List<Object> list = new ArrayList<>();
        if (peek() == ']') {
            at++;
            return Collections.unmodifiableList(list);
        }
        do {
            list.add(value(depth));
        } while (next(',', ']'));
        return Collections.unmodifiableList(list);
    }

    /** Reads {@code more} (true) or {@code end} (false) after optional whitespace. */
    private boolean next(char more, char end) {
        char c = peek();
        at++;
        if (c == more || c == end) {
            return c == more;
        }
        at--;
        throw error("'" + more + "' or '" + end + "' expected");
    }

    private String string() {
        at++; // The opening quote.
        StringBuilder sb = new StringBuilder();
        while (true) {
            if (at == text.length()) {
                throw error("unterminated string");
            }
            char c = text.charAt(at++);
            if (c == '"') {
                return sb.toString();
            } else if (c == '\\') {
                sb.append(escape());
            } else if (c < 0x20) {
                at--;
                throw error("control character U+" + String.format("%04X", (int) c) + " in a string");
            } else {
                sb.append(c);
            }
        }
    }

    private char escape() {
        if (at == text.length()) {
            throw error("unterminated escape");
        }
        char c = text.charAt(at++);
        return switch (c) {
            case '"', '\\', '/' -> c;
            case 'b' -> '\b';
            case 'f' -> '\f';
            case 'n' -> '\n';
            case 'r' -> '\r';
            case 't' -> '\t';
            case 'u' -> unicodeEscape();
            default -> {
                at -= 2;
                throw error("bad escape \\" + c);
            }
        };
    }

    private char unicodeEscape() {
        int v = 0;
        for (int i = 0; i < 4; i++) {
            int d = at < text.length() ? Character.digit(text.charAt(at), 16) : -1;
            if (d < 0) {
                throw error("four hex digits expected after \\u");
            }
            v = v << 4 | d;
            at++;
        }
        return (char) v;
    }

    private Object literal(String word, Object value) {
        if (!text.startsWith(word, at)) {
            throw error("a value expected");
        }
        at += word.length();
        return value;
    }

    private BigDecimal number() {
        int start = at;
        accept('-');
        if (!accept('0') && !digits()) {
            at = start;
            throw error("a value expected");
        }
        if (accept('.') && !digits()) {
            throw error("digits expected after '.'");
        }
        if (accept('e') || accept('E')) {
            if (!accept('+')) {
                accept('-');
            }
            if (!digits()) {
                throw error("digits expected in the exponent");
            }
        }
        return new BigDecimal(text.substring(start, at));
    }

    private boolean digits() {
        int start = at;
        while (at < text.length() && text.charAt(at) >= '0' && text.charAt(at) <= '9') {
            at++;
        }
        return at > start;
    }

    private boolean accept(char c) {
        if (at < text.length() && text.charAt(at) == c) {
            at++;
            return true;
        }
        return false;
    }

    private void expect(char c) {
        if (peek() != c) {
            throw error("'" + c + "' expected");
        }
        at++;
    }

    /** The next char after whitespace, or 0 at the end. */
    private char peek() {
        skipWhitespace();
        return at < text.length() ? text.charAt(at) : 0;
    }

    private void skipWhitespace() {
        while (at < text.length() && (text.charAt(at) == ' ' || text.charAt(at) == '\t' || text.charAt(at) == '\n'
                || text.charAt(at) == '\r')) {
            at++;
        }
    }

    private void checkDepth(int depth) {
        if (depth > MAX_DEPTH) {
            throw error("nested deeper than " + MAX_DEPTH);
        }
    }

    private IllegalArgumentException error(String what) {
        return new IllegalArgumentException("invalid JSON at offset " + at + ": " + what);
    }

    @Override
    public String toString() {
        return "JsonReader[at " + at + " of " + text.length() + "]";
    }
}
