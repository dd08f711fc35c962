package dev.spindle.http.demo;

import java.util.Objects;

/**
 * Writes JSON text (RFC 8259) for the chat's answers: strings escaped so that any Java string
 * survives the trip, and objects of string members (Tornado: {@code escape.json_encode}).
 * <b>Thread-safe:</b> may be called from any thread (stateless).
 *
 * {@snippet :
 * JsonWriter.object("id", "7", "body", "say \"hi\"");   // {"id":"7","body":"say \"hi\""}
 * }
 *
 * <p>Escaped beyond what JSON requires, so that the text is safe wherever it lands: {@code <}
 * and {@code >} (it may be placed inside an HTML {@code <script>}), U+2028 and U+2029 (line
 * ends in older JavaScript), and unpaired surrogates (which UTF-8 cannot encode).
 */
final class JsonWriter {
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private JsonWriter() {}

    /** {@code s} as a JSON string literal, quotes included. */
    static String string(CharSequence s) {
        return appendString(new StringBuilder(Objects.requireNonNull(s, "s").length() + 16), s).toString();
    }

    /** Appends {@code s} to {@code out} as a JSON string literal, quotes included; returns {@code out}. */
    static StringBuilder appendString(StringBuilder out, CharSequence s) {
        Objects.requireNonNull(s, "s");
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                default -> {
                    if (c < 0x20 || c == '<' || c == '>' || c == '\u2028' || c == '\u2029' || unpaired(s, i)) {
                        out.append("\\u").append(HEX[c >> 12]).append(HEX[c >> 8 & 15]).append(HEX[c >> 4 & 15])
                                .append(HEX[c & 15]);
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"');
    }

    /** Whether the char at {@code i} is a surrogate without its other half. */
    private static boolean unpaired(CharSequence s, int i) {
        char c = s.charAt(i);
        if (Character.isHighSurrogate(c)) {
            return i + 1 == s.length() || !Character.isLowSurrogate(s.charAt(i + 1));
        }
        return Character.isLowSurrogate(c) && (i == 0 || !Character.isHighSurrogate(s.charAt(i - 1)));
    }

    /**
     * An object of string members, in the order given.
     *
     * @param namesAndValues name, value, name, value, ...
     * @throws IllegalArgumentException for an odd number of arguments
     * @throws NullPointerException for a null name or value
     */
    static String object(String... namesAndValues) {
        if (namesAndValues.length % 2 != 0) {
            throw new IllegalArgumentException("names and values must come in pairs: " + namesAndValues.length + " given");
        }
        StringBuilder out = new StringBuilder(64).append('{');
        for (int i = 0; i < namesAndValues.length; i += 2) {
            if (i > 0) {
                out.append(',');
            }
            appendString(out, Objects.requireNonNull(namesAndValues[i], "name"));
            appendString(out.append(':'), Objects.requireNonNull(namesAndValues[i + 1], "value of " + namesAndValues[i]));
        }
        return out.append('}').toString();
    }
}
