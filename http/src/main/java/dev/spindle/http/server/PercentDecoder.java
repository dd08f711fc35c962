package dev.spindle.http.server;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Lenient percent-decoding of path segments and query strings (Tornado:
 * {@code url_unescape}, {@code parse_qs_bytes}): a malformed {@code %} escape is kept as is
 * rather than failing the request, and the bytes are decoded as UTF-8 (malformed sequences
 * become U+FFFD).
 *
 * <p><b>Thread-safe:</b> may be called from any thread (stateless).
 */
final class PercentDecoder {
    private PercentDecoder() {}

    /**
     * Decodes {@code s}.
     *
     * @param plusIsSpace whether {@code +} means a space (query strings), or stays (paths)
     */
    static String decode(String s, boolean plusIsSpace) {
        if (s.indexOf('%') < 0 && (!plusIsSpace || s.indexOf('+') < 0)) {
            return s;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            int hi;
            int lo;
            if (c == '%' && i + 2 < s.length() && (hi = Character.digit(s.charAt(i + 1), 16)) >= 0
                    && (lo = Character.digit(s.charAt(i + 2), 16)) >= 0) {
                out.write(hi << 4 | lo);
                i += 2;
            } else if (c == '+' && plusIsSpace) {
                out.write(' ');
            } else if (c < 0x80) {
                out.write(c);
            } else {
                byte[] b = String.valueOf(c).getBytes(StandardCharsets.UTF_8); // Not from the wire: targets are ASCII.
                out.write(b, 0, b.length);
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    /**
     * Parses {@code name=value&...} (an {@code application/x-www-form-urlencoded} query) into
     * an unmodifiable map of unmodifiable lists, in order of first appearance. A name without
     * {@code =} gets an empty value; empty pairs are skipped.
     */
    static Map<String, List<String>> parseQuery(String query) {
        if (query.isEmpty()) {
            return Map.of();
        }
        Map<String, List<String>> map = new LinkedHashMap<>();
        for (int from = 0; from <= query.length(); ) {
            int amp = query.indexOf('&', from);
            int end = amp < 0 ? query.length() : amp;
            if (end > from) {
                int eq = query.indexOf('=', from);
                String name = decode(query.substring(from, eq < 0 || eq > end ? end : eq), true);
                String value = eq < 0 || eq > end ? "" : decode(query.substring(eq + 1, end), true);
                map.computeIfAbsent(name, k -> new ArrayList<>(1)).add(value);
            }
            from = end + 1;
        }
        map.replaceAll((k, v) -> Collections.unmodifiableList(v));
        return Collections.unmodifiableMap(map);
    }
}
