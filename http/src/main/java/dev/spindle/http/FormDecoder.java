package dev.spindle.http;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Decodes {@code application/x-www-form-urlencoded} data: form bodies and query strings
 * ({@code name=value&...}), percent-escapes and {@code +} for a space (Tornado:
 * {@code httputil.parse_body_arguments}, {@code parse_qs_bytes} and {@code escape.url_unescape}).
 * <b>Thread-safe:</b> may be called from any thread (stateless).
 *
 * {@snippet :
 * Map<String, List<String>> form = FormDecoder.parse("body=caf%C3%A9+au+lait&tag=a&tag=b");
 * form.get("body");                           // [café au lait]
 * form.get("tag");                            // [a, b]
 * FormDecoder.parse("body=100%");             // throws HttpInputException (BAD_FORM_ENCODING, 400)
 * }
 *
 * <p>Two modes. The <b>strict</b> methods ({@link #parse(String)}, {@link #parse(byte[])},
 * {@link #decode}) reject a malformed percent-escape ({@code %} not followed by two hex digits)
 * and decoded bytes that are not UTF-8, with an {@link HttpInputException} of reason
 * {@link HttpInputException.Reason#BAD_FORM_ENCODING} (400), which a server answers as a bad
 * request. The <b>lenient</b> ones ({@link #parseLenient}, {@link #decodeLenient}) keep a
 * malformed escape as it was sent and replace malformed UTF-8 with U+FFFD, as Python's
 * {@code urllib.parse} does; the server's {@code queryParams()} and path parameters use them.
 *
 * <p>Parsing: pairs are separated by {@code &}, a pair without {@code =} is a name with an empty
 * value, empty pairs are skipped, and a repeated name collects its values in order. The maps
 * keep the order in which names first appear and are unmodifiable, as are their lists. The
 * text is always UTF-8, as the WHATWG URL standard says of this format; a {@code charset}
 * parameter is not consulted.
 *
 * @since 0.1
 */
public final class FormDecoder {
    private FormDecoder() {}

    /**
     * Parses a form or query string strictly; see the class description.
     *
     * @throws HttpInputException (400, {@code BAD_FORM_ENCODING}) for a malformed escape or
     *     decoded bytes that are not UTF-8
     */
    public static Map<String, List<String>> parse(String form) {
        Objects.requireNonNull(form, "form");
        return parse(bytesOf(form), true);
    }

    /**
     * Parses a form body as received, strictly; see the class description. Bytes above 0x7F
     * (not allowed by the format, but sent by some clients) are taken as UTF-8.
     *
     * @throws HttpInputException (400, {@code BAD_FORM_ENCODING}) for a malformed escape or
     *     decoded bytes that are not UTF-8
     */
    public static Map<String, List<String>> parse(byte[] form) {
        Objects.requireNonNull(form, "form");
        return parse(form, true);
    }

    /** Parses a form or query string leniently: malformed escapes are kept as sent, malformed UTF-8 becomes U+FFFD. */
    public static Map<String, List<String>> parseLenient(String form) {
        Objects.requireNonNull(form, "form");
        return parse(bytesOf(form), false);
    }

    /**
     * Decodes one percent-encoded component strictly (Tornado: {@code url_unescape(s, plus)}).
     *
     * @param plusIsSpace whether {@code +} means a space (forms and queries) or stays (paths)
     * @return {@code s} itself if it holds nothing to decode
     * @throws HttpInputException (400, {@code BAD_FORM_ENCODING}) for a malformed escape or
     *     decoded bytes that are not UTF-8
     */
    public static String decode(String s, boolean plusIsSpace) {
        return decode(s, plusIsSpace, true);
    }

    /**
     * Decodes one percent-encoded component leniently: a malformed escape is kept as sent, and
     * malformed UTF-8 becomes U+FFFD.
     *
     * @param plusIsSpace whether {@code +} means a space (forms and queries) or stays (paths)
     * @return {@code s} itself if it holds nothing to decode
     */
    public static String decodeLenient(String s, boolean plusIsSpace) {
        return decode(s, plusIsSpace, false);
    }

    private static String decode(String s, boolean plusIsSpace, boolean strict) {
        Objects.requireNonNull(s, "s");
        if (s.indexOf('%') < 0 && (!plusIsSpace || s.indexOf('+') < 0)) {
            return s;
        }
        byte[] b = bytesOf(s);
        return decode(b, 0, b.length, plusIsSpace, strict);
    }

    private static byte[] bytesOf(String s) {
        return s.getBytes(StandardCharsets.UTF_8); // Request targets are ASCII; other text is the caller's.
    }

    private static Map<String, List<String>> parse(byte[] form, boolean strict) {
        if (form.length == 0) {
            return Map.of();
        }
        Map<String, List<String>> map = new LinkedHashMap<>();
        for (int from = 0; from <= form.length; ) {
            int end = indexOf(form, (byte) '&', from, form.length);
            if (end > from) {
                int eq = indexOf(form, (byte) '=', from, end);
                String name = decode(form, from, eq, true, strict);
                String value = eq == end ? "" : decode(form, eq + 1, end, true, strict);
                map.computeIfAbsent(name, k -> new ArrayList<>(1)).add(value);
            }
            from = end + 1;
        }
        map.replaceAll((k, v) -> Collections.unmodifiableList(v));
        return Collections.unmodifiableMap(map);
    }

    /** The index of {@code b} in {@code a[from, to)}, or {@code to}. */
    private static int indexOf(byte[] a, byte b, int from, int to) {
        for (int i = from; i < to; i++) {
            if (a[i] == b) {
                return i;
            }
        }
        return to;
    }

    private static String decode(byte[] a, int from, int to, boolean plusIsSpace, boolean strict) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(to - from);
        for (int i = from; i < to; i++) {
            byte c = a[i];
            int hi;
            int lo;
            if (c == '%' && i + 2 < to && (hi = Character.digit(a[i + 1], 16)) >= 0
                    && (lo = Character.digit(a[i + 2], 16)) >= 0) {
                out.write(hi << 4 | lo);
                i += 2;
            } else if (c == '%' && strict) {
                throw new HttpInputException(HttpInputException.Reason.BAD_FORM_ENCODING, "malformed percent-escape "
                        + HttpSyntax.quote(latin1(a, i, Math.min(i + 3, to))) + " in " + HttpSyntax.quote(latin1(a, from, to)));
            } else {
                out.write(c == '+' && plusIsSpace ? ' ' : c);
            }
        }
        byte[] bytes = out.toByteArray();
        if (!strict) {
            return new String(bytes, StandardCharsets.UTF_8);
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new HttpInputException(HttpInputException.Reason.BAD_FORM_ENCODING,
                    "decoded bytes are not UTF-8 in " + HttpSyntax.quote(latin1(a, from, to)));
        }
    }

    private static String latin1(byte[] a, int from, int to) {
        return new String(a, from, to - from, StandardCharsets.ISO_8859_1);
    }
}
