package dev.spindle.http.server;

import dev.spindle.http.HttpHeaders;
import dev.spindle.http.HttpStatus;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Encodes response heads into one reusable buffer per connection: pre-encoded status lines and
 * constant header lines are copied, only the handler's own fields are encoded character by
 * character.
 *
 * <p><b>Loop-confined:</b> owned by one connection. The buffer returned by {@link #end()} is
 * valid until the next {@link #begin}; {@code IoStream.write} consumes (or copies) it at once,
 * which is what makes the reuse safe.
 */
final class HeadEncoder {
    /** {@code "HTTP/1.1 <code> <reason>\r\n"} for every code with a standard reason phrase. Never written after init. */
    private static final byte[][] STATUS_LINES = new byte[600][];
    static final byte[] CRLF = {'\r', '\n'};
    private static final byte[] CONTENT_LENGTH = ascii("Content-Length: ");
    private static final byte[] CHUNKED = ascii("Transfer-Encoding: chunked\r\n");
    private static final byte[] CLOSE = ascii("Connection: close\r\n");
    private static final byte[] KEEP_ALIVE = ascii("Connection: keep-alive\r\n");

    static {
        for (int code = 100; code < 600; code++) {
            if (!HttpStatus.reasonPhrase(code).equals("Unknown")) {
                STATUS_LINES[code] = statusLine(code);
            }
        }
    }

    /** The head being written, {@code [0, pos)}; grows as needed. */
    private byte[] buf = new byte[512];
    private int pos;
    /** Reused view of {@link #buf} handed to the stream. */
    private ByteBuffer view = ByteBuffer.wrap(buf);

    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static byte[] statusLine(int code) {
        return ascii("HTTP/1.1 " + code + " " + HttpStatus.reasonPhrase(code) + "\r\n");
    }

    /** Starts a head with the status line of {@code code} (always HTTP/1.1, RFC 9110 §6.2). */
    HeadEncoder begin(int code) {
        pos = 0;
        byte[] line = STATUS_LINES[code];
        return put(line != null ? line : statusLine(code));
    }

    /** Appends pre-encoded bytes (a whole header line with its CRLF). */
    HeadEncoder put(byte[] bytes) {
        ensure(bytes.length);
        System.arraycopy(bytes, 0, buf, pos, bytes.length);
        pos += bytes.length;
        return this;
    }

    /** Appends every field of {@code headers}. */
    HeadEncoder fields(HttpHeaders headers) {
        for (int i = 0; i < headers.size(); i++) {
            field(headers.name(i), headers.value(i));
        }
        return this;
    }

    /**
     * Appends {@code name: value}. Names and values come from {@link HttpHeaders}, which already
     * rejected CR, LF and NUL; characters beyond Latin-1 are rejected here.
     *
     * @throws IllegalArgumentException for a character above U+00FF
     */
    HeadEncoder field(String name, String value) {
        ensure(name.length() + value.length() + 4);
        text(name);
        buf[pos++] = ':';
        buf[pos++] = ' ';
        text(value);
        buf[pos++] = '\r';
        buf[pos++] = '\n';
        return this;
    }

    HeadEncoder contentLength(long n) {
        put(CONTENT_LENGTH);
        ensure(22);
        pos = putDecimal(n, buf, pos);
        buf[pos++] = '\r';
        buf[pos++] = '\n';
        return this;
    }

    HeadEncoder chunked() {
        return put(CHUNKED);
    }

    /** Appends {@code Connection: close}, or {@code Connection: keep-alive} when an HTTP/1.0 peer must be told. */
    HeadEncoder connection(boolean keepAlive, boolean http10) {
        if (!keepAlive) {
            return put(CLOSE);
        }
        return http10 ? put(KEEP_ALIVE) : this;
    }

    /** Ends the head and returns it; valid until the next {@link #begin}. */
    ByteBuffer end() {
        put(CRLF);
        return view.limit(pos).position(0);
    }

    private void text(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c > 0xFF) {
                throw new IllegalArgumentException("cannot send a character above U+00FF in a header: "
                        + dev.spindle.http.codec.Ascii.quote(s));
            }
            buf[pos++] = (byte) c;
        }
    }

    private void ensure(int more) {
        if (pos + more > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(pos + more, 2 * buf.length));
            view = ByteBuffer.wrap(buf);
        }
    }

    /** Writes the decimal digits of {@code n >= 0} at {@code at}; returns the index after them. */
    static int putDecimal(long n, byte[] out, int at) {
        int digits = 1;
        for (long v = n; v >= 10; v /= 10) {
            digits++;
        }
        for (int i = at + digits - 1; i >= at; i--, n /= 10) {
            out[i] = (byte) ('0' + n % 10);
        }
        return at + digits;
    }

    /** Bytes {@code [0, pos)} of the head being written, as text; for tests and debugging. */
    @Override
    public String toString() {
        return "HeadEncoder[" + new String(buf, 0, pos, StandardCharsets.ISO_8859_1)
                .replace("\r\n", "\\r\\n") + "]";
    }
}
