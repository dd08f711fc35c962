package dev.spindle.http.codec;

import dev.spindle.http.HttpHeaders;
import dev.spindle.http.RequestStartLine;
import dev.spindle.http.ResponseStartLine;
import dev.spindle.http.StartLine;
import java.nio.BufferOverflowException;
import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * Serialises HTTP/1.1 message heads and chunked framing, encoding ASCII (Latin-1) by hand.
 *
 * <p><b>Thread-safe:</b> may be called from any thread (stateless).
 *
 * {@snippet :
 * byte[] head = Http1Writer.encodeHead(
 *         new ResponseStartLine("HTTP/1.1", 200, "OK"),
 *         HttpHeaders.of("Content-Length", "5"));   // "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n"
 * }
 *
 * <p>Every character written is checked again, so nothing can split a message: a CR, LF or NUL
 * in a field value or start line, a non-token name, or a character above U+00FF throws
 * {@link IllegalArgumentException}. Framing fields
 * ({@code Content-Length}, {@code Transfer-Encoding}) are the caller's to set.
 *
 * @since 0.1
 */
public final class Http1Writer {
    private static final byte[] CRLF = {'\r', '\n'};

    private Http1Writer() {}

    /** Returns the exact number of bytes {@link #writeHead} writes for this head. */
    public static int headLength(StartLine line, HttpHeaders headers) {
        Objects.requireNonNull(headers, "headers");
        int n = switch (Objects.requireNonNull(line, "line")) {
            case RequestStartLine r -> r.method().length() + r.target().length() + r.version().length() + 4;
            case ResponseStartLine r -> r.version().length() + 5 + r.reason().length() + 2;
        };
        for (int i = 0; i < headers.size(); i++) n += headers.name(i).length() + headers.value(i).length() + 4;
        return n + 2;
    }

    /**
     * Returns the head (start line, field lines, empty line) as bytes.
     *
     * @throws IllegalArgumentException if a character may not be sent (see the class comment)
     */
    public static byte[] encodeHead(StartLine line, HttpHeaders headers) {
        byte[] out = new byte[headLength(line, headers)];
        int end = putHead(line, headers, out, 0);
        assert end == out.length;
        return out;
    }

    /**
     * Writes the head at {@code out}'s position and advances it.
     *
     * @throws BufferOverflowException if {@code out} has fewer than {@link #headLength} bytes
     *     left; the position is unchanged
     * @throws IllegalArgumentException if a character may not be sent; the position is unchanged
     */
    public static void writeHead(StartLine line, HttpHeaders headers, ByteBuffer out) {
        int length = headLength(line, headers);
        if (out.remaining() < length) throw new BufferOverflowException();
        if (out.hasArray()) {
            putHead(line, headers, out.array(), out.arrayOffset() + out.position());
            out.position(out.position() + length);
        } else {
            out.put(encodeHead(line, headers));
        }
    }

    /**
     * Frames {@code data}'s remaining bytes as one chunk without copying them: returns the
     * buffers to write in order (size line, the data, CRLF). {@code data}'s position is unchanged.
     *
     * @throws IllegalArgumentException if {@code data} is empty (that would end the body)
     */
    public static ByteBuffer[] frameChunk(ByteBuffer data) {
        byte[] sizeLine = chunkSizeLine(data.remaining());
        return new ByteBuffer[] {ByteBuffer.wrap(sizeLine), data.slice(), ByteBuffer.wrap(CRLF.clone())};
    }

    /**
     * Returns one chunk holding a copy of {@code data}'s remaining bytes, size line and CRLF
     * included. {@code data}'s position is unchanged.
     *
     * @throws IllegalArgumentException if {@code data} is empty (that would end the body)
     */
    public static byte[] encodeChunk(ByteBuffer data) {
        byte[] sizeLine = chunkSizeLine(data.remaining());
        byte[] out = new byte[sizeLine.length + data.remaining() + 2];
        System.arraycopy(sizeLine, 0, out, 0, sizeLine.length);
        data.get(data.position(), out, sizeLine.length, data.remaining());
        out[out.length - 2] = '\r';
        out[out.length - 1] = '\n';
        return out;
    }

    /**
     * Returns the last chunk: {@code 0 CRLF}, the trailer fields, CRLF.
     *
     * @throws IllegalArgumentException if a trailer may not be sent
     */
    public static byte[] encodeLastChunk(HttpHeaders trailers) {
        int n = 5;
        for (int i = 0; i < trailers.size(); i++) n += trailers.name(i).length() + trailers.value(i).length() + 4;
        byte[] out = new byte[n];
        out[0] = '0';
        int p = putFields(trailers, out, putCrlf(out, 1));
        putCrlf(out, p);
        return out;
    }

    /** Returns the chunk-size line for {@code size} bytes: lower-case hex and CRLF. */
    static byte[] chunkSizeLine(long size) {
        if (size <= 0) throw new IllegalArgumentException("chunk size must be positive: " + size);
        int digits = (64 - Long.numberOfLeadingZeros(size) + 3) / 4;
        byte[] line = new byte[digits + 2];
        for (int i = digits - 1; i >= 0; i--, size >>>= 4) line[i] = (byte) Character.forDigit((int) (size & 0xF), 16);
        putCrlf(line, digits);
        return line;
    }

    private static int putHead(StartLine line, HttpHeaders headers, byte[] out, int p) {
        switch (line) {
            case RequestStartLine r -> {
                p = putText(r.method(), out, p);
                out[p++] = ' ';
                p = putText(r.target(), out, p);
                out[p++] = ' ';
                p = putText(r.version(), out, p);
            }
            case ResponseStartLine r -> {
                p = putText(r.version(), out, p);
                out[p++] = ' ';
                out[p++] = (byte) ('0' + r.code() / 100);
                out[p++] = (byte) ('0' + r.code() / 10 % 10);
                out[p++] = (byte) ('0' + r.code() % 10);
                out[p++] = ' ';
                p = putText(r.reason(), out, p);
            }
        }
        return putCrlf(out, putFields(headers, out, putCrlf(out, p)));
    }

    private static int putFields(HttpHeaders fields, byte[] out, int p) {
        for (int i = 0; i < fields.size(); i++) {
            String name = fields.name(i);
            for (int j = 0; j < name.length(); j++) {
                char c = name.charAt(j);
                if (!Ascii.isTokenChar(c)) throw new IllegalArgumentException("invalid header name: " + Ascii.quote(name));
                out[p++] = (byte) c;
            }
            out[p++] = ':';
            out[p++] = ' ';
            p = putCrlf(out, putText(fields.value(i), out, p));
        }
        return p;
    }

    /** Copies {@code s}, rejecting CR, LF, NUL and characters that are not Latin-1. */
    private static int putText(String s, byte[] out, int p) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c > 0xFF || c == '\r' || c == '\n' || c == 0) {
                throw new IllegalArgumentException("cannot send " + Ascii.quote(s) + " in an HTTP/1.1 head");
            }
            out[p++] = (byte) c;
        }
        return p;
    }

    private static int putCrlf(byte[] out, int p) {
        out[p] = '\r';
        out[p + 1] = '\n';
        return p + 2;
    }
}
