package dev.spindle.http.server;

import dev.spindle.http.HttpHeaders;
import dev.spindle.http.HttpStatus;
import dev.spindle.http.codec.Ascii;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * What a response head will say: the status, the handler's fields, and what the handler
 * declared through the fields the server owns ({@code Content-Length}, {@code Connection});
 * and the encoding of all that with the framing the response settled on.
 *
 * <p><b>Loop-confined:</b> owned by one {@link HttpServerResponse}.
 */
final class ResponseHead {
    /** How the body is delimited on the wire. */
    enum Framing { LENGTH, CHUNKED, UNTIL_CLOSE }

    static final byte[] TEXT_PLAIN = HeadEncoder.ascii("Content-Type: text/plain; charset=utf-8\r\n");

    /** The status code. Loop-confined. */
    int status = 200;
    /** The handler's fields, framing fields excluded; null until the first one. Loop-confined. */
    private HttpHeaders fields;
    /** The {@code Content-Length} the handler declared, or -1. Loop-confined. */
    long declaredLength = -1;
    /** Whether the handler asked for {@code Connection: close}. Loop-confined. */
    boolean closeRequested;
    /** Whether a text body without a {@code Content-Type} gets {@link #TEXT_PLAIN}. Loop-confined. */
    boolean defaultTextType;

    /** Sets ({@code replace}) or adds a field; framing fields are taken as declarations. */
    void put(String name, String value, boolean replace) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(value, "value");
        if (name.equalsIgnoreCase("Content-Length")) {
            declaredLength = parseLength(value);
        } else if (name.equalsIgnoreCase("Transfer-Encoding")) {
            throw new IllegalArgumentException("Transfer-Encoding is the server's: write() without a Content-Length"
                    + " sends a chunked body");
        } else if (name.equalsIgnoreCase("Connection")) {
            closeRequested |= HttpServerRequest.hasToken(value, "close");
        } else {
            HttpHeaders f = fields != null ? fields : (fields = HttpHeaders.create());
            if (replace) {
                f.set(name, value);
            } else {
                f.add(name, value);
            }
        }
    }

    private static long parseLength(String value) {
        String digits = value.strip();
        if (!digits.isEmpty() && digits.chars().allMatch(c -> c >= '0' && c <= '9') && digits.length() < 19) {
            return Long.parseLong(digits);
        }
        throw new IllegalArgumentException("invalid Content-Length: " + Ascii.quote(value));
    }

    /** The handler's fields, read-only. */
    HttpHeaders fields() {
        return fields == null ? HttpHeaders.of() : fields.unmodifiableView();
    }

    /** Whether the status forbids a body (RFC 9110 §6.4.1: 204 and 304; 1xx are never set here). */
    boolean forbidsBody() {
        return status == 204 || status == 304;
    }

    /** Forgets everything the handler set, for the server's own 500. */
    void reset() {
        status = 200;
        fields = null;
        declaredLength = -1;
        closeRequested = false;
        defaultTextType = false;
    }

    /**
     * Encodes the head into the connection's encoder.
     *
     * @param length the body length, for {@code LENGTH} framing
     * @return the head, valid until the encoder is used again
     * @throws IllegalArgumentException if a field has a character beyond Latin-1
     */
    ByteBuffer encode(Http1ServerConnection conn, Framing framing, long length, boolean keepAlive, boolean http10) {
        HeadEncoder e = conn.server().encoder().begin(status);
        if (fields == null) {
            conn.server().commonFields(e, true, true);
        } else {
            conn.server().commonFields(e, !fields.contains("Server"), !fields.contains("Date")).fields(fields);
        }
        if (defaultTextType && (fields == null || !fields.contains("Content-Type"))) {
            e.put(TEXT_PLAIN);
        }
        if (!forbidsBody()) {
            if (framing == Framing.LENGTH) {
                e.contentLength(length);
            } else if (framing == Framing.CHUNKED) {
                e.chunked();
            }
        }
        return e.connection(keepAlive, http10).end();
    }

    /** A complete response of the server's own, with a short text body and {@code Connection: close}. */
    static ByteBuffer[] simple(Http1ServerConnection conn, int status, String detail) {
        byte[] body = (status + ": " + HttpStatus.reasonPhrase(status) + (detail.isEmpty() ? "" : " (" + detail + ")")
                + "\n").getBytes(StandardCharsets.ISO_8859_1);
        HeadEncoder e = conn.server().commonFields(conn.server().encoder().begin(status), true, true);
        ByteBuffer head = e.put(TEXT_PLAIN).contentLength(body.length).connection(false, false).end();
        return new ByteBuffer[] {head, ByteBuffer.wrap(body)};
    }

    /** The size line of a chunk of {@code n > 0} bytes: lower-case hex and CRLF. */
    static ByteBuffer chunkSizeLine(int n) {
        byte[] line = new byte[10];
        int digits = (32 - Integer.numberOfLeadingZeros(n) + 3) / 4;
        for (int i = digits - 1, v = n; i >= 0; i--, v >>>= 4) {
            line[i] = (byte) Character.forDigit(v & 0xF, 16);
        }
        line[digits] = '\r';
        line[digits + 1] = '\n';
        return ByteBuffer.wrap(line, 0, digits + 2);
    }

    @Override
    public String toString() {
        return "ResponseHead[" + status + (fields != null ? ", " + fields : "")
                + (declaredLength >= 0 ? ", Content-Length " + declaredLength : "") + (closeRequested ? ", close" : "") + "]";
    }
}
