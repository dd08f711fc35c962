package dev.spindle.http.codec;

import dev.spindle.http.HttpHeaders;
import dev.spindle.http.HttpStatus;
import dev.spindle.http.HttpSyntax;
import dev.spindle.http.RequestStartLine;
import dev.spindle.http.ResponseStartLine;
import dev.spindle.http.StartLine;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Encodes HTTP/1.1 message heads into one reusable buffer, and frames body chunks: the only
 * place that writes the wire format. Status lines of the standard codes and constant header
 * lines are pre-encoded and copied; only the caller's own fields are encoded character by
 * character.
 *
 * <p><b>Loop-confined:</b> one writer serves every connection of a server or a client on one
 * loop. That is safe because a head is encoded and handed to the stream in one go, before
 * anything can suspend: the buffer {@link #end()} returns is valid until the next
 * {@link #begin}, and {@code IoStream.write} consumes (or copies) it before it returns.
 *
 * {@snippet :
 * Http1Writer w = new Http1Writer();
 * ByteBuffer head = w.beginResponse(200).field("Content-Type", "text/plain").contentLength(5).end();
 * // "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 5\r\n\r\n"
 * }
 *
 * <p>Every character is checked as it is copied, so nothing can split a message: a CR, LF or
 * NUL, a non-token name, or a character above U+00FF throws {@link IllegalArgumentException}.
 */
public final class Http1Writer {
    /** The largest message, head and body, {@link #assemble} copies into one buffer. */
    public static final int SMALL_MESSAGE = 16 * 1024;
    /** A line break. Never written. */
    static final byte[] CRLF = {'\r', '\n'};
    /** The last chunk of a body without trailers. Never written. */
    static final byte[] LAST_CHUNK = ascii("0\r\n\r\n");
    /** The interim response a server sends to {@code Expect: 100-continue}. Never written. */
    static final byte[] CONTINUE = ascii("HTTP/1.1 100 Continue\r\n\r\n");
    /** {@code "HTTP/1.1 <code> <reason>\r\n"} for every code with a standard reason phrase. Never written after init. */
    private static final byte[][] STATUS_LINES = new byte[600][];
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

    /** The head being written, {@code [0, pos)}; grows as needed. Loop-confined. */
    private byte[] buf = new byte[512];
    private int pos;
    /** Reused view of {@link #buf} handed to the stream. Loop-confined. */
    private ByteBuffer view = ByteBuffer.wrap(buf);
    /**
     * The last {@code Content-Length} line written, {@code [0, lengthLineSize)}, and its length:
     * responses of one size follow each other, and a copy costs less than the digits. Loop-confined.
     */
    private final byte[] lengthLine = new byte[CONTENT_LENGTH.length + 20 + 2];
    private int lengthLineSize;
    private long lineLength = -1;
    /** The one-element array a single buffer is written from, reused. Loop-confined. */
    private final ByteBuffer[] single = new ByteBuffer[1];
    /**
     * Where a small message is assembled, head and body, for one plain write: a direct buffer
     * spares the JDK a copy into a temporary direct buffer per heap buffer, and the kernel a
     * writev. Made on first use. Loop-confined.
     */
    private ByteBuffer assembly;

    /** Returns the ISO-8859-1 bytes of {@code s}, for pre-encoded header lines. */
    public static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static byte[] statusLine(int code) {
        return ascii("HTTP/1.1 " + code + " " + HttpStatus.reasonPhrase(code) + "\r\n");
    }

    /**
     * Starts a response head with the HTTP/1.1 status line of {@code code} and its standard
     * reason phrase (a server always answers HTTP/1.1, RFC 9110 §6.2).
     *
     * @throws IllegalArgumentException unless {@code 100 <= code <= 999}
     */
    public Http1Writer beginResponse(int code) {
        if (code < 100 || code > 999) {
            throw new IllegalArgumentException("status code not in 100..999: " + code);
        }
        pos = 0;
        byte[] line = code < STATUS_LINES.length ? STATUS_LINES[code] : null;
        return put(line != null ? line : statusLine(code));
    }

    /** Starts a head with {@code line}. */
    public Http1Writer begin(StartLine line) {
        pos = 0;
        switch (line) {
            case RequestStartLine r -> text(r.method()).put((byte) ' ').text(r.target()).put((byte) ' ').text(r.version());
            case ResponseStartLine r -> text(r.version()).put((byte) ' ').decimal(r.code()).put((byte) ' ').text(r.reason());
        }
        return put(CRLF);
    }

    /** Appends pre-encoded bytes: whole header lines with their CRLFs. */
    public Http1Writer line(byte[] bytes) {
        ensure(bytes.length);
        System.arraycopy(bytes, 0, buf, pos, bytes.length);
        pos += bytes.length;
        return this;
    }

    /**
     * Appends every field of {@code headers}, in order. Names need no check: {@link HttpHeaders}
     * takes only tokens.
     *
     * @throws IllegalArgumentException if a value has a character above U+00FF
     */
    public Http1Writer fields(HttpHeaders headers) {
        for (int i = 0; i < headers.size(); i++) {
            text(headers.name(i));
            put((byte) ':').put((byte) ' ');
            text(headers.value(i)).put(CRLF);
        }
        return this;
    }

    /**
     * Appends {@code name: value}.
     *
     * @throws IllegalArgumentException if the name is not a token, or the value has a CR, LF,
     *     NUL or a character above U+00FF
     */
    public Http1Writer field(String name, String value) {
        if (!HttpSyntax.isToken(name)) {
            throw new IllegalArgumentException("invalid header name: " + HttpSyntax.quote(name));
        }
        text(name);
        put((byte) ':').put((byte) ' ');
        return text(value).put(CRLF);
    }

    Http1Writer contentLength(long n) {
        if (n != lineLength) {
            int at = pos;
            put(CONTENT_LENGTH).decimal(n).put(CRLF);
            lengthLineSize = pos - at;
            System.arraycopy(buf, at, lengthLine, 0, lengthLineSize);
            lineLength = n;
            return this;
        }
        ensure(lengthLineSize);
        System.arraycopy(lengthLine, 0, buf, pos, lengthLineSize);
        pos += lengthLineSize;
        return this;
    }

    Http1Writer chunked() {
        return put(CHUNKED);
    }

    Http1Writer close() {
        return put(CLOSE);
    }

    Http1Writer keepAlive() {
        return put(KEEP_ALIVE);
    }

    /** Ends the head and returns it; valid until the next {@code begin}. */
    ByteBuffer end() {
        put(CRLF);
        return view.limit(pos).position(0);
    }

    /**
     * Returns {@code head} and {@code body} in one buffer if they fit in {@link #SMALL_MESSAGE}
     * bytes, else null. The buffer is valid until the next call; both inputs are consumed.
     */
    ByteBuffer assemble(ByteBuffer head, ByteBuffer body) {
        if (head.remaining() + body.remaining() > SMALL_MESSAGE) {
            return null;
        }
        if (assembly == null) {
            assembly = ByteBuffer.allocateDirect(SMALL_MESSAGE);
        }
        return assembly.clear().put(head).put(body).flip();
    }

    /**
     * {@code b} as the one buffer of a reused array, for a write that consumes it before it
     * returns; valid until the next call.
     */
    ByteBuffer[] single(ByteBuffer b) {
        single[0] = b;
        return single;
    }

    /** Returns the size line of a chunk of {@code n > 0} bytes: lower-case hex and CRLF. */
    static ByteBuffer chunkSizeLine(int n) {
        if (n <= 0) {
            throw new IllegalArgumentException("chunk size must be positive: " + n);
        }
        byte[] line = new byte[10];
        int digits = (32 - Integer.numberOfLeadingZeros(n) + 3) / 4;
        for (int i = digits - 1, v = n; i >= 0; i--, v >>>= 4) {
            line[i] = (byte) Character.forDigit(v & 0xF, 16);
        }
        line[digits] = '\r';
        line[digits + 1] = '\n';
        return ByteBuffer.wrap(line, 0, digits + 2);
    }

    private Http1Writer put(byte[] bytes) {
        return line(bytes);
    }

    private Http1Writer put(byte b) {
        ensure(1);
        buf[pos++] = b;
        return this;
    }

    /** Copies {@code s}, rejecting CR, LF, NUL and characters above U+00FF. */
    private Http1Writer text(String s) {
        ensure(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c > 0xFF || c == '\r' || c == '\n' || c == 0) {
                throw new IllegalArgumentException("cannot send " + HttpSyntax.quote(s) + " in an HTTP/1.1 head");
            }
            buf[pos++] = (byte) c;
        }
        return this;
    }

    /** Appends the decimal digits of {@code n >= 0}. */
    private Http1Writer decimal(long n) {
        ensure(20);
        int digits = 1;
        for (long v = n; v >= 10; v /= 10) {
            digits++;
        }
        for (int i = pos + digits - 1; i >= pos; i--, n /= 10) {
            buf[i] = (byte) ('0' + n % 10);
        }
        pos += digits;
        return this;
    }

    private void ensure(int more) {
        if (pos + more > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(pos + more, 2 * buf.length));
            view = ByteBuffer.wrap(buf);
        }
    }

    /** Bytes {@code [0, pos)} of the head being written, as text; for tests and debugging. */
    @Override
    public String toString() {
        return "Http1Writer[" + new String(buf, 0, pos, StandardCharsets.ISO_8859_1).replace("\r\n", "\\r\\n") + "]";
    }
}
