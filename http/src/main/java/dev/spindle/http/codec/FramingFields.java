package dev.spindle.http.codec;

import dev.spindle.http.HttpHeaders;
import dev.spindle.http.HttpInputException;
import dev.spindle.http.HttpInputException.Reason;
import dev.spindle.http.HttpSyntax;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The framing fields ({@code Content-Length}, {@code Transfer-Encoding}) and chunk-size lines,
 * parsed strictly (RFC 9112 §6 and §7.1). Shared by both dialects.
 *
 * <p><b>Thread-safe:</b> may be called from any thread (stateless).
 */
final class FramingFields {
    static final String CONTENT_LENGTH = "Content-Length";
    static final String TRANSFER_ENCODING = "Transfer-Encoding";
    private static final long MAX_TENTH = Long.MAX_VALUE / 10;

    private FramingFields() {}

    /**
     * Returns whether {@code Transfer-Encoding} is present.
     *
     * @throws HttpInputException if {@code Content-Length} is present too (RFC 9112 §6.1)
     */
    static boolean hasTransferEncoding(HttpHeaders headers) {
        boolean te = headers.contains(TRANSFER_ENCODING);
        if (te && headers.contains(CONTENT_LENGTH)) {
            throw new HttpInputException(Reason.CONTENT_LENGTH_WITH_TRANSFER_ENCODING,
                    "both Content-Length and Transfer-Encoding; refusing to guess the framing");
        }
        return te;
    }

    /**
     * Returns the declared {@code Content-Length}, or -1 if there is none. Several fields or list
     * elements are accepted when they all give the same number ({@code "5, 5"}).
     *
     * @throws HttpInputException for a value that is not 1*DIGIT in range, or differing values
     */
    static long contentLength(HttpHeaders headers) {
        long length = -1;
        for (int i = 0; i < headers.size(); i++) {
            if (!headers.name(i).equalsIgnoreCase(CONTENT_LENGTH)) continue;
            String value = headers.value(i);
            for (int from = 0, comma; from <= value.length(); from = comma + 1) {
                comma = endOfElement(value, from);
                long n = parseDecimal(value.substring(from, comma).strip(), value);
                if (length >= 0 && n != length) {
                    throw new HttpInputException(Reason.DUPLICATE_CONTENT_LENGTH,
                            "Content-Length values differ: " + length + " and " + n);
                }
                length = n;
            }
        }
        return length;
    }

    /** Returns the index of the comma ending the list element starting at {@code from}, or the length. */
    private static int endOfElement(String list, int from) {
        int comma = list.indexOf(',', from);
        return comma < 0 ? list.length() : comma;
    }

    private static long parseDecimal(String digits, String value) {
        if (digits.isEmpty()) throw badLength(value);
        long n = 0;
        for (int i = 0; i < digits.length(); i++) {
            int d = digits.charAt(i) - '0';
            if (d < 0 || d > 9 || n > MAX_TENTH || 10 * n > Long.MAX_VALUE - d) throw badLength(value);
            n = 10 * n + d;
        }
        return n;
    }

    private static HttpInputException badLength(String value) {
        return new HttpInputException(Reason.BAD_CONTENT_LENGTH, "invalid Content-Length " + HttpSyntax.quote(value));
    }

    /**
     * Returns the transfer codings of all {@code Transfer-Encoding} fields in order, lower-cased
     * and stripped; empty list elements are skipped (RFC 9110 §5.6.1).
     */
    static List<String> transferCodings(HttpHeaders headers) {
        List<String> codings = new ArrayList<>(2);
        for (int i = 0; i < headers.size(); i++) {
            if (!headers.name(i).equalsIgnoreCase(TRANSFER_ENCODING)) continue;
            String value = headers.value(i);
            for (int from = 0, comma; from <= value.length(); from = comma + 1) {
                comma = endOfElement(value, from);
                String coding = value.substring(from, comma).strip().toLowerCase(Locale.ROOT);
                if (!coding.isEmpty()) codings.add(coding);
            }
        }
        return codings;
    }

    /**
     * Parses the chunk-size line {@code a[start, end)}: hex digits, then nothing or optional
     * whitespace and {@code ;} extensions, which are ignored.
     *
     * @throws HttpInputException with {@link Reason#BAD_CHUNK_SIZE} for anything else or overflow
     */
    static long chunkSize(byte[] a, int start, int end) {
        long size = 0;
        int i = start;
        for (; i < end; i++) {
            int digit = hexValue(a[i]);
            if (digit < 0) break;
            if (size > (Long.MAX_VALUE >> 4)) throw badChunkSize("chunk size overflows", a, start, end);
            size = (size << 4) | digit;
        }
        if (i == start) throw badChunkSize("chunk size is not hex", a, start, end);
        while (i < end && Ascii.isWhitespace(a[i])) i++;
        if (i < end && a[i] != ';') throw badChunkSize("junk after chunk size", a, start, end);
        return size;
    }

    private static int hexValue(byte b) {
        if (b >= '0' && b <= '9') return b - '0';
        int lower = b | 0x20;
        return lower >= 'a' && lower <= 'f' ? lower - 'a' + 10 : -1;
    }

    private static HttpInputException badChunkSize(String what, byte[] a, int start, int end) {
        return new HttpInputException(Reason.BAD_CHUNK_SIZE, what + ": " + Ascii.quote(a, start, end));
    }
}
